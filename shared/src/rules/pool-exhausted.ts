// Pools that are full or nearly full, from the simulation of MetalLB's controller: Services left
// <pending> with "no available IPs", and pools at ≥85 % / ≥95 % use (levels shared with `status`).
import type { Family } from '../address/ip.js';
import type { FamilyUsage, ServiceOutcome } from '../metallb/types.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import { serviceFamily } from '../model/family.js';
import type { Pool } from '../model/types.js';
import { poolFieldPath, poolLabel, poolsByName, poolsMetalLBReads } from './support/poolLocations.js';
import { isGlobalPool, pinnedMatches } from './support/poolSelection.js';
import { usageLevel, usagePercent } from './support/usageLevels.js';

const WORD: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

export const rule = defineRule({
  meta: {
    id: 'pool-exhausted',
    severity: 'warning',
    description: 'A pool that is full (Services left pending with "no available IPs") or nearly full.',
  },
  check(ctx) {
    const sim = ctx.simulation();
    if (sim.configError) return; // MetalLB refuses the config: other rules say why.
    const pools = poolsMetalLBReads(ctx.model, ctx.behaviour).filter((p) => p.doc);
    const pendingFor = attributePending(ctx, pools, [...sim.services.values()]);
    const poolNamed = poolsByName(pools);
    for (const usage of sim.pools) {
      const pool = poolNamed.get(usage.pool);
      if (!pool) continue;
      const pending = pendingFor.get(pool) ?? [];
      for (const family of ['ipv4', 'ipv6'] as Family[]) {
        const u: FamilyUsage = usage[family];
        const level = usageLevel(u.used, u.total);
        if (level === 'ok' || level === 'notice') continue;
        const counts = `${u.used} of ${u.total} ${WORD[family]} addresses in use (${usagePercent(u.used, u.total)}%${pool.avoidBuggyIPs && family === 'ipv4' ? ', .0/.255 excluded by avoidBuggyIPs' : ''})`;
        const grow = `Add addresses to ${poolLabel(pool)} (a CIDR or range that overlaps no other pool), free some, or move Services to another pool.`;
        const fam = pending.filter((p) => p.families.includes(family)).map((p) => p.key);
        let severity: 'error' | 'warning' | 'info';
        let message: string;
        if (level === 'full' && fam.length) {
          severity = 'error';
          const shown = fam.slice(0, 5).join(', ') + (fam.length > 5 ? ` and ${fam.length - 5} more` : '');
          message = `${poolLabel(pool)} is full, ${counts}: ${fam.length} Service${fam.length > 1 ? 's stay' : ' stays'} <pending> (${shown}), and MetalLB reports "Failed to allocate IP for "${fam[0]}": no available IPs". ${grow}`;
        } else if (level === 'full' || level === 'critical') {
          severity = 'warning';
          message = `${poolLabel(pool)} is ${level === 'full' ? 'full' : 'nearly full'}, ${counts}: the next ${WORD[family]} Services that need it will stay <pending> with "no available IPs". ${grow}`;
        } else {
          severity = 'info';
          message = `${poolLabel(pool)} is filling up, ${counts}. ${grow}`;
        }
        ctx.report({
          doc: pool.doc,
          path: poolFieldPath(pool, 'addresses'),
          part: 'key',
          severity,
          message,
          data: { pool: pool.name, family, used: u.used.toString(), total: u.total.toString(), pending: fam },
        });
      }
    }
  },
});

interface Pending {
  key: string;
  families: Family[];
}

/** Pending Services whose failure is a full pool, by the pool(s) that would have served them. */
function attributePending(ctx: RuleContext, pools: Pool[], outcomes: ServiceOutcome[]): Map<Pool, Pending[]> {
  const out = new Map<Pool, Pending[]>();
  const namespaces = ctx.model.namespaces;
  const poolNamed = poolsByName(pools);
  const add = (p: Pool, e: Pending) => {
    const list = out.get(p);
    if (list) list.push(e);
    else out.set(p, [e]);
  };
  for (const o of outcomes) {
    if (o.state !== 'pending' || !o.message || !/no available IPs/.test(o.message)) continue;
    const f = serviceFamily(o.service, ctx.network);
    const families: Family[] = 'family' in f ? (f.family === 'dual' ? ['ipv4', 'ipv6'] : [f.family]) : ['ipv4'];
    const named = /no available IPs in pool "?([^"\s]+)"?/.exec(o.message);
    if (named) {
      const p = poolNamed.get(named[1]);
      if (p) add(p, { key: o.key, families });
      continue;
    }
    for (const p of pools) {
      if (isGlobalPool(p, ctx.behaviour) || pinnedMatches(p, o.service, ctx.behaviour, namespaces)) add(p, { key: o.key, families });
    }
  }
  return out;
}
