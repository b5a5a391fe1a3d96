// `kubectl lb plan --live [-f <pools>] [--delete-pool <name>]`: the live model as the old side, the
// live model with the pools of -f applied (same name replaces, new names are added) and the pools
// of --delete-pool removed as the new side; then the same planPoolChange and rendering as the
// offline plan, so a live deletion reads exactly like `plan --from <snapshot> --to <without it>`.
import type { ClusterModel, Pool } from '../../../shared/src/model/types.js';
import { runPlan } from '../commands/plan.js';
import { modelOf, modelOfTexts, settingsFrom } from '../commands/common.js';
import { UsageError } from '../errors.js';
import { readPath } from '../io/inputs.js';
import { LiveStateSource } from './source.js';

function poolKey(p: Pool, defNs: string): string {
  return `${p.namespace ?? defNs}/${p.name}`;
}

export function applyPools(live: ClusterModel, edited: Pool[]): ClusterModel {
  const ns = live.metallb.namespace;
  const byKey = new Map(edited.map((p) => [poolKey(p, ns), { ...p, namespace: p.namespace ?? ns }]));
  const pools = live.pools.map((p) => byKey.get(poolKey(p, ns)) ?? p);
  const liveKeys = new Set(live.pools.map((p) => poolKey(p, ns)));
  for (const [k, p] of byKey) if (!liveKeys.has(k)) pools.push(p);
  return { ...live, pools };
}

/**
 * The `namespace/name` key of a `--delete-pool` value: `namespace/name` as given, a bare name in
 * MetalLB's namespace (where MetalLB reads pools, as kubectl's -n would default). A name no live
 * pool has is a usage error that lists the live pools, so a typo does not plan a no-op.
 */
export function resolvePoolRef(live: ClusterModel, ref: string): string {
  const parts = ref.split('/');
  if (parts.length > 2 || parts.some((x) => x.trim() === '')) throw new UsageError(`--delete-pool "${ref}": not a pool name (use <name>, or <namespace>/<name>)`);
  const key = parts.length === 2 ? ref : `${live.metallb.namespace}/${ref}`;
  const keys = [...new Set(live.pools.map((p) => poolKey(p, live.metallb.namespace)))];
  if (keys.includes(key)) {
    // Two kinds of pool object under one name (an IPAddressPool and a legacy AddressPool, say):
    // deleting "the pool" would preview deleting both, which is not what anyone asked for.
    const kinds = live.pools.filter((p) => poolKey(p, live.metallb.namespace) === key).map((p) => p.source);
    if (kinds.length > 1) {
      throw new UsageError(
        `--delete-pool ${ref}: ${kinds.length} pools are named ${key} (${kinds.join(', ')}), and a name cannot say which to delete. ` +
          'Preview it offline: `kubectl lb snapshot -o state.yaml`, remove that object from a copy, then `kubectl lb plan --from state.yaml --to <the copy>`.',
      );
    }
    return key;
  }
  const known = keys.length ? `live pools: ${keys.sort().join(', ')}` : 'the cluster has no MetalLB address pool';
  throw new UsageError(`--delete-pool ${ref}: no pool ${key} in the cluster (${known})`);
}

/** The model without the pools of these keys (resolvePoolRef has made sure each names one pool object). */
export function deletePools(live: ClusterModel, keys: Iterable<string>): ClusterModel {
  const gone = new Set(keys);
  return { ...live, pools: live.pools.filter((p) => !gone.has(poolKey(p, live.metallb.namespace))) };
}

/** The new side: -f's pools applied, --delete-pool's removed; one pool in both is a usage error (which wins is unclear). */
export function editLiveModel(live: ClusterModel, edited: Pool[], deleteRefs: string[]): ClusterModel {
  const deleted = new Set(deleteRefs.map((ref) => resolvePoolRef(live, ref)));
  for (const p of edited) {
    const key = poolKey(p, live.metallb.namespace);
    if (deleted.has(key)) throw new UsageError(`pool ${key} is both in -f and --delete-pool: edit it or delete it`);
  }
  return applyPools(deletePools(live, deleted), edited);
}

export async function runLivePlan(opts: Record<string, unknown>): Promise<number> {
  const files = (opts.filename as string[] | undefined) ?? [];
  const deleteRefs = (opts.deletePool as string[] | undefined) ?? [];
  if (!files.length && !deleteRefs.length) throw new UsageError('--live needs -f <pool manifests> (new or edited pools) and/or --delete-pool <name> (pools to delete)');
  if (opts.from !== undefined || opts.to !== undefined || opts.state !== undefined) throw new UsageError('--live reads the current pools and Services from the cluster: drop --from/--to/--state');
  const s = settingsFrom(opts);
  // -f is read before the cluster: a bad file fails without a round trip to the API server.
  const edited = files.length ? modelOfTexts(files.flatMap((f) => readPath(f, s.maxFileSize)), s).pools : [];
  if (files.length && !edited.length) throw new UsageError(`-f ${files.join(' ')}: no MetalLB address pool (IPAddressPool, AddressPool or ConfigMap config) found`);
  const src = new LiveStateSource(opts, { metallbNamespace: s.metallbNamespace });
  let oldModel: ClusterModel;
  try {
    const snap = await src.load();
    oldModel = modelOf(snap.files, s, snap.reads);
  } finally {
    src.close();
  }
  return runPlan(opts, { oldModel, newModel: editLiveModel(oldModel, edited, deleteRefs) });
}
