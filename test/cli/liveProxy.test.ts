// Proxies and impersonation of the live client, without an API server: NO_PROXY matching and the
// environment's proxy choice as Go's httpproxy makes them, the kubeconfig's proxy-url and
// as/as-groups/as-uid/as-user-extra (through the FsLike seam), the impersonation headers, and the
// tunnels themselves over real sockets (an in-process CONNECT proxy, a SOCKS5 proxy, an echo server).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { KubeClient, LiveError } from '../../kubectl-plugin/src/live/client.js';
import { headerKeyEscape, impersonationHeaders } from '../../kubectl-plugin/src/live/impersonate.js';
import { resolveKubeconfig, type FsLike, type KubeconfigFlags, type ResolvedConfig } from '../../kubectl-plugin/src/live/kubeconfig.js';
import { chooseProxy, parseNoProxy, proxyFromEnvironment, redactProxy, useProxy } from '../../kubectl-plugin/src/live/proxy.js';
import { openTunnel } from '../../kubectl-plugin/src/live/tunnel.js';
import { startConnectProxy, startSocks5Proxy, withAuth } from '../helpers/proxies.js';

const bypassed = (noProxy: string, host: string, port = '443') => !useProxy(host, port, parseNoProxy(noProxy));

test('NO_PROXY: hosts, domain suffixes, *.x and .x, ports, IPs, CIDRs and * as Go reads them', () => {
  // A name matches itself and its subdomains; a leading dot or *. only the subdomains.
  assert.ok(bypassed('example.com', 'example.com'));
  assert.ok(bypassed('example.com', 'api.example.com'));
  assert.ok(!bypassed('example.com', 'notexample.com'));
  assert.ok(bypassed('.example.com', 'api.example.com'));
  assert.ok(!bypassed('.example.com', 'example.com'));
  assert.ok(bypassed('*.example.com', 'api.example.com'));
  assert.ok(!bypassed('*.example.com', 'example.com'));
  assert.ok(bypassed(' Example.COM ', 'example.com'), 'trimmed, case-insensitive');
  // Ports: only that port.
  assert.ok(bypassed('example.com:6443', 'example.com', '6443'));
  assert.ok(!bypassed('example.com:6443', 'example.com', '443'));
  assert.ok(bypassed('10.0.0.1:6443', '10.0.0.1', '6443'));
  assert.ok(!bypassed('10.0.0.1:6443', '10.0.0.1', '443'));
  assert.ok(bypassed('[fd00::1]:6443', 'fd00::1', '6443'));
  // IPs and CIDRs (v4, v6, and a v4-mapped address counts as v4).
  assert.ok(bypassed('10.0.0.1', '10.0.0.1'));
  assert.ok(!bypassed('10.0.0.1', '10.0.0.2'));
  assert.ok(bypassed('10.0.0.0/8', '10.200.3.4'));
  assert.ok(!bypassed('10.0.0.0/8', '11.0.0.1'));
  assert.ok(bypassed('192.0.2.7/24', '192.0.2.200'), 'host bits in the CIDR are fine');
  assert.ok(bypassed('fd00::/64', 'fd00::1234'));
  assert.ok(bypassed('fd00::1', 'fd00:0:0::1'));
  assert.ok(bypassed('10.0.0.0/8', '::ffff:10.1.2.3'));
  assert.ok(!bypassed('10.0.0.0/8', 'ten.example'), 'a CIDR never matches a name');
  // Go applies domain rules to addresses too: ".2.2" is a suffix of 192.0.2.2.
  assert.ok(bypassed('.2.2', '192.0.2.2'));
  // *, anywhere in the list, is everything; empty and host-less entries are skipped.
  assert.ok(bypassed('a.example, *', 'anything.example'));
  assert.ok(!bypassed(',, :80,', 'example.com', '80'));
  // Never proxied whatever NO_PROXY says: localhost and loopback addresses.
  for (const h of ['localhost', '127.0.0.1', '127.9.9.9', '::1']) assert.ok(bypassed('', h), h);
  // Internationalised names compare in punycode, as the URL parser writes hosts.
  assert.ok(bypassed('bücher.example', new URL('https://api.bücher.example').hostname));
});

test('environment: HTTPS_PROXY for https servers, HTTP_PROXY for http ones, upper case first, host:port is http', () => {
  const s = new URL('https://api.example.com:6443');
  const p = new URL('http://api.example.com:8080');
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: 'http://a:3128', https_proxy: 'http://b:3128' })?.url.href, 'http://a:3128/');
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: '', https_proxy: 'http://b:3128' })?.from, 'https_proxy', 'an empty value is unset');
  assert.equal(proxyFromEnvironment(s, { HTTP_PROXY: 'http://a:3128' }), undefined, 'HTTP_PROXY is not for https');
  assert.equal(proxyFromEnvironment(p, { HTTP_PROXY: 'http://a:3128' })?.from, 'HTTP_PROXY');
  assert.equal(proxyFromEnvironment(p, { HTTPS_PROXY: 'http://a:3128' }), undefined);
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: 'proxy.corp:3128' })?.url.href, 'http://proxy.corp:3128/');
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: '10.1.1.1:3128' })?.url.href, 'http://10.1.1.1:3128/');
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: 'socks5://10.1.1.1' })?.url.protocol, 'socks5:');
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: 'http://a:3128', NO_PROXY: '.example.com' }), undefined);
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: 'http://a:3128', no_proxy: 'example.com' }), undefined);
  assert.equal(proxyFromEnvironment(s, { HTTPS_PROXY: 'http://a:3128', NO_PROXY: 'other.com', no_proxy: 'example.com' })?.from, 'HTTPS_PROXY', 'NO_PROXY wins over no_proxy');
  assert.equal(proxyFromEnvironment(new URL('https://127.0.0.1:6443'), { HTTPS_PROXY: 'http://a:3128' }), undefined, 'loopback: never');
  assert.throws(() => proxyFromEnvironment(p, { HTTP_PROXY: 'http://a:3128', REQUEST_METHOD: 'GET' }), /refusing to use HTTP_PROXY value in CGI environment/);
  // The kubeconfig's proxy-url is used for every request to the cluster: NO_PROXY and loopback do not apply.
  const fromKubeconfig = chooseProxy(new URL('https://127.0.0.1:6443'), new URL('http://p:3128'), 'c', { NO_PROXY: '*' });
  assert.equal(fromKubeconfig?.from, 'proxy-url of cluster "c"');
  assert.equal(redactProxy(new URL('http://u:secret@p:3128')), 'http://u:xxxxx@p:3128');
});

function memFs(files: Record<string, string>): FsLike {
  return { exists: (p) => p in files, read: (p) => files[p] };
}

const KC = `apiVersion: v1
kind: Config
current-context: c
clusters:
- name: prod
  cluster:
    server: https://api.prod.example:6443
    proxy-url: socks5://user:p%40ss@jump.example:1080
- name: badproxy
  cluster:
    server: https://api.prod.example:6443
    proxy-url: ftp://jump.example
- name: unparsable
  cluster:
    server: https://api.prod.example:6443
    proxy-url: "10.0.0.1:3128"
users:
- name: ops
  user:
    token: t
    as: jane
    as-uid: "1234"
    as-groups: [devs, "system:authenticated"]
    as-user-extra:
      scopes: [view, "example.com/edit"]
- name: groupsonly
  user:
    token: t
    as-groups: [devs]
- name: plain
  user:
    token: t
contexts:
- name: c
  context: {cluster: prod, user: ops}
- name: groupsonly
  context: {cluster: prod, user: groupsonly}
- name: plain
  context: {cluster: prod, user: plain}
`;
const load = (flags: KubeconfigFlags) => resolveKubeconfig({ kubeconfig: '/k', ...flags }, { env: {}, fs: memFs({ '/k': KC }) });

test('kubeconfig: proxy-url is kept and validated with clientcmd\'s messages', () => {
  assert.equal(load({}).cluster.proxyUrl, 'socks5://user:p%40ss@jump.example:1080');
  assert.throws(() => load({ cluster: 'badproxy' }), /^Error: invalid configuration: invalid 'proxy-url' "ftp:\/\/jump\.example" for cluster "badproxy": unsupported scheme "ftp", must be http, https, or socks5$/);
  assert.throws(() => load({ cluster: 'unparsable' }), /invalid configuration: invalid 'proxy-url' "10\.0\.0\.1:3128" for cluster "unparsable": could not parse: 10\.0\.0\.1:3128/);
});

test('kubeconfig: as, as-uid, as-groups, as-user-extra; --as, --as-uid, --as-group override like kubectl', () => {
  assert.deepEqual(load({}).user.impersonate, { user: 'jane', uid: '1234', groups: ['devs', 'system:authenticated'], extra: { scopes: ['view', 'example.com/edit'] } });
  // A flag replaces its field only; --as-group replaces the whole list.
  assert.deepEqual(load({ as: 'bob' }).user.impersonate, { user: 'bob', uid: '1234', groups: ['devs', 'system:authenticated'], extra: { scopes: ['view', 'example.com/edit'] } });
  assert.deepEqual(load({ as: 'bob', asGroups: ['ops'], asUid: '9' }).user.impersonate?.groups, ['ops']);
  assert.equal(load({ as: 'bob', asGroups: ['ops'], asUid: '9' }).user.impersonate?.uid, '9');
  assert.deepEqual(load({ context: 'plain', as: 'system:serviceaccount:ns:sa', asGroups: ['a', 'b'] }).user.impersonate, { user: 'system:serviceaccount:ns:sa', uid: undefined, groups: ['a', 'b'], extra: {} });
  assert.equal(load({ context: 'plain' }).user.impersonate, undefined);
  // Groups, uid or extra without a user: clientcmd's validation error.
  assert.throws(() => load({ context: 'groupsonly' }), /^Error: invalid configuration: requesting uid, groups or user-extra for groupsonly without impersonating a user$/);
  assert.throws(() => load({ context: 'plain', asGroups: ['x'] }), /requesting uid, groups or user-extra for plain without impersonating a user/);
  assert.equal(load({ context: 'groupsonly', as: 'x' }).user.impersonate?.user, 'x');
  // In-cluster: the flags apply too.
  const sa = memFs({ '/sa/token': 'tok', '/sa/namespace': 'apps' });
  const ic = resolveKubeconfig({ as: 'jane', asGroups: ['g'] }, { env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, home: '/h', fs: sa, serviceAccountDir: '/sa' });
  assert.deepEqual(ic.user.impersonate, { user: 'jane', uid: undefined, groups: ['g'], extra: {} });
});

test('impersonation headers: one Impersonate-Group per group, Extra keys escaped as client-go does', () => {
  assert.equal(headerKeyEscape('scopes'), 'scopes');
  assert.equal(headerKeyEscape('example.com/scopes'), 'example.com%2Fscopes');
  assert.equal(headerKeyEscape('100%'), '100%25');
  assert.equal(headerKeyEscape('a b'), 'a%20b');
  assert.deepEqual(impersonationHeaders({ user: 'jane', uid: '1234', groups: ['devs', 'ops'], extra: { 'example.com/scopes': ['view', 'edit'], empty: [] } }), {
    'Impersonate-User': 'jane',
    'Impersonate-Uid': '1234',
    'Impersonate-Group': ['devs', 'ops'],
    'Impersonate-Extra-example.com%2Fscopes': ['view', 'edit'],
  });
  // Non-ASCII goes out as its UTF-8 bytes (what Go sends), not as an error.
  assert.equal(Buffer.from(impersonationHeaders({ user: 'zoë', groups: [], extra: {} })['Impersonate-User'] as string, 'latin1').toString('utf8'), 'zoë');
});

async function echoServer(): Promise<{ port: number; close: () => void }> {
  const srv = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { port: (srv.address() as net.AddressInfo).port, close: () => srv.close() };
}

async function roundTrip(socket: net.Socket, text: string): Promise<string> {
  socket.write(text);
  const got = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(String(d))));
  socket.destroy();
  return got;
}

test('tunnels over real sockets: CONNECT and SOCKS5 with credentials, refusals and a dead proxy named', async () => {
  const echo = await echoServer();
  const connect = await startConnectProxy({ auth: 'u:p@ss', hosts: { 'only.proxy.knows': '127.0.0.1' } });
  const socks = await startSocks5Proxy({ auth: 'u:p@ss', hosts: { 'only.proxy.knows': '127.0.0.1' } });
  try {
    const c = await openTunnel(new URL(withAuth(connect.url, 'u', 'p@ss')), 'only.proxy.knows', echo.port);
    assert.equal(await roundTrip(c, 'hello'), 'hello');
    assert.deepEqual(connect.connects, [`only.proxy.knows:${echo.port}`]);
    assert.deepEqual(connect.credentials, ['u:p@ss']);

    await assert.rejects(openTunnel(new URL(connect.url), '127.0.0.1', echo.port), /^Error: proxy refused CONNECT 127\.0\.0\.1:\d+: 407 Proxy Authentication Required \(the proxy URL has no credentials\)$/);
    await assert.rejects(openTunnel(new URL(withAuth(connect.url, 'u', 'wrong')), '127.0.0.1', echo.port), /407 Proxy Authentication Required \(it rejected the credentials in the proxy URL\)/);

    const s = await openTunnel(new URL(withAuth(socks.url, 'u', 'p@ss')), 'only.proxy.knows', echo.port);
    assert.equal(await roundTrip(s, 'socks'), 'socks');
    assert.deepEqual(socks.connects, [`only.proxy.knows:${echo.port}`], 'the name is sent, the proxy resolves it');
    const s6 = await openTunnel(new URL(withAuth(socks.url, 'u', 'p@ss')), '::ffff:127.0.0.1', echo.port);
    assert.equal(await roundTrip(s6, 'v6'), 'v6');
    await assert.rejects(openTunnel(new URL(withAuth(socks.url, 'u', 'bad')), '127.0.0.1', echo.port), /^Error: socks connect tcp 127\.0\.0\.1:\d+->127\.0\.0\.1:\d+: username\/password authentication failed$/);
    await assert.rejects(openTunnel(new URL(socks.url), '127.0.0.1', echo.port), /no acceptable authentication methods/);

    const dead = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, '127.0.0.1', () => {
        const port = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(port));
      });
    });
    await assert.rejects(openTunnel(new URL(`http://127.0.0.1:${dead}`), '127.0.0.1', echo.port), new RegExp(`^Error: proxyconnect tcp: dial tcp 127\\.0\\.0\\.1:${dead}: connect: connection refused$`));
    await assert.rejects(openTunnel(new URL(`socks5://127.0.0.1:${dead}`), '127.0.0.1', echo.port), new RegExp(`socks connect tcp 127\\.0\\.0\\.1:${dead}->127\\.0\\.0\\.1:${echo.port}: dial tcp 127\\.0\\.0\\.1:${dead}: connect: connection refused`));
  } finally {
    echo.close();
    await connect.close();
    await socks.close();
  }
});

test('KubeClient to a plain-HTTP server: absolute-form requests through an http proxy, a tunnel through socks5', async () => {
  const seen: string[] = [];
  const api = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url} as=${req.headers['impersonate-user'] ?? ''} groups=${req.headers['impersonate-group'] ?? ''}`);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"kind":"APIGroupList","groups":[]}');
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  const port = (api.address() as net.AddressInfo).port;
  const connect = await startConnectProxy({ auth: 'u:p', hosts: { 'api.internal': '127.0.0.1' } });
  const socks = await startSocks5Proxy({ hosts: { 'api.internal': '127.0.0.1' } });
  const config = (proxyUrl: string): ResolvedConfig => ({
    source: 'kubeconfig',
    files: [],
    clusterName: 'c',
    userName: 'u',
    cluster: { server: `http://api.internal:${port}`, insecureSkipTLSVerify: false, proxyUrl },
    user: { token: 't', impersonate: { user: 'jane', groups: ['a', 'b'], extra: {} } },
    namespace: 'default',
    namespaceFrom: 'default',
    warnings: [],
  });
  try {
    const viaHttp = new KubeClient(config(withAuth(connect.url, 'u', 'p')), { env: {} });
    assert.deepEqual(await viaHttp.getJSON('/apis'), { kind: 'APIGroupList', groups: [] });
    viaHttp.close();
    assert.deepEqual(connect.forwards, [`GET http://api.internal:${port}/apis`]);
    assert.deepEqual(connect.credentials, ['u:p']);

    const viaSocks = new KubeClient(config(socks.url), { env: {} });
    await viaSocks.getJSON('/apis');
    viaSocks.close();
    assert.deepEqual(socks.connects, [`api.internal:${port}`]);
    assert.deepEqual(seen, [`GET /apis as=jane groups=a, b`, `GET /apis as=jane groups=a, b`]);

    // The environment's HTTP_PROXY, and a dead one named in the error (never its password).
    const envClient = new KubeClient({ ...config(''), cluster: { ...config('').cluster, proxyUrl: undefined } }, { env: { HTTP_PROXY: 'http://u:secret@127.0.0.1:1' } });
    const err = await envClient.getJSON('/apis').catch((e: unknown) => e);
    envClient.close();
    assert.ok(err instanceof LiveError);
    assert.equal(err.message, 'Unable to connect to the server: proxyconnect tcp: dial tcp 127.0.0.1:1: connect: connection refused (proxy http://u:xxxxx@127.0.0.1:1 from HTTP_PROXY)');
  } finally {
    api.close();
    await connect.close();
    await socks.close();
  }
});
