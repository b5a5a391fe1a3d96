// The commands' output (io/stdout.ts): written with fs.writeSync when stdout is a pipe, a socket or
// a file — complete, in order, also to a slow or non-blocking reader — and a reader that goes away
// (`| head`) ends the run quietly with the command's own exit code.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ensureBuilt, removeDir, run, tempDir } from './helpers.js';

/** Enough Services with a deprecated spec.loadBalancerIP for ~300 KB of findings (more than a pipe holds). */
function manyServices(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: v1
kind: Service
metadata:
  name: s${i}
  namespace: default
spec:
  type: LoadBalancer
  loadBalancerIP: 10.9.${Math.floor(i / 250)}.${i % 250}
  ports:
  - port: 80
`);
  }
  return docs.join('---\n');
}

describe('kubectl lb output', () => {
  let dir = '';
  let expected = '';
  before(() => {
    ensureBuilt();
    dir = tempDir({ 'many.yaml': manyServices(3000) });
    const r = run(['lint', 'many.yaml'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    expected = r.stdout;
    assert.ok(expected.length > 200_000, `${expected.length} bytes`);
  });
  after(() => removeDir(dir));

  test('to a file: the same bytes as to a pipe', () => {
    const out = join(dir, 'out.txt');
    const fd = openSync(out, 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'lint', 'many.yaml'], { cwd: dir, stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.equal(r.stderr, '');
    } finally {
      closeSync(fd);
    }
    assert.equal(readFileSync(out, 'utf8'), expected);
  });

  test('to a slow reader: everything, in order', async () => {
    const child = spawn(process.execPath, [BIN, 'lint', 'many.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    await new Promise((r) => setTimeout(r, 300)); // the child blocks on a full pipe meanwhile
    const chunks: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stdout.resume();
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 1);
    assert.equal(Buffer.concat(chunks).toString('utf8'), expected);
  });

  test('to a non-blocking pipe (EAGAIN): everything, in order', (t) => {
    if (spawnSync('perl', ['-e', '1']).status !== 0) return t.skip('no perl to set O_NONBLOCK');
    // perl sets O_NONBLOCK on the pipe, then runs kubectl-lb on it; `sleep` makes the reader late.
    const setNonBlocking = 'use Fcntl; my $f = fcntl(STDOUT, F_GETFL, 0); fcntl(STDOUT, F_SETFL, $f | O_NONBLOCK) or die; exec @ARGV or die';
    const r = spawnSync('sh', ['-c', `perl -e '${setNonBlocking}' "$0" "$@" | (sleep 0.3; cat)`, process.execPath, BIN, 'lint', 'many.yaml'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, expected);
  });

  test('a reader that goes away: the exit code of the command, no error, no stack', async () => {
    const child = spawn(process.execPath, [BIN, 'lint', 'many.yaml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise((r) => child.stdout.once('data', r));
    child.stdout.destroy();
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 1);
    assert.equal(stderr, '');
  });

  test('help to a reader that goes away: exit 0, no stack', async () => {
    const child = spawn(process.execPath, [BIN, 'lint', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.destroy();
    const code = await new Promise((r) => child.on('close', r));
    assert.equal(code, 0);
    assert.equal(stderr, '');
  });
});
