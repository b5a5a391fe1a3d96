// The commands' output, without process.stdout when stdout is a pipe or a file. Creating
// process.stdout for those loads Node's net and stream modules (~4 ms of a ~120 ms
// `kubectl lb lint`), and its writes to them are synchronous on Linux anyway. A terminal (and
// Windows) keeps process.stdout: TTY handling, console encoding.
import { fstatSync, writeSync } from 'node:fs';

let direct: boolean | undefined;
let readerGone = false;

/** Whether fd 1 is a pipe, a regular file or a socket, written here with fs.writeSync. */
function isDirect(): boolean {
  if (direct === undefined) {
    try {
      const st = fstatSync(1);
      direct = process.platform !== 'win32' && (st.isFIFO() || st.isFile() || st.isSocket());
    } catch {
      direct = false;
    }
  }
  return direct;
}

/** process.stdout.isTTY, without creating process.stdout when fd 1 is a pipe or a file. */
export function stdoutIsTTY(): boolean {
  return !isDirect() && !!process.stdout.isTTY;
}

export function writeStdout(text: string): void {
  if (!isDirect()) {
    process.stdout.write(text);
    return;
  }
  if (readerGone) return;
  const buf = Buffer.from(text, 'utf8');
  for (let off = 0; off < buf.length; ) {
    try {
      off += writeSync(1, buf, off);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking pipe that is full: wait for the reader, as a blocking write would.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      if (code === 'EPIPE') {
        // The reader is gone (`| head`): end quietly once the command has set its exit code, as
        // main.ts does for process.stdout.
        readerGone = true;
        process.nextTick(() => process.exit(process.exitCode ?? 0));
        return;
      }
      throw e;
    }
  }
}
