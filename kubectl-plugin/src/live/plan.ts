// `kubectl lb plan --live -f <pools>`: the live model as the old side, the live model with the
// pools of -f applied (same name replaces, new names are added) as the new side; then the same
// planPoolChange and rendering as the offline plan.
import type { ClusterModel, Pool } from '../../../shared/src/model/types.js';
import { runPlan } from '../commands/plan.js';
import { modelOf, parseTexts, settingsFrom } from '../commands/common.js';
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

export async function runLivePlan(opts: Record<string, unknown>): Promise<number> {
  const files = opts.filename as string[] | undefined;
  if (!files?.length) throw new UsageError('--live needs -f <pool manifests> (the new or edited pools)');
  if (opts.from !== undefined || opts.to !== undefined || opts.state !== undefined) throw new UsageError('--live reads the current pools and Services from the cluster: drop --from/--to/--state');
  const s = settingsFrom(opts);
  const src = new LiveStateSource(opts, { metallbNamespace: s.metallbNamespace });
  let oldModel: ClusterModel;
  try {
    oldModel = modelOf((await src.load()).files, s);
  } finally {
    src.close();
  }
  const edited = modelOf(parseTexts(files.flatMap((f) => readPath(f, s.maxFileSize))), s).pools;
  if (!edited.length) throw new UsageError(`-f ${files.join(' ')}: no MetalLB address pool (IPAddressPool, AddressPool or ConfigMap config) found`);
  return runPlan(opts, { oldModel, newModel: applyPools(oldModel, edited) });
}
