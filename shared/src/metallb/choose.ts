// allocateIPs' pool paths (controller/service.go + internal/allocator): requested IPs via Assign,
// the address-pool annotation via AllocateFromPool, automatic allocation via Allocate (pinned pools
// by priority, then global pools), each per version (≤0.14.8 vs 0.14.9 vs ≥0.15 vs ≥0.16).
import type { Family, IP } from '../address/ip.js';
import { formatIP } from '../address/ip.js';
import type { ServiceFamily } from '../model/family.js';
import type { IPFamilyPolicy, Service } from '../model/types.js';
import { type Allocator, type Candidates, type Requester, quoteIPs } from './allocator.js';
import { type ConfigPool, globalPools, pinnedPoolTiers, type PoolConfig } from './pools.js';
import type { PoolChoice } from './types.js';
import type { MetalLBBehaviour } from './versions.js';

export interface Need {
  family: ServiceFamily;
  policy: IPFamilyPolicy;
  primary: Family;
}

export type AllocResult =
  | { ok: true; pool: string; ips: IP[]; candidates?: PoolChoice[]; nondeterministic?: string }
  | { ok: false; error: string };

const isV0149 = (b: MetalLBBehaviour) => b.preferDualStackFallback && !b.familyFollowsClusterIPs;
const other = (f: Family): Family => (f === 'ipv4' ? 'ipv6' : 'ipv4');

/** selectIPsForFamilyAndPolicy (≥0.14.9): the IPs a chosen pool gives; `null` is Go's nil IP. */
export function selectIPs(b: MetalLBBehaviour, pool: ConfigPool, c: Candidates, need: Need): { ips: (IP | null)[] } | { error: string } {
  const { family: F, policy: P } = need;
  if (F !== 'dual') {
    if (isV0149(b) && P === 'PreferDualStack' && c.ipv4 && c.ipv6) return { ips: [c.ipv4, c.ipv6] }; // #2724
    const ip = c[F];
    if (ip) return { ips: [ip] };
    if (b.familyFollowsClusterIPs) return { ips: [null] };
    return { error: `no available IPs in pool ${pool.name} for ${F} IPFamily` };
  }
  if (P === 'PreferDualStack') {
    if (c.ipv4 && c.ipv6) return { ips: [c.ipv4, c.ipv6] };
    if (c.ipv4) return { ips: [c.ipv4] };
    if (c.ipv6) return { ips: [c.ipv6] };
    return { ips: [null] };
  }
  // RequireDualStack; SingleStack with two ClusterIPs (only in tests) fails the same way (inferred wording).
  if (P === 'RequireDualStack' && c.ipv4 && c.ipv6) return { ips: [c.ipv4, c.ipv6] };
  return { error: `no available IPs in pool ${pool.name} for dual IPFamily` };
}

/** ≤0.14.8 AllocateFromPool: first free address per needed family, in CIDR order. */
function legacyPick(alloc: Allocator, pool: ConfigPool, r: Requester, F: ServiceFamily): { ips: IP[] } | { error: string } {
  const needed: Family[] = F === 'dual' ? ['ipv4', 'ipv6'] : [F];
  const ips: IP[] = [];
  const found = new Set<Family>();
  for (const cidr of pool.cidrs) {
    if (!needed.includes(cidr.family) || found.has(cidr.family)) continue;
    const ip = alloc.freeInCidr(cidr, pool.avoidBuggyIPs, r);
    if (ip) {
      ips.push(ip);
      found.add(cidr.family);
    }
  }
  if (found.size < needed.length) return { error: `no available IPs in pool "${pool.name}" for ${F} IPFamily` };
  return { ips };
}

/** AllocateFromPool(name): the address-pool annotation path. */
export function allocateFromPool(alloc: Allocator, b: MetalLBBehaviour, name: string, r: Requester, need: Need): AllocResult {
  const pool = alloc.config.byName.get(name);
  if (!pool) return { ok: false, error: `unknown pool ${JSON.stringify(name)}` };
  let ips: (IP | null)[];
  if (!b.preferDualStackFallback) {
    const pick = legacyPick(alloc, pool, r, need.family);
    if ('error' in pick) return { ok: false, error: pick.error };
    ips = pick.ips;
  } else {
    const c = alloc.candidates(pool, r);
    if (b.namedPoolFullMessage && !c.ipv4 && !c.ipv6) return { ok: false, error: `no available IPs in pool ${pool.name}` };
    const sel = selectIPs(b, pool, c, need);
    if ('error' in sel) return { ok: false, error: sel.error };
    ips = sel.ips;
  }
  const err = alloc.assign(r, ips);
  if (err) return { ok: false, error: err };
  return { ok: true, pool: pool.name, ips: ips as IP[] };
}

interface Tier {
  /** Sorted by name (the order lbguard follows among pools MetalLB picks at random). */
  pools: ConfigPool[];
  why: string;
  /** The last `nondeterministic` note built for this tier (consecutive Services mostly get the same). */
  note?: { count: number; chosen: ConfigPool; text: string };
}

const byPoolName = (a: ConfigPool, c: ConfigPool) => (a.name < c.name ? -1 : 1);
const tier = (pools: ConfigPool[], why: string): Tier => ({ pools: pools.slice().sort(byPoolName), why });

/** Per configuration: the tier lists without serviceAllocation, and per Service namespace (and labels, when a pool selects Services) with it. */
const tierCache = new WeakMap<PoolConfig, { global: Tier[][]; pinned: Map<string, Tier[][]> }>();

/** The last tiersFor answer: Services come in List order, so consecutive ones share a namespace. */
let lastTiers: { config: PoolConfig; b: MetalLBBehaviour; namespace: string; lists: Tier[][] } | undefined;

function tiersFor(config: PoolConfig, b: MetalLBBehaviour, svc: Service): Tier[][] {
  // Without service selectors the lists depend on the namespace alone.
  const l = lastTiers;
  if (l && l.config === config && l.b === b && l.namespace === svc.namespace && !config.byServiceSelector.length) return l.lists;
  const lists = tierLists(config, b, svc);
  lastTiers = { config, b, namespace: svc.namespace, lists };
  return lists;
}

function tierLists(config: PoolConfig, b: MetalLBBehaviour, svc: Service): Tier[][] {
  let c = tierCache.get(config);
  if (!c) {
    c = { global: [[tier(globalPools(config), 'global pools are tried in Go map order')]], pinned: new Map() };
    tierCache.set(config, c);
  }
  if (!b.serviceAllocation) return c.global;
  // poolCompatible reads the namespace, and the labels only through serviceSelectors.
  const key = config.byServiceSelector.length ? `${svc.namespace}\0${JSON.stringify(Object.entries(svc.labels).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)))}` : svc.namespace;
  let lists = c.pinned.get(key);
  if (!lists) {
    const pinned = pinnedPoolTiers(config, svc).map((pools) => tier(pools, `pinned pools of equal priority ${pools[0].allocation!.priority}`));
    if (c.pinned.size > 10_000) c.pinned.clear();
    lists = [pinned, c.global[0]];
    c.pinned.set(key, lists);
  }
  return lists;
}

/** Candidates of pools already scanned in one allocateAuto call (pools are few: a list, no Map). */
interface CandCache {
  pools: ConfigPool[];
  cands: Candidates[];
}

/**
 * A pool's candidates for `r`. Without a cache the requester holds and shares nothing, and the
 * allocator keeps each pool's answer for all such requesters until it changes.
 */
function candsOf(alloc: Allocator, r: Requester, p: ConfigPool, cache: CandCache | undefined): Candidates {
  if (!cache) return alloc.candidates(p, r);
  const i = cache.pools.indexOf(p);
  if (i >= 0) return cache.cands[i];
  const c = alloc.candidates(p, r);
  cache.pools.push(p);
  cache.cands.push(c);
  return c;
}

/** Stage `stage` of Allocate accepts pool `p` (≤0.14.8: one stage, AllocateFromPool succeeds). */
function accepts(alloc: Allocator, b: MetalLBBehaviour, r: Requester, need: Need, stage: number, p: ConfigPool, cache: CandCache | undefined): boolean {
  if (!b.preferDualStackFallback) return !('error' in legacyPick(alloc, p, r, need.family));
  const c = candsOf(alloc, r, p, cache);
  if (need.family !== 'dual') return !!c[need.family];
  if (stage === 0) return !!(c.ipv4 && c.ipv6);
  return !!c[stage === 1 ? need.primary : other(need.primary)];
}

function give(alloc: Allocator, b: MetalLBBehaviour, r: Requester, need: Need, p: ConfigPool, cache: CandCache | undefined): { ips: (IP | null)[] } | { error: string } {
  if (!b.preferDualStackFallback) return legacyPick(alloc, p, r, need.family);
  return selectIPs(b, p, candsOf(alloc, r, p, cache), need);
}

/** A shared Candidates object's PoolChoice for one behaviour and need (the object changes when the pool's answer does). */
const choiceMemo = new WeakMap<Candidates, { b: MetalLBBehaviour; family: ServiceFamily; policy: IPFamilyPolicy; pool: ConfigPool; choice: PoolChoice }>();

/** What picking pool `p` would give `r`, as lbguard reports it among MetalLB's random choices. */
function poolChoice(alloc: Allocator, b: MetalLBBehaviour, r: Requester, need: Need, p: ConfigPool, cache: CandCache | undefined): PoolChoice {
  // Shared candidates (no cache, ≥0.14.9): the same choice for every Service until the pool changes.
  const shared = !cache && b.preferDualStackFallback ? alloc.candidates(p, r) : undefined;
  if (shared) {
    const m = choiceMemo.get(shared);
    if (m && m.b === b && m.family === need.family && m.policy === need.policy && m.pool === p) return m.choice;
  }
  const s = give(alloc, b, r, need, p, cache);
  const choice: PoolChoice = { pool: p.name, ips: 'error' in s ? [] : s.ips.map((i) => (i ? formatIP(i) : '<nil>')) };
  if (shared) choiceMemo.set(shared, { b, family: need.family, policy: need.policy, pool: p, choice });
  return choice;
}

function nondeterministicNote(t: Tier, count: number, chosen: ConfigPool): string {
  const n = t.note;
  if (n && n.count === count && n.chosen === chosen) return n.text;
  const text = `MetalLB picks one of ${count} pools at random (${t.why}); lbguard follows the first by name, "${chosen.name}"`;
  t.note = { count, chosen, text };
  return text;
}

/** Allocate: automatic allocation over pinned pools (by priority) then global pools. */
export function allocateAuto(alloc: Allocator, b: MetalLBBehaviour, r: Requester, need: Need): AllocResult {
  const lists = tiersFor(alloc.config, b, r.svc);
  const cache: CandCache | undefined = b.preferDualStackFallback && alloc.holdsOrShares(r) ? { pools: [], cands: [] } : undefined;
  // ≤0.14.8: one stage; single family: one; dual: both families, then (PreferDualStack) the primary, then the other.
  const stages = b.preferDualStackFallback && need.family === 'dual' && need.policy === 'PreferDualStack' ? 3 : 1;
  for (let l = 0; l < lists.length; l++) {
    const tiers = lists[l];
    for (let stage = 0; stage < stages; stage++) {
      for (let t = 0; t < tiers.length; t++) {
        const tier = tiers[t];
        // The first eligible pool (lbguard's pick) and, when there are more, all of them.
        let chosen: ConfigPool | undefined;
        let eligible: ConfigPool[] | undefined;
        for (let i = 0; i < tier.pools.length; i++) {
          const p = tier.pools[i];
          if (!accepts(alloc, b, r, need, stage, p, cache)) continue;
          if (!chosen) chosen = p;
          else (eligible ??= [chosen]).push(p);
        }
        if (!chosen) continue;
        const sel = give(alloc, b, r, need, chosen, cache);
        if ('error' in sel) return { ok: false, error: sel.error };
        let candidates: PoolChoice[] | undefined;
        let nondeterministic: string | undefined;
        if (eligible) {
          candidates = eligible.map((p) => poolChoice(alloc, b, r, need, p, cache));
          nondeterministic = nondeterministicNote(tier, eligible.length, chosen);
        }
        const err = alloc.assign(r, sel.ips);
        if (err) return { ok: false, error: err };
        return { ok: true, pool: chosen.name, ips: sel.ips as IP[], candidates, nondeterministic };
      }
    }
  }
  return { ok: false, error: 'no available IPs' };
}

export { quoteIPs };
