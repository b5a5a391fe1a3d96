// Permissions (docs/rbac.yaml is enough; missing permissions are warnings), error text like
// kubectl's, --request-timeout, and paging (limit/continue, 410 Expired restarts the list),
// against the real API server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startCluster } from '../harness/kube/cluster.js';
import { crdDir } from '../harness/kube/paths.js';
import { KubeClient, LiveError } from '../../kubectl-plugin/src/live/client.js';
import { resolveKubeconfig } from '../../kubectl-plugin/src/live/kubeconfig.js';
import { ensureBuilt, lbAsync, pool, service } from './helpers.js';

const HARVESTER_CRDS = ['ippools', 'loadbalancers'].map((p) => `/work/shared/corpus/harvester__load-balancer-harvester__crds__loadbalancer.harvesterhci.io_${p}.yaml`);
const N = 60;

test('permissions, errors, timeout and paging against the real API server', { timeout: 240_000 }, async (t) => {
  ensureBuilt();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-access-'));
  await cluster.ensureMetalLBNamespace();
  await cluster.ensureNamespace('many');
  await cluster.applyCRDs(crdDir('v0.14.8'));
  await cluster.applyCRDs(HARVESTER_CRDS);
  await cluster.apply([pool('p', ['192.168.40.0/24'])]);
  await cluster.apply(Array.from({ length: N }, (_, i) => service('many', `s${i}`)));
  const kubeconfig = (user: 'admin' | 'reader' | 'nocrd') => ['--kubeconfig', cluster.kubeconfigFor(user)];

  await t.test('reader (docs/rbac.yaml) runs every read command without a permission warning', async () => {
    for (const args of [['status', '-o', 'json'], ['status', '-o', 'wide'], ['explain', 'many/s1'], ['snapshot', '-o', join(dir, 's.yaml')]]) {
      const r = await lbAsync([...args, ...kubeconfig('reader')]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /cannot (list|get)/, `${args.join(' ')}: ${r.stderr}`);
    }
    const st = JSON.parse((await lbAsync(['status', '-o', 'json', ...kubeconfig('reader')])).stdout);
    assert.equal(st.services.length, N);
    assert.equal(st.pools.length, 1);
  });

  await t.test('nocrd: warnings naming the missing permission, not failures', async () => {
    const r = await lbAsync(['status', '-o', 'json', ...kubeconfig('nocrd')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Warning: cannot list ipaddresspools\.metallb\.io at the cluster scope: grant list on ipaddresspools\.metallb\.io \(apiGroup "metallb\.io"\) - see docs\/rbac\.yaml/);
    assert.match(r.stderr, /Warning: cannot list ippools\.loadbalancer\.harvesterhci\.io at the cluster scope/);
    assert.match(r.stderr, /Warning: cannot list deployments\.apps at the cluster scope: .*MetalLB's version is assumed/);
    const st = JSON.parse(r.stdout);
    assert.equal(st.services.length, N, 'Services are still shown');
    assert.equal(st.pools.length, 0);
  });

  await t.test('Forbidden reads as kubectl prints it', async () => {
    // A ServiceAccount with no role at all (TokenRequest is served by kube-apiserver itself).
    await cluster.apply([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody', namespace: 'default' } }]);
    const token = await new Promise<string>((resolve, reject) => {
      const req = https.request(`${cluster.server}/api/v1/namespaces/default/serviceaccounts/nobody/token`, { method: 'POST', ca: readFileSync(cluster.caFile), headers: { Authorization: `Bearer ${cluster.tokens.admin}`, 'Content-Type': 'application/json' } }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(b).status.token) : reject(new Error(b))));
      });
      req.end(JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 600 } }));
    });
    const kc = readFileSync(cluster.kubeconfigFor('reader'), 'utf8').replace(cluster.tokens.reader, token);
    writeFileSync(join(dir, 'nobody'), kc);
    const r = await lbAsync(['status', '--kubeconfig', join(dir, 'nobody')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^Error from server \(Forbidden\): services is forbidden: User "system:serviceaccount:default:nobody" cannot list resource "services" in API group "" at the cluster scope/m);
    assert.ok(!r.stderr.includes(token) && !r.stdout.includes(token));
  });

  await t.test('bad token: You must be logged in; connection refused; TLS; timeout', async () => {
    writeFileSync(join(dir, 'badtoken'), readFileSync(cluster.kubeconfigFor('reader'), 'utf8').replace(cluster.tokens.reader, 'not-a-token'));
    const bad = await lbAsync(['status', '--kubeconfig', join(dir, 'badtoken')]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim(), 'error: You must be logged in to the server (Unauthorized)');

    const port = await freePort();
    writeFileSync(join(dir, 'refused'), readFileSync(cluster.kubeconfigFor('reader'), 'utf8').replace(cluster.server, `https://127.0.0.1:${port}`));
    const refused = await lbAsync(['status', '--kubeconfig', join(dir, 'refused')]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr.trim(), `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`);

    writeFileSync(join(dir, 'noca'), readFileSync(cluster.kubeconfigFor('reader'), 'utf8').replace(/ *certificate-authority: .*\n/, ''));
    const tls = await lbAsync(['status', '--kubeconfig', join(dir, 'noca')]);
    assert.equal(tls.code, 2);
    assert.match(tls.stderr, /^Unable to connect to the server: tls: failed to verify certificate: x509: certificate signed by unknown authority/);

    // A server that accepts and never answers.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const sport = (silent.address() as net.AddressInfo).port;
    writeFileSync(join(dir, 'silent'), readFileSync(cluster.kubeconfigFor('reader'), 'utf8').replace(cluster.server, `https://127.0.0.1:${sport}`));
    const t0 = Date.now();
    const to = await lbAsync(['status', '--kubeconfig', join(dir, 'silent'), '--request-timeout', '1s']);
    silent.close();
    assert.equal(to.code, 2);
    assert.ok(Date.now() - t0 < 10_000, `took ${Date.now() - t0} ms`);
    assert.match(to.stderr, /^Unable to connect to the server: .*Client\.Timeout exceeded.*--request-timeout=1000ms/);
    const badDur = await lbAsync(['status', '--kubeconfig', join(dir, 'silent'), '--request-timeout', 'soon']);
    assert.equal(badDur.code, 2);
    assert.match(badDur.stderr, /^error: --request-timeout: invalid duration/);

    const none = await lbAsync(['status'], { KUBECONFIG: '', HOME: dir, KUBERNETES_SERVICE_HOST: '' });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^error: invalid configuration: no configuration has been provided/);
  });

  await t.test('paging: --chunk-size pages the list; every Service is read', async () => {
    const cfg = resolveKubeconfig({ kubeconfig: cluster.kubeconfigFor('reader') });
    const client = new KubeClient(cfg);
    const res = await client.list('/api/v1/services', { fieldSelector: 'spec.type=LoadBalancer' }, 7);
    client.close();
    assert.equal(res.items.length, N);
    assert.equal(res.pages, Math.ceil(N / 7));
    const small = JSON.parse((await lbAsync(['status', '-o', 'json', '--chunk-size', '7', ...kubeconfig('reader')])).stdout);
    const whole = JSON.parse((await lbAsync(['status', '-o', 'json', '--chunk-size', '0', ...kubeconfig('reader')])).stdout);
    assert.equal(small.services.length, N);
    delete small.source;
    delete whole.source;
    assert.deepEqual(small, whole);
  });

  await t.test('paging: the next page is asked for while the previous one is still arriving', async () => {
    // A pass-through proxy that holds back the last bytes of every page for a while and records
    // when each request came in and when each answer ended.
    const ca = readFileSync(cluster.caFile);
    const log: { at: number; what: 'request' | 'end'; cont: boolean }[] = [];
    const proxy = http.createServer((req, res) => {
      const url = new URL(req.url!, cluster.server);
      const cont = url.searchParams.has('continue');
      log.push({ at: Date.now(), what: 'request', cont });
      https.get(url, { ca, headers: { ...req.headers, host: url.host } }, (ur) => {
        const chunks: Buffer[] = [];
        ur.on('data', (d: Buffer) => chunks.push(d));
        ur.on('end', () => {
          const body = Buffer.concat(chunks);
          res.writeHead(ur.statusCode!, { 'Content-Type': 'application/json' });
          res.write(body.subarray(0, body.length - 1));
          setTimeout(() => {
            log.push({ at: Date.now(), what: 'end', cont });
            res.end(body.subarray(body.length - 1));
          }, 150);
        });
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as net.AddressInfo).port;
    const cfg = resolveKubeconfig({ kubeconfig: cluster.kubeconfigFor('reader') });
    const client = new KubeClient({ ...cfg, cluster: { ...cfg.cluster, server: `http://127.0.0.1:${port}` } });
    const res = await client.list('/api/v1/services', { fieldSelector: 'spec.type=LoadBalancer' }, 20);
    client.close();
    proxy.close();
    assert.equal(res.pages, 3);
    assert.deepEqual(res.items.map((i) => (i.metadata as { name: string }).name).sort(), Array.from({ length: N }, (_, i) => `s${i}`).sort());
    const firstEnd = log.find((e) => e.what === 'end')!;
    const secondRequest = log.filter((e) => e.what === 'request')[1];
    assert.ok(secondRequest.cont && secondRequest.at < firstEnd.at, `page 2 asked for before page 1 ended: ${JSON.stringify(log)}`);
  });

  await t.test('watch: events from the list\'s resourceVersion, a refused watch ends with the error, stop ends it quietly', async () => {
    const cfg = resolveKubeconfig({ kubeconfig: cluster.kubeconfigFor('reader') });
    const client = new KubeClient(cfg);
    const path = '/api/v1/namespaces/many/services';
    const listed = await client.list(path, {}, 500);
    const events: string[] = [];
    const ends: (Error | undefined)[] = [];
    const stop = await client.watch(path, { resourceVersion: listed.resourceVersion, allowWatchBookmarks: false }, (type, o) => events.push(`${type} ${(o.metadata as { name: string }).name}`), (e) => ends.push(e));
    await cluster.apply([service('many', 'watched')]);
    for (let i = 0; i < 100 && !events.includes('ADDED watched'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(events, ['ADDED watched']);
    stop();
    await cluster.remove([service('many', 'watched')]);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ends, [], 'stopped, not ended');
    assert.deepEqual(events, ['ADDED watched'], 'nothing after stop');

    const forbidden = new KubeClient(resolveKubeconfig({ kubeconfig: cluster.kubeconfigFor('nocrd') }));
    const refused = await new Promise<Error | undefined>((resolve) => void forbidden.watch('/apis/metallb.io/v1beta1/ipaddresspools', {}, () => undefined, resolve));
    forbidden.close();
    client.close();
    assert.ok(refused instanceof LiveError && refused.status === 403, String(refused));
    assert.match(refused.message, /^Error from server \(Forbidden\): ipaddresspools\.metallb\.io is forbidden/);
  });

  await t.test('paging: an expired continue token (410) restarts the list from scratch', async () => {
    // A pass-through proxy to the real API server that answers the first continued page with
    // the real apiserver's 410 Expired Status.
    let expired = false;
    let requests = 0;
    const ca = readFileSync(cluster.caFile);
    const proxy = http.createServer((req, res) => {
      requests++;
      const url = new URL(req.url!, cluster.server);
      if (url.searchParams.has('continue') && !expired) {
        expired = true;
        res.writeHead(410, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410, message: 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.' }));
        return;
      }
      const up = https.request(url, { method: req.method, ca, headers: { ...req.headers, host: url.host } }, (ur) => {
        res.writeHead(ur.statusCode!, ur.headers);
        ur.pipe(res);
      });
      req.pipe(up);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const port = (proxy.address() as net.AddressInfo).port;
    const cfg = resolveKubeconfig({ kubeconfig: cluster.kubeconfigFor('reader') });
    const client = new KubeClient({ ...cfg, cluster: { ...cfg.cluster, server: `http://127.0.0.1:${port}` } });
    const res = await client.list('/api/v1/services', { fieldSelector: 'spec.type=LoadBalancer' }, 25);
    client.close();
    proxy.close();
    assert.equal(res.restarts, 1);
    assert.equal(res.items.length, N);
    assert.equal(new Set(res.items.map((i) => (i.metadata as { name: string }).name)).size, N, 'no duplicates from the abandoned pass');
    assert.ok(requests >= 5);
  });
});
