// What Harvester's IPPool webhook refuses between ranges and pools: overlapping ranges inside a
// pool or across pools, equal non-zero priorities, and a second global pool.
import { formatCidr } from '../address/cidr.js';
import { formatIP } from '../address/ip.js';
import { type AllocRange, isGlobalPool, poolRanges, rangesOverlap } from '../harvester/ranges.js';
import { defineRule } from '../lint/rule.js';
import type { HarvesterIPPool } from '../model/types.js';
import { relatedAt } from './support/poolLocations.js';
import { compareText } from '../text/compareText.js';

export const rule = defineRule({
  meta: {
    id: 'harvester-pool-overlap',
    severity: 'error',
    description: "Harvester IPPools whose ranges overlap, that share a non-zero priority, or that are a second global pool: the webhook denies them.",
  },
  check(ctx) {
    const pools = ctx.model.harvesterPools.filter((p) => p.doc).sort((a, b) => compareText(a.name, b.name));
    const parsed = pools.map((pool) => ({ pool, ranges: poolRanges(pool).ranges }));
    const denied = (p: HarvesterIPPool, why: string) => `Harvester's webhook denies IPPool "${p.name}" ("can't create IP pool ${p.name} because ${why}")`;

    parsed.forEach(({ pool, ranges }, i) => {
      // Inside the pool.
      for (let a = 0; a < ranges.length; a++) {
        for (let b = a + 1; b < ranges.length; b++) {
          if (!rangesOverlap(ranges[a].range, ranges[b].range)) continue;
          ctx.report({
            doc: pool.doc,
            path: pool.ranges[ranges[b].index].path,
            message: `${denied(pool, `there are overlaps between range ${fmt(ranges[a].range)} and ${fmt(ranges[b].range)}`)}. Make the ranges of the pool disjoint.`,
            related: relatedAt(pool.doc, pool.ranges[ranges[a].index].path, 'the range it overlaps'),
            data: { pool: pool.name },
          });
        }
      }
      // Against the pools before it (each pair once).
      for (const other of parsed.slice(0, i)) {
        const hit = ranges.flatMap((r) => other.ranges.filter((o) => rangesOverlap(r.range, o.range)).map((o) => ({ r, o })))[0];
        if (!hit) continue;
        ctx.report({
          doc: pool.doc,
          path: pool.ranges[hit.r.index].path,
          message: `${denied(pool, `the ranges … overlap with other pools`)}: ${fmt(hit.r.range)} overlaps ${fmt(hit.o.range)} of IPPool "${other.pool.name}"${(pool.network ?? '') !== (other.pool.network ?? '') ? ' (the webhook compares ranges whatever the network)' : ''}. Whichever pool is created second is refused; make the ranges disjoint.`,
          related: relatedAt(other.pool.doc, other.pool.ranges[hit.o.index].path, `overlapping range of IPPool "${other.pool.name}"`),
          data: { pool: pool.name, otherPool: other.pool.name },
        });
      }
      const priorSame = pools.slice(0, i).find((o) => pool.priority !== 0 && o.priority === pool.priority);
      if (priorSame) {
        ctx.report({
          doc: pool.doc,
          path: ['spec', 'selector', 'priority'],
          message: `${denied(pool, `the priority can't be the same as the pool ${priorSame.name}`)}. Non-zero priorities must be unique; pick another value.`,
          related: relatedAt(priorSame.doc, ['spec', 'selector', 'priority'], `IPPool "${priorSame.name}" has priority ${priorSame.priority}`),
          data: { pool: pool.name, otherPool: priorSame.name },
        });
      }
      if (isGlobalPool(pool)) {
        const otherGlobal = pools.slice(0, i).find((o) => isGlobalPool(o) && (o.network ?? '') === (pool.network ?? ''));
        if (otherGlobal) {
          ctx.report({
            doc: pool.doc,
            path: ['spec', 'selector', 'scope'],
            message: `${denied(pool, `there is already a global IP pool: ${otherGlobal.name}`)}. Only one pool may have the all-"*" scope${pool.network ? ` for network ${pool.network}` : ''}; narrow this pool's scope.`,
            related: relatedAt(otherGlobal.doc, ['spec', 'selector', 'scope'], `global IPPool "${otherGlobal.name}"`),
            data: { pool: pool.name, otherPool: otherGlobal.name },
          });
        }
      }
    });
  },
});

function fmt(r: AllocRange): string {
  return `${formatIP({ family: r.family, value: r.start })}-${formatIP({ family: r.family, value: r.end })} (subnet ${formatCidr(r.subnet)})`;
}
