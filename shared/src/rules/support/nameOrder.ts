// Sorting many subsets of one list by name without sorting each subset: a rule that names, for
// each of hundreds of pools, every other pool it ties with would otherwise run hundreds of
// `localeCompare` sorts of hundreds of names (most of a large lint's time).
import { compareText } from '../../text/compareText.js';

/**
 * For the items of `all`, a function returning any set of them in the order
 * `[...subset].sort((a, b) => a.name.localeCompare(b.name))` gives. Nothing is compared before
 * the first call with two or more items (the first `localeCompare` of a process sets up ICU
 * collation, which a small `kubectl lb lint` should not pay for nothing).
 */
export function byNameWithin<T extends { name: string }>(all: readonly T[]): (subset: ReadonlySet<T>) => T[] {
  let order: { sorted: T[]; rank: Map<T, number>; tied: boolean } | undefined;
  return (subset) => {
    if (subset.size < 2) return [...subset];
    const { sorted, rank, tied } = (order ??= rankByName(all));
    // Without ties the names alone fix the order: pick the members in the global order (linear).
    // With ties a stable sort by rank keeps the subset's own order among equal names, as the
    // plain sort does.
    if (!tied && subset.size * 8 > sorted.length) return sorted.filter((x) => subset.has(x));
    return [...subset].sort((a, b) => rank.get(a)! - rank.get(b)!);
  };
}

/** `all` sorted by name, and each item's rank (items whose names compare equal share one). */
function rankByName<T extends { name: string }>(all: readonly T[]): { sorted: T[]; rank: Map<T, number>; tied: boolean } {
  const sorted = [...new Set(all)].sort((a, b) => compareText(a.name, b.name));
  const rank = new Map<T, number>();
  let tied = false;
  for (let i = 0, r = 0; i < sorted.length; i++) {
    if (i > 0 && compareText(sorted[i - 1].name, sorted[i].name) !== 0) r = i;
    else if (i > 0) tied = true;
    rank.set(sorted[i], r);
  }
  return { sorted, rank, tied };
}
