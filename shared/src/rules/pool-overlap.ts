// CIDRs that overlap across or within pools MetalLB parses together, and duplicate pool names.
// MetalLB compares every CIDR (ranges after summarisation) with every CIDR defined before it.
import { type Cidr, cidrsOverlap, formatCidr } from '../address/cidr.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import type { Pool, PoolAddressEntry } from '../model/types.js';
import { overlapsAnother } from './support/overlapping.js';
import { configRejected, isTemplated, poolFieldPath, poolGroupKey, poolLabel, relatedAt } from './support/poolLocations.js';
import { compareText } from '../text/compareText.js';

interface Defined {
  pool: Pool;
  entry: PoolAddressEntry;
  cidr: Cidr;
}

export const rule = defineRule({
  meta: {
    id: 'pool-overlap',
    severity: 'error',
    description: 'Pool addresses that overlap (across or within pools of one MetalLB configuration), or two pools with the same name.',
  },
  check(ctx) {
    const groups = new Map<string, Pool[]>();
    for (const pool of ctx.model.pools) {
      if (!pool.doc) continue;
      const key = poolGroupKey(pool, ctx.model);
      const group = groups.get(key);
      if (group) group.push(pool);
      else groups.set(key, [pool]);
    }
    for (const pools of groups.values()) checkGroup(ctx, pools);
  },
});

function checkGroup(ctx: RuleContext, all: Pool[]): void {
  // CRs: the API server lists pools by name; a ConfigMap keeps its written order.
  const pools = all[0].source === 'ConfigMap' ? all : [...all].sort((a, b) => compareText(a.name, b.name));
  const live: Pool[] = [];
  const byName = new Map<string, Pool>();
  for (const pool of pools) {
    const first = byName.get(pool.name);
    if (first && pool.name) {
      if (first.source === pool.source && pool.source !== 'ConfigMap') {
        // The same object twice in the manifests: the one applied last replaces the other.
        ctx.report({
          doc: pool.doc,
          path: poolFieldPath(pool, 'name'),
          severity: 'warning',
          message: `${poolLabel(pool)} is defined twice in this namespace; they are one object, so whichever is applied last replaces the other. Keep one definition.`,
          related: relatedAt(first.doc, poolFieldPath(first, 'name'), 'the other definition'),
          data: { pool: pool.name },
        });
        const i = live.indexOf(first);
        if (i >= 0) live.splice(i, 1);
      } else {
        ctx.report({
          doc: pool.doc,
          path: poolFieldPath(pool, 'name'),
          message: `MetalLB refuses the configuration: duplicate definition of pool "${pool.name}" (${poolLabel(first)} has the same name). ${configRejected(pool)} Rename one of them.`,
          related: relatedAt(first.doc, poolFieldPath(first, 'name'), `the first pool named "${pool.name}"`),
          data: { pool: pool.name },
        });
        continue;
      }
    }
    byName.set(pool.name, pool);
    live.push(pool);
  }

  // Every CIDR MetalLB defines, in its order, and where each entry's CIDRs are in that list; only
  // CIDRs overlapping another one can be reported.
  const defined: Defined[] = [];
  const entries: { pool: Pool; entry: PoolAddressEntry; start: number; end: number }[] = [];
  for (const pool of live) {
    for (const entry of pool.addresses) {
      if (isTemplated(entry.text)) continue;
      const start = defined.length;
      for (const cidr of entry.cidrs) defined.push({ pool, entry, cidr });
      entries.push({ pool, entry, start, end: defined.length });
    }
  }
  const overlaps = overlapsAnother(defined.map((d) => d.cidr));
  for (const { pool, entry, start: entryStart, end: entryEnd } of entries) {
    // Each CIDR of the entry against the CIDRs defined before the entry; one finding per entry.
    for (let i = entryStart; i < entryEnd; i++) {
      if (!overlaps[i]) continue;
      const cidr = defined[i].cidr;
      let other: Defined | undefined;
      for (let j = 0; j < entryStart && !other; j++) if (defined[j].entry !== entry && cidrsOverlap(defined[j].cidr, cidr)) other = defined[j];
      if (!other) continue;
      const same = other.pool === pool;
      const c = formatCidr(cidr);
      const m = formatCidr(other.cidr);
      const where = same ? `an earlier entry of the same pool ("${other.entry.text}")` : `${poolLabel(other.pool)} ("${other.entry.text}")`;
      ctx.report({
        doc: pool.doc,
        path: entry.path,
        message: `MetalLB refuses the configuration: CIDR "${c}" in pool "${pool.name}" overlaps with already defined CIDR "${m}" from ${where}. ${configRejected(pool)} Make the addresses disjoint${same ? ' (drop the duplicate entry)' : ''}.`,
        related: relatedAt(other.pool.doc, other.entry.path, `overlapping entry "${other.entry.text}" of pool "${other.pool.name}"`),
        data: { pool: pool.name, cidr: c, otherPool: other.pool.name, otherCidr: m },
      });
      break;
    }
  }
}
