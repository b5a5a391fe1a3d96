// Harvester IPPool range and allocation semantics, pure: how `spec.ranges` become allocatable
// address ranges (pkg/ipam MakeRange on the vendored CNI host-local allocator), how many addresses
// a pool has (CountIP), what the webhook refuses, and how `manuallyReleaseIP` is parsed. Shared by
// the lint rules and `kubectl lb status` (Harvester usage and stale allocations).
import { type Cidr, formatCidr, parseCidr } from '../address/cidr.js';
import { type Family, type IP, formatIP, parseIP } from '../address/ip.js';
import type { HarvesterIPPool, HarvesterRange } from '../model/types.js';

export const HARVESTER_LB_GROUP = 'loadbalancer.harvesterhci.io';
/** The group Harvester's own docs show by mistake. */
export const HARVESTER_WRONG_GROUP = 'networking.harvesterhci.io';
export const MANUALLY_RELEASE_IP_ANNOTATION = 'loadbalancer.harvesterhci.io/manuallyReleaseIP';
export const GLOBAL_POOL_LABEL = 'loadbalancer.harvesterhci.io/global-ip-pool';

export type RangeField = 'subnet' | 'rangeStart' | 'rangeEnd' | 'gateway';

/** One `spec.ranges[]` entry as Harvester's allocator uses it. */
export interface AllocRange {
  family: Family;
  /** The subnet after masking (Go's net.ParseCIDR). */
  subnet: Cidr;
  /** Inclusive bounds actually allocated from (after defaults and the silent swap). */
  start: bigint;
  end: bigint;
  /** The gateway, never handed out (undefined for a /32 or /128 with no gateway written). */
  gateway?: bigint;
  /** True when the gateway is Harvester's default (`.1` of the subnet), not written. */
  defaultGateway: boolean;
  /** The subnet was written with host bits set (`192.168.5.7/24`); Harvester masks them. */
  subnetHadHostBits: boolean;
  /** rangeStart > rangeEnd: Harvester swaps them without a word. */
  swapped: boolean;
}

export type MakeRangeResult = { ok: true; range: AllocRange } | { ok: false; field: RangeField; error: string };

const pointToPoint = (c: Cidr) => c.start === c.end;

/** Go's `ip.Equal(broadcastIP(ipNet))`: the last address of the subnet (IPv6 included). */
function checkIP(text: string, subnet: Cidr, field: RangeField): { ok: true; value: bigint } | { ok: false; field: RangeField; error: string } {
  const what = field === 'rangeStart' ? 'range start' : field === 'rangeEnd' ? 'range end' : 'gateway';
  const ip = parseIP(text);
  if (!ip) return { ok: false, field, error: `invalid ${what} ${text}: invalid IP ${text}` };
  const sub = formatCidr(subnet);
  if (ip.family !== subnet.family || ip.value < subnet.start || ip.value > subnet.end) {
    return { ok: false, field, error: `invalid ${what} ${text}: IP ${text} is out of subnet ${sub}` };
  }
  if (ip.value === subnet.start) return { ok: false, field, error: `invalid ${what} ${text}: IP ${text} is the network address` };
  if (ip.value === subnet.end) return { ok: false, field, error: `invalid ${what} ${text}: IP ${text} is the broadcast address` };
  return { ok: true, value: ip.value };
}

/** Harvester's MakeRange (current releases), with its error text. */
export function makeRange(r: Pick<HarvesterRange, 'subnet' | 'rangeStart' | 'rangeEnd' | 'gateway'>): MakeRangeResult {
  const parsed = parseCidr(r.subnet);
  if (!parsed) return { ok: false, field: 'subnet', error: `invalide range &{RangeStart:${r.rangeStart ?? ''} RangeEnd:${r.rangeEnd ?? ''} Subnet:${r.subnet} Gateway:${r.gateway ?? ''}}` };
  const subnet = parsed.cidr;
  const p2p = pointToPoint(subnet);
  const lastDefault = subnet.family === 'ipv4' ? subnet.end - 1n : subnet.end;
  const defStart = p2p ? parsed.address.value : subnet.start + 1n;
  const defEnd = p2p ? parsed.address.value : lastDefault;
  const defGateway = p2p ? undefined : subnet.start + 1n;
  let start = defStart;
  let end = defEnd;
  let gateway = defGateway;
  if (r.rangeStart) {
    const c = checkIP(r.rangeStart, subnet, 'rangeStart');
    if (!c.ok) return c;
    start = c.value;
  }
  if (r.rangeEnd) {
    const c = checkIP(r.rangeEnd, subnet, 'rangeEnd');
    if (!c.ok) return c;
    end = c.value;
  }
  if (r.gateway) {
    const c = checkIP(r.gateway, subnet, 'gateway');
    if (!c.ok) return c;
    gateway = c.value;
  }
  const swapped = start > end;
  if (swapped) [start, end] = [end, start];
  return {
    ok: true,
    range: { family: subnet.family, subnet, start, end, gateway, defaultGateway: !r.gateway && !p2p, subnetHadHostBits: parsed.hadHostBits, swapped },
  };
}

/** CNI Range.Contains: inside the subnet and within [start, end]. */
export function rangeContains(r: AllocRange, ip: IP): boolean {
  return ip.family === r.family && ip.value >= r.start && ip.value <= r.end;
}

/** CNI Range.Overlaps (same family and intersecting bounds). */
export function rangesOverlap(a: AllocRange, b: AllocRange): boolean {
  return a.family === b.family && a.start <= b.end && b.start <= a.end;
}

/** Harvester's CountIP: addresses in [start, end], minus the gateway when it lies inside. BigInt, never int64. */
export function countRange(r: AllocRange): bigint {
  let n = r.end - r.start + 1n;
  if (r.gateway !== undefined && r.gateway >= r.start && r.gateway <= r.end) n -= 1n;
  return n;
}

/** Whether Harvester hands out `ip` from this range (inside it and not the gateway). */
export function rangeAllocates(r: AllocRange, ip: IP): boolean {
  return rangeContains(r, ip) && ip.value !== r.gateway;
}

export function formatRange(r: AllocRange): string {
  return `${formatIP({ family: r.family, value: r.start })}-${formatIP({ family: r.family, value: r.end })}`;
}

export interface PoolRanges {
  /** Ranges that parse, with their index in spec.ranges. */
  ranges: { index: number; range: AllocRange }[];
  /** The first error, as Harvester's webhook and controller stop at it. */
  errors: { index: number; field: RangeField; error: string }[];
}

export function poolRanges(pool: HarvesterIPPool): PoolRanges {
  const out: PoolRanges = { ranges: [], errors: [] };
  pool.ranges.forEach((r, index) => {
    const m = makeRange(r);
    if (m.ok) out.ranges.push({ index, range: m.range });
    else out.errors.push({ index, field: m.field, error: m.error });
  });
  return out;
}

/** Harvester's pool `status.total` (sum of CountIP), or undefined when a range does not parse (the controller errors). */
export function poolTotal(pool: HarvesterIPPool): bigint | undefined {
  const pr = poolRanges(pool);
  if (pr.errors.length || pool.ranges.length === 0) return undefined;
  return pr.ranges.reduce((n, r) => n + countRange(r.range), 0n);
}

export interface PoolUsage {
  total: bigint;
  /** Entries of status.allocated inside the ranges. */
  used: bigint;
  /** status.allocated entries outside every range or unparsable: stale records (the webhook refuses edits that make these). */
  stale: { ip: string; holder: string }[];
}

/** Usage of a Harvester pool from its spec and status (undefined when the ranges do not parse). */
export function poolUsage(pool: HarvesterIPPool): PoolUsage | undefined {
  const total = poolTotal(pool);
  if (total === undefined) return undefined;
  const ranges = poolRanges(pool).ranges.map((r) => r.range);
  let used = 0n;
  const stale: PoolUsage['stale'] = [];
  for (const [ipText, holder] of Object.entries(pool.allocated)) {
    const ip = parseIP(ipText);
    if (ip && ranges.some((r) => rangeContains(r, ip))) used++;
    else stale.push({ ip: ipText, holder });
  }
  return { total, used, stale };
}

/** Harvester's IsGlobalIPPool: exactly one scope tuple, all of project/namespace/guestCluster "*". */
export function isGlobalPool(pool: HarvesterIPPool): boolean {
  return pool.scope.length === 1 && pool.scope[0].project === '*' && pool.scope[0].namespace === '*' && pool.scope[0].guestCluster === '*';
}

export type ReleaseRequest = { ok: true; ip: string; namespace: string; name: string } | { ok: false; error: string };

/**
 * `SplitIPAllocatedString` exactly: trim spaces, split on ":" into exactly two fields, trim the
 * second and split it on "/" into exactly two. The IP part is not trimmed.
 */
export function parseReleaseAnnotation(value: string): ReleaseRequest {
  const v = trimSpaces(value);
  const fields = v.split(':');
  if (fields.length !== 2) return { ok: false, error: `${v} is not a valid allocation record` };
  const nsName = trimSpaces(fields[1]).split('/');
  if (nsName.length !== 2) return { ok: false, error: `${v} is not a valid allocation record` };
  return { ok: true, ip: fields[0], namespace: nsName[0], name: nsName[1] };
}

/** Go's strings.Trim(s, " "): spaces only, not tabs or newlines. */
function trimSpaces(s: string): string {
  return s.replace(/^ +| +$/g, '');
}
