// planPoolChange: what a pool edit does to every Service holding an IP (`kubectl lb plan`).
// ≥0.14.2 unassigns IPs that no longer fit and re-allocates them (moved / lost); ≤0.13 refuses the
// whole configuration as stale, naming a Service and its IP in MetalLB's message.
import type { ClusterModel } from '../model/types.js';
import { startController } from './simulate.js';
import type { PlanEntry, PlanResult, SimulationOptions } from './types.js';

export function planPoolChange(oldModel: ClusterModel, newModel: ClusterModel, options: SimulationOptions = {}): PlanResult {
  const ctrl = startController(oldModel, options);
  const before = ctrl.outcomes();
  ctrl.drainEvents();
  const load = ctrl.setPools({ pools: newModel.pools, namespaces: newModel.namespaces.length ? newModel.namespaces : oldModel.namespaces });
  const events = ctrl.drainEvents();
  const after = ctrl.outcomes(true); // the controller's last use
  const entries: PlanEntry[] = [];
  const staleIPs = new Map(load.error?.stale ? load.affected.map((a) => [a.key, a.ips]) : []);
  // Events per Service, in order (one pass, not a filter per entry).
  const eventsOf = new Map<string, typeof events>();
  for (const e of events) {
    const list = eventsOf.get(e.service);
    if (list) list.push(e);
    else eventsOf.set(e.service, [e]);
  }
  for (const [key, b] of before) {
    if (b.state !== 'assigned') continue;
    const a = after.get(key)!;
    const entry: PlanEntry = {
      key,
      before: b.ips,
      after: a.ips,
      poolBefore: b.pool,
      poolAfter: a.state === 'assigned' ? a.pool : undefined,
      stateAfter: a.state,
      change: 'kept',
    };
    const staleOwn = staleIPs.get(key);
    if (staleOwn) {
      entry.change = 'stale';
      const ips = staleOwn;
      entry.reason = 'ConfigStale';
      entry.message =
        load.error!.message.includes(`service "${key}"`)
          ? load.error!.message
          : `new config not compatible with assigned IPs: service "${key}" cannot own [${ips.map((i) => JSON.stringify(i)).join(' ')}] under new config`;
    } else if (a.state !== 'assigned' || a.ips.length === 0) entry.change = 'lost';
    else if (a.ips.join(',') !== b.ips.join(',')) entry.change = 'moved';
    const mine = eventsOf.get(key);
    if (entry.change !== 'stale' && mine) {
      // The decision, not the deprecation warning MetalLB adds whenever an annotated Service changes.
      const decisive = mine.filter((e) => e.reason !== 'deprecatedAnnotation');
      const shown = decisive.length ? decisive : mine;
      entry.reason = shown[shown.length - 1].reason;
      entry.message = shown.map((e) => e.message).join('; ');
    }
    if (a.candidates && entry.change === 'moved') entry.candidates = a.candidates;
    entries.push(entry);
  }
  const result: PlanResult = { version: ctrl.behaviour.version, entries };
  if (load.error) result.configError = load.error;
  return result;
}
