// kubectl's kubeconfig rules (unit, through the FsLike seam) and exec credential plugins (a real
// plugin script run by the real CLI against the real API server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveKubeconfig, type FsLike } from '../../kubectl-plugin/src/live/kubeconfig.js';
import { execInfo, isInteractive } from '../../kubectl-plugin/src/live/exec.js';
import { parseDuration } from '../../kubectl-plugin/src/live/client.js';
import { startCluster } from '../harness/kube/cluster.js';
import { ensureBuilt, lb } from './helpers.js';

function memFs(files: Record<string, string>): FsLike {
  return { exists: (p) => p in files, read: (p) => files[p] };
}

function kc(o: { ctx?: string; clusters?: [string, string][]; users?: [string, Record<string, unknown>][]; contexts?: [string, string, string, string?][] }): string {
  const lines = ['apiVersion: v1', 'kind: Config'];
  if (o.ctx) lines.push(`current-context: ${o.ctx}`);
  lines.push('clusters:', ...(o.clusters ?? []).map(([n, s]) => `- name: ${n}\n  cluster:\n    server: ${s}\n    certificate-authority: ca-${n}.crt`));
  lines.push('users:', ...(o.users ?? []).map(([n, u]) => `- name: ${n}\n  user: ${JSON.stringify(u)}`));
  lines.push('contexts:', ...(o.contexts ?? []).map(([n, c, u, ns]) => `- name: ${n}\n  context:\n    cluster: ${c}\n    user: ${u}${ns ? `\n    namespace: ${ns}` : ''}`));
  return lines.join('\n') + '\n';
}

const A = kc({ ctx: 'ctx-a', clusters: [['shared', 'https://a:6443']], users: [['u', { token: 'ta' }]], contexts: [['ctx-a', 'shared', 'u', 'team-a'], ['ctx-b', 'shared', 'u']] });
const B = kc({ ctx: 'ctx-b', clusters: [['shared', 'https://b:6443'], ['only-b', 'https://onlyb:6443']], users: [['u', { token: 'tb' }], ['ub', { token: 'tub' }]], contexts: [['ctx-b', 'only-b', 'ub', 'team-b'], ['ctx-c', 'only-b', 'ub']] });
const files = memFs({ '/k/a': A, '/k/b': B });

test('KUBECONFIG: the first file to set current-context wins, duplicates keep the first definition', () => {
  const r = resolveKubeconfig({}, { env: { KUBECONFIG: '/k/a:/k/b' }, fs: files });
  assert.equal(r.contextName, 'ctx-a');
  assert.equal(r.cluster.server, 'https://a:6443');
  assert.equal(r.user.token, 'ta');
  assert.equal(r.namespace, 'team-a');
  assert.equal(r.namespaceFrom, 'context');
  assert.deepEqual(r.files, ['/k/a', '/k/b']);
  // ctx-b is defined in both: a's definition (cluster shared, user u) wins whole.
  const b = resolveKubeconfig({ context: 'ctx-b' }, { env: { KUBECONFIG: '/k/a:/k/b' }, fs: files });
  assert.equal(b.cluster.server, 'https://a:6443');
  assert.equal(b.namespace, 'default');
  // Reversed order: b's current-context and definitions win.
  const rev = resolveKubeconfig({}, { env: { KUBECONFIG: '/k/b:/k/a' }, fs: files });
  assert.equal(rev.contextName, 'ctx-b');
  assert.equal(rev.cluster.server, 'https://onlyb:6443');
  assert.equal(rev.user.token, 'tub');
});

test('KUBECONFIG: missing files and empty entries are skipped; all missing is an error', () => {
  const r = resolveKubeconfig({}, { env: { KUBECONFIG: '/k/missing::/k/b' }, fs: files });
  assert.equal(r.contextName, 'ctx-b');
  assert.throws(() => resolveKubeconfig({}, { env: { KUBECONFIG: '/k/x:/k/y' }, fs: files, serviceAccountDir: '/none' }), /invalid configuration: no configuration has been provided/);
});

test('--kubeconfig: only that file, and it must exist', () => {
  const r = resolveKubeconfig({ kubeconfig: '/k/b' }, { env: { KUBECONFIG: '/k/a' }, fs: files });
  assert.equal(r.contextName, 'ctx-b');
  assert.throws(() => resolveKubeconfig({ kubeconfig: '/k/none' }, { env: {}, fs: files }), /stat \/k\/none: no such file or directory/);
});

test('--context, --cluster, --user, -n override after merging; relative paths resolve per file', () => {
  const r = resolveKubeconfig({ context: 'ctx-c', cluster: 'shared', user: 'u', namespace: 'x' }, { env: { KUBECONFIG: '/k/a:/k/b' }, fs: files });
  assert.equal(r.cluster.server, 'https://a:6443');
  assert.equal(r.cluster.caFile, '/k/ca-shared.crt');
  assert.equal(r.user.token, 'ta');
  assert.equal(r.namespace, 'x');
  assert.equal(r.namespaceFrom, 'flag');
  const onlyB = resolveKubeconfig({ context: 'ctx-c' }, { env: { KUBECONFIG: '/k/a:/k/b' }, fs: files });
  assert.equal(onlyB.cluster.caFile, '/k/ca-only-b.crt');
  assert.throws(() => resolveKubeconfig({ context: 'nope' }, { env: { KUBECONFIG: '/k/a' }, fs: files }), /context was not found for specified context: nope/);
  assert.throws(() => resolveKubeconfig({ user: 'nobody' }, { env: { KUBECONFIG: '/k/a' }, fs: files }), /user "nobody" was not found/);
});

test('~/.kube/config, then in-cluster, then an error', () => {
  const home = memFs({ '/h/.kube/config': A });
  assert.equal(resolveKubeconfig({}, { env: { HOME: '/h' }, home: '/h', fs: home }).contextName, 'ctx-a');
  const sa = memFs({ '/sa/token': 'tok', '/sa/ca.crt': 'CA', '/sa/namespace': 'apps\n' });
  const ic = resolveKubeconfig({}, { env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, home: '/h', fs: sa, serviceAccountDir: '/sa' });
  assert.equal(ic.source, 'in-cluster');
  assert.equal(ic.cluster.server, 'https://[fd00::1]:443');
  assert.equal(ic.user.tokenFile, '/sa/token');
  assert.equal(ic.cluster.caFile, '/sa/ca.crt');
  assert.equal(ic.namespace, 'apps');
  assert.throws(() => resolveKubeconfig({}, { env: {}, home: '/h', fs: memFs({}), serviceAccountDir: '/sa' }), /no configuration has been provided/);
});

test('exec config: v1 needs interactiveMode; relative command resolves against the kubeconfig; KUBERNETES_EXEC_INFO', () => {
  const mk = (exec: Record<string, unknown>) => memFs({ '/e/kc': kc({ ctx: 'c', clusters: [['cl', 'https://s']], users: [['u', { exec }]], contexts: [['c', 'cl', 'u']] }) });
  assert.throws(() => resolveKubeconfig({ kubeconfig: '/e/kc' }, { fs: mk({ apiVersion: 'client.authentication.k8s.io/v1', command: 'x' }) }), /interactiveMode must be specified/);
  const r = resolveKubeconfig({ kubeconfig: '/e/kc' }, { fs: mk({ apiVersion: 'client.authentication.k8s.io/v1', command: './bin/plugin', interactiveMode: 'Never', provideClusterInfo: true, env: [{ name: 'A', value: 'b' }] }) });
  assert.equal(r.user.exec?.command, '/e/bin/plugin');
  assert.deepEqual(r.user.exec?.env, [{ name: 'A', value: 'b' }]);
  const bare = resolveKubeconfig({ kubeconfig: '/e/kc' }, { fs: mk({ apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin' }) });
  assert.equal(bare.user.exec?.command, 'kubelogin');
  assert.equal(bare.user.exec?.interactiveMode, 'IfAvailable');
  const info = JSON.parse(execInfo(r.user.exec!, false, r.cluster));
  assert.equal(info.kind, 'ExecCredential');
  assert.equal(info.apiVersion, 'client.authentication.k8s.io/v1');
  assert.equal(info.spec.interactive, false);
  assert.equal(info.spec.cluster.server, 'https://s');
  assert.equal(isInteractive({ ...r.user.exec!, interactiveMode: 'IfAvailable' }, true), true);
  assert.equal(isInteractive({ ...r.user.exec!, interactiveMode: 'Never' }, true), false);
  assert.throws(() => isInteractive({ ...r.user.exec!, interactiveMode: 'Always' }, false), /standard input is not a terminal/);
});

test('--request-timeout durations', () => {
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('5'), 5000);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.throws(() => parseDuration('soon'), /invalid duration/);
});

test('real API server: merged KUBECONFIG, --context/--user, exec plugin (KUBERNETES_EXEC_INFO, stderr, stdin)', { timeout: 120_000 }, async (t) => {
  ensureBuilt();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-kc-'));
  const reader = readFileSync(cluster.kubeconfigFor('reader'), 'utf8');
  const admin = readFileSync(cluster.kubeconfigFor('admin'), 'utf8');
  writeFileSync(join(dir, 'reader'), reader);
  writeFileSync(join(dir, 'admin'), admin);

  await t.test('first file wins: reader@ context from the first file, missing files skipped', () => {
    const r = lb(['status', '-o', 'json'], { KUBECONFIG: `${join(dir, 'missing')}:${join(dir, 'reader')}:${join(dir, 'admin')}` });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).source, 'context reader@lbguard-test');
    const r2 = lb(['status', '-o', 'json', '--context', 'admin@lbguard-test'], { KUBECONFIG: `${join(dir, 'reader')}:${join(dir, 'admin')}` });
    assert.equal(r2.code, 0, r2.stderr);
    assert.equal(JSON.parse(r2.stdout).source, 'context admin@lbguard-test');
  });

  await t.test('exec plugin: ExecCredential with the admin token, stderr shown, KUBERNETES_EXEC_INFO set', () => {
    const plugin = join(dir, 'plugin.sh');
    writeFileSync(
      plugin,
      `#!/bin/sh
echo "plugin: please visit https://login.example/device" >&2
echo "$KUBERNETES_EXEC_INFO" > "${join(dir, 'exec-info.json')}"
echo "$LBGUARD_PLUGIN_ENV" > "${join(dir, 'exec-env.txt')}"
if [ -t 0 ]; then echo tty > "${join(dir, 'stdin.txt')}"; else read line || true; echo "stdin:$line" > "${join(dir, 'stdin.txt')}"; fi
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "${cluster.tokens.admin}"
`,
    );
    chmodSync(plugin, 0o755);
    const cfg = (mode: string) =>
      `apiVersion: v1\nkind: Config\ncurrent-context: ex\nclusters:\n- name: c\n  cluster:\n    server: ${cluster.server}\n    certificate-authority: ${cluster.caFile}\nusers:\n- name: ex\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ./plugin.sh\n      interactiveMode: ${mode}\n      provideClusterInfo: true\n      env:\n      - name: LBGUARD_PLUGIN_ENV\n        value: from-kubeconfig\ncontexts:\n- name: ex\n  context:\n    cluster: c\n    user: ex\n`;
    writeFileSync(join(dir, 'exec-never'), cfg('Never'));
    const r = lb(['status', '--kubeconfig', join(dir, 'exec-never'), '-o', 'json'], {}, 'typed-answer\n');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /plugin: please visit https:\/\/login\.example\/device/);
    assert.ok(!r.stdout.includes(cluster.tokens.admin) && !r.stderr.includes(cluster.tokens.admin), 'the token is never printed');
    const info = JSON.parse(readFileSync(join(dir, 'exec-info.json'), 'utf8'));
    assert.equal(info.kind, 'ExecCredential');
    assert.equal(info.apiVersion, 'client.authentication.k8s.io/v1');
    assert.equal(info.spec.interactive, false);
    assert.equal(info.spec.cluster.server, cluster.server);
    assert.equal(readFileSync(join(dir, 'exec-env.txt'), 'utf8').trim(), 'from-kubeconfig');
    // Never: stdin is not handed over.
    assert.equal(readFileSync(join(dir, 'stdin.txt'), 'utf8').trim(), 'stdin:');

    // Always without a terminal: refused before the plugin runs (kubectl's rule).
    writeFileSync(join(dir, 'exec-always'), cfg('Always'));
    const a = lb(['status', '--kubeconfig', join(dir, 'exec-always')]);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /^error: exec plugin cannot support interactive mode: standard input is not a terminal/m);

    // A missing plugin: client-go's message.
    writeFileSync(join(dir, 'exec-missing'), cfg('Never').replace('./plugin.sh', 'lbguard-no-such-plugin'));
    const m = lb(['status', '--kubeconfig', join(dir, 'exec-missing')]);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /error: getting credentials: exec: executable lbguard-no-such-plugin not found/);
  });

  await t.test('exec plugin returning a client certificate: TLS presents it (no token at all)', async () => {
    // A certificate for group system:masters, signed by the CA the API server trusts for clients.
    const { spawnSync } = await import('node:child_process');
    const ssl = (args: string[]) => {
      const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, `openssl ${args.join(' ')}: ${r.stderr}`);
    };
    ssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'exec-client.key', '-out', 'exec-client.csr', '-subj', '/O=system:masters/CN=lbguard-exec-cert']);
    writeFileSync(join(dir, 'exec-client.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n');
    ssl(['x509', '-req', '-in', 'exec-client.csr', '-CA', join(cluster.dir, 'ca.crt'), '-CAkey', join(cluster.dir, 'ca.key'), '-CAcreateserial', '-out', 'exec-client.crt', '-days', '1', '-extfile', 'exec-client.ext']);
    const cred = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { clientCertificateData: readFileSync(join(dir, 'exec-client.crt'), 'utf8'), clientKeyData: readFileSync(join(dir, 'exec-client.key'), 'utf8') } };
    writeFileSync(join(dir, 'exec-cert.json'), JSON.stringify(cred));
    writeFileSync(join(dir, 'cert-plugin.sh'), `#!/bin/sh\ncat "${join(dir, 'exec-cert.json')}"\n`);
    chmodSync(join(dir, 'cert-plugin.sh'), 0o755);
    writeFileSync(join(dir, 'exec-cert'), readFileSync(join(dir, 'exec-never'), 'utf8').replace('./plugin.sh', './cert-plugin.sh'));
    const r = lb(['status', '--kubeconfig', join(dir, 'exec-cert'), '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).source, 'context ex');
    assert.doesNotMatch(r.stderr, /forbidden|Unauthorized/i, 'the certificate authenticated every read');
    assert.ok(!r.stdout.includes('PRIVATE KEY') && !r.stderr.includes('PRIVATE KEY'), 'the key is never printed');
  });

  await t.test('interactive plugin gets stdin (script(1) gives the CLI a terminal)', async (tt) => {
    const { spawnSync } = await import('node:child_process');
    if (spawnSync('script', ['--version']).status !== 0) {
      assert.fail('script(1) (util-linux) is needed to give the CLI a pseudo-terminal');
    }
    writeFileSync(join(dir, 'exec-ifavail'), readFileSync(join(dir, 'exec-never'), 'utf8').replace('interactiveMode: Never', 'interactiveMode: IfAvailable'));
    const { BIN } = await import('../cli/helpers.js');
    const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} status --kubeconfig ${join(dir, 'exec-ifavail')} -o json`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    tt.diagnostic(r.stdout.slice(0, 200));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(JSON.parse(readFileSync(join(dir, 'exec-info.json'), 'utf8')).spec.interactive, true);
    assert.equal(readFileSync(join(dir, 'stdin.txt'), 'utf8').trim(), 'tty');
  });
});
