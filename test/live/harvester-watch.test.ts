// Harvester on the real API server (its CRDs from load-balancer-harvester; no Harvester controller:
// IPPool status is written directly, the CRD has no status subresource): stale allocations,
// the duplicate-allocation loop, and `release` (dry run, refusals, the real patch, a
// resourceVersion conflict). Then `status -w`: redraws after a change and stops on Ctrl-C.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { startCluster } from '../harness/kube/cluster.js';
import { crdDir } from '../harness/kube/paths.js';
import { KubeClient } from '../../kubectl-plugin/src/live/client.js';
import { resolveKubeconfig } from '../../kubectl-plugin/src/live/kubeconfig.js';
import { releaseIP, RELEASE_ANNOTATION } from '../../kubectl-plugin/src/live/release.js';
import { ensureBuilt, lbAsync, pool, service, waitFor, watchStatus } from './helpers.js';

const HARVESTER_CRDS = ['ippools', 'loadbalancers'].map((p) => `/work/shared/corpus/harvester__load-balancer-harvester__crds__loadbalancer.harvesterhci.io_${p}.yaml`);
const G = 'loadbalancer.harvesterhci.io/v1beta1';

function ippool(name: string, allocated: Record<string, string>, annotations: Record<string, string> = {}): k8s.KubernetesObject {
  return {
    apiVersion: G,
    kind: 'IPPool',
    metadata: { name, annotations },
    spec: { ranges: [{ subnet: '192.168.50.0/24', rangeStart: '192.168.50.10', rangeEnd: '192.168.50.20' }], selector: { scope: [{ project: '*', namespace: '*', guestCluster: '*' }] } },
    status: { total: 11, available: 11 - Object.keys(allocated).length, allocated, lastAllocated: Object.keys(allocated).at(-1) ?? '' },
  } as k8s.KubernetesObject;
}

function harvesterLB(namespace: string, name: string, ready?: { status: string; message: string }): k8s.KubernetesObject {
  return {
    apiVersion: G,
    kind: 'LoadBalancer',
    metadata: { name, namespace },
    spec: { ipam: 'pool', workloadType: 'cluster', listeners: [{ name: 'http', port: 80, protocol: 'TCP', backendPort: 30080 }] },
    status: ready ? { conditions: [{ type: 'Ready', status: ready.status, message: ready.message }] } : {},
  } as k8s.KubernetesObject;
}

test('Harvester (stale allocations, duplicate loop, release) and status -w', { timeout: 240_000 }, async (t) => {
  ensureBuilt();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  await cluster.ensureNamespace('guest');
  await cluster.applyCRDs(HARVESTER_CRDS);
  await cluster.apply([
    ippool('pool-a', { '192.168.50.10': 'guest/alive', '192.168.50.11': 'guest/gone', '192.168.50.12': 'guest/stuck' }),
    harvesterLB('guest', 'alive', { status: 'True', message: '' }),
    harvesterLB('guest', 'stuck', { status: 'False', message: 'fail to get ip from pool pool-a, error: 192.168.50.12 has been allocated to guest/stuck, duplicate allocation is not allowed' }),
  ]);
  const kc = ['--kubeconfig', cluster.kubeconfigFor('reader')];

  await t.test('status: stale allocation and duplicate-allocation loop', async () => {
    const r = await lbAsync(['status', '-o', 'json', ...kc]);
    assert.equal(r.code, 0, r.stderr);
    const st = JSON.parse(r.stdout);
    const stale = st.problems.filter((p: { rule: string }) => p.rule === 'harvester-stale-allocation');
    assert.equal(stale.length, 1);
    assert.match(stale[0].message, /192\.168\.50\.11 to guest\/gone/);
    const dup = st.problems.find((p: { rule: string }) => p.rule === 'harvester-duplicate-allocation');
    assert.ok(dup, JSON.stringify(st.problems.map((p: { rule: string }) => p.rule)));
    assert.match(dup.message, /guest\/stuck/);
    assert.deepEqual(dup.ips, ['192.168.50.12']);
  });

  await t.test('release: dry run prints the patch, refusals say why', async () => {
    const dry = await lbAsync(['release', 'pool-a', '192.168.50.11', '--dry-run', ...kc]);
    assert.equal(dry.code, 0, dry.stderr);
    const patch = JSON.parse(dry.stdout);
    assert.equal(patch.metadata.annotations[RELEASE_ANNOTATION], '192.168.50.11: guest/gone');
    assert.match(patch.metadata.resourceVersion, /^\d+$/);
    const still = await lbAsync(['release', 'pool-a', '192.168.50.10', ...kc]);
    assert.equal(still.code, 1);
    assert.match(still.stderr, /refusing to release 192\.168\.50\.10 from IPPool pool-a: the LoadBalancer guest\/alive still exists/);
    const notAlloc = await lbAsync(['release', 'pool-a', '192.168.50.15', ...kc]);
    assert.equal(notAlloc.code, 1);
    assert.match(notAlloc.stderr, /192\.168\.50\.15 is not allocated in IPPool pool-a/);
    const v6 = await lbAsync(['release', 'pool-a', 'fd00::5', ...kc]);
    assert.equal(v6.code, 1);
    assert.match(v6.stderr, /IPv6 addresses cannot be released this way/);
    const nopool = await lbAsync(['release', 'nope', '192.168.50.11', ...kc]);
    assert.equal(nopool.code, 1);
    assert.match(nopool.stderr, /IPPool nope .* not found/);
    // reader has no patch: the write is refused by RBAC, with the role to grant.
    const denied = await lbAsync(['release', 'pool-a', '192.168.50.11', ...kc]);
    assert.equal(denied.code, 2);
    assert.match(denied.stderr, /Error from server \(Forbidden\).*\n.*lbguard-harvester-release/);
  });

  await t.test('release: a resourceVersion conflict writes nothing; then the real patch', async () => {
    const cfg = resolveKubeconfig({ kubeconfig: cluster.kubeconfigFor('admin') });
    const client = new KubeClient(cfg);
    try {
      await assert.rejects(
        releaseIP(client, 'pool-a', '192.168.50.11', {
          dryRun: false,
          // Someone changes the pool between lbguard's read and its patch.
          beforePatch: async () => void (await cluster.apply([ippool('pool-a', { '192.168.50.10': 'guest/alive', '192.168.50.11': 'guest/gone', '192.168.50.12': 'guest/stuck' }, { touched: 'yes' })])),
        }),
        /IPPool pool-a changed since it was read \(Conflict/,
      );
      const objs = cluster.kubeConfig('admin').makeApiClient(k8s.CustomObjectsApi);
      const p1 = (await objs.getClusterCustomObject({ group: 'loadbalancer.harvesterhci.io', version: 'v1beta1', plural: 'ippools', name: 'pool-a' })) as { metadata: { annotations?: Record<string, string> } };
      assert.equal(p1.metadata.annotations?.[RELEASE_ANNOTATION], undefined);
    } finally {
      client.close();
    }
    const r = await lbAsync(['release', 'pool-a', '192.168.50.11', '--kubeconfig', cluster.kubeconfigFor('admin')]);
    assert.equal(r.code, 0, r.stderr);
    const objs = cluster.kubeConfig('admin').makeApiClient(k8s.CustomObjectsApi);
    const p2 = (await objs.getClusterCustomObject({ group: 'loadbalancer.harvesterhci.io', version: 'v1beta1', plural: 'ippools', name: 'pool-a' })) as { metadata: { annotations?: Record<string, string> } };
    assert.equal(p2.metadata.annotations?.[RELEASE_ANNOTATION], '192.168.50.11: guest/gone');
  });

  await t.test('status -w redraws after a change and stops cleanly on Ctrl-C', async () => {
    await cluster.ensureMetalLBNamespace();
    await cluster.applyCRDs(crdDir('v0.14.8'));
    await cluster.apply([pool('p', ['192.168.60.0/28']), service('guest', 'first')]);
    const watch = watchStatus(kc, {});
    let stopped: Promise<number | null>;
    try {
      await watch.firstRender(/1 LoadBalancer Service /);
      await cluster.apply([service('guest', 'second')]);
      await waitFor('a redraw with the new Service', async () => (/--- .*---[\s\S]*guest\s+second[\s\S]*2 LoadBalancer Services/.test(watch.out()) ? true : undefined), 30_000);
      // A pool change redraws too.
      await cluster.apply([pool('p', ['192.168.60.0/27'])]);
      await waitFor('a redraw with the grown pool', async () => (/192\.168\.60\.0\/27/.test(watch.out()) ? true : undefined), 30_000);
    } finally {
      stopped = watch.stop();
    }
    const t0 = Date.now();
    const code = await stopped;
    assert.equal(code, 0, watch.err());
    assert.ok(Date.now() - t0 < 5000, `stopped in ${Date.now() - t0} ms`);
    assert.doesNotMatch(watch.err(), /redraw failed/);
  });
});
