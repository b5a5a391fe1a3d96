// Several pools equally eligible for the same Service: MetalLB walks global pools in Go map order
// (random on every call) and sorts pinned pools with an unstable sort, so which pool a new Service
// gets, and so its IP, is not predictable (controller §3.4, §3.12).
import type { Family } from '../address/ip.js';
import { annotationPrefix } from '../metallb/annotations.js';
import type { SimulationResult } from '../metallb/types.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { RelatedLocation } from '../findings/finding.js';
import type { Pool } from '../model/types.js';
import { byNameWithin } from './support/nameOrder.js';
import { poolFieldPath, poolLabel, poolsMetalLBReads, relatedAt } from './support/poolLocations.js';
import { isGlobalPool, isPinnedPool, matchesEveryService, namespaceSet, poolHasFamily } from './support/poolSelection.js';

const FAMILIES: Family[] = ['ipv4', 'ipv6'];
const FAMILY_WORD: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

/** How a finding names another pool. */
interface Mention {
  quoted: string;
  related: RelatedLocation[];
}

interface Tie {
  kind: 'global' | 'pinned';
  families: Set<Family>;
  others: Set<Pool>;
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
    const tie = (p: Pool, kind: Tie['kind']) => {
      let t = ties.get(p);
      if (!t) ties.set(p, (t = { kind, families: new Set(), others: new Set(), services: new Set() }));
      return t;
    };
    const link = (group: Pool[], family: Family, kind: Tie['kind']) => {
      for (const p of group) {
        const t = tie(p, kind);
        t.families.add(family);
        for (const o of group) if (o !== p) t.others.add(o);
      }
    };

    // Global pools serving the same family.
    for (const family of FAMILIES) {
      const globals = pools.filter((p) => isGlobalPool(p, ctx.behaviour) && poolHasFamily(p, family));
      if (globals.length >= 2) link(globals, family, 'global');
    }
    // Pinned pools with the same priority that certainly match a common Service (by namespace).
    const namespaces = ctx.state?.model.namespaces.length ? ctx.state.model.namespaces : ctx.model.namespaces;
    const pinned = pools.filter((p) => isPinnedPool(p, ctx.behaviour));
    for (let i = 0; i < pinned.length; i++) {
      for (let j = i + 1; j < pinned.length; j++) {
        const [a, b] = [pinned[i], pinned[j]];
        if (a.serviceAllocation!.priority !== b.serviceAllocation!.priority || !shareServices(ctx, a, b, namespaces)) continue;
        for (const family of FAMILIES) if (poolHasFamily(a, family) && poolHasFamily(b, family)) link([a, b], family, 'pinned');
      }
    }
    // The simulation names the Services concerned (and finds ties through serviceSelectors).
    const sim = trySimulation(ctx);
    const poolNamed = firstByName(pools);
    for (const outcome of sim?.services.values() ?? []) {
      if (!outcome.candidates || outcome.candidates.length < 2) continue;
      const group = outcome.candidates.map((c) => poolNamed.get(c.pool)).filter((p): p is Pool => !!p);
      for (const p of group) {
        const t = tie(p, isGlobalPool(p, ctx.behaviour) ? 'global' : 'pinned');
        t.services.add(outcome.key);
        for (const o of group) if (o !== p) t.others.add(o);
      }
    }

    // Every finding names all the pools its pool ties with: with hundreds of global pools that is
    // hundreds of names and locations per finding, so each pool's sort rank, quoted name and
    // location are worked out once, and the lists are built in plain loops.
    const byName = byNameWithin(pools);
    const mentions = new Map<Pool, Mention>();
    const mention = (o: Pool): Mention => {
      let m = mentions.get(o);
      if (!m) mentions.set(o, (m = { quoted: `"${o.name}"`, related: relatedAt(o.doc, poolFieldPath(o, 'name'), `also eligible: ${poolLabel(o)}`) }));
      return m;
    };
    for (const [pool, t] of ties) {
      if (t.others.size === 0) continue;
      const others = byName(t.others);
      const quoted: string[] = [];
      const names: string[] = [];
      const related: RelatedLocation[] = [];
      for (const o of others) {
        const m = mention(o);
        quoted.push(m.quoted);
        names.push(o.name);
        for (const r of m.related) related.push(r);
      }
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
          `${why}, so a new${fam} Service may get its IP from ${poolLabel(pool)} or from ${quoted.join(', ')}: which pool (and address) it gets is not predictable, and can differ after the Service is recreated.${affected} ` +
          `Give the pools distinct serviceAllocation priorities${ctx.behaviour.serviceAllocation ? '' : ' (MetalLB ≥0.13.9)'}, set autoAssign: false on the pools meant for explicit use, or name the pool with the ${annotationPrefix(ctx.behaviour)}address-pool annotation.`,
        related,
        data: { pool: pool.name, others: names, services: svcs },
      });
    }
  },
});

/** Each name's first pool, as `pools.find((p) => p.name === name)` finds it. */
function firstByName(pools: Pool[]): Map<string, Pool> {
  const out = new Map<string, Pool>();
  for (const p of pools) if (!out.has(p.name)) out.set(p.name, p);
  return out;
}

function shareServices(ctx: RuleContext, a: Pool, b: Pool, namespaces: RuleContext['model']['namespaces']): boolean {
  if (matchesEveryService(a, ctx.behaviour) || matchesEveryService(b, ctx.behaviour)) return true;
  const sa = a.serviceAllocation!;
  const sb = b.serviceAllocation!;
  if (sa.serviceSelectors.length || sb.serviceSelectors.length) return false; // left to the simulation
  const na = namespaceSet(a, namespaces);
  const nb = namespaceSet(b, namespaces);
  return [...na].some((n) => nb.has(n));
}

function trySimulation(ctx: RuleContext): SimulationResult | undefined {
  try {
    return ctx.simulation();
  } catch {
    return undefined;
  }
}
