// CLI test helpers: build the real bundle once (under a lock, only when sources are newer), then
// run `node bin/kubectl-lb.cjs …` as a user would.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin/kubectl-lb.cjs');
const DIST = join(ROOT, 'dist/kubectl-lb.cjs');
const LOCK = join(ROOT, 'dist/.build-lock');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function sleep(ms: number) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/kubectl-lb.cjs unless it is newer than every source file. Safe across test processes. */
export function ensureBuilt(): void {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > 60_000) rmdirSync(LOCK);
      } catch {
        /* gone */
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for the build lock');
      sleep(100);
    }
  }
  try {
    const built = (() => {
      try {
        return statSync(DIST).mtimeMs;
      } catch {
        return 0;
      }
    })();
    const newest = Math.max(newestSource(join(ROOT, 'shared/src')), newestSource(join(ROOT, 'kubectl-plugin/src')), statSync(join(ROOT, 'scripts/build.mjs')).mtimeMs);
    if (built < newest) execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'pipe' });
  } finally {
    rmdirSync(LOCK);
  }
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeout?: number;
}

/** Runs the built binary. NO_COLOR is unset and FORCE_COLOR removed unless the test sets them. */
export function run(args: string[], o: RunOptions = {}): RunResult {
  const env: Record<string, string | undefined> = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.LBGUARD_DEBUG;
  Object.assign(env, o.env ?? {});
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: o.cwd ?? ROOT,
    input: o.input ?? '',
    env: env as NodeJS.ProcessEnv,
    timeout: o.timeout ?? 30_000,
    maxBuffer: 64 << 20,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** A temporary directory with the given files (paths relative to it). */
export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-cli-'));
  for (const [p, text] of Object.entries(files)) {
    const full = join(dir, p);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function assertNoStack(text: string): void {
  if (/\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /^\s+at /m.test(text)) throw new Error(`stack trace printed:\n${text}`);
}

export const POOL = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: default
  namespace: metallb-system
spec:
  addresses:
  - 192.168.1.10-192.168.1.20
`;

export const BAD_POOL = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: broken
  namespace: metallb-system
spec:
  addresses:
  - 10.0.0.1/33
`;

export const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: LoadBalancer
  selector: {app: web}
  ports:
  - port: 80
`;

export const LB_IP_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: legacy
  namespace: default
spec:
  type: LoadBalancer
  loadBalancerIP: 192.168.1.15
  ports:
  - port: 80
`;
