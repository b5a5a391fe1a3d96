// Which pools MetalLB's automatic allocation considers for a Service (controller §3.4): global pools
// (autoAssign, no serviceAllocation) and pinned pools (serviceAllocation matching the Service), and
// pool capacity counted the way MetalLB counts it (§1.4), in BigInt.
import type { Family } from '../../address/ip.js';
import type { MetalLBBehaviour } from '../../metallb/versions.js';
import { selectorMatches } from '../../model/labels.js';
import type { Namespace, Pool, Service } from '../../model/types.js';

/** Used by automatic allocation with no serviceAllocation (random Go map order among them). */
export function isGlobalPool(pool: Pool, b: MetalLBBehaviour): boolean {
  return pool.autoAssign && (!pool.serviceAllocation || !b.serviceAllocation || pool.source !== 'IPAddressPool');
}

/** A pinned pool: autoAssign with a serviceAllocation MetalLB honours (≥0.13.9). */
export function isPinnedPool(pool: Pool, b: MetalLBBehaviour): boolean {
  return pool.autoAssign && !!pool.serviceAllocation && b.serviceAllocation && pool.source === 'IPAddressPool';
}

/** namespaces ∪ Namespaces matched by namespaceSelectors (resolved at config-parse time). */
export function namespaceSet(pool: Pool, namespaces: Namespace[]): Set<string> {
  const sa = pool.serviceAllocation;
  const out = new Set(sa?.namespaces ?? []);
  for (const ns of namespaces) if (sa?.namespaceSelectors.some((s) => selectorMatches(s, ns.labels))) out.add(ns.name);
  return out;
}

/** Pinned pool that matches every Service (≥0.15.0, serviceAllocation with only a priority). */
export function matchesEveryService(pool: Pool, b: MetalLBBehaviour): boolean {
  const sa = pool.serviceAllocation;
  return !!sa && b.priorityOnlyMatchesAll && sa.namespaces.length === 0 && sa.namespaceSelectors.length === 0 && sa.serviceSelectors.length === 0;
}

/** Whether a pinned pool is a candidate for this Service (in an index, and compatible). */
export function pinnedMatches(pool: Pool, svc: Pick<Service, 'namespace' | 'labels'>, b: MetalLBBehaviour, namespaces: Namespace[]): boolean {
  if (!isPinnedPool(pool, b)) return false;
  if (matchesEveryService(pool, b)) return true;
  const sa = pool.serviceAllocation!;
  const nsSet = namespaceSet(pool, namespaces);
  const svcSel = sa.serviceSelectors;
  const inNs = nsSet.has(svc.namespace);
  const selMatch = svcSel.some((s) => selectorMatches(s, svc.labels));
  if (!inNs && !selMatch) return false; // in neither index
  return (nsSet.size === 0 || inNs) && (svcSel.length === 0 || selMatch);
}

export function poolHasFamily(pool: Pool, family: Family): boolean {
  return pool.cidrs.some((c) => c.family === family);
}

/** Addresses MetalLB can hand out in one family (exact: avoidBuggyIPs removes every .0/.255 address). */
export function usableCount(pool: Pool, family: Family, avoidBuggy = pool.avoidBuggyIPs): bigint {
  let n = 0n;
  for (const c of pool.cidrs) {
    if (c.family !== family) continue;
    let size = c.end - c.start + 1n;
    if (avoidBuggy && family === 'ipv4') size -= buggyBetween(c.start, c.end);
    n += size;
  }
  return n;
}

/** Count of IPv4 values in [a, b] whose last octet is 0 or 255. */
function buggyBetween(a: bigint, b: bigint): bigint {
  const count = (x: bigint, r: bigint) => (x < r ? 0n : (x - r) / 256n + 1n); // values ≤ x with v % 256 == r
  return count(b, 0n) - (a > 0n ? count(a - 1n, 0n) : 0n) + count(b, 255n) - (a > 0n ? count(a - 1n, 255n) : 0n);
}
