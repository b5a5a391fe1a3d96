// Which CIDRs of a list overlap at least one other CIDR of the list, in O(n log n): rules that look,
// for each CIDR, for the first earlier one it overlaps (as MetalLB does) then search only for those,
// instead of comparing every pair of a configuration with hundreds of pools.
import type { Cidr } from '../../address/cidr.js';

/** `out[i]` is true when `cidrs[i]` overlaps some `cidrs[j]`, `j !== i` (same family, shared addresses). */
export function overlapsAnother(cidrs: readonly Cidr[]): boolean[] {
  const out = cidrs.map(() => false);
  const order = cidrs.map((_, i) => i).sort((a, b) => compareStarts(cidrs[a], cidrs[b]));
  // Sorted by (family, start): a CIDR overlaps one sorted before it iff the largest end before it
  // (same family) reaches its start, and one sorted after it iff the next one starts within it.
  let maxEnd: bigint | undefined;
  for (let k = 0; k < order.length; k++) {
    const c = cidrs[order[k]];
    if (k > 0 && cidrs[order[k - 1]].family !== c.family) maxEnd = undefined;
    const next = k + 1 < order.length ? cidrs[order[k + 1]] : undefined;
    if ((maxEnd !== undefined && maxEnd >= c.start) || (next && next.family === c.family && next.start <= c.end)) out[order[k]] = true;
    if (maxEnd === undefined || c.end > maxEnd) maxEnd = c.end;
  }
  return out;
}

function compareStarts(a: Cidr, b: Cidr): number {
  if (a.family !== b.family) return a.family < b.family ? -1 : 1;
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0;
}
