// MetalLB ≥0.15 writes pool usage counters into IPAddressPool.status (assignedIPv4/IPv6,
// availableIPv4/IPv6, int64). When a cluster (or a snapshot of one) carries them, they are the
// allocator's own numbers and the status view uses them; counters at or above 2^53 (MetalLB writes
// MaxInt64 for IPv6 pools with ≥62 host bits) are not exact in JSON, so lbguard's BigInt count is kept.
import type { Pool } from '../model/types.js';

export type PoolCounters = NonNullable<Pool['status']>;

const KEYS = ['assignedIPv4', 'assignedIPv6', 'availableIPv4', 'availableIPv6'] as const;

/** The counters from the pool's `.status`, when present. */
export function reportedCounters(p: Pool): PoolCounters | undefined {
  if (p.status) return p.status;
  const st = p.doc?.get(['status']);
  if (!st || typeof st !== 'object') return undefined;
  const out: PoolCounters = {};
  for (const k of KEYS) {
    const v = (st as Record<string, unknown>)[k];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** used/total for one family from the counters, or undefined when they are missing or not exact. */
export function countersFor(c: PoolCounters | undefined, family: 'ipv4' | 'ipv6'): { used: bigint; total: bigint } | undefined {
  if (!c) return undefined;
  const used = family === 'ipv4' ? c.assignedIPv4 : c.assignedIPv6;
  const avail = family === 'ipv4' ? c.availableIPv4 : c.availableIPv6;
  if (used === undefined || avail === undefined || !Number.isSafeInteger(used) || !Number.isSafeInteger(avail)) return undefined;
  return { used: BigInt(used), total: BigInt(used) + BigInt(avail) };
}
