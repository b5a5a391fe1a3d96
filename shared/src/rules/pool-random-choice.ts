// Several pools equally eligible for the same Service: MetalLB walks global pools in Go map order
// (random on every call) and sorts pinned pools with an unstable sort, so which pool a new Service
// gets, and so its IP, is not predictable (controller §3.4, §3.12).
import type { Family } from '../address/ip.js';
import { annotationPrefix } from '../metallb/annotations.js';
import type { SimulationResult } from '../metallb/types.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { Pool } from '../model/types.js';
import { poolFieldPath, poolLabel, poolsByName, poolsMetalLBReads, relatedAt } from './support/poolLocations.js';
import { isGlobalPool, isPinnedPool, matchesEveryService, namespaceSet, poolHasFamily } from './support/poolSelection.js';
import { type Group, groupsOf, listings, memoized } from './support/poolTies.js';

const FAMILIES: Family[] = ['ipv4', 'ipv6'];
const FAMILY_WORD: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

interface Tie {
  kind: 'global' | 'pinned';
  families: Set<Family>;
  /** The groups the pool is in: it ties with their other members. */
  groups: Set<Group>;
  services: Set<string>;
}

export const rule = defineRule({
  meta: {
    id: 'pool-random-choice',
    severity: 'warning',
    description: 'Several pools equally eligible for a Service: MetalLB picks one at random for each allocation.',
  },
  check(ctx) {
    const pools = poolsMetalLBReads(ctx.model, ctx.behaviour).filter((p) => p.doc && p.cidrs.length > 0);
    const ties = new Map<Pool, Tie>();
    const group = groupsOf(pools);
    const join = (members: Pool[], kind: (p: Pool) => Tie['kind'], family?: Family, service?: string) => {
      const g = group(members);
      for (const p of g) {
        let t = ties.get(p);
        if (!t) ties.set(p, (t = { kind: kind(p), families: new Set(), groups: new Set(), services: new Set() }));
        if (family) t.families.add(family);
        if (service !== undefined) t.services.add(service);
        t.groups.add(g);
      }
    };

    // Global pools serving the same family.
    for (const family of FAMILIES) {
      const globals = pools.filter((p) => isGlobalPool(p, ctx.behaviour) && poolHasFamily(p, family));
      if (globals.length >= 2) join(globals, () => 'global', family);
    }
    // Pinned pools with the same priority that certainly match a common Service (by namespace).
    const namespaces = ctx.state?.model.namespaces.length ? ctx.state.model.namespaces : ctx.model.namespaces;
    const pinned = pools.filter((p) => isPinnedPool(p, ctx.behaviour));
    const namespacesOf = memoized((p: Pool) => namespaceSet(p, namespaces));
    for (let i = 0; i < pinned.length; i++) {
      for (let j = i + 1; j < pinned.length; j++) {
        const [a, b] = [pinned[i], pinned[j]];
        if (a.serviceAllocation!.priority !== b.serviceAllocation!.priority || !shareServices(ctx, a, b, namespacesOf)) continue;
        for (const family of FAMILIES) if (poolHasFamily(a, family) && poolHasFamily(b, family)) join([a, b], () => 'pinned', family);
      }
    }
    // The simulation names the Services concerned (and finds ties through serviceSelectors).
    const sim = trySimulation(ctx);
    const poolNamed = poolsByName(pools);
    const kindOf = (p: Pool): Tie['kind'] => (isGlobalPool(p, ctx.behaviour) ? 'global' : 'pinned');
    for (const outcome of sim?.services.values() ?? []) {
      if (!outcome.candidates || outcome.candidates.length < 2) continue;
      join(outcome.candidates.map((c) => poolNamed.get(c.pool)).filter((p): p is Pool => !!p), kindOf, undefined, outcome.key);
    }

    const othersOf = listings(pools, (o) => ({
      quoted: `"${o.name}"`,
      related: relatedAt(o.doc, poolFieldPath(o, 'name'), `also eligible: ${poolLabel(o)}`),
    }));
    for (const [pool, t] of ties) {
      const others = othersOf(pool, t.groups);
      if (!others) continue;
      const fam = t.families.size ? ` ${[...t.families].map((f) => FAMILY_WORD[f]).join('/')}` : '';
      const why =
        t.kind === 'global'
          ? `MetalLB tries the global pools (autoAssign, no serviceAllocation) in Go map order, random on every allocation`
          : `MetalLB sorts pinned pools of equal priority (${pool.serviceAllocation?.priority ?? 0}) in unspecified order`;
      const svcs = [...t.services].sort();
      const affected = svcs.length ? ` Services it applies to now: ${svcs.slice(0, 5).join(', ')}${svcs.length > 5 ? ` and ${svcs.length - 5} more` : ''}.` : '';
      ctx.report({
        doc: pool.doc,
        path: poolFieldPath(pool, 'name'),
        message:
          `${why}, so a new${fam} Service may get its IP from ${poolLabel(pool)} or from ${others.quoted}: which pool (and address) it gets is not predictable, and can differ after the Service is recreated.${affected} ` +
          `Give the pools distinct serviceAllocation priorities${ctx.behaviour.serviceAllocation ? '' : ' (MetalLB ≥0.13.9)'}, set autoAssign: false on the pools meant for explicit use, or name the pool with the ${annotationPrefix(ctx.behaviour)}address-pool annotation.`,
        related: others.related,
        data: { pool: pool.name, others: others.names, services: svcs },
      });
    }
  },
});

function shareServices(ctx: RuleContext, a: Pool, b: Pool, namespacesOf: (p: Pool) => Set<string>): boolean {
  if (matchesEveryService(a, ctx.behaviour) || matchesEveryService(b, ctx.behaviour)) return true;
  const sa = a.serviceAllocation!;
  const sb = b.serviceAllocation!;
  if (sa.serviceSelectors.length || sb.serviceSelectors.length) return false; // left to the simulation
  const na = namespacesOf(a);
  const nb = namespacesOf(b);
  return [...na].some((n) => nb.has(n));
}

function trySimulation(ctx: RuleContext): SimulationResult | undefined {
  try {
    return ctx.simulation();
  } catch {
    return undefined;
  }
}
