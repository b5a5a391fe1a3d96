// The new side of `plan --live` (kubectl-plugin/src/live/plan.ts): -f's pools applied, the pools of
// --delete-pool removed, names resolved against the live pools; and a deletion planned that way is
// the offline plan of the same cluster without the pool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../../shared/src/model/build.js';
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { planPoolChange } from '../../shared/src/metallb/plan.js';
import type { ClusterModel } from '../../shared/src/model/types.js';
import { applyPools, deletePools, editLiveModel, resolvePoolRef } from '../../kubectl-plugin/src/live/plan.js';
import { UsageError } from '../../kubectl-plugin/src/errors.js';
import { assertNoStack, ensureBuilt, run } from './helpers.js';

const POOLS = `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: keep, namespace: metallb-system}
spec: {addresses: [10.0.1.0/30]}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: gone, namespace: metallb-system}
spec: {addresses: [10.0.2.0/30]}
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: gone, namespace: elsewhere}
spec: {addresses: [10.0.3.0/30]}
`;

const SERVICES = `
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec: {type: LoadBalancer, ports: [{port: 80}]}
status: {loadBalancer: {ingress: [{ip: 10.0.2.0}]}}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: apps, annotations: {metallb.universe.tf/address-pool: keep}}
spec: {type: LoadBalancer, ports: [{port: 5432}]}
status: {loadBalancer: {ingress: [{ip: 10.0.1.0}]}}
`;

function model(text: string): ClusterModel {
  return buildModel([parseManifestText(text, 'live')], { metallbNamespace: 'metallb-system' }).model;
}

const keys = (m: ClusterModel) => m.pools.map((p) => `${p.namespace}/${p.name}`);

test('a bare name is a pool in MetalLB\'s namespace; namespace/name is taken as given', () => {
  const live = model(POOLS);
  assert.equal(resolvePoolRef(live, 'gone'), 'metallb-system/gone');
  assert.equal(resolvePoolRef(live, 'elsewhere/gone'), 'elsewhere/gone');
  assert.equal(resolvePoolRef(live, 'metallb-system/keep'), 'metallb-system/keep');
});

test('an unknown pool is a usage error listing the live pools; a malformed name says what a name is', () => {
  const live = model(POOLS);
  assert.throws(() => resolvePoolRef(live, 'nope'), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.equal(e.message, '--delete-pool nope: no pool metallb-system/nope in the cluster (live pools: elsewhere/gone, metallb-system/gone, metallb-system/keep)');
    return true;
  });
  assert.throws(() => resolvePoolRef(live, 'other/keep'), /no pool other\/keep in the cluster/);
  assert.throws(() => resolvePoolRef(model(SERVICES), 'keep'), /no pool metallb-system\/keep in the cluster \(the cluster has no MetalLB address pool\)/);
  for (const bad of ['a/b/c', '/keep', 'metallb-system/', '']) {
    assert.throws(() => resolvePoolRef(live, bad), (e: unknown) => e instanceof UsageError && /not a pool name \(use <name>, or <namespace>\/<name>\)/.test(e.message), bad);
  }
});

test('a name two kinds of pool object share is a usage error, not a deletion of both', () => {
  const live = model(`${POOLS}---
apiVersion: metallb.io/v1beta1
kind: AddressPool
metadata: {name: keep, namespace: metallb-system}
spec: {protocol: layer2, addresses: [10.0.9.0/30]}
`);
  assert.deepEqual(live.pools.filter((p) => p.name === 'keep').map((p) => p.source), ['IPAddressPool', 'AddressPool']);
  assert.throws(() => editLiveModel(live, [], ['keep']), (e: unknown) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /^--delete-pool keep: 2 pools are named metallb-system\/keep \(IPAddressPool, AddressPool\), and a name cannot say which to delete\. Preview it offline: `kubectl lb snapshot -o state\.yaml`/);
    return true;
  });
  assert.equal(resolvePoolRef(live, 'gone'), 'metallb-system/gone', 'an unshared name still resolves');
});

test('deletePools removes exactly the named pools, leaving the live model alone', () => {
  const live = model(POOLS);
  const after = deletePools(live, ['metallb-system/gone']);
  assert.deepEqual(keys(after), ['metallb-system/keep', 'elsewhere/gone']);
  assert.equal(live.pools.length, 3);
  assert.deepEqual(keys(deletePools(live, [])), keys(live));
});

test('editLiveModel: -f applied, --delete-pool removed (repeats are one deletion); a pool in both is a usage error', () => {
  const live = model(POOLS);
  const added = model('apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: new}\nspec: {addresses: [10.0.4.0/30]}\n').pools;
  const edited = editLiveModel(live, added, ['gone', 'metallb-system/gone', 'elsewhere/gone']);
  assert.deepEqual(keys(edited), ['metallb-system/keep', 'metallb-system/new']);
  assert.deepEqual(keys(editLiveModel(live, [], ['keep'])), ['metallb-system/gone', 'elsewhere/gone']);
  const replaced = model('apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: gone}\nspec: {addresses: [10.0.5.0/30]}\n').pools;
  assert.throws(() => editLiveModel(live, replaced, ['gone']), (e: unknown) => e instanceof UsageError && e.message === 'pool metallb-system/gone is both in -f and --delete-pool: edit it or delete it');
  assert.throws(() => editLiveModel(live, [], ['nope']), UsageError);
  assert.deepEqual(keys(editLiveModel(live, replaced, [])), keys(applyPools(live, replaced)));
});

test('a deletion planned on the live model is the plan of the same cluster without that pool', () => {
  const live = model(POOLS + SERVICES);
  const without = model(POOLS.replace(/---\napiVersion: metallb.io\/v1beta1\nkind: IPAddressPool\nmetadata: \{name: gone, namespace: metallb-system\}\nspec: \{addresses: \[10.0.2.0\/30\]\}\n/, '') + SERVICES);
  assert.equal(without.pools.length, 2);
  for (const version of ['0.13.12', '0.14.8', '0.16.2']) {
    const viaDelete = planPoolChange(live, editLiveModel(live, [], ['gone']), { version });
    assert.deepEqual(viaDelete, planPoolChange(live, without, { version }), version);
    const web = viaDelete.entries.find((e) => e.key === 'apps/web')!;
    const db = viaDelete.entries.find((e) => e.key === 'apps/db')!;
    assert.equal(db.change, 'kept', version);
    if (version === '0.13.12') {
      assert.equal(web.change, 'stale');
      assert.equal(viaDelete.configError?.stale, true);
    } else {
      // keep is the only pool left, and auto-assigns: web moves to its first free IP.
      assert.equal(web.change, 'moved', version);
      assert.deepEqual([web.after, web.poolBefore, web.poolAfter], [['10.0.1.1'], 'gone', 'keep'], version);
    }
  }
});

test('the CLI: --delete-pool needs --live; --live needs -f or --delete-pool; both are in plan --help', () => {
  ensureBuilt();
  const offline = run(['plan', '--from', 'examples/cluster-state.yaml', '--to', 'examples/cluster-state.yaml', '--delete-pool', 'lab']);
  assert.equal(offline.code, 2);
  assert.equal(offline.stderr, 'error: --delete-pool needs --live (offline, leave the pool out of --to)\n');
  const nothing = run(['plan', '--live']);
  assert.equal(nothing.code, 2);
  assert.match(nothing.stderr, /^error: --live needs -f <pool manifests> \(new or edited pools\) and\/or --delete-pool <name> \(pools to delete\)\n$/);
  assertNoStack(nothing.stderr);
  const help = run(['plan', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--delete-pool <name> +with --live: preview deleting this live pool/);
  assert.match(help.stdout, /kubectl lb plan --live --delete-pool old-pool/);
});
