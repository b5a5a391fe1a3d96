// Pools that tie with each other (pool-random-choice): each pool's groups of tied pools, and the
// listing a finding gives of the others. With hundreds of global pools every finding names hundreds
// of others, so a group's listing is made once and each finding gets it minus its own pool.
import type { RelatedLocation } from '../../findings/finding.js';
import type { Pool } from '../../model/types.js';
import { byNameWithin } from './nameOrder.js';

/** Pools tied with each other; one array per distinct membership (see `groupsOf`). */
export type Group = readonly Pool[];

/** How a finding names one other pool. */
export interface Mention {
  quoted: string;
  related: RelatedLocation[];
}

/** What a finding lists about the pools its pool ties with, in name order. */
export interface Listing {
  /** The mentions' `quoted`, joined by ", ". */
  quoted: string;
  names: string[];
  related: RelatedLocation[];
}

/**
 * The one array kept for each distinct membership (members drawn from `pools`, in their order): the
 * IPv4 and IPv6 global pools are usually the same pools, and thousands of Services share the same
 * candidates, so a pool is in a handful of groups at most.
 */
export function groupsOf(pools: Pool[]): (members: Pool[]) => Group {
  const index = new Map(pools.map((p, i) => [p, i]));
  const byMembers = new Map<string, Group>();
  return (members) => {
    const key = members.map((p) => index.get(p)).join(',');
    let g = byMembers.get(key);
    if (!g) byMembers.set(key, (g = members));
    return g;
  };
}

/**
 * The listing of the pools a pool ties with (the other members of its groups, sorted by name), or
 * undefined when there are none. With hundreds of global pools every finding names hundreds of
 * others: a pool in one group (the usual case) gets its group's listing, made once, minus itself.
 */
export function listings(pools: Pool[], mentionOf: (o: Pool) => Mention): (pool: Pool, groups: Set<Group>) => Listing | undefined {
  const byName = byNameWithin(pools);
  const mention = memoized(mentionOf);
  // Where each pool's part starts in `quoted` and `related` (one more entry: the ends).
  const listingOf = (sorted: Pool[]): Listing & { quotedStart: number[]; relatedStart: number[] } => {
    const quoted: string[] = [];
    const out = { quoted: '', names: [] as string[], related: [] as RelatedLocation[], quotedStart: [] as number[], relatedStart: [] as number[] };
    let at = 0;
    for (const o of sorted) {
      const m = mention(o);
      quoted.push(m.quoted);
      out.quotedStart.push(at);
      at += m.quoted.length + SEPARATOR.length;
      out.names.push(o.name);
      out.relatedStart.push(out.related.length);
      for (const r of m.related) out.related.push(r);
    }
    out.quoted = quoted.join(SEPARATOR);
    out.quotedStart.push(at);
    out.relatedStart.push(out.related.length);
    return out;
  };
  const whole = memoized((g: Group) => {
    const sorted = byName(new Set(g));
    return { sorted, listing: listingOf(sorted) };
  });
  return (pool, groups) => {
    if (groups.size === 1) {
      const { sorted, listing } = whole(groups.values().next().value!);
      if (sorted.length < 2) return undefined;
      const k = sorted.indexOf(pool);
      // Cut out of the group's listing: slices of one joined string rather than a join per finding.
      const { quoted, quotedStart: qs, relatedStart: rs } = listing;
      const last = sorted.length - 1;
      const quotedOthers = k === 0 ? quoted.slice(qs[1]) : k === last ? quoted.slice(0, qs[last] - SEPARATOR.length) : quoted.slice(0, qs[k]) + quoted.slice(qs[k + 1]);
      return { quoted: quotedOthers, names: without(listing.names, k, k + 1), related: without(listing.related, rs[k], rs[k + 1]) };
    }
    const others = new Set<Pool>();
    for (const g of groups) for (const o of g) if (o !== pool) others.add(o);
    return others.size ? listingOf(byName(others)) : undefined;
  };
}

const SEPARATOR = ', ';

/** A copy of `xs` without the items in [from, to). */
function without<T>(xs: T[], from: number, to: number): T[] {
  return xs.slice(0, from).concat(xs.slice(to));
}

export function memoized<K, V>(make: (k: K) => V): (k: K) => V {
  const cache = new Map<K, V>();
  return (k) => {
    let v = cache.get(k);
    if (v === undefined) cache.set(k, (v = make(k)));
    return v;
  };
}
