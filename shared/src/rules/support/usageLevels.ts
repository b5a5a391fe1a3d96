// Pool usage levels shared by `pool-exhausted` and `kubectl lb status`, so both colour a pool alike.
// Percentages are computed in BigInt (a /64 has more addresses than a double counts exactly).

/** 75 %: shown by status only; 85 %: info; 95 %: warning; full with Services pending: error. */
export const USAGE_THRESHOLDS = { notice: 75, high: 85, critical: 95 } as const;

export type UsageLevel = 'ok' | 'notice' | 'high' | 'critical' | 'full';

/** Floor of used/total in percent (0 when total is 0). */
export function usagePercent(used: bigint, total: bigint): number {
  if (total <= 0n) return 0;
  return Number((used * 100n) / total);
}

export function usageLevel(used: bigint, total: bigint): UsageLevel {
  if (total <= 0n) return 'ok';
  if (used >= total) return 'full';
  const t = USAGE_THRESHOLDS;
  if (used * 100n >= BigInt(t.critical) * total) return 'critical';
  if (used * 100n >= BigInt(t.high) * total) return 'high';
  if (used * 100n >= BigInt(t.notice) * total) return 'notice';
  return 'ok';
}
