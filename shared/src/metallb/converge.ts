// convergeBalancer (controller/service.go), steps a–l of the reference §3.7, per version, with
// MetalLB's event reasons and messages.
import { type Family, type IP, formatIP, parseIP, parseIPv4Number } from '../address/ip.js';
import { type ClusterNetwork, type ServiceFamily, familyForAddresses, predictedClusterIPCount, primaryFamily, serviceFamily } from '../model/family.js';
import { canonicalSelector } from '../model/labels.js';
import type { IPFamilyPolicy, Service } from '../model/types.js';
import { readAnnotation } from './annotations.js';
import { type Allocation, type Allocator, type Port, type Requester, quoteIPs } from './allocator.js';
import { allocateAuto, allocateFromPool, type AllocResult, type Need, selectIPs } from './choose.js';
import { type DesiredIPs, getDesiredLbIPs } from './requested.js';
import type { PoolChoice, SimEvent } from './types.js';
import type { MetalLBBehaviour } from './versions.js';

export interface ConvergeEnv {
  b: MetalLBBehaviour;
  /** Undefined while no configuration has been loaded. */
  alloc: Allocator | undefined;
  network: ClusterNetwork;
  /** False in 0.12 before the `synced` item ran: Services needing a new IP are refused. */
  allowNewAllocation: boolean;
}

export interface ConvergeResult {
  status: string[];
  pool?: string;
  ok: boolean;
  events: SimEvent[];
  /** This convergence triggers a reprocess-all (§3.7/§3.8). */
  reprocess: boolean;
  candidates?: PoolChoice[];
  nondeterministic?: string;
  /** MetalLB's log reason when no event is emitted (noConfig, noClusterIPs, notSynced…). */
  log?: string;
  /** 0.12: refused before sync, retried after. */
  retry?: boolean;
}

const parsed = new Map<string, IP | null>();
/** Status text → its canonical text (formatIP of the parse), for IPs that parse. */
const canonical = new Map<string, string>();

/** parseIP with a bounded cache (status IPs are parsed on every reconcile). */
function parseCached(s: string): IP | null {
  // A dotted quad parses faster than a lookup by string; IPv6 text goes through the cache.
  if (!s.includes(':')) return parseIP(s) ?? null;
  let ip = parsed.get(s);
  if (ip === undefined) {
    if (parsed.size > 500_000) {
      parsed.clear();
      canonical.clear();
    }
    ip = parseIP(s) ?? null;
    parsed.set(s, ip);
  }
  return ip;
}

/** formatIP(parseIP(s)) for a status IP that parses, cached. */
function canonicalCached(s: string): string {
  // A dotted quad that parses is canonical already (no leading zeros, one way to write it).
  if (!s.includes(':')) return s;
  let c = canonical.get(s);
  if (c === undefined) {
    c = formatIP(parseCached(s)!);
    canonical.set(s, c);
  }
  return c;
}

/**
 * Parses a status list into the holder's parsed* fields, unless they already hold it (status
 * arrays are never mutated, so identity is a key). Returns its IPs (null where invalid).
 */
function parseStatus(status: string[], holder: InputsHolder): (IP | null)[] {
  if (holder.parsedStatus === status) return holder.parsedIPs!;
  const ips = status.map(parseCached);
  let canonical = true;
  for (let i = 0; i < status.length && canonical; i++) canonical = ips[i] !== null && canonicalCached(status[i]) === status[i];
  holder.parsedStatus = status;
  holder.parsedIPs = ips;
  holder.parsedCanonical = canonical;
  return ips;
}

/** The parsed status list with every IP in canonical text; the same array when it already is. */
function canonicalStatus(holder: InputsHolder): string[] {
  const status = holder.parsedStatus!;
  return holder.parsedCanonical ? status : status.map(canonicalCached);
}

/** Status text built from IPs: remembered parsed and canonical. */
function statusOf(ips: IP[], holder: InputsHolder): string[] {
  const status = ips.length === 1 ? [formatIP(ips[0])] : ips.map(formatIP);
  holder.parsedStatus = status;
  holder.parsedIPs = ips;
  holder.parsedCanonical = true;
  return status;
}

type FamilyInfo = { net: ClusterNetwork; fam: ReturnType<typeof serviceFamily>; primary: 'ipv4' | 'ipv6'; count: number };

/**
 * What convergeBalancer derives from one Service object for one version and network, computed
 * once per object (Services are replaced, never mutated, when they change). It is also the
 * Service's Requester for the allocator.
 */
export interface ServiceInputs extends Requester {
  loadBalancer: boolean;
  /** spec.ipFamilyPolicy, SingleStack when unset. */
  policy: IPFamilyPolicy;
  b: MetalLBBehaviour;
  net: ClusterNetwork;
  family: FamilyInfo;
  poolAnn: string | undefined;
  /** The Service carries annotations (none: no annotation of MetalLB's is read). */
  annotated: boolean;
  desired: DesiredIPs;
  /** The requested IPs formatted, sorted and joined (sameSet's key), when desired.kind is 'ips'. */
  desiredSet?: string;
  /** Allocation's view of the family (set on first use; derived from the fields above). */
  need?: Need;
}

/**
 * A Service as convergeBalancer keeps it between calls (the controller's per-Service state is
 * one): its inputs, written into it in place (one object per Service, no pointer to chase on each
 * reconcile), and its last parsed status. `key` is the holder's own (equal to svc.key; the
 * controller's is a compact copy) and is never rewritten.
 */
export interface InputsHolder extends ServiceInputs {
  /** The Service object the inputs were last derived from (their cache key); undefined before. */
  derivedFrom: Service | undefined;
  /**
   * The last status list convergeBalancer parsed or built, its IPs (null where invalid) and whether
   * every IP is in canonical text. Fields, not an object: one fewer object per Service.
   */
  parsedStatus?: string[];
  parsedIPs?: (IP | null)[];
  parsedCanonical?: boolean;
}

// Shared immutable pieces (100k Services hold a handful of distinct values): fewer live objects, less GC.
const NO_DESIRED: DesiredIPs = { kind: 'none' };
const familyInfos = new WeakMap<ClusterNetwork, Map<number, FamilyInfo>>();
/** The last network's map (one network per controller: no WeakMap lookup per Service). */
let lastNet: ClusterNetwork | undefined;
let lastInfos: Map<number, FamilyInfo> | undefined;
const FAMILY_INDEX: Record<ServiceFamily, number> = { ipv4: 0, ipv6: 1, dual: 2 };
/** serviceFamily's result for ClusterIPs that parse (shared: never mutated). */
const FROM_CLUSTER_IPS: Record<ServiceFamily, { family: ServiceFamily; predicted: boolean }> = {
  ipv4: { family: 'ipv4', predicted: false },
  ipv6: { family: 'ipv6', predicted: false },
  dual: { family: 'dual', predicted: false },
};

function sharedFamilyInfo(svc: Service, net: ClusterNetwork): FamilyInfo {
  const fam = clusterIPsFamily(svc.clusterIPs) ?? serviceFamily(svc, net);
  const primary = primaryFamily(svc, net);
  const count = svc.clusterIPs.length || predictedClusterIPCount(svc, net);
  if ('error' in fam) return { net, fam, primary, count };
  let m = lastNet === net ? lastInfos : familyInfos.get(net);
  if (!m) familyInfos.set(net, (m = new Map()));
  lastNet = net;
  lastInfos = m;
  // A number, not a string key: this runs once per Service. count is 1 or 2 without an error.
  const k = ((FAMILY_INDEX[fam.family] * 2 + (fam.predicted ? 1 : 0)) * 2 + (primary === 'ipv4' ? 0 : 1)) * 4 + count;
  let f = m.get(k);
  if (!f) m.set(k, (f = { net, fam, primary, count }));
  return f;
}

/**
 * serviceFamily for one or two ClusterIPs that parse (the common case), without the error text
 * familyForAddresses builds up front; undefined otherwise (serviceFamily decides).
 */
function clusterIPsFamily(ips: string[]): { family: ServiceFamily; predicted: boolean } | undefined {
  if (ips.length === 1) {
    const f = ipFamilyOf(ips[0]);
    return f ? FROM_CLUSTER_IPS[f] : undefined;
  }
  if (ips.length === 2) {
    const a = ipFamilyOf(ips[0]);
    const b = ipFamilyOf(ips[1]);
    return a && b && a !== b ? FROM_CLUSTER_IPS.dual : undefined;
  }
  return undefined;
}

/** parseIP(s)?.family; dotted quads without allocating (ClusterIPs are mostly distinct). */
function ipFamilyOf(s: string): 'ipv4' | 'ipv6' | undefined {
  if (!s.includes(':')) return parseIPv4Number(s) === undefined ? undefined : 'ipv4';
  return parseCached(s)?.family;
}

const portLists = new Map<string, Port[]>();
/** One TCP port (most Services), by number: no key string to build. */
const singleTCP = new Map<number, Port[]>();

function sharedPorts(svc: Service): Port[] {
  const ps = svc.ports;
  if (ps.length === 1 && (!ps[0].protocol || ps[0].protocol === 'TCP')) {
    let ports = singleTCP.get(ps[0].port);
    if (!ports) {
      if (singleTCP.size > 10_000) singleTCP.clear();
      singleTCP.set(ps[0].port, (ports = [{ proto: 'TCP', port: ps[0].port }]));
    }
    return ports;
  }
  let k = '';
  for (const p of svc.ports) k += `${(p.protocol || 'TCP').toUpperCase()}/${p.port},`;
  let ports = portLists.get(k);
  if (!ports) {
    if (portLists.size > 10_000) portLists.clear();
    ports = svc.ports.map((p) => ({ proto: (p.protocol || 'TCP').toUpperCase(), port: p.port }));
    portLists.set(k, ports);
  }
  return ports;
}

function inputsFor(svc: Service, b: MetalLBBehaviour, net: ClusterNetwork, holder: InputsHolder): ServiceInputs {
  if (holder.derivedFrom === svc && holder.b === b && holder.net === net) return holder;
  // Most Services carry no annotation at all: then none of MetalLB's is read (six lookups saved).
  const annotated = hasAnyKey(svc.annotations);
  let desired = annotated || svc.loadBalancerIP ? getDesiredLbIPs(svc, b) : NO_DESIRED;
  if (desired.kind === 'none') desired = NO_DESIRED;
  // Written in place; the holder's key and allocator slot stay (see Allocator's oneRequesterPerKey).
  holder.derivedFrom = svc;
  holder.svc = svc;
  holder.loadBalancer = svc.type === 'LoadBalancer';
  holder.policy = svc.ipFamilyPolicy ?? 'SingleStack';
  holder.ports = sharedPorts(svc);
  holder.sharingKey = annotated ? (readAnnotation(svc, 'allow-shared-ip', b)?.value ?? '') : '';
  holder.backendKey = svc.externalTrafficPolicy === 'Local' ? canonicalSelector(svc.selector) : '';
  holder.b = b;
  holder.net = net;
  holder.family = sharedFamilyInfo(svc, net);
  holder.poolAnn = annotated ? readAnnotation(svc, 'address-pool', b)?.value : undefined;
  holder.annotated = annotated;
  holder.desired = desired;
  holder.desiredSet = desired.kind === 'ips' ? desired.ips.map(formatIP).sort().join(',') : undefined;
  holder.need = undefined;
  return holder;
}

/**
 * Derives a Service's inputs ahead of its first convergence (the controller does it while it
 * stores the Service: the Service object is read there in the model's order, which is its order in
 * memory, instead of later in List order, which jumps across the heap).
 */
export function prepareInputs(holder: InputsHolder, svc: Service, b: MetalLBBehaviour, net: ClusterNetwork): void {
  inputsFor(svc, b, net, holder);
}

const FAMILY_RESULT: Record<ServiceFamily, { family: ServiceFamily }> = { ipv4: { family: 'ipv4' }, ipv6: { family: 'ipv6' }, dual: { family: 'dual' } };

/** familyForAddresses of the holder's parsed status; same results and errors. */
function fastFamily(holder: InputsHolder): { family: ServiceFamily } | { error: string } {
  const ips = holder.parsedIPs!;
  if (ips.length === 1) {
    if (ips[0]) return FAMILY_RESULT[ips[0].family];
  } else if (ips.length === 2) {
    if (ips[0] && ips[1] && ips[0].family !== ips[1].family) return FAMILY_RESULT.dual;
  }
  return familyForAddresses(holder.parsedStatus!);
}

/** True when `for…in` yields any key (what readAnnotation could find, inherited ones included). */
function hasAnyKey(o: object): boolean {
  for (const _ in o) return true;
  return false;
}

const NO_EVENTS: readonly SimEvent[] = Object.freeze([]);
/** An empty status, shared (status arrays are never mutated in place). */
const NO_STATUS: string[] = [];

/** Need objects by family, policy and primary family: a handful of shared values, not one per Service. */
const needs = new Map<IPFamilyPolicy, Need[]>();

function needFor(family: ServiceFamily, policy: IPFamilyPolicy, primary: Family): Need {
  let list = needs.get(policy);
  if (!list) needs.set(policy, (list = []));
  const i = FAMILY_INDEX[family] * 2 + (primary === 'ipv4' ? 0 : 1);
  return (list[i] ??= { family, policy, primary });
}

/**
 * `holder` keeps the Service's derived inputs and parsed status between calls. The result's
 * `events` is a shared empty (frozen) array when there are none: copy it before adding to it.
 */
export function convergeBalancer(env: ConvergeEnv, svc: Service, prevStatus: string[], prevPool: string | undefined, holder: InputsHolder): ConvergeResult {
  const { b, alloc } = env;
  // The inputs first: on the warm path the Service object itself is not read again.
  const inputs = inputsFor(svc, b, env.network, holder);
  const key = inputs.key;
  let events = NO_EVENTS as SimEvent[];
  const prevAlloc = alloc?.allocationFor(inputs);
  let status = prevStatus;
  // No closures (this runs once per Service per pass): events via addEvent, the result via finish.

  // a. Not a LoadBalancer.
  if (!inputs.loadBalancer) {
    alloc?.unassignFor(inputs);
    status = NO_STATUS;
    return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, true, { log: 'notLoadBalancer' });
  }
  // Pools not loaded yet: nothing happens.
  if (!alloc) return { status, pool: prevPool, ok: true, events, reprocess: false, log: 'not processing, still waiting for config' };
  // b. Zero pools (≥0.14.2).
  if (b.zeroPoolsClearsServices && alloc.config.byName.size === 0) {
    alloc?.unassignFor(inputs);
    status = NO_STATUS;
    return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, { log: 'noConfig' });
  }
  const fi = inputs.family;
  const fam = fi.fam;
  // c. No ClusterIPs (lbguard predicts them when the manifest has none; an impossible prediction lands here).
  if ('error' in fam && svc.clusterIPs.length === 0) {
    alloc?.unassignFor(inputs);
    status = NO_STATUS;
    return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, { log: `noClusterIPs: ${fam.error}` });
  }
  const policy = inputs.policy;
  // d. Status IPs (parsed through the cache where they are used).
  // e. RequireDualStack with one ClusterIP (≥0.15.0).
  if (b.familyFollowsClusterIPs && policy === 'RequireDualStack' && fi.count < 2) {
    events = addEvent(events, key, 'Warning', 'not enough clusterips', `Service requires dual stack but not enough clusterips [${svc.clusterIPs.join(' ')}]`);
    alloc?.unassignFor(inputs);
    status = NO_STATUS;
    return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, undefined);
  }
  // f. Family of the status IPs vs the Service.
  if (status.length === 0) alloc.unassignFor(inputs);
  else {
    parseStatus(status, holder);
    const lbFam = fastFamily(holder);
    if ('error' in lbFam) {
      events = addEvent(events, key, 'Warning', 'nolbIPsIPFamily', `Failed to retrieve LBIPs IPFamily for ${quoteIPs(status)}: ${lbFam.error}`);
      if (b.readsConfigMap) return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, undefined);
    }
    if ('error' in fam) {
      const cip = svc.clusterIPs[0] ?? '';
      events = addEvent(events, key, 'Warning', 'noclusterIPsIPFamily', `Failed to retrieve ClusterIPs IPFamily for ${quoteIPs(svc.clusterIPs)}${b.readsConfigMap ? '' : ` ${cip}`}: ${fam.error}`);
      return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, undefined);
    }
    const preferPartial = b.preferDualStackFallback && policy === 'PreferDualStack' && fam.family === 'dual' && 'family' in lbFam && lbFam.family !== 'dual';
    if ('error' in lbFam || (lbFam.family !== fam.family && !preferPartial)) {
      alloc.unassignFor(inputs);
      status = NO_STATUS;
    }
  }
  if ('error' in fam) return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, undefined);
  const need = inputs.need ?? (inputs.need = needFor(fam.family, policy, fi.primary));
  const r: Requester = inputs;
  // g. Re-adopt the status IPs.
  const hadStatus = status.length > 0;
  if (status.length > 0) {
    const err = alloc.assign(r, parseStatus(status, holder));
    if (err) {
      if (b.clearAssignmentEvent) events = addEvent(events, key, 'Normal', 'ClearAssignment', `current IP for "${key}" not allowed by config, will attempt for new IP assignment: ${err}`);
      alloc.unassignFor(inputs);
      status = NO_STATUS;
    } else status = canonicalStatus(holder);
  }
  // h. Pool annotation / requested IPs changed.
  const poolAnn = inputs.poolAnn;
  if (status.length > 0 && poolAnn && alloc.allocationFor(inputs)?.pool !== poolAnn) {
    alloc.unassignFor(inputs);
    status = NO_STATUS;
  }
  const desired = inputs.desired;
  if (hadStatus && desired.kind === 'error') {
    events = addEvent(events, key, 'Warning', 'LoadBalancerFailed', `invalid requested loadbalancer IPs: ${desired.error}`);
    return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, undefined);
  }
  // sameSet(requested, status): the same IPs in any order.
  if (status.length > 0 && desired.kind === 'ips' && !(status.length === desired.ips.length && (status.length === 1 ? status[0] : status.slice().sort().join(',')) === inputs.desiredSet)) {
    alloc.unassignFor(inputs);
    status = NO_STATUS;
  }
  // i. PreferDualStack top-up (≥0.14.9), for dual ClusterIPs holding one family.
  if (b.preferDualStackFallback && status.length === 1 && policy === 'PreferDualStack' && fam.family === 'dual') {
    const a = alloc.allocationFor(inputs)!;
    const pool = alloc.config.byName.get(a.pool)!;
    const have = a.ips[0];
    const missing = have.family === 'ipv4' ? 'ipv6' : 'ipv4';
    const c = alloc.candidates(pool, r, [missing]);
    const add = c[missing];
    let err: string | undefined;
    if (add) {
      const ips = have.family === 'ipv4' ? [have, add] : [add, have];
      err = alloc.assign(r, ips);
      if (!err) {
        events = addEvent(events, key, 'Normal', 'IPAllocated', `Assigned additional IP ${JSON.stringify(formatIP(add))}`);
        status = statusOf(ips, holder);
      }
    } else if (b.familyFollowsClusterIPs) {
      err = `${quoteIPs(have.family === 'ipv4' ? [have, null] : [null, have])} is not allowed in config`;
    } else {
      err = `no available IPs in pool ${pool.name} for ${missing} IPFamily`;
    }
    if (err) events = addEvent(events, key, 'Normal', 'AdditionalAssignFailed', `cannot assign additional IP in PreferDualStack: ${err}`);
  }
  // j. Allocate.
  let extra: Partial<ConvergeResult> | undefined;
  if (status.length === 0) {
    if (!env.allowNewAllocation) return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, { retry: true, log: 'controller not synced yet, cannot allocate IP; will retry after sync' });
    const res = allocateIPs(alloc, b, svc, r, need, desired, poolAnn);
    if (!res.ok) {
      events = addEvent(events, key, 'Warning', 'AllocationFailed', `Failed to allocate IP for "${key}": ${res.error}`);
      return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, false, undefined);
    }
    status = statusOf(res.ips, holder);
    // quoteIPs of canonical IP text (nothing to escape), without the per-IP JSON.stringify.
    events = addEvent(events, key, 'Normal', 'IPAllocated', status.length === 1 ? `Assigned IP ["${status[0]}"]` : `Assigned IP ${quoteIPs(status)}`);
    extra = res; // its candidates and nondeterministic note
  }
  // k. Sanity.
  if (!alloc.allocationFor(inputs)) events = addEvent(events, key, 'Warning', 'InternalError', 'allocated an IP that has no pool');
  return finish(env, inputs, prevStatus, prevAlloc, prevPool, status, events, true, extra);
}

/** convergeBalancer's result: whether the change triggers a reprocess-all, and the pool now held. */
function finish(
  env: ConvergeEnv,
  r: Requester,
  prevStatus: string[],
  prevAlloc: Allocation | undefined,
  prevPool: string | undefined,
  status: string[],
  events: SimEvent[],
  ok: boolean,
  extra: Partial<ConvergeResult> | undefined,
): ConvergeResult {
  const { b, alloc } = env;
  let reprocess = false;
  let now: Allocation | undefined;
  if (alloc) {
    now = alloc.allocationFor(r);
    // A Service that lost its IPs while they still sit in a pool makes MetalLB reprocess all.
    if (prevStatus.length > 0 && status.length === 0) {
      if (b.startupGating) {
        const ips = prevStatus.map(parseCached);
        if (ips.every((i) => i) && alloc.poolFor(ips as IP[])) reprocess = true;
      } else if (b.serviceAllocation) reprocess = true;
    }
    // ≥0.15.0: a change of sharing/backend key (first allocation included, inferred) reprocesses all.
    if (b.familyFollowsClusterIPs && now) {
      if (prevAlloc ? prevAlloc.sharingKey !== now.sharingKey || prevAlloc.backendKey !== now.backendKey : now.sharingKey !== '' || now.backendKey !== '') reprocess = true;
    }
  }
  const pool = status.length ? (now?.pool ?? prevPool) : undefined;
  return { status, pool, ok, events, reprocess, candidates: extra?.candidates, nondeterministic: extra?.nondeterministic, log: extra?.log, retry: extra?.retry };
}

function addEvent(events: SimEvent[], service: string, type: 'Normal' | 'Warning', reason: string, message: string): SimEvent[] {
  const event: SimEvent = { service, type, reason, message };
  if (events === NO_EVENTS) return [event];
  events.push(event);
  return events;
}

function allocateIPs(
  alloc: Allocator,
  b: MetalLBBehaviour,
  svc: Service,
  r: Requester,
  need: Need,
  desired: ReturnType<typeof getDesiredLbIPs>,
  poolAnn: string | undefined,
): AllocResult {
  if (desired.kind === 'error') return { ok: false, error: desired.error };
  if (desired.kind === 'ips') {
    if (desired.family !== need.family) return { ok: false, error: `requested loadBalancer IP(s) ${quoteIPs(desired.ips)} does not match the ipFamily of the service` };
    const err = alloc.assign(r, desired.ips);
    if (err) return { ok: false, error: err };
    const owner = alloc.allocationFor(r)!.pool;
    if (poolAnn && b.requestedIPMustMatchPoolAnnotation && owner !== poolAnn) {
      alloc.unassignFor(r);
      return { ok: false, error: `requested loadBalancer IP(s) ${quoteIPs(desired.ips)} is not compatible with requested address pool ${poolAnn}` };
    }
    return { ok: true, pool: owner, ips: desired.ips };
  }
  if (poolAnn) return allocateFromPool(alloc, b, poolAnn, r, need);
  return allocateAuto(alloc, b, r, need);
}

export { selectIPs };
