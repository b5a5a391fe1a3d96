// Proxies and impersonation against the real API server (kube-apiserver + etcd of the harness):
//  - proxies written here that really tunnel (test/helpers/proxies.ts) in front of it: the
//    kubeconfig's proxy-url (http with credentials, https, socks5) and HTTPS_PROXY, NO_PROXY
//    bypassing it, a dead proxy and refused credentials named in the error. The servers are
//    addressed as kubernetes.default.svc (in the serving certificate), a name only the proxies
//    resolve: a command that works went through the proxy, lists, discovery, the watch of
//    `status -w` and the patch of `release` alike;
//  - impersonation checked by the server's RBAC: admin --as a least-privilege user gets that
//    user's forbidden warnings, --as-group grants through a group binding, a user without the
//    `impersonate` verb gets kubectl's Forbidden error, and a SelfSubjectReview shows the user,
//    uid, groups and extra the server understood.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { freePort, startCluster, type TestUser } from '../harness/kube/cluster.js';
import { crdDir } from '../harness/kube/paths.js';
import { KubeClient } from '../../kubectl-plugin/src/live/client.js';
import { resolveKubeconfig } from '../../kubectl-plugin/src/live/kubeconfig.js';
import { RELEASE_ANNOTATION } from '../../kubectl-plugin/src/live/release.js';
import { startConnectProxy, startSocks5Proxy, withAuth, type TestProxy } from '../helpers/proxies.js';
import { ensureBuilt, lbAsync, pool, service, waitFor, watchStatus } from './helpers.js';

const HARVESTER_CRDS = ['ippools', 'loadbalancers'].map((p) => `/work/shared/corpus/harvester__load-balancer-harvester__crds__loadbalancer.harvesterhci.io_${p}.yaml`);
/** In the API server's certificate, resolvable by the test proxies only. */
const SVC_NAME = 'kubernetes.default.svc';
const NO_ENV_PROXY = { HTTPS_PROXY: '', https_proxy: '', HTTP_PROXY: '', http_proxy: '', NO_PROXY: '', no_proxy: '' };
const N = 5;

/** A non-loopback address of this machine (Go never proxies loopback), if it has one. */
function externalIPv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}

test('proxies and impersonation against the real API server', { timeout: 300_000 }, async (t) => {
  ensureBuilt();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-connection-'));
  const apiPort = new URL(cluster.server).port;
  await cluster.ensureMetalLBNamespace();
  await cluster.ensureNamespace('apps');
  await cluster.ensureNamespace('guest');
  await cluster.applyCRDs(crdDir('v0.14.8'));
  await cluster.apply([pool('p', ['192.168.70.0/24']), ...Array.from({ length: N }, (_, i) => service('apps', `s${i}`))]);
  const proxies: TestProxy[] = [];
  t.after(async () => {
    for (const p of proxies) await p.close();
  });
  const hosts = { [SVC_NAME]: '127.0.0.1' };

  /** The user's kubeconfig with the cluster's server, proxy-url, tls-server-name and user lines changed. */
  const kubeconfig = (name: string, user: TestUser, o: { server?: string; proxyUrl?: string; tlsServerName?: string; userLines?: string[] } = {}) => {
    let text = readFileSync(cluster.kubeconfigFor(user), 'utf8').replace(
      `    server: ${cluster.server}\n`,
      [`    server: ${o.server ?? cluster.server}`, ...(o.proxyUrl ? [`    proxy-url: ${o.proxyUrl}`] : []), ...(o.tlsServerName ? [`    tls-server-name: ${o.tlsServerName}`] : []), ''].join('\n'),
    );
    if (o.userLines) text = text.replace(`    token: ${cluster.tokens[user]}\n`, [`    token: ${cluster.tokens[user]}`, ...o.userLines.map((l) => `    ${l}`), ''].join('\n'));
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  const services = (stdout: string) => (JSON.parse(stdout) as { services: unknown[] }).services.length;

  await t.test('proxy-url (http, with credentials): every request tunnels through it; NO_PROXY does not apply to it', async () => {
    const proxy = await startConnectProxy({ auth: 'lb:p@ss:w0rd', hosts });
    proxies.push(proxy);
    const kc = kubeconfig('proxy-url', 'reader', { server: `https://${SVC_NAME}:${apiPort}`, proxyUrl: withAuth(proxy.url, 'lb', 'p@ss:w0rd') });
    const r = await lbAsync(['status', '-o', 'json', '--kubeconfig', kc], { ...NO_ENV_PROXY, NO_PROXY: '*' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(services(r.stdout), N);
    assert.doesNotMatch(r.stderr, /Warning/);
    assert.ok(proxy.connects.length >= 1);
    assert.deepEqual(new Set(proxy.connects), new Set([`${SVC_NAME}:${apiPort}`]));
    assert.ok(proxy.credentials.every((c) => c === 'lb:p@ss:w0rd'), JSON.stringify(proxy.credentials));
    // Even a loopback server goes through the kubeconfig's proxy (only the environment's skips loopback).
    const before = proxy.connects.length;
    const loop = await lbAsync(['status', '-o', 'json', '--kubeconfig', kubeconfig('proxy-url-loopback', 'reader', { proxyUrl: withAuth(proxy.url, 'lb', 'p@ss:w0rd') })], NO_ENV_PROXY);
    assert.equal(loop.code, 0, loop.stderr);
    assert.ok(proxy.connects.length > before);
    assert.equal(proxy.connects.at(-1), `127.0.0.1:${apiPort}`);
  });

  await t.test('proxy-url: wrong credentials and a dead proxy are named (never the password), a bad scheme is a kubeconfig error', async () => {
    const proxy = await startConnectProxy({ auth: 'lb:right', hosts });
    proxies.push(proxy);
    const wrong = await lbAsync(['status', '--kubeconfig', kubeconfig('proxy-wrong', 'reader', { server: `https://${SVC_NAME}:${apiPort}`, proxyUrl: withAuth(proxy.url, 'lb', 'wrong-secret') })], NO_ENV_PROXY);
    assert.equal(wrong.code, 2);
    assert.equal(
      wrong.stderr.trim(),
      `Unable to connect to the server: proxy refused CONNECT ${SVC_NAME}:${apiPort}: 407 Proxy Authentication Required (it rejected the credentials in the proxy URL) (proxy http://lb:xxxxx@127.0.0.1:${proxy.port} from proxy-url of cluster "lbguard-test")`,
    );
    assert.ok(!wrong.stderr.includes('wrong-secret'));
    assert.ok(proxy.refused >= 1);

    const dead = await freePort();
    const r = await lbAsync(['status', '--kubeconfig', kubeconfig('proxy-dead', 'reader', { server: `https://${SVC_NAME}:${apiPort}`, proxyUrl: `http://127.0.0.1:${dead}` })], NO_ENV_PROXY);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), `Unable to connect to the server: proxyconnect tcp: dial tcp 127.0.0.1:${dead}: connect: connection refused (proxy http://127.0.0.1:${dead} from proxy-url of cluster "lbguard-test")`);

    const bad = await lbAsync(['status', '--kubeconfig', kubeconfig('proxy-ftp', 'reader', { proxyUrl: 'ftp://127.0.0.1:21' })], NO_ENV_PROXY);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim(), `error: invalid configuration: invalid 'proxy-url' "ftp://127.0.0.1:21" for cluster "lbguard-test": unsupported scheme "ftp", must be http, https, or socks5`);
  });

  await t.test('proxy-url https:// (TLS to the proxy, verified with the cluster CA as Go does) and socks5:// with credentials', async () => {
    const tlsProxy = await startConnectProxy({ hosts, tls: { cert: readFileSync(join(cluster.dir, 'serving.crt')), key: readFileSync(join(cluster.dir, 'serving.key')) } });
    const socks = await startSocks5Proxy({ auth: 'lb:s0cks', hosts });
    proxies.push(tlsProxy, socks);
    const viaTls = await lbAsync(['status', '-o', 'json', '--kubeconfig', kubeconfig('proxy-https', 'reader', { server: `https://${SVC_NAME}:${apiPort}`, proxyUrl: tlsProxy.url })], NO_ENV_PROXY);
    assert.equal(viaTls.code, 0, viaTls.stderr);
    assert.equal(services(viaTls.stdout), N);
    assert.ok(tlsProxy.connects.length >= 1);
    const viaSocks = await lbAsync(['status', '-o', 'json', '--kubeconfig', kubeconfig('proxy-socks', 'reader', { server: `https://${SVC_NAME}:${apiPort}`, proxyUrl: withAuth(socks.url, 'lb', 's0cks') })], NO_ENV_PROXY);
    assert.equal(viaSocks.code, 0, viaSocks.stderr);
    assert.equal(services(viaSocks.stdout), N);
    assert.deepEqual(new Set(socks.connects), new Set([`${SVC_NAME}:${apiPort}`]), 'the name goes to the proxy, which resolves it');
    assert.ok(socks.credentials.every((c) => c === 'lb:s0cks'));
  });

  await t.test('HTTPS_PROXY (and https_proxy): used for the server, with its credentials; a dead one is named', async () => {
    const proxy = await startConnectProxy({ auth: 'env:pw', hosts });
    proxies.push(proxy);
    const kc = kubeconfig('env', 'reader', { server: `https://${SVC_NAME}:${apiPort}` });
    const r = await lbAsync(['status', '-o', 'json', '--kubeconfig', kc], { ...NO_ENV_PROXY, HTTPS_PROXY: withAuth(proxy.url, 'env', 'pw'), NO_PROXY: 'example.com,10.0.0.0/8' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(services(r.stdout), N);
    assert.deepEqual(new Set(proxy.connects), new Set([`${SVC_NAME}:${apiPort}`]));
    const n = proxy.connects.length;
    const lower = await lbAsync(['status', '-o', 'json', '--kubeconfig', kc], { ...NO_ENV_PROXY, https_proxy: `env:pw@127.0.0.1:${proxy.port}` });
    assert.equal(lower.code, 0, lower.stderr);
    assert.ok(proxy.connects.length > n, 'https_proxy as host:port (http assumed) is used too');

    const dead = await freePort();
    const d = await lbAsync(['status', '--kubeconfig', kc], { ...NO_ENV_PROXY, HTTPS_PROXY: `http://127.0.0.1:${dead}` });
    assert.equal(d.code, 2);
    assert.equal(d.stderr.trim(), `Unable to connect to the server: proxyconnect tcp: dial tcp 127.0.0.1:${dead}: connect: connection refused (proxy http://127.0.0.1:${dead} from HTTPS_PROXY)`);
  });

  await t.test('NO_PROXY bypasses HTTPS_PROXY: by domain suffix, by CIDR (a direct connection that works), and loopback never proxies', async () => {
    const proxy = await startConnectProxy({ hosts });
    proxies.push(proxy);
    // .svc matches: the client connects directly, and only the proxy could resolve the name.
    const bySuffix = await lbAsync(['status', '--kubeconfig', kubeconfig('noproxy-svc', 'reader', { server: `https://${SVC_NAME}:${apiPort}` })], { ...NO_ENV_PROXY, HTTPS_PROXY: proxy.url, NO_PROXY: 'example.com, .svc' });
    assert.equal(bySuffix.code, 2);
    assert.equal(bySuffix.stderr.trim(), `Unable to connect to the server: dial tcp: lookup ${SVC_NAME}: no such host`);
    assert.deepEqual(proxy.connects, []);
    // Loopback: direct, whatever HTTPS_PROXY says.
    const loop = await lbAsync(['status', '-o', 'json', '--kubeconfig', cluster.kubeconfigFor('reader')], { ...NO_ENV_PROXY, HTTPS_PROXY: proxy.url });
    assert.equal(loop.code, 0, loop.stderr);
    assert.deepEqual(proxy.connects, []);

    const ip = externalIPv4();
    if (!ip) {
      t.diagnostic('no non-loopback IPv4 address: the CIDR bypass is not run');
      return;
    }
    // A forwarder on this machine's own non-loopback address: reachable directly, and not loopback.
    let direct = 0;
    const fwd = net.createServer((c) => {
      direct++;
      const up = net.connect(Number(apiPort), '127.0.0.1');
      c.pipe(up).pipe(c);
      up.on('error', () => c.destroy());
      c.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => fwd.listen(0, ip, r));
    t.after(() => fwd.close());
    const fport = (fwd.address() as net.AddressInfo).port;
    const kc = kubeconfig('noproxy-ip', 'reader', { server: `https://${ip}:${fport}`, tlsServerName: 'kubernetes' });
    const proxied = await lbAsync(['status', '-o', 'json', '--kubeconfig', kc], { ...NO_ENV_PROXY, HTTPS_PROXY: proxy.url });
    assert.equal(proxied.code, 0, proxied.stderr);
    assert.deepEqual(new Set(proxy.connects), new Set([`${ip}:${fport}`]), 'without NO_PROXY: through the proxy');
    const n = proxy.connects.length;
    for (const noProxy of [`${ip.split('.').slice(0, 3).join('.')}.0/24`, ip, `${ip}:${fport}`, '*']) {
      const before = direct;
      const bypass = await lbAsync(['status', '-o', 'json', '--kubeconfig', kc], { ...NO_ENV_PROXY, HTTPS_PROXY: proxy.url, no_proxy: noProxy });
      assert.equal(bypass.code, 0, `${noProxy}: ${bypass.stderr}`);
      assert.equal(services(bypass.stdout), N);
      assert.equal(proxy.connects.length, n, `NO_PROXY=${noProxy}: not through the proxy`);
      assert.ok(direct > before, `NO_PROXY=${noProxy}: directly`);
    }
    // A port that does not match: proxied again.
    const otherPort = await lbAsync(['status', '-o', 'json', '--kubeconfig', kc], { ...NO_ENV_PROXY, HTTPS_PROXY: proxy.url, NO_PROXY: `${ip}:1` });
    assert.equal(otherPort.code, 0, otherPort.stderr);
    assert.ok(proxy.connects.length > n);
  });

  await t.test('status -w watches through the proxy; release patches through it', async () => {
    const proxy = await startConnectProxy({ hosts });
    proxies.push(proxy);
    const kc = kubeconfig('watch', 'admin', { server: `https://${SVC_NAME}:${apiPort}`, proxyUrl: proxy.url });
    const watch = watchStatus(['--kubeconfig', kc], { ...NO_ENV_PROXY, KUBECONFIG: '', HOME: '/nonexistent-home' });
    let code: number | null;
    try {
      await watch.firstRender(new RegExp(`${N} LoadBalancer Services`));
      await cluster.apply([service('apps', 'watched')]);
      await waitFor('a redraw with the new Service', async () => (/--- .*---[\s\S]*apps\s+watched/.test(watch.out()) ? true : undefined), 30_000);
    } finally {
      code = await watch.stop();
    }
    assert.equal(code, 0, watch.err());
    await cluster.remove([service('apps', 'watched')]);

    await cluster.applyCRDs(HARVESTER_CRDS);
    await cluster.apply([
      {
        apiVersion: 'loadbalancer.harvesterhci.io/v1beta1',
        kind: 'IPPool',
        metadata: { name: 'pool-h' },
        spec: { ranges: [{ subnet: '192.168.50.0/24', rangeStart: '192.168.50.10', rangeEnd: '192.168.50.20' }], selector: { scope: [{ project: '*', namespace: '*', guestCluster: '*' }] } },
        status: { total: 11, available: 10, allocated: { '192.168.50.11': 'guest/gone' }, lastAllocated: '192.168.50.11' },
      } as k8s.KubernetesObject,
    ]);
    const before = proxy.connects.length;
    const r = await lbAsync(['release', 'pool-h', '192.168.50.11', '--kubeconfig', kc], NO_ENV_PROXY);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(proxy.connects.length > before);
    const objs = cluster.kubeConfig('admin').makeApiClient(k8s.CustomObjectsApi);
    const p = (await objs.getClusterCustomObject({ group: 'loadbalancer.harvesterhci.io', version: 'v1beta1', plural: 'ippools', name: 'pool-h' })) as { metadata: { annotations?: Record<string, string> } };
    assert.equal(p.metadata.annotations?.[RELEASE_ANNOTATION], '192.168.50.11: guest/gone');
  });

  await t.test('impersonation: admin --as a least-privilege user gets its forbidden warnings; the kubeconfig\'s as too; flags win', async () => {
    const admin = ['--kubeconfig', cluster.kubeconfigFor('admin')];
    const plain = await lbAsync(['status', '-o', 'json', ...admin]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(plain.stderr, /cannot list/);
    const asNocrd = await lbAsync(['status', '-o', 'json', ...admin, '--as', 'nocrd']);
    assert.equal(asNocrd.code, 0, asNocrd.stderr);
    assert.match(asNocrd.stderr, /Warning: cannot list ipaddresspools\.metallb\.io at the cluster scope: grant list on ipaddresspools\.metallb\.io \(apiGroup "metallb\.io"\)/);
    assert.equal(services(asNocrd.stdout), N, 'nocrd may list Services');
    const asReader = await lbAsync(['status', '-o', 'json', ...admin, '--as', 'reader']);
    assert.equal(asReader.code, 0, asReader.stderr);
    assert.doesNotMatch(asReader.stderr, /cannot list/);

    const kcAs = kubeconfig('as-nocrd', 'admin', { userLines: ['as: nocrd'] });
    const fromKubeconfig = await lbAsync(['status', '-o', 'json', '--kubeconfig', kcAs]);
    assert.equal(fromKubeconfig.code, 0, fromKubeconfig.stderr);
    assert.match(fromKubeconfig.stderr, /Warning: cannot list ipaddresspools\.metallb\.io/);
    const overridden = await lbAsync(['status', '-o', 'json', '--kubeconfig', kcAs, '--as', 'reader']);
    assert.equal(overridden.code, 0, overridden.stderr);
    assert.doesNotMatch(overridden.stderr, /cannot list/, '--as replaces the kubeconfig\'s as');

    // Through a proxy too: impersonation and proxies are independent.
    const proxy = await startConnectProxy({ hosts });
    proxies.push(proxy);
    const both = await lbAsync(['status', '-o', 'json', '--kubeconfig', kubeconfig('as-proxy', 'admin', { server: `https://${SVC_NAME}:${apiPort}`, proxyUrl: proxy.url }), '--as', 'nocrd'], NO_ENV_PROXY);
    assert.equal(both.code, 0, both.stderr);
    assert.match(both.stderr, /Warning: cannot list ipaddresspools\.metallb\.io/);
  });

  await t.test('impersonation: --as-group grants through a group binding; without it, kubectl\'s Forbidden; groups without --as are refused', async () => {
    await cluster.apply([
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'lbguard-test-impersonated-readers' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'lbguard-reader' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'lbguard:impersonated-readers' }],
      } as k8s.KubernetesObject,
    ]);
    const admin = ['--kubeconfig', cluster.kubeconfigFor('admin')];
    const withGroup = await lbAsync(['status', '-o', 'json', ...admin, '--as', 'jane', '--as-group', 'devs', '--as-group', 'lbguard:impersonated-readers']);
    assert.equal(withGroup.code, 0, withGroup.stderr);
    assert.doesNotMatch(withGroup.stderr, /cannot list/);
    assert.equal(services(withGroup.stdout), N);
    const without = await lbAsync(['status', ...admin, '--as', 'jane', '--as-group', 'devs']);
    assert.equal(without.code, 2);
    assert.equal(without.stderr.trim(), 'Error from server (Forbidden): services is forbidden: User "jane" cannot list resource "services" in API group "" at the cluster scope');
    const noUser = await lbAsync(['status', ...admin, '--as-group', 'devs']);
    assert.equal(noUser.code, 2);
    assert.equal(noUser.stderr.trim(), 'error: invalid configuration: requesting uid, groups or user-extra for admin without impersonating a user');
  });

  await t.test('impersonation without the impersonate verb: the server\'s Forbidden, as kubectl prints it', async () => {
    const r = await lbAsync(['status', '--kubeconfig', cluster.kubeconfigFor('reader'), '--as', 'admin']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), 'Error from server (Forbidden): users "admin" is forbidden: User "reader" cannot impersonate resource "users" in API group "" at the cluster scope');
    const g = await lbAsync(['status', '--kubeconfig', cluster.kubeconfigFor('reader'), '--as', 'reader', '--as-group', 'system:masters']);
    assert.equal(g.code, 2);
    assert.match(g.stderr, /^Error from server \(Forbidden\): (users "reader"|groups "system:masters") is forbidden: User "reader" cannot impersonate resource "(users|groups)"/);
  });

  await t.test('SelfSubjectReview: the server sees the user, uid, groups and extra (keys escaped and back)', async () => {
    const kc = kubeconfig('as-extra', 'admin', { userLines: ['as: jane', 'as-uid: "uid-1"', 'as-groups: [devs]', 'as-user-extra:', '  example.com/scopes: [view, edit]', '  Reason: ["audit: 2024"]'] });
    const review = async (flags: { as?: string; asGroups?: string[]; asUid?: string }) => {
      const client = new KubeClient(resolveKubeconfig({ kubeconfig: kc, ...flags }), { env: NO_ENV_PROXY });
      try {
        const body = await client.request('POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {}, { contentType: 'application/json', data: JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' }) });
        return (JSON.parse(body) as { status: { userInfo: { username: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } } }).status.userInfo;
      } finally {
        client.close();
      }
    };
    const fromKubeconfig = await review({});
    assert.equal(fromKubeconfig.username, 'jane');
    assert.equal(fromKubeconfig.uid, 'uid-1');
    assert.deepEqual(fromKubeconfig.groups?.filter((g) => g !== 'system:authenticated'), ['devs']);
    assert.deepEqual(fromKubeconfig.extra, { 'example.com/scopes': ['view', 'edit'], reason: ['audit: 2024'] });
    const flagged = await review({ as: 'system:serviceaccount:apps:robot', asGroups: ['g1', 'g2'], asUid: 'uid-2' });
    assert.equal(flagged.username, 'system:serviceaccount:apps:robot');
    assert.equal(flagged.uid, 'uid-2');
    assert.deepEqual(flagged.groups?.filter((g) => !g.startsWith('system:')), ['g1', 'g2']);
  });
});
