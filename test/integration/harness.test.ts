// Smoke test of the real-component harness: a real kube-apiserver + etcd, and the real
// MetalLB controller of every pinned version, assigning a real IP to a real Service.
// Needs test/harness/kube/build.sh to have run; a missing binary FAILS this test (on purpose).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as k8s from '@kubernetes/client-node';
import { apiErrorCode, startCluster, type TestCluster } from '../harness/kube/cluster.js';
import { startMetalLB } from '../harness/kube/metallb.js';
import { crdDir, versions } from '../harness/kube/paths.js';

const NS = 'metallb-system';

async function waitForIngressIP(cluster: TestCluster, namespace: string, name: string, timeoutMs: number): Promise<string[]> {
  const core = cluster.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const svc = await core.readNamespacedService({ name, namespace });
    const ips = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '');
    if (ips.length) return ips;
    if (Date.now() > deadline) {
      throw new Error(`Service ${namespace}/${name} got no status.loadBalancer.ingress within ${timeoutMs} ms: ${JSON.stringify(svc.status)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function statusOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
    return 200;
  } catch (err) {
    const code = apiErrorCode(err);
    if (code === undefined) throw err;
    return code;
  }
}

test('real kube-apiserver + etcd + MetalLB controllers', { timeout: 170_000 }, async (t) => {
  const cluster = await startCluster();
  let stopped = false;
  t.after(async () => {
    if (!stopped) await cluster.stop();
  });

  await t.test('RBAC users of docs/rbac.yaml', async () => {
    const reader = cluster.kubeConfig('reader').makeApiClient(k8s.CoreV1Api);
    const nocrd = cluster.kubeConfig('nocrd').makeApiClient(k8s.CoreV1Api);
    assert.equal(await statusOf(reader.listServiceForAllNamespaces()), 200);
    assert.equal(await statusOf(nocrd.listServiceForAllNamespaces()), 200);
    assert.equal(await statusOf(reader.listSecretForAllNamespaces()), 403, 'lbguard-reader must not read Secrets');
    const version = await cluster.kubeConfig('reader').makeApiClient(k8s.VersionApi).getCode();
    assert.equal(version.gitVersion, versions.kubernetes);
  });

  await t.test('dual-stack Service CIDRs are served', async () => {
    await cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'dual', namespace: 'default' },
        spec: { ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }], selector: { app: 'x' } },
      } as k8s.V1Service,
    ]);
    const svc = await cluster.kubeConfig().makeApiClient(k8s.CoreV1Api).readNamespacedService({ name: 'dual', namespace: 'default' });
    assert.deepEqual(svc.spec?.ipFamilies, ['IPv4', 'IPv6']);
    assert.match(svc.spec?.clusterIPs?.[1] ?? '', /^fd00:10:96::/);
  });

  await cluster.ensureMetalLBNamespace();

  for (const [i, version] of versions.metallb.entries()) {
    await t.test(`MetalLB ${version} assigns the pool's first address`, async () => {
      const net = `192.168.${10 + i}`;
      const pool = {
        apiVersion: 'metallb.io/v1beta1',
        kind: 'IPAddressPool',
        metadata: { name: `pool-${version.replaceAll('.', '-')}`, namespace: NS },
        spec: { addresses: [`${net}.0/30`] },
      };
      const svc = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `lb-${version.replaceAll('.', '-')}`, namespace: 'default' },
        spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80 }], selector: { app: 'demo' } },
      };
      const svc2 = { ...svc, metadata: { ...svc.metadata, name: `${svc.metadata.name}-b` } };
      const crds = await cluster.applyCRDs(crdDir(version));
      assert.ok(crds.includes('ipaddresspools.metallb.io'), `CRDs of ${version}: ${crds.join(', ')}`);
      await cluster.apply([pool, svc]);

      const mlb = await startMetalLB(cluster, version);
      try {
        // MetalLB allocates the lowest free address and, unless avoidBuggyIPs is set,
        // the network address of a CIDR is usable: 192.168.x.0.
        const ips = await waitForIngressIP(cluster, 'default', svc.metadata.name, 60_000);
        assert.deepEqual(ips, [`${net}.0`], `log: ${mlb.logPath}`);
        assert.ok(mlb.running(), 'controller still running');

        // After a restart the controller still knows .0 is taken: the next Service gets .1.
        await mlb.restart();
        await cluster.apply([svc2]);
        assert.deepEqual(await waitForIngressIP(cluster, 'default', svc2.metadata.name, 60_000), [`${net}.1`], `log: ${mlb.logPath}`);
        assert.deepEqual(await waitForIngressIP(cluster, 'default', svc.metadata.name, 1_000), [`${net}.0`]);

        const readerPools = await cluster
          .kubeConfig('reader')
          .makeApiClient(k8s.CustomObjectsApi)
          .listNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: NS, plural: 'ipaddresspools' });
        const names = (readerPools as { items: { metadata: { name: string } }[] }).items.map((p) => p.metadata.name);
        assert.ok(names.includes(pool.metadata.name), `reader sees ${names.join(', ')}`);

        const nocrd = cluster.kubeConfig('nocrd').makeApiClient(k8s.CustomObjectsApi);
        assert.equal(
          await statusOf(nocrd.listNamespacedCustomObject({ group: 'metallb.io', version: 'v1beta1', namespace: NS, plural: 'ipaddresspools' })),
          403,
        );
      } finally {
        await mlb.stop();
        await cluster.remove([svc, svc2, pool]);
      }
    });
  }

  await t.test('stop() kills everything and removes the temp dir', async () => {
    await cluster.stop();
    stopped = true;
    assert.equal(existsSync(cluster.dir), false);
  });
});
