// The `kubectl lb status` view, computed from a cluster model (a state file today, a live listing
// tomorrow) and, when available, MetalLB's simulated decisions. Pure: the CLI and the editor only
// render it. Usage comes from what the cluster records (Service status), not from the simulation,
// because status is the only allocation state MetalLB persists.
import { compareIP, parseIP, parseIPv4Number, type IP } from '../address/ip.js';
import { docsUrl, SEVERITY_ORDER, type Finding, type Severity } from '../findings/finding.js';
import { canonicalSelector } from '../model/labels.js';
import type { ClusterModel, Pool, Service, ServiceEvent } from '../model/types.js';
import { annotationPrefix, readAnnotation } from '../metallb/annotations.js';
import type { SimulationResult } from '../metallb/types.js';
import { behaviourFor, type MetalLBBehaviour } from '../metallb/versions.js';
import { isOtherAllocatorClass } from '../model/loadBalancerClasses.js';
import { classHandled } from '../rules/support/metallbService.js';
import { activePools, poolAddressTexts, poolContaining, poolIgnoredBecause, poolOf, poolTotals } from './pools.js';
import { liveProblems } from './liveProblems.js';
import { countersFor, reportedCounters } from './poolCounters.js';
import { compareText } from '../text/compareText.js';

export const STATUS_SCHEMA_VERSION = 1;

/** MetalLB's Helm alert bands (MetalLBAddressPoolUsage75/85/95Percent, MetalLBAddressPoolExhausted). */
export const USAGE_THRESHOLDS = [75, 85, 95] as const;

export type UsageLevel = 'ok' | 'usage75' | 'usage85' | 'usage95' | 'exhausted';

export interface FamilyStatus {
  /** Decimal strings: IPv6 pools exceed 2^53. */
  total: string;
  used: string;
  available: string;
  /** used/total in percent, one decimal; 0 for an empty family. */
  percent: number;
  level: UsageLevel;
}

export interface PoolStatus {
  name: string;
  namespace?: string;
  source: Pool['source'];
  /** MetalLB reads this pool (its namespace, a kind its version reads). */
  active: boolean;
  /** Why not, when inactive. */
  inactiveReason?: string;
  addresses: string[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  /** Omitted when the pool has no address of that family. */
  ipv4?: FamilyStatus;
  ipv6?: FamilyStatus;
  /** Counters MetalLB ≥0.15 writes in the pool's status, when present. */
  reported?: Pool['status'];
  /** Where USED/AVAILABLE come from: MetalLB's `.status` counters (≥0.15, exact) or lbguard's count of Service IPs. */
  usageFrom?: 'status' | 'computed';
}

export interface IPOwner {
  ip: string;
  /** The active pool holding the IP; undefined when it is in no pool. */
  pool?: string;
  /** `namespace/name` of every Service whose status holds the IP. */
  services: string[];
  /** The Services share the IP through a common allow-shared-ip key (or there is one). */
  shared: boolean;
}

export type ServiceStatusState = 'assigned' | 'pending' | 'ignored';

export interface ServiceStatus {
  namespace: string;
  name: string;
  state: ServiceStatusState;
  ips: string[];
  pool?: string;
  /** IPs the Service asks for (metallb.io/loadBalancerIPs or spec.loadBalancerIP). */
  requestedIPs?: string[];
  requestedPool?: string;
  sharingKey?: string;
  loadBalancerClass?: string;
  /** Short reason for Pending/ignored, or the simulation's prediction when it differs. */
  reason?: string;
  /** The latest event's message (MetalLB's own words), else lbguard's simulated prediction: see `messageFrom`. */
  message?: string;
  /** Where `message` comes from: a recorded `event`, or lbguard's `prediction` (no event seen). */
  messageFrom?: 'event' | 'prediction';
  latestEvent?: { type: string; reason: string; message: string; count?: number; lastTimestamp?: string };
}

export interface StatusProblem {
  rule: string;
  severity: Severity;
  message: string;
  docsUrl: string;
  /** What it is about (`Service default/web`, `IPAddressPool metallb-system/default`). */
  object?: { kind: string; namespace?: string; name: string };
  ips?: string[];
  /** Where in the state file (lint findings). */
  file?: string;
  line?: number;
  column?: number;
}

export interface StatusReport {
  schemaVersion: typeof STATUS_SCHEMA_VERSION;
  metallb: {
    version: string;
    /** Where the version came from: an explicit flag/config, the controller image, or lbguard's default. */
    versionSource: 'option' | 'image' | 'default';
    namespace: string;
    image?: string;
    lbClass?: string;
    /** Set when the (simulated) controller refuses the configuration. */
    configError?: string;
  };
  pools: PoolStatus[];
  ips: IPOwner[];
  services: ServiceStatus[];
  problems: StatusProblem[];
  summary: {
    pools: number;
    activePools: number;
    services: number;
    assigned: number;
    pending: number;
    ignored: number;
    problems: { error: number; warning: number; info: number };
    /** Highest pool usage level. */
    worstUsage: UsageLevel;
  };
}

export interface StatusOptions {
  /** Explicit MetalLB version (flag or config); otherwise the controller image's tag, else the latest. */
  version?: string;
  /** The simulated decisions for the model, for predictions on Pending Services. */
  simulation?: SimulationResult;
  /** Lint findings on the state (shown as problems, suppressed ones dropped). */
  findings?: Finding[];
}

export function resolveVersion(model: ClusterModel, explicit?: string): { behaviour: MetalLBBehaviour; source: StatusReport['metallb']['versionSource'] } {
  if (explicit) return { behaviour: behaviourFor(explicit), source: 'option' };
  if (model.metallb.image && model.metallb.version) {
    try {
      return { behaviour: behaviourFor(model.metallb.version), source: 'image' };
    } catch {
      /* an image tag lbguard does not model: fall back to the latest */
    }
  }
  return { behaviour: behaviourFor(), source: 'default' };
}

export function buildStatusReport(model: ClusterModel, options: StatusOptions = {}): StatusReport {
  const { behaviour: b, source } = resolveVersion(model, options.version);
  const active = activePools(model, b);
  const lbServices = model.services.filter((s) => s.type === 'LoadBalancer');
  // Only Services MetalLB handles (its class filter, as the controller's filtered()) are judged;
  // the others are shown as ignored and their IPs are another controller's business.
  const handled = lbServices.filter((s) => classHandled(s, model, b));

  // IP → holders, from what the cluster records.
  const holders = new Map<string, Service[]>();
  for (const s of handled) {
    for (let i = 0; i < s.ingressIPs.length; i++) {
      const ip = s.ingressIPs[i].trim();
      const list = holders.get(ip);
      if (!list) holders.set(ip, [s]);
      else if (!list.includes(s)) list.push(s);
    }
  }
  // Each IP parsed once: the sort, the pool lookup and the per-pool counts all need it. Dotted
  // quads as numbers (no BigInt per held IP); text with a colon through parseIP (IPv6, or IPv4
  // mapped into IPv6). `family`: 4, 6, or 0 when the text is no IP.
  const inPool = poolFinder(active);
  const owners: { owner: IPOwner; parsed?: IP; v4: number; family: 0 | 4 | 6 }[] = [];
  // Each held IP's owner by its text (made here, while the owners are: no second pass over them).
  const ownerOf = new Map<string, IPOwner>();
  holders.forEach((svcs, ip) => {
    let v4 = -1;
    let parsed: IP | undefined;
    if (!ip.includes(':')) v4 = parseIPv4Number(ip) ?? -1;
    else {
      parsed = parseIP(ip);
      if (parsed?.family === 'ipv4') v4 = Number(parsed.value);
    }
    const family = v4 >= 0 ? 4 : parsed ? 6 : 0;
    const pool = v4 >= 0 ? inPool.v4(v4) : parsed ? inPool.ip(parsed) : undefined;
    const owner: IPOwner = { ip, pool: pool?.name, services: svcs.length === 1 ? [svcs[0].key] : svcs.map((s) => s.key).sort(), shared: svcs.length > 1 && sharingCompatible(svcs, b) };
    owners.push({ owner, parsed, v4, family });
    ownerOf.set(ip, owner);
  });
  // compareIP (IPv4 first, then by value), with IPv4 values compared as numbers (exact: they fit
  // a double); text that is no IP by its text.
  owners.sort((x, y) =>
    x.v4 >= 0 && y.v4 >= 0 ? x.v4 - y.v4 : x.family && y.family ? (x.family !== y.family ? (x.family === 4 ? -1 : 1) : compareIP(x.parsed!, y.parsed!)) : compareText(x.owner.ip, y.owner.ip),
  );
  const ips = owners.map((o) => o.owner);

  const usedByPool = countByPool(owners);
  const pools = model.pools.map((p) => poolStatus(p, model, b, usedByPool));
  const events = eventsByService(model);
  // An assigned Service's first IP is a held IP: its pool is the owner's (text with spaces: look it up).
  const poolNameOf = (text: string) => {
    const o = ownerOf.get(text);
    return o ? o.pool : poolOf(active, text)?.name;
  };
  const services = lbServices
    .map((s) => serviceStatus(s, model, b, active, poolNameOf, options.simulation, latestOf(events.get(s.key))))
    .sort((x, y) => (x.namespace === y.namespace ? 0 : compareText(x.namespace, y.namespace)) || (x.name === y.name ? 0 : compareText(x.name, y.name)));
  const problems = [
    ...statusProblems(model, b, active, lbServices, handled, ips, services),
    ...(options.findings ?? []).filter((f) => !f.suppressed).map(findingToProblem),
  ].sort((x, y) => SEVERITY_ORDER[y.severity] - SEVERITY_ORDER[x.severity] || compareText(x.rule, y.rule) || compareText(x.message, y.message));

  const count = (sev: Severity) => problems.filter((p) => p.severity === sev).length;
  // Services per state, counted in one pass (not a filtered copy of thousands of Services each).
  const states: Record<ServiceStatusState, number> = { assigned: 0, pending: 0, ignored: 0 };
  for (let i = 0; i < services.length; i++) states[services[i].state]++;
  const levels: UsageLevel[] = ['ok', 'usage75', 'usage85', 'usage95', 'exhausted'];
  const worst = pools
    .filter((p) => p.active)
    .flatMap((p) => [p.ipv4?.level, p.ipv6?.level])
    .filter((l): l is UsageLevel => !!l)
    .reduce<UsageLevel>((w, l) => (levels.indexOf(l) > levels.indexOf(w) ? l : w), 'ok');

  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    metallb: {
      version: b.version,
      versionSource: source,
      namespace: model.metallb.namespace,
      image: model.metallb.image,
      lbClass: model.metallb.lbClass,
      configError: options.simulation?.configError?.message,
    },
    pools,
    ips,
    services,
    problems,
    summary: {
      pools: pools.length,
      activePools: pools.filter((p) => p.active).length,
      services: services.length,
      assigned: states.assigned,
      pending: states.pending,
      ignored: states.ignored,
      problems: { error: count('error'), warning: count('warning'), info: count('info') },
      worstUsage: worst,
    },
  };
}

export function usageLevel(used: bigint, total: bigint): UsageLevel {
  if (total === 0n) return used > 0n ? 'exhausted' : 'ok';
  if (used >= total) return 'exhausted';
  const pct = percentOf(used, total);
  if (pct >= 95) return 'usage95';
  if (pct >= 85) return 'usage85';
  if (pct >= 75) return 'usage75';
  return 'ok';
}

function percentOf(used: bigint, total: bigint): number {
  if (total === 0n) return 0;
  return Math.round(Number((used * 100000n) / total) / 100) / 10;
}

function familyStatus(used: bigint, total: bigint): FamilyStatus {
  const available = total > used ? total - used : 0n;
  return { total: total.toString(), used: used.toString(), available: available.toString(), percent: percentOf(used, total), level: usageLevel(used, total) };
}

/**
 * `poolContaining(pools, ip)` (the first pool holding the IP), with the pools' IPv4 CIDRs as
 * numbers: an IPv4 address (`v4`: its number) is then found without BigInt comparisons.
 */
function poolFinder(pools: Pool[]): { v4(n: number): Pool | undefined; ip(ip: IP): Pool | undefined } {
  // Per pool, its IPv4 CIDRs as [start, end, start, end, …] (index loops: this runs per held IP).
  const ranges = pools.map((p) => p.cidrs.filter((c) => c.family === 'ipv4').flatMap((c) => [Number(c.start), Number(c.end)]));
  const v4 = (n: number) => {
    for (let i = 0; i < pools.length; i++) {
      const r = ranges[i];
      for (let j = 0; j < r.length; j += 2) if (n >= r[j] && n <= r[j + 1]) return pools[i];
    }
    return undefined;
  };
  return { v4, ip: (ip) => (ip.family === 'ipv4' ? v4(Number(ip.value)) : poolContaining(pools, ip)) };
}

interface UsedCount {
  v4: bigint;
  v6: bigint;
}

/** Held IPs per active pool name, per family (counted as numbers, handed out as BigInts). */
function countByPool(owners: { owner: IPOwner; family: 0 | 4 | 6 }[]): Map<string, UsedCount> {
  const counts = new Map<string, { v4: number; v6: number }>();
  for (let i = 0; i < owners.length; i++) {
    const { owner, family } = owners[i];
    if (owner.pool === undefined) continue;
    let c = counts.get(owner.pool);
    if (!c) counts.set(owner.pool, (c = { v4: 0, v6: 0 }));
    if (family === 6) c.v6++;
    else c.v4++;
  }
  const used = new Map<string, UsedCount>();
  counts.forEach((c, pool) => used.set(pool, { v4: BigInt(c.v4), v6: BigInt(c.v6) }));
  return used;
}

function poolStatus(p: Pool, model: ClusterModel, b: MetalLBBehaviour, usedByPool: Map<string, UsedCount>): PoolStatus {
  const inactive = poolIgnoredBecause(p, model, b);
  const totals = poolTotals(p, b);
  const used = inactive ? undefined : usedByPool.get(p.name);
  const v4 = used?.v4 ?? 0n;
  const v6 = used?.v6 ?? 0n;
  const families = new Set(p.cidrs.map((c) => c.family));
  // MetalLB ≥0.15's own counters win when present and exact (see poolCounters.ts).
  const reported = reportedCounters(p);
  const c4 = inactive ? undefined : countersFor(reported, 'ipv4');
  const c6 = inactive ? undefined : countersFor(reported, 'ipv6');
  return {
    name: p.name,
    namespace: p.namespace,
    source: p.source,
    active: !inactive,
    inactiveReason: inactive,
    addresses: poolAddressTexts(p),
    autoAssign: p.autoAssign,
    avoidBuggyIPs: p.avoidBuggyIPs,
    ipv4: families.has('ipv4') ? (c4 ? familyStatus(c4.used, c4.total) : familyStatus(v4, totals.ipv4)) : undefined,
    ipv6: families.has('ipv6') ? (c6 ? familyStatus(c6.used, c6.total) : familyStatus(v6, totals.ipv6)) : undefined,
    reported,
    usageFrom: c4 || c6 ? 'status' : 'computed',
  };
}

/** Whether a Service is MetalLB's (class filter, ≥0.13): the rules' helper, re-exported for explain and the editor. */
export { classHandled };

export function requestedIPs(s: Service, b: MetalLBBehaviour): string[] | undefined {
  const ann = readAnnotation(s, 'loadBalancerIPs', b);
  if (ann) return ann.value.split(',').map((x) => x.trim());
  return s.loadBalancerIP ? [s.loadBalancerIP] : undefined;
}

export function latestEvent(model: ClusterModel, key: string): ServiceEvent | undefined {
  return latestOf(model.events.filter((e) => `${e.namespace}/${e.name}` === key));
}

/** Each Service's events (`namespace/name` → events in model order), so no Service scans them all. */
function eventsByService(model: ClusterModel): Map<string, ServiceEvent[]> {
  const by = new Map<string, ServiceEvent[]>();
  for (const e of model.events) {
    const key = `${e.namespace}/${e.name}`;
    const list = by.get(key);
    if (list) list.push(e);
    else by.set(key, [e]);
  }
  return by;
}

function latestOf(evs: ServiceEvent[] | undefined): ServiceEvent | undefined {
  if (!evs?.length) return undefined;
  // Latest by timestamp when known, else the last one listed; Warnings win ties.
  return evs.reduce((best, e) => {
    const bt = best.lastTimestamp ?? '';
    const et = e.lastTimestamp ?? '';
    if (et > bt) return e;
    if (et === bt && e.type === 'Warning' && best.type !== 'Warning') return e;
    if (et === bt && !bt) return e;
    return best;
  });
}

function serviceStatus(s: Service, model: ClusterModel, b: MetalLBBehaviour, active: Pool[], poolNameOf: (ip: string) => string | undefined, sim: SimulationResult | undefined, ev: ServiceEvent | undefined): ServiceStatus {
  const outcome = sim?.services.get(s.key);
  const handled = classHandled(s, model, b);
  // As the simulation: a Service MetalLB filters out is ignored, whether or not it has an IP.
  const state: ServiceStatusState = !handled ? 'ignored' : s.ingressIPs.length ? 'assigned' : 'pending';
  const allocatedFrom = readAnnotation(s, 'ip-allocated-from-pool', b)?.value;
  const pool = state === 'assigned' ? (poolNameOf(s.ingressIPs[0]) ?? allocatedFrom) : undefined;
  let reason: string | undefined;
  let message: string | undefined = ev?.message;
  let messageFrom: ServiceStatus['messageFrom'] = ev ? 'event' : undefined;
  if (state === 'ignored') {
    const notOurs = `loadBalancerClass ${s.loadBalancerClass ?? '<none>'} is not MetalLB's (${model.metallb.lbClass ? `--lb-class=${model.metallb.lbClass}` : 'no --lb-class'})`;
    const other = s.ingressIPs.length > 0 || (!!s.loadBalancerClass && isOtherAllocatorClass(s.loadBalancerClass));
    reason = other ? `handled by another controller: ${notOurs}` : notOurs;
  } else if (state === 'pending') {
    reason = ev?.reason || outcome?.reason || 'Pending';
    if (!message && outcome?.message) {
      message = outcome.message;
      messageFrom = 'prediction';
    }
    if (!active.length) reason = 'NoPools';
  } else if (ev && ev.type === 'Warning') {
    reason = ev.reason;
  }
  const sharing = readAnnotation(s, 'allow-shared-ip', b)?.value;
  return {
    namespace: s.namespace,
    name: s.name,
    state,
    ips: [...s.ingressIPs],
    pool,
    requestedIPs: requestedIPs(s, b),
    requestedPool: readAnnotation(s, 'address-pool', b)?.value,
    sharingKey: sharing,
    loadBalancerClass: s.loadBalancerClass,
    reason,
    message,
    messageFrom: message ? messageFrom : undefined,
    latestEvent: ev ? { type: ev.type, reason: ev.reason, message: ev.message, count: ev.count, lastTimestamp: ev.lastTimestamp } : undefined,
  };
}

/** MetalLB's sharing rule: same non-empty key, same backend key, disjoint (proto, port) sets. */
export function sharingCompatible(svcs: Service[], b: MetalLBBehaviour): boolean {
  const keys = svcs.map((s) => readAnnotation(s, 'allow-shared-ip', b)?.value ?? '');
  if (keys.some((k) => !k) || new Set(keys).size > 1) return false;
  const backend = (s: Service) => (s.externalTrafficPolicy === 'Local' ? canonicalSelector(s.selector) : '');
  if (new Set(svcs.map(backend)).size > 1) return false;
  const seen = new Set<string>();
  for (const s of svcs) {
    for (const p of s.ports) {
      const k = `${p.protocol}/${p.port}`;
      if (seen.has(k)) return false;
    }
    for (const p of s.ports) seen.add(`${p.protocol}/${p.port}`);
  }
  return true;
}

function svcRef(s: { namespace: string; name: string }) {
  return { kind: 'Service', namespace: s.namespace, name: s.name };
}

/** `lb`: every LoadBalancer Service; `handled`: those MetalLB handles (the only ones judged as MetalLB's). */
function statusProblems(model: ClusterModel, b: MetalLBBehaviour, active: Pool[], lb: Service[], handled: Service[], ips: IPOwner[], services: ServiceStatus[]): StatusProblem[] {
  const out: StatusProblem[] = [];
  const add = (p: Omit<StatusProblem, 'docsUrl'>) => out.push({ ...p, docsUrl: docsUrl(p.rule) });

  if (!active.length && handled.length) {
    add({
      rule: 'no-active-pool',
      severity: 'error',
      message: model.pools.length
        ? `MetalLB ${b.version} reads none of the ${model.pools.length} pool(s): ${model.pools.map((p) => `${p.name} (${poolIgnoredBecause(p, model, b)})`).join('; ')}. No Service can get a new IP.`
        : `No MetalLB address pool exists in ${model.metallb.namespace}; no Service can get an IP.`,
    });
  }

  for (const o of ips) {
    if (o.services.length > 1 && !o.shared) {
      add({
        rule: 'duplicate-ip',
        severity: 'error',
        message: `${o.ip} is held by ${o.services.join(', ')} without compatible sharing (same non-empty allow-shared-ip key, disjoint ports, same backend). Traffic goes to whichever node answers first; on the next controller restart one of them loses the IP.`,
        ips: [o.ip],
        object: svcRef(splitKey(o.services[1])),
      });
    }
    if (!o.pool && active.length) {
      add({
        rule: 'ip-outside-pools',
        severity: 'warning',
        message: `${o.ip} (${o.services.join(', ')}) is in no pool MetalLB reads; MetalLB will take it back and assign another IP the next time it reconciles the Service${b.staleConfigOnEdit ? `, or (MetalLB ${b.version}) refuse every pool edit as a stale config while it is held` : ''}.`,
        ips: [o.ip],
        object: svcRef(splitKey(o.services[0])),
      });
    }
  }

  const pending = services.filter((s) => s.state === 'pending');
  for (const s of pending) {
    // Only a recorded event is MetalLB's word; the simulation's outcome is lbguard's prediction.
    const why = s.latestEvent
      ? `MetalLB says: ${s.latestEvent.reason}: ${s.latestEvent.message}`
      : s.messageFrom === 'prediction'
        ? `no MetalLB event seen; lbguard predicts: ${s.reason && s.reason !== 'Pending' && s.reason !== 'NoPools' ? `${s.reason}: ` : ''}${s.message}`
        : 'no MetalLB event explains it';
    add({ rule: 'pending-service', severity: 'warning', message: `Service ${s.namespace}/${s.name} is Pending (${why}). Run \`kubectl lb explain ${s.namespace}/${s.name}\` for the checklist.`, object: svcRef(s) });
  }

  // 0.13.0–0.13.12 (CRD versions before the gate): no start-up gate, so a Pending Service can take a
  // holder's IP when the controller restarts. 0.12 has its `synced` gate; ≥0.14.0 has
  // initialLoadPerformed (the v0.14.0/v0.14.1 tags already carry 0.14.2's code). Pinning a holder
  // does not help (it goes Pending instead of moving); leaving no Service Pending does.
  if (!b.startupGating && !b.syncedGate && pending.length) {
    const holders = handled.filter((s) => s.ingressIPs.length).length;
    add({
      rule: 'restart-risk',
      severity: 'error',
      message: `MetalLB ${b.version} has no start-up gate (fixed in 0.14.2): with ${pending.length} Pending Service(s) (${pending.map((s) => `${s.namespace}/${s.name}`).join(', ')}), a controller restart can hand one of them an IP that ${holders} assigned Service(s) hold in their status, moving or un-assigning them (metallb#2443). Upgrade to ≥0.14.2 (start-up gating); until then, before the controller restarts leave no Service Pending: fix it (\`kubectl lb explain\`), delete it, or request a free IP for it with ${annotationPrefix(b)}loadBalancerIPs. Pinning the Services that hold IPs does not help: one whose IP is taken goes Pending instead of moving.`,
    });
  }

  for (const s of lb) {
    if (!classHandled(s, model, b)) {
      if (s.loadBalancerClass && !s.ingressIPs.length && !isOtherAllocatorClass(s.loadBalancerClass)) {
        add({
          rule: 'lb-class-unhandled',
          severity: 'warning',
          message: `Service ${s.key} has loadBalancerClass ${s.loadBalancerClass}, which MetalLB ignores (${model.metallb.lbClass ? `it runs with --lb-class=${model.metallb.lbClass}` : 'it runs without --lb-class'}) and no other known implementation handles; it stays Pending forever.`,
          object: svcRef(s),
        });
      }
      continue; // another controller's Service: not judged as MetalLB's
    }
    const managers = s.loadBalancerIPManagers ?? [];
    if (managers.length > 1) {
      add({
        rule: 'loadbalancerip-fight',
        severity: 'warning',
        message: `spec.loadBalancerIP of Service ${s.key} is owned by ${managers.length} field managers (${managers.join(', ')}); they overwrite each other and MetalLB re-assigns the IP each time it changes.`,
        object: svcRef(s),
        ips: s.loadBalancerIP ? [s.loadBalancerIP] : undefined,
      });
    } else if (managers.length === 1 && s.loadBalancerIP && s.ingressIPs.length && !s.ingressIPs.includes(s.loadBalancerIP)) {
      add({
        rule: 'loadbalancerip-fight',
        severity: 'warning',
        message: `Service ${s.key} asks for ${s.loadBalancerIP} (spec.loadBalancerIP, written by ${managers[0]}) but holds ${s.ingressIPs.join(', ')}; whoever writes the field and MetalLB disagree.`,
        object: svcRef(s),
        ips: [s.loadBalancerIP],
      });
    }
  }

  const lbs = new Set(model.harvesterLoadBalancers.map((l) => `${l.namespace}/${l.name}`));
  for (const hp of model.harvesterPools) {
    const release = hp.annotations['loadbalancer.harvesterhci.io/manuallyReleaseIP'];
    if (release !== undefined) {
      const why = harvesterReleaseProblem(release, hp.allocated, lbs);
      if (why) {
        add({
          rule: 'harvester-invalid-release',
          severity: 'warning',
          message: `Harvester IPPool ${hp.name}: loadbalancer.harvesterhci.io/manuallyReleaseIP "${release}" releases nothing: ${why}. Harvester removes the annotation and only logs "skip". Write "<ip>: <namespace>/<lb-name>" (IPv4 only, no space before the colon).`,
          object: { kind: 'IPPool', name: hp.name },
        });
      }
    }
    if (!model.harvesterLoadBalancers.length) continue;
    for (const [ip, owner] of Object.entries(hp.allocated)) {
      if (!lbs.has(owner)) {
        add({
          rule: 'harvester-stale-allocation',
          severity: 'warning',
          message: `Harvester IPPool ${hp.name} still allocates ${ip} to ${owner}, which no longer exists; the IP is lost to the pool and blocks editing it. Release it with the annotation loadbalancer.harvesterhci.io/manuallyReleaseIP: "${ip}: ${owner}".`,
          object: { kind: 'IPPool', name: hp.name },
          ips: [ip],
        });
      }
    }
  }
  out.push(...liveProblems(model));
  return out;
}

/** Harvester's SplitIPAllocatedString and OnChangeToReleaseAnIP checks; undefined when the release would happen. */
export function harvesterReleaseProblem(value: string, allocated: Record<string, string>, lbs: Set<string>): string | undefined {
  const fields = value.trim().split(':');
  if (fields.length !== 2) return fields.length > 2 ? 'it has more than one colon (IPv6 addresses cannot be released this way)' : 'it has no "<ip>: <namespace>/<name>" colon';
  const [ip, rest] = fields;
  const owner = rest.trim().split('/');
  if (owner.length !== 2) return `"${rest.trim()}" is not <namespace>/<name>`;
  if (ip !== ip.trim()) return 'there is a space before the colon, so the IP part does not match';
  const key = owner.join('/');
  if (allocated[ip] !== key) return allocated[ip] ? `${ip} is allocated to ${allocated[ip]}, not ${key}` : `${ip} is not allocated (already released)`;
  if (lbs.has(key)) return `the LoadBalancer ${key} still exists`;
  return undefined;
}

function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

function findingToProblem(f: Finding): StatusProblem {
  return {
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    docsUrl: f.docsUrl,
    object: f.object ? { kind: f.object.kind, namespace: f.object.namespace, name: f.object.name } : undefined,
    file: f.file,
    line: f.range.start.line,
    column: f.range.start.column,
  };
}
