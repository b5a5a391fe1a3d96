// pre-commit test helpers: the real `pre-commit` (Debian's 3.0.4 in CI), throwaway git repos under a
// temp dir, and one PRE_COMMIT_HOME per test file so the hook's npm install happens once per file
// and nothing leaks into ~/.cache/pre-commit.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The real pre-commit, or a loud failure: these tests are never skipped. */
export function preCommitVersion(): string {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`pre-commit is not installed (${r.error?.message ?? r.stderr}); install Debian's package: apt-get install pre-commit (.ci/run does)`);
  }
  return r.stdout.trim();
}

export interface Sandbox {
  dir: string;
  /** Environment for git and pre-commit: a private PRE_COMMIT_HOME, no user/system git config. */
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function sandbox(name: string): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), `lbguard-${name}-`));
  const home = join(dir, 'pre-commit-home');
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('PRE_COMMIT')) delete env[k];
  Object.assign(env, {
    PRE_COMMIT_HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    // The hook's npm install uses the lock file's versions; after the root `npm ci` they are all in
    // npm's cache, so skip the registry round trips where it can.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    NO_COLOR: '1',
  });
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Run {
  status: number;
  out: string;
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Run {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export function git(cwd: string, env: NodeJS.ProcessEnv, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
}

/** A git repo with `files` committed (message "init"), local identity set. */
export function initRepo(dir: string, env: NodeJS.ProcessEnv, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  git(dir, env, 'init', '-q', '-b', 'main');
  git(dir, env, 'config', 'user.email', 'test@lbguard.invalid');
  git(dir, env, 'config', 'user.name', 'lbguard test');
  git(dir, env, 'config', 'commit.gpgsign', 'false');
  writeFiles(dir, files);
  git(dir, env, 'add', '-A');
  git(dir, env, 'commit', '-q', '-m', 'init', '--no-verify');
  return dir;
}

/** The lbguard checkout's HEAD: what pre-commit clones (commit hook changes before running these tests). */
export function lbguardHead(): string {
  return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
}

/** .pre-commit-config.yaml using this checkout as the hook repository at `rev`. */
export function preCommitConfig(rev: string, args: string[] = [], extra: string[] = []): string {
  return [
    'repos:',
    `- repo: ${JSON.stringify(ROOT.replace(/\/$/, ''))}`,
    `  rev: ${rev}`,
    '  hooks:',
    '  - id: lbguard-lint',
    ...(args.length ? [`    args: ${JSON.stringify(args)}`] : []),
    ...extra.map((l) => `    ${l}`),
    '',
  ].join('\n');
}

// ---- fixtures: one pool, a Service holding an IP in it (per the state snapshot)

export const POOLS = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: prod
  namespace: metallb-system
spec:
  addresses:
  - 192.168.10.0/24
  avoidBuggyIPs: true
`;

export const WEB = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: LoadBalancer
  ports:
  - port: 80
`;

/** What `kubectl get -o yaml` would show: web holds 192.168.10.200 from prod. */
export const STATE = `apiVersion: v1
kind: List
items:
- apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata: {name: prod, namespace: metallb-system}
  spec: {addresses: [192.168.10.0/24], avoidBuggyIPs: true}
- apiVersion: v1
  kind: Service
  metadata: {name: web, namespace: default}
  spec: {type: LoadBalancer, ports: [{port: 80}]}
  status: {loadBalancer: {ingress: [{ip: 192.168.10.200}]}}
`;

export const NARROWED = POOLS.replace('192.168.10.0/24', '192.168.10.0/25');

export function service(name: string, extra: { loadBalancerIP?: string; annotationIP?: string } = {}): string {
  return [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    ...(extra.annotationIP ? ['  annotations:', `    metallb.io/loadBalancerIPs: ${extra.annotationIP}`] : []),
    'spec:',
    '  type: LoadBalancer',
    ...(extra.loadBalancerIP ? [`  loadBalancerIP: ${extra.loadBalancerIP}`] : []),
    '  ports:',
    '  - port: 443',
    '',
  ].join('\n');
}
