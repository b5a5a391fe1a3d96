// Status problems that only a live cluster (or a snapshot of one) shows: they are read from
// controller-written state (Harvester LoadBalancer conditions, MetalLB event counts), never from
// manifests a user writes.
import { docsUrl } from '../findings/finding.js';
import type { ClusterModel, ServiceEvent } from '../model/types.js';
import type { StatusProblem } from './report.js';

const DUPLICATE = 'duplicate allocation is not allowed';
/** How often MetalLB must have cleared/refused a requested IP before it counts as a fight. */
export const FIGHT_EVENT_COUNT = 3;

export function liveProblems(model: ClusterModel): StatusProblem[] {
  const out: StatusProblem[] = [];
  const add = (p: Omit<StatusProblem, 'docsUrl'>) => out.push({ ...p, docsUrl: docsUrl(p.rule) });

  // Harvester seed 003: the LB's Ready=False message carries the CNI allocator's refusal; the guest
  // cloud provider deletes and recreates the LB on every failed wait, a loop.
  for (const lb of model.harvesterLoadBalancers) {
    if (!lb.readyMessage?.includes(DUPLICATE)) continue;
    const m = /(\S+) has been allocated to (\S+?),/.exec(lb.readyMessage);
    const pool = /from pool (\S+?),/.exec(lb.readyMessage)?.[1];
    add({
      rule: 'harvester-duplicate-allocation',
      severity: 'error',
      message: `Harvester LoadBalancer ${lb.namespace}/${lb.name} is stuck: "${lb.readyMessage}". Its pool${pool ? ` ${pool}` : ''} still records ${m ? `${m[1]} for ${m[2]}` : 'an IP for it'} from an earlier incarnation, and the guest cluster's cloud provider deletes and recreates the LB on every failed wait (harvester#7449). Harvester ≥1.5.0 releases such records itself (load-balancer-harvester#47); on older releases delete the LoadBalancer, then release the IP with \`kubectl lb release ${pool ?? '<pool>'} ${m?.[1] ?? '<ip>'}\`.`,
      object: { kind: 'LoadBalancer', namespace: lb.namespace, name: lb.name },
      ips: m ? [m[1]] : undefined,
    });
  }

  // Seed 004: another controller writes spec.loadBalancerIP, MetalLB clears or refuses it, again and
  // again. Visible in events even when managedFields show one writer (Update by the same manager).
  let refusals: Map<string, Map<string, ServiceEvent[]>> | undefined;
  for (const s of model.services) {
    if (s.type !== 'LoadBalancer' || !s.loadBalancerIP || (s.loadBalancerIPManagers?.length ?? 0) > 1) continue;
    refusals ??= refusalEvents(model.events);
    const evs = refusals.get(s.namespace)?.get(s.name) ?? [];
    const total = evs.reduce((n, e) => n + (e.count ?? 1), 0);
    if (total < FIGHT_EVENT_COUNT) continue;
    add({
      rule: 'loadbalancerip-fight',
      severity: 'warning',
      message: `MetalLB refused or cleared the IP of Service ${s.key} ${total} times (${[...new Set(evs.map((e) => e.reason))].join(', ')}) while spec.loadBalancerIP asks for ${s.loadBalancerIP}${s.loadBalancerIPManagers?.length ? ` (written by ${s.loadBalancerIPManagers[0]})` : ''}: a controller outside MetalLB keeps writing an IP MetalLB does not allow, a write loop that also loads etcd. Give that controller its own Service, or a loadBalancerClass MetalLB ignores.`,
      object: { kind: 'Service', namespace: s.namespace, name: s.name },
      ips: [s.loadBalancerIP],
    });
  }
  return out;
}

/** MetalLB's clear/refuse events by namespace and name, in model order (one pass over the events). */
function refusalEvents(events: ServiceEvent[]): Map<string, Map<string, ServiceEvent[]>> {
  const by = new Map<string, Map<string, ServiceEvent[]>>();
  for (const e of events) {
    if (!(e.reason === 'ClearAssignment' || (e.reason === 'AllocationFailed' && e.message.includes('is not allowed in config')))) continue;
    let names = by.get(e.namespace);
    if (!names) by.set(e.namespace, (names = new Map()));
    const list = names.get(e.name);
    if (list) list.push(e);
    else names.set(e.name, [e]);
  }
  return by;
}
