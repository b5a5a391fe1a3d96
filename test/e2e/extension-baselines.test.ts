// The two `cidr-edit-reassigns` baselines the state-file e2e does not cover, each in a real VS Code
// (code-server 4.100.3) extension host, running extension/test/suite/baselines.ts:
//
// 1. git HEAD: the workspace is a real git repository (git init + commit here), code-server runs
//    with the built-in git extension ON for this run only (harness option `git: true`); the suite
//    narrows the pool in the editor and expects the Services at HEAD that would move.
// 2. live cluster: a real kube-apiserver (test/harness/kube) with MetalLB's CRDs, pools and
//    Services whose status (status subresource) holds IPs; a kubeconfig with a named context that
//    is NOT the current context; KUBECONFIG in code-server's environment and the real `kubectl-lb`
//    (bin/kubectl-lb.cjs) on the login shell's PATH (see below why); lbguard.cluster.context in the workspace settings. The suite runs
//    lbguard: Refresh Cluster State (the default provider shells out to `kubectl-lb snapshot`) and
//    narrows the pool: the diagnostic names Services that exist only in the cluster.
//
//   node --import tsx --test test/e2e/extension-baselines.test.ts
//
// Needs code-server + Chromium (test/harness/vscode/README.md) and the kube binaries
// (test/harness/kube/build.sh); a missing piece fails with the install hint, never skips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { REPO_ROOT, requireCodeServer } from '../harness/vscode/codeServer.js';
import { CHROMIUM_PATH } from '../harness/vscode/browser.js';
import { runExtensionTests, type ExtensionTestsOptions } from '../harness/vscode/runExtensionTests.js';
import { startCluster } from '../harness/kube/cluster.js';
import { crdDir } from '../harness/kube/paths.js';
import { BIN, ensureBuilt } from '../cli/helpers.js';
import { POOLS, STATE_SERVICES as GIT_SERVICES } from '../extension/fixtures.js';

const EXT_DIR = join(REPO_ROOT, 'extension');

function preflight(): void {
  requireCodeServer();
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install -y chromium (or set LBGUARD_CHROMIUM)`);
}

async function buildExtension(): Promise<void> {
  const mod = (await import(join(EXT_DIR, 'scripts', 'build.mjs'))) as { buildExtension(o?: { tests?: boolean }): Promise<void> };
  await mod.buildExtension({ tests: true });
}

interface SuiteResults {
  results: { name: string; ok: boolean; ms: number; error?: string }[];
  vscodeVersion: string;
}

/** Runs one suite of baselines.ts in code-server; asserts every test of it passed. */
async function runSuite(suite: 'git' | 'cluster', expected: number, opts: Omit<ExtensionTestsOptions, 'extensionDevelopmentPath' | 'extensionTestsPath'>): Promise<SuiteResults> {
  const r = await runExtensionTests({
    extensionDevelopmentPath: EXT_DIR,
    extensionTestsPath: join(EXT_DIR, 'dist', 'test', 'suite.js'),
    timeoutMs: 150_000,
    artifactName: `extension-baseline-${suite}`,
    ...opts,
    env: { LBGUARD_EXT_SUITE: suite, ...(opts.env ?? {}) },
  });
  const res = r.results as SuiteResults | undefined;
  const failed = res?.results.filter((x) => !x.ok) ?? [];
  assert.equal(
    r.exitCode,
    0,
    `${suite} suite failed (exit ${r.exitCode}):\n${failed.map((f) => `${f.name}: ${f.error}`).join('\n')}\n${r.log.slice(-40).join('\n')}\n(full log: test-artifacts/e2e/extension-baseline-${suite}.log)`,
  );
  assert.ok(res, 'suite results missing');
  assert.equal(res.results.length, expected, `expected ${expected} tests, ran: ${res.results.map((x) => x.name).join(' | ')}`);
  assert.equal(res.vscodeVersion, '1.100.3');
  return res;
}

test('git HEAD baseline: real repository, built-in git extension on, pool narrowed in the editor', { timeout: 240_000 }, async () => {
  preflight();
  await buildExtension();
  const ws = mkdtempSync(join(tmpdir(), 'lbguard-ext-git-'));
  try {
    writeFileSync(join(ws, 'pools.yaml'), POOLS);
    writeFileSync(join(ws, 'services.yaml'), GIT_SERVICES);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'init.defaultBranch=main', '-c', 'user.name=lbguard-test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: ws, encoding: 'utf8' });
    git('init', '-q');
    git('add', 'pools.yaml', 'services.yaml');
    git('commit', '-q', '-m', 'pools and Services');
    assert.equal(git('status', '--porcelain'), '');
    await runSuite('git', 5, { workspace: ws, git: true });
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('git stays off by default in the harness', async () => {
  const { DEFAULT_USER_SETTINGS, GIT_ON_SETTINGS } = await import('../harness/vscode/codeServer.js');
  assert.equal(DEFAULT_USER_SETTINGS['git.enabled'], false);
  assert.equal(GIT_ON_SETTINGS['git.enabled'], true);
});

// ---- live cluster ---------------------------------------------------------------------------

const CONTEXT = 'lbguard-e2e';
const LIVE_SERVICES: { namespace: string; name: string; ip: string }[] = [
  { namespace: 'live', name: 'checkout', ip: '192.168.10.20' },
  { namespace: 'live', name: 'payments', ip: '192.168.10.21' },
  { namespace: 'live', name: 'upper', ip: '192.168.10.200' },
  { namespace: 'infra', name: 'dns', ip: '10.20.0.12' },
];

/** A kubeconfig whose current context points at a dead server: only --context reaches the cluster. */
function namedContextKubeconfig(server: string, caFile: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: e2e-cluster',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority: ${caFile}`,
    '- name: nowhere',
    '  cluster:',
    '    server: https://127.0.0.1:1',
    'users:',
    '- name: e2e-admin',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    `- name: ${CONTEXT}`,
    '  context:',
    '    cluster: e2e-cluster',
    '    user: e2e-admin',
    '- name: wrong',
    '  context:',
    '    cluster: nowhere',
    '    user: e2e-admin',
    'current-context: wrong',
    '',
  ].join('\n');
}

test('cluster-context baseline: real kube-apiserver, lbguard.cluster.context, refresh, pool narrowed', { timeout: 300_000 }, async (t) => {
  preflight();
  ensureBuilt(); // dist/kubectl-lb.cjs, what bin/kubectl-lb.cjs runs
  await buildExtension();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-ext-cluster-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));

  // Cluster objects: MetalLB CRDs + the same pools as the workspace, Services with status IPs.
  await cluster.applyCRDs(crdDir('v0.14.8'));
  await cluster.ensureMetalLBNamespace();
  for (const ns of new Set(LIVE_SERVICES.map((s) => s.namespace))) await cluster.ensureNamespace(ns);
  await cluster.applyYaml(POOLS);
  const core = cluster.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
  for (const s of LIVE_SERVICES) {
    await cluster.apply([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: s.name, namespace: s.namespace }, spec: { type: 'LoadBalancer', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] } } as k8s.KubernetesObject,
    ]);
    const cur = await core.readNamespacedService({ name: s.name, namespace: s.namespace });
    cur.status = { loadBalancer: { ingress: [{ ip: s.ip, ipMode: 'VIP' }] } };
    await core.replaceNamespacedServiceStatus({ name: s.name, namespace: s.namespace, body: cur });
    const back = await core.readNamespacedService({ name: s.name, namespace: s.namespace });
    assert.deepEqual(back.status?.loadBalancer?.ingress?.map((i) => i.ip), [s.ip]);
  }

  // kubeconfig with the named context; `kubectl-lb` on PATH is the repo's real bin/kubectl-lb.cjs.
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, namedContextKubeconfig(cluster.server, cluster.caFile, cluster.tokens.admin));
  const binDir = join(dir, 'bin');
  mkdirSync(binDir);
  symlinkSync(BIN, join(binDir, 'kubectl-lb'));
  const PATH = `${binDir}${delimiter}${process.env.PATH ?? ''}`;
  // The same call the extension's default provider makes, from outside code-server first.
  const direct = execFileSync('kubectl-lb', ['snapshot', '--context', CONTEXT, '-o', '-'], { env: { ...process.env, PATH, KUBECONFIG: kubeconfig, NO_COLOR: '1' }, encoding: 'utf8' });
  assert.match(direct, /name: checkout/);
  // …and without --context the kubeconfig's current context (a dead server) is used: the context matters.
  assert.throws(() => execFileSync('kubectl-lb', ['snapshot', '-o', '-'], { env: { ...process.env, PATH, KUBECONFIG: kubeconfig, NO_COLOR: '1' }, encoding: 'utf8', stdio: 'pipe', timeout: 60_000 }));

  // Workspace: the pools only (no Services), the context in the workspace settings.
  const ws = join(dir, 'ws');
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  writeFileSync(join(ws, 'pools.yaml'), POOLS);
  writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'lbguard.cluster.context': CONTEXT }, null, 2));

  // The extension host does NOT inherit code-server's PATH: VS Code's server builds its environment
  // as {...process.env, ...<login shell's env>} (`$SHELL -ilc env`, buildUserEnvironment), and
  // Debian's /etc/profile resets PATH. So, like a user whose profile adds the plugin's folder, a
  // login profile in a temporary HOME puts kubectl-lb on PATH; KUBECONFIG passes through the shell.
  const home = join(dir, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.profile'), `export PATH="${binDir}:$PATH"\n`);
  await runSuite('cluster', 3, { workspace: ws, env: { HOME: home, KUBECONFIG: kubeconfig, PATH, LBGUARD_EXPECT_CONTEXT: CONTEXT } });

  // The same with kubectl-lb NOT on the login shell's PATH, named by lbguard.cluster.kubectlLbPath instead.
  const bareHome = join(dir, 'bare-home');
  mkdirSync(bareHome);
  writeFileSync(join(ws, '.vscode', 'settings.json'), JSON.stringify({ 'lbguard.cluster.context': CONTEXT, 'lbguard.cluster.kubectlLbPath': join(binDir, 'kubectl-lb') }, null, 2));
  await runSuite('cluster', 3, { workspace: ws, env: { HOME: bareHome, KUBECONFIG: kubeconfig, LBGUARD_EXPECT_CONTEXT: CONTEXT } });
});
