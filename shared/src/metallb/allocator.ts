// MetalLB's allocator (internal/allocator): per-Service allocations, per-IP sharing state, the
// first-free scan and Assign's checks with MetalLB's error strings. Used addresses live in BigInt
// interval sets per family, so a /48 with 100k assignments scans as cheaply as a /30.
import { type Cidr, cidrSize } from '../address/cidr.js';
import { type Family, type IP, formatIP, formatIPv4, formatIPv4Number, formatIPv6, isBuggyIP } from '../address/ip.js';
import { IntervalSet } from '../address/intervalSet.js';
import { IPv4Table } from './ipv4Table.js';
import type { Service } from '../model/types.js';
import { type ConfigPool, type PoolConfig, poolCompatible } from './pools.js';
import type { FamilyUsage, PoolUsage } from './types.js';
import type { MetalLBBehaviour } from './versions.js';

export interface Port {
  proto: string;
  port: number;
}

export interface Allocation {
  /** The Service key holding it. */
  key: string;
  pool: string;
  ips: IP[];
  ports: Port[];
  sharingKey: string;
  backendKey: string;
}

/**
 * An IP held by more than one Service (or once so): its holders and their ports. An IP with a
 * single holder is mapped to that holder's Allocation instead (most IPs: no extra objects).
 */
class SharedUse {
  /** The first holder's keys (every later holder had to match them). */
  readonly sharingKey: string;
  readonly backendKey: string;
  /** Services holding the IP, in the order they came. */
  readonly services: string[];
  /** `PROTO/port` → service key. A port has at most one holder per IP (Assign refuses a second). */
  readonly ports = new Map<string, string>();
  /** The allocation of services[0] (usage() reads its pool for every IP: no lookup by key). */
  first: Allocation;

  constructor(only: Allocation) {
    this.sharingKey = only.sharingKey;
    this.backendKey = only.backendKey;
    this.services = [only.key];
    this.first = only;
    for (const p of only.ports) this.ports.set(portId(p), only.key);
  }
}

/** What an address maps to: its only holder's allocation, or the record of its holders. */
type AddressUse = Allocation | SharedUse;

/** The pool an IP in use is held from (all its holders hold it from the same pool). */
function poolOfUse(use: AddressUse): string {
  return use instanceof SharedUse ? use.first.pool : use.pool;
}

/** An IP's holders in the order they came (a new list for a single holder). */
function holdersOfUse(use: AddressUse): string[] {
  return use instanceof SharedUse ? use.services : [use.key];
}

/** The request side of an allocation: who asks and with which sharing keys. */
export interface Requester {
  key: string;
  svc: Service;
  ports: Port[];
  sharingKey: string;
  backendKey: string;
  /** The allocator's slot for `key`, kept here by `slotOwner` (saves a lookup by key per call). */
  slot?: AllocationSlot;
  slotOwner?: Allocator;
}

/** A Service key's place in one allocator: its allocation, if any. */
export interface AllocationSlot {
  readonly key: string;
  alloc: Allocation | undefined;
}

export interface Candidates {
  ipv4?: IP;
  ipv6?: IP;
}

const FAMILIES: Family[] = ['ipv4', 'ipv6'];
const portId = (p: Port) => `${p.proto}/${p.port}`;

/** Go's `%q` of a []net.IP: `["1.2.3.4" "<nil>"]`. */
export function quoteIPs(ips: (IP | null | string)[]): string {
  return `[${ips.map((i) => (i === null ? '"<nil>"' : JSON.stringify(typeof i === 'string' ? i : formatIP(i)))).join(' ')}]`;
}

interface IndexEntry {
  start: bigint;
  end: bigint;
  pool: ConfigPool;
  /**
   * The address a requester holding nothing in this family and sharing nothing gets from this CIDR
   * (null: none), undefined until scanned. Every such requester gets the same one, so it is scanned
   * once and kept until an address at or below it is taken or freed.
   */
  free: IP | null | undefined;
  /** The pool's cache, dropped with this entry's. */
  poolCache: PoolCache;
}

/** A pool's candidates for a requester holding nothing and sharing nothing (undefined: not computed). */
interface PoolCache {
  cands: Candidates | undefined;
}

export class Allocator {
  /**
   * Every slot made, in order (kept once created, empty while unassigned). Requesters remember
   * their slot, so a reconcile finds it without a lookup by key.
   */
  private readonly slotList: AllocationSlot[] = [];
  /**
   * Service key → its slot. With `oneRequesterPerKey` it is built on the first lookup by key
   * (deletions, config loads, shared IPs) and kept current after that; a one-shot simulation of
   * 100k Services that share nothing never needs it.
   */
  private slotMap: Map<string, AllocationSlot> | undefined;
  /** Address → its users: IPv4 by number in pages (see IPv4Table), IPv6 by BigInt value. */
  private readonly v4Use = new IPv4Table<AddressUse>();
  private readonly v6Use = new Map<bigint, AddressUse>();
  private readonly used: Record<Family, IntervalSet> = { ipv4: new IntervalSet(), ipv6: new IntervalSet() };
  /** `sharingKey\0backendKey` → IPs whose users carry that (non-empty) sharing key. */
  private readonly shareIndex = new Map<string, Record<Family, IntervalSet>>();
  private index: Record<Family, IndexEntry[]> = { ipv4: [], ipv6: [] };
  private byCidr = new Map<Cidr, IndexEntry>();
  private poolCaches = new Map<ConfigPool, PoolCache>();
  config!: PoolConfig;

  /**
   * `oneRequesterPerKey`: the caller asks about each key through one Requester at a time and
   * carries `slot`/`slotOwner` over when it replaces that Requester (the controller does, through
   * each Service's state), so a Requester with no slot here is a key this allocator has not seen
   * and needs no lookup. A key deleted and created again gets a new slot; the old one is empty by
   * then (the deletion unassigned it) and the map keeps the newest.
   */
  constructor(
    config: PoolConfig,
    readonly behaviour: MetalLBBehaviour,
    private readonly oneRequesterPerKey = false,
  ) {
    this.setConfig(config);
  }

  /** Key → slot, built from the slot list on first use. */
  private get slots(): Map<string, AllocationSlot> {
    let m = this.slotMap;
    if (!m) {
      m = new Map();
      for (const slot of this.slotList) m.set(slot.key, slot);
      this.slotMap = m;
    }
    return m;
  }

  /** Replaces the pools and re-homes every allocation; returns the keys whose IPs fit no pool now. */
  setConfig(config: PoolConfig): string[] {
    this.config = config;
    const index: Record<Family, IndexEntry[]> = { ipv4: [], ipv6: [] };
    this.byCidr = new Map();
    this.poolCaches = new Map();
    for (const p of config.ordered) {
      const poolCache: PoolCache = { cands: undefined };
      this.poolCaches.set(p, poolCache);
      for (const c of p.cidrs) {
        const e: IndexEntry = { start: c.start, end: c.end, pool: p, free: undefined, poolCache };
        index[c.family].push(e);
        this.byCidr.set(c, e);
      }
    }
    for (const f of FAMILIES) index[f].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    this.index = index;
    const orphans: string[] = [];
    for (const slot of this.slotList) {
      const a = slot.alloc;
      if (!a) continue;
      const key = slot.key;
      const p = this.poolFor(a.ips);
      if (p) a.pool = p.name;
      else orphans.push(key);
    }
    return orphans;
  }

  /** Every allocation by Service key (a new map: config loads read it). */
  get allocated(): Map<string, Allocation> {
    const m = new Map<string, Allocation>();
    for (const slot of this.slotList) if (slot.alloc) m.set(slot.key, slot.alloc);
    return m;
  }

  /** The allocation of a Service key, if any. */
  allocationOf(key: string): Allocation | undefined {
    return this.slots.get(key)?.alloc;
  }

  /** The allocation of the requester's key, if any (through the slot it remembers). */
  allocationFor(r: Requester): Allocation | undefined {
    return this.slotFor(r).alloc;
  }

  private slotFor(r: Requester): AllocationSlot {
    if (r.slotOwner === this) return r.slot!;
    let slot = this.slotMap || !this.oneRequesterPerKey ? this.slots.get(r.key) : undefined;
    if (!slot) {
      slot = { key: r.key, alloc: undefined };
      this.slotList.push(slot);
      this.slotMap?.set(r.key, slot);
    }
    r.slot = slot;
    r.slotOwner = this;
    return slot;
  }

  /** The pool owning one address (avoidBuggyIPs pools do not own their .0/.255 addresses). */
  poolOfIP(ip: IP): ConfigPool | undefined {
    const list = this.index[ip.family];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = list[mid];
      if (ip.value < e.start) hi = mid - 1;
      else if (ip.value > e.end) lo = mid + 1;
      else return e.pool.avoidBuggyIPs && isBuggyIP(ip) ? undefined : e.pool;
    }
    return undefined;
  }

  /** The index entry (pool CIDR) containing a value, whatever avoidBuggyIPs says. */
  private entryOf(f: Family, v: bigint): IndexEntry | undefined {
    const list = this.index[f];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = list[mid];
      if (v < e.start) hi = mid - 1;
      else if (v > e.end) lo = mid + 1;
      else return e;
    }
    return undefined;
  }

  /** An address was taken or freed: drop the cached first free address it may change. */
  private usedChanged(f: Family, v: bigint): void {
    const e = this.entryOf(f, v);
    if (!e || e.free === undefined) return;
    if (e.free === null || v <= e.free.value) {
      e.free = undefined;
      e.poolCache.cands = undefined;
    }
  }

  /** poolFor: the pool holding every IP of the list, or undefined. */
  poolFor(ips: (IP | null)[]): ConfigPool | undefined {
    if (ips.length === 0) return undefined;
    let pool: ConfigPool | undefined;
    for (const ip of ips) {
      if (!ip) return undefined;
      const p = this.poolOfIP(ip);
      if (!p || (pool && p !== pool)) return undefined;
      pool = p;
    }
    return pool;
  }

  /** MetalLB's per-IP sharing check for `r` on `ip`; undefined when allowed. */
  checkSharing(r: Requester, ip: IP): string | undefined {
    const use = this.useOf(ip);
    if (!use) return undefined;
    if (!(use instanceof SharedUse)) {
      // One holder: its allocation carries the keys and ports.
      if (use.key === r.key) return undefined;
      if (!r.sharingKey || !use.sharingKey || r.sharingKey !== use.sharingKey || r.backendKey !== use.backendKey) {
        return `can't change sharing key for "${r.key}", address also in use by ${use.key}`;
      }
      for (const p of r.ports) for (const q of use.ports) if (q.proto === p.proto && q.port === p.port) return `port ${portId(p)} is already in use on "${formatIP(ip)}"`;
      return undefined;
    }
    const svcs = use.services;
    if (svcs.length === 1 && svcs[0] === r.key) return undefined;
    const others = svcs.filter((s) => s !== r.key);
    if (others.length === 0) return undefined;
    if (!r.sharingKey || !use.sharingKey || r.sharingKey !== use.sharingKey || r.backendKey !== use.backendKey) {
      return `can't change sharing key for "${r.key}", address also in use by ${others.sort().join(',')}`;
    }
    for (const p of r.ports) {
      const holder = use.ports.get(portId(p));
      if (holder !== undefined && holder !== r.key) return `port ${portId(p)} is already in use on "${formatIP(ip)}"`;
    }
    return undefined;
  }

  private useOf(ip: IP): AddressUse | undefined {
    return ip.family === 'ipv4' ? this.v4Use.get(Number(ip.value)) : this.v6Use.get(ip.value);
  }

  private setUse(ip: IP, use: AddressUse): void {
    if (ip.family === 'ipv4') this.v4Use.set(Number(ip.value), use);
    else this.v6Use.set(ip.value, use);
  }

  /** Assign: poolFor, compatibility, count/family, sharing; then record. Undefined on success. */
  assign(r: Requester, ips: (IP | null)[]): string | undefined {
    const pool = this.poolFor(ips);
    if (!pool) return `${quoteIPs(ips)} is not allowed in config`;
    if (this.behaviour.serviceAllocation && !poolCompatible(pool, r.svc)) return `pool ${pool.name} not compatible for ip assignment`;
    const real = ips as IP[];
    if (real.length > 2) return `more than two addresses ${quoteIPs(real)}`;
    if (real.length === 2 && real[0].family === real[1].family) return `${JSON.stringify(formatIP(real[0]))} ${JSON.stringify(formatIP(real[1]))} has the same family`;
    for (const ip of real) {
      const err = this.checkSharing(r, ip);
      if (err) return err;
    }
    // Re-adopting what it already holds, with the same keys and ports: unassign + record would
    // rebuild the same state.
    const slot = this.slotFor(r);
    const prev = slot.alloc;
    if (prev && prev.pool === pool.name && prev.ports === r.ports && prev.sharingKey === r.sharingKey && prev.backendKey === r.backendKey && sameIPs(prev.ips, real)) return undefined;
    this.unassignSlot(slot);
    this.record(slot, { key: slot.key, pool: pool.name, ips: real, ports: r.ports, sharingKey: r.sharingKey, backendKey: r.backendKey });
    return undefined;
  }

  private record(slot: AllocationSlot, a: Allocation): void {
    const key = slot.key;
    slot.alloc = a;
    for (const ip of a.ips) {
      const use = this.useOf(ip);
      if (!use) {
        this.setUse(ip, a);
        this.used[ip.family].add(ip.value);
        this.usedChanged(ip.family, ip.value);
        if (a.sharingKey) this.shareSet(a.sharingKey, a.backendKey)[ip.family].add(ip.value);
        continue;
      }
      // A second holder (Assign checked the keys and ports): the IP gets a record of its holders.
      let shared: SharedUse;
      if (use instanceof SharedUse) shared = use;
      else this.setUse(ip, (shared = new SharedUse(use)));
      shared.services.push(key);
      for (const p of a.ports) shared.ports.set(portId(p), key);
    }
  }

  private shareSet(sk: string, bk: string): Record<Family, IntervalSet> {
    const id = `${sk}\0${bk}`;
    let s = this.shareIndex.get(id);
    if (!s) {
      s = { ipv4: new IntervalSet(), ipv6: new IntervalSet() };
      this.shareIndex.set(id, s);
    }
    return s;
  }

  /** Unassign: drops the allocation (idempotent); true when there was one. */
  unassign(key: string): boolean {
    const slot = this.slots.get(key);
    return slot ? this.unassignSlot(slot) : false;
  }

  /** unassign for the requester's key. */
  unassignFor(r: Requester): boolean {
    return this.unassignSlot(this.slotFor(r));
  }

  private unassignSlot(slot: AllocationSlot): boolean {
    const a = slot.alloc;
    if (!a) return false;
    const key = slot.key;
    slot.alloc = undefined;
    for (const ip of a.ips) {
      const use = this.useOf(ip);
      if (!use) continue;
      if (use instanceof SharedUse) {
        const i = use.services.indexOf(key);
        if (i >= 0) use.services.splice(i, 1);
        if (i === 0 && use.services.length > 0) use.first = this.allocationOf(use.services[0])!;
        for (const [p, holder] of [...use.ports]) if (holder === key) use.ports.delete(p);
        if (use.services.length > 0) continue;
      } else if (use.key !== key) continue;
      if (ip.family === 'ipv4') this.v4Use.delete(Number(ip.value));
      else this.v6Use.delete(ip.value);
      this.used[ip.family].delete(ip.value);
      this.usedChanged(ip.family, ip.value);
      if (use.sharingKey) this.shareSet(use.sharingKey, use.backendKey)[ip.family].delete(ip.value);
    }
    return true;
  }

  /** Services holding an IP, sorted. */
  holdersOf(ip: IP): string[] {
    const use = this.useOf(ip);
    return use ? holdersOfUse(use).slice().sort() : [];
  }

  /**
   * getIPFromCIDR: the first address of `cidr` (network address included) that is free or
   * share-compatible for `r`, skipping buggy addresses when the pool avoids them.
   */
  freeInCidr(cidr: Cidr, avoidBuggy: boolean, r: Requester): IP | undefined {
    const f = cidr.family;
    const mine = this.slotFor(r).alloc?.ips;
    const share = r.sharingKey ? this.shareIndex.get(`${r.sharingKey}\0${r.backendKey}`)?.[f] : undefined;
    if (share === undefined && !holdsFamily(mine, f)) {
      // Nothing of its own here and nothing to share: the answer every such requester gets.
      const e = this.byCidr.get(cidr);
      if (e && e.pool.avoidBuggyIPs === avoidBuggy) {
        if (e.free === undefined) e.free = this.scanCidr(cidr, avoidBuggy, r, undefined, undefined) ?? null;
        return e.free ?? undefined;
      }
    }
    return this.scanCidr(cidr, avoidBuggy, r, mine, share);
  }

  private scanCidr(cidr: Cidr, avoidBuggy: boolean, r: Requester, mine: IP[] | undefined, share: IntervalSet | undefined): IP | undefined {
    const f = cidr.family;
    const used = this.used[f];
    let cur = cidr.start;
    while (cur <= cidr.end) {
      let v = used.nextAbsent(cur);
      let free = true;
      if (mine) {
        for (const ip of mine) {
          if (ip.family !== f) continue;
          const o = ip.value;
          if (o >= cur && o < v) {
            v = o;
            free = false;
          }
        }
      }
      const s = share?.nextPresent(cur);
      if (s !== undefined && s < v) {
        v = s;
        free = false;
      }
      if (v > cidr.end) return undefined;
      const ip: IP = { family: f, value: v };
      if (avoidBuggy && isBuggyIP(ip)) {
        cur = v + 1n;
        continue;
      }
      if (free || this.checkSharing(r, ip) === undefined) return ip;
      cur = v + 1n;
    }
    return undefined;
  }

  /**
   * True when `r` holds an allocation or carries a sharing key other holders use: then its
   * candidates are its own; otherwise they are every such requester's (and cached).
   */
  holdsOrShares(r: Requester): boolean {
    return !!this.slotFor(r).alloc || (!!r.sharingKey && this.shareIndex.has(`${r.sharingKey}\0${r.backendKey}`));
  }

  /** getFreeIPsFromPool: at most one candidate per family, CIDRs in pool order. */
  candidates(pool: ConfigPool, r: Requester, families: Family[] = FAMILIES): Candidates {
    if (families === FAMILIES && !this.holdsOrShares(r)) {
      // Holding nothing and sharing nothing: the pool's answer is everyone's (read-only, shared).
      const pc = this.poolCaches.get(pool);
      if (pc) return (pc.cands ??= this.scanCandidates(pool, r, families));
    }
    return this.scanCandidates(pool, r, families);
  }

  private scanCandidates(pool: ConfigPool, r: Requester, families: Family[]): Candidates {
    const wantV4 = families.includes('ipv4');
    const wantV6 = families.includes('ipv6');
    let v4: IP | undefined;
    let v6: IP | undefined;
    const cidrs = pool.cidrs;
    for (let i = 0; i < cidrs.length; i++) {
      const c = cidrs[i];
      if (c.family === 'ipv4' ? v4 || !wantV4 : v6 || !wantV6) continue;
      const ip = this.freeInCidr(c, pool.avoidBuggyIPs, r);
      if (ip) {
        if (c.family === 'ipv4') v4 = ip;
        else v6 = ip;
      }
    }
    // One literal per case (no keys added one by one); absent families stay absent.
    if (v4 && v6) return { ipv4: v4, ipv6: v6 };
    if (v4) return { ipv4: v4 };
    return v6 ? { ipv6: v6 } : {};
  }

  /**
   * Pool usage: allocatable addresses (exact, after avoidBuggyIPs) and distinct addresses in use.
   * `handOff`: the allocator is not used afterwards, so a single holder's list goes out uncopied.
   */
  usage(handOff = false): PoolUsage[] {
    // Holders read off the used-address sets per pool CIDR, already in address order. Every IP in
    // use must come out once, under the pool its holders' allocation names; otherwise (never seen)
    // the general path below decides.
    const seen = { count: 0, mismatch: false };
    const fast = this.config.ordered.map((p) => this.poolUsage(p, this.holdersInPool(p, seen, handOff)));
    if (!seen.mismatch && seen.count === this.v4Use.size + this.v6Use.size) return fast;
    return this.usageByUsers();
  }

  private poolUsage(p: ConfigPool, holders: { ip: string; services: string[] }[]): PoolUsage {
    const fam: Record<Family, FamilyUsage> = { ipv4: { total: 0n, used: 0n }, ipv6: { total: 0n, used: 0n } };
    for (const c of p.cidrs) {
      fam[c.family].total += cidrSize(c) - (p.avoidBuggyIPs ? buggyIn(c) : 0n);
      fam[c.family].used += this.used[c.family].countIn(c.start, c.end);
    }
    return { pool: p.name, ipv4: fam.ipv4, ipv6: fam.ipv6, holders };
  }

  /** The IPs in use inside a pool's CIDRs, IPv4 then IPv6, each in address order. */
  private holdersInPool(p: ConfigPool, seen: { count: number; mismatch: boolean }, handOff: boolean): { ip: string; services: string[] }[] {
    const list: { ip: string; services: string[] }[] = [];
    for (const f of FAMILIES) {
      const cidrs = p.cidrs.filter((c) => c.family === f).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
      const used = this.used[f];
      for (const c of cidrs) {
        let cur = c.start;
        while (cur <= c.end) {
          const s = used.nextPresent(cur);
          if (s === undefined || s > c.end) break;
          let e = used.nextAbsent(s) - 1n;
          if (e > c.end) e = c.end;
          if (f === 'ipv4') {
            for (let v = Number(s), end = Number(e); v <= end; v++) this.listHolder(list, p, this.v4Use.get(v), v, undefined, seen, handOff);
          } else {
            for (let v = s; v <= e; v++) this.listHolder(list, p, this.v6Use.get(v), undefined, v, seen, handOff);
          }
          cur = e + 1n;
        }
      }
    }
    return list;
  }

  private listHolder(list: { ip: string; services: string[] }[], p: ConfigPool, use: AddressUse | undefined, v4: number | undefined, v6: bigint | undefined, seen: { count: number; mismatch: boolean }, handOff: boolean): void {
    if (!use || poolOfUse(use) !== p.name) {
      seen.mismatch = true;
      return;
    }
    seen.count++;
    list.push({ ip: v6 === undefined ? formatIPv4Number(v4!) : formatIPv6(v6), services: use instanceof SharedUse ? (use.services.length > 1 || !handOff ? use.services.slice().sort() : use.services) : [use.key] });
  }

  /** usage() grouping every IP in use by its holders' pool (the general path). */
  private usageByUsers(): PoolUsage[] {
    // Every IP in use, from its users; all users of an IP hold it from the same pool (the one owning it).
    const holders = new Map<string, { v4: [number, AddressUse][]; v6: [bigint, AddressUse][] }>();
    const forPool = (use: AddressUse) => {
      const pool = poolOfUse(use);
      let h = holders.get(pool);
      if (!h) holders.set(pool, (h = { v4: [], v6: [] }));
      return h;
    };
    this.v4Use.forEach((use, v) => forPool(use).v4.push([v, use]));
    for (const e of this.v6Use) forPool(e[1]).v6.push(e);
    const holder = (ip: string, use: AddressUse) => ({ ip, services: holdersOfUse(use).slice().sort() });
    return this.config.ordered.map((p) => {
      const fam: Record<Family, FamilyUsage> = { ipv4: { total: 0n, used: 0n }, ipv6: { total: 0n, used: 0n } };
      for (const c of p.cidrs) {
        fam[c.family].total += cidrSize(c) - (p.avoidBuggyIPs ? buggyIn(c) : 0n);
        fam[c.family].used += this.used[c.family].countIn(c.start, c.end);
      }
      const h = holders.get(p.name);
      const list: { ip: string; services: string[] }[] = [];
      if (h) {
        for (const [v, use] of h.v4.sort((a, b) => a[0] - b[0])) list.push(holder(formatIPv4(BigInt(v)), use));
        for (const [v, use] of h.v6.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) list.push(holder(formatIPv6(v), use));
      }
      return { pool: p.name, ipv4: fam.ipv4, ipv6: fam.ipv6, holders: list };
    });
  }
}

function holdsFamily(ips: IP[] | undefined, f: Family): boolean {
  if (ips) for (const ip of ips) if (ip.family === f) return true;
  return false;
}

function sameIPs(a: IP[], b: IP[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].family !== b[i].family || a[i].value !== b[i].value) return false;
  return true;
}

/** .0/.255 addresses inside an IPv4 CIDR. */
export function buggyIn(c: Cidr): bigint {
  if (c.family !== 'ipv4') return 0n;
  if (c.prefix <= 24) return 2n * (1n << BigInt(24 - c.prefix));
  return ((c.start & 255n) === 0n ? 1n : 0n) + ((c.end & 255n) === 255n ? 1n : 0n);
}
