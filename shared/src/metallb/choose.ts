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
  pools: ConfigPool[];
  why: string;
}

/** Per configuration: the global tier, and the pinned tiers per Service namespace (and labels, when a pool selects Services). */
const tierCache = new WeakMap<PoolConfig, { global: Tier[]; pinned: Map<string, Tier[]> }>();

function tiersFor(config: PoolConfig, b: MetalLBBehaviour, svc: Service): Tier[][] {
  let c = tierCache.get(config);
  if (!c) {
    c = { global: [{ pools: globalPools(config), why: 'global pools are tried in Go map order' }], pinned: new Map() };
    tierCache.set(config, c);
  }
  const lists: Tier[][] = [];
  if (b.serviceAllocation) {
    // poolCompatible reads the namespace, and the labels only through serviceSelectors.
    const key = config.byServiceSelector.length ? `${svc.namespace}\0${JSON.stringify(Object.entries(svc.labels).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)))}` : svc.namespace;
    let pinned = c.pinned.get(key);
    if (!pinned) {
      pinned = pinnedPoolTiers(config, svc).map((pools) => ({ pools, why: `pinned pools of equal priority ${pools[0].allocation!.priority}` }));
      if (c.pinned.size > 10_000) c.pinned.clear();
      c.pinned.set(key, pinned);
    }
    lists.push(pinned);
  }
  lists.push(c.global);
  return lists;
}

/** Allocate: automatic allocation over pinned pools (by priority) then global pools. */
export function allocateAuto(alloc: Allocator, b: MetalLBBehaviour, r: Requester, need: Need): AllocResult {
  const lists = tiersFor(alloc.config, b, r.svc);
  const cache = new Map<string, Candidates>();
  const cands = (p: ConfigPool) => {
    let c = cache.get(p.name);
    if (!c) cache.set(p.name, (c = alloc.candidates(p, r)));
    return c;
  };
  for (const tiers of lists) {
    let stages: ((p: ConfigPool) => boolean)[];
    if (!b.preferDualStackFallback) {
      // ≤0.14.8: first pool where AllocateFromPool succeeds.
      stages = [(p) => !('error' in legacyPick(alloc, p, r, need.family))];
    } else if (need.family !== 'dual') {
      const F = need.family;
      stages = [(p) => !!cands(p)[F]];
    } else {
      stages = [(p) => !!(cands(p).ipv4 && cands(p).ipv6)];
      if (need.policy === 'PreferDualStack') stages.push((p) => !!cands(p)[need.primary], (p) => !!cands(p)[other(need.primary)]);
    }
    for (const stage of stages) {
      for (const tier of tiers) {
        const eligible = tier.pools.filter(stage).sort((a, c) => (a.name < c.name ? -1 : 1));
        if (eligible.length === 0) continue;
        const give = (p: ConfigPool): { ips: (IP | null)[] } | { error: string } => {
          if (!b.preferDualStackFallback) return legacyPick(alloc, p, r, need.family);
          return selectIPs(b, p, cands(p), need);
        };
        const chosen = eligible[0];
        const sel = give(chosen);
        if ('error' in sel) return { ok: false, error: sel.error };
        let candidates: PoolChoice[] | undefined;
        let nondeterministic: string | undefined;
        if (eligible.length > 1) {
          candidates = eligible.map((p) => {
            const s = give(p);
            return { pool: p.name, ips: 'error' in s ? [] : s.ips.map((i) => (i ? formatIP(i) : '<nil>')) };
          });
          nondeterministic = `MetalLB picks one of ${eligible.length} pools at random (${tier.why}); lbguard follows the first by name, "${chosen.name}"`;
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
