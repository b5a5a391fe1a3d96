// `kubectl lb explain <namespace/name>`: why a Service is Pending, or why its IP changed, as an
// ordered checklist (metallb.md §4.5, kubectl-plugin.md §3.1) where every step shows its evidence.
// Pure: takes the cluster model (and the simulation when available) and returns data to render.
import { parseIP } from '../address/ip.js';
import { formatSelector } from '../model/labels.js';
import { DEFAULT_CLUSTER_NETWORK, serviceFamily, type ClusterNetwork, type ServiceFamily } from '../model/family.js';
import type { ClusterModel, Pool, Service } from '../model/types.js';
import { readAnnotation } from '../metallb/annotations.js';
import type { PoolChoice, SimulationResult } from '../metallb/types.js';
import type { MetalLBBehaviour } from '../metallb/versions.js';
import { activePools, poolFamilies, poolIgnoredBecause, poolOf, poolSelects, poolTotals } from './pools.js';
import { classHandled, latestEvent, requestedIPs, resolveVersion, sharingCompatible } from './report.js';

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip' | 'info';

export interface ExplainStep {
  id: 'type' | 'class' | 'config' | 'family' | 'requested-ips' | 'address-pool' | 'candidate-pools' | 'capacity' | 'sharing' | 'ip-change' | 'restart' | 'events';
  title: string;
  status: CheckStatus;
  detail: string;
  evidence?: string[];
}

export interface Explanation {
  schemaVersion: 1;
  service: {
    namespace: string;
    name: string;
    type: string;
    state: 'assigned' | 'pending' | 'ignored' | 'not-loadbalancer';
    ips: string[];
    requestedIPs?: string[];
    requestedPool?: string;
    sharingKey?: string;
    loadBalancerClass?: string;
    family?: ServiceFamily;
    ipFamilyPolicy?: string;
  };
  metallb: { version: string; namespace: string; lbClass?: string };
  /** One sentence: the first failing step, or what holds. */
  verdict: string;
  steps: ExplainStep[];
  events: { type: string; reason: string; message: string; count?: number; lastTimestamp?: string }[];
  /** What the simulated controller would do now. */
  prediction?: { state: string; ips: string[]; pool?: string; reason?: string; message?: string; candidates?: PoolChoice[] };
}

export interface ExplainOptions {
  version?: string;
  simulation?: SimulationResult;
  network?: ClusterNetwork;
}

export function findService(model: ClusterModel, key: string): Service | undefined {
  const k = key.includes('/') ? key : `default/${key}`;
  return model.services.find((s) => s.key === k);
}

export function explainService(model: ClusterModel, key: string, options: ExplainOptions = {}): Explanation | undefined {
  const svc = findService(model, key);
  if (!svc) return undefined;
  const { behaviour: b } = resolveVersion(model, options.version);
  const net = options.network ?? DEFAULT_CLUSTER_NETWORK;
  const steps: ExplainStep[] = [];
  const active = activePools(model, b);
  const isLB = svc.type === 'LoadBalancer';
  const handled = isLB && classHandled(svc, model, b);
  const state: Explanation['service']['state'] = !isLB ? 'not-loadbalancer' : !handled ? 'ignored' : svc.ingressIPs.length ? 'assigned' : 'pending';
  const fam = serviceFamily(svc, net);
  const requested = requestedIPs(svc, b);
  const requestedPool = readAnnotation(svc, 'address-pool', b)?.value;
  const sharingKey = readAnnotation(svc, 'allow-shared-ip', b)?.value;
  const usage = usageByPool(model, b, active);
  let stop = false;
  const step = (s: ExplainStep) => {
    steps.push(stop && s.status !== 'info' ? { ...s, status: 'skip', detail: `not reached: ${s.detail}` } : s);
    if (s.status === 'fail' && ['type', 'class', 'config'].includes(s.id)) stop = true;
  };

  // 1. Type.
  step({ id: 'type', title: 'Service type', status: isLB ? 'pass' : 'fail', detail: isLB ? 'type LoadBalancer' : `type ${svc.type}: MetalLB only allocates for type LoadBalancer` });

  // 2. Class.
  const flag = model.metallb.lbClass;
  step({
    id: 'class',
    title: 'loadBalancerClass',
    status: handled || !isLB ? 'pass' : 'fail',
    detail: handled || !isLB
      ? svc.loadBalancerClass
        ? `class ${svc.loadBalancerClass} matches MetalLB's --lb-class`
        : `no class${flag ? '' : ', and MetalLB runs without --lb-class'}: MetalLB handles it`
      : svc.loadBalancerClass
        ? `class ${svc.loadBalancerClass} is not MetalLB's (${flag ? `--lb-class=${flag}` : 'no --lb-class'}): MetalLB ignores the Service entirely, without events`
        : `MetalLB runs with --lb-class=${flag}, so it ignores Services without a class`,
  });

  // 3. Configuration.
  const ignored = model.pools.filter((p) => !active.includes(p));
  const cfgErr = options.simulation?.configError;
  step({
    id: 'config',
    title: 'MetalLB configuration',
    status: cfgErr && !cfgErr.stale ? 'fail' : !active.length ? 'fail' : cfgErr?.stale ? 'warn' : 'pass',
    detail: cfgErr
      ? `MetalLB ${cfgErr.stale ? 'keeps its previous configuration (stale)' : 'refuses the configuration'}: ${cfgErr.message}`
      : active.length
        ? `MetalLB ${b.version} (namespace ${model.metallb.namespace}) reads ${active.length} pool(s): ${active.map((p) => p.name).join(', ')}`
        : model.pools.length
          ? `MetalLB ${b.version} reads none of the pools in the input`
          : `no MetalLB address pool in the input: nothing can be allocated`,
    evidence: ignored.map((p) => `pool ${p.name} ignored: ${poolIgnoredBecause(p, model, b)}`),
  });

  // 4. Family.
  const oneClusterIPRequireDual = svc.ipFamilyPolicy === 'RequireDualStack' && svc.clusterIPs.length === 1 && b.familyFollowsClusterIPs;
  step({
    id: 'family',
    title: 'IP family',
    status: 'error' in fam || oneClusterIPRequireDual ? 'fail' : 'pass',
    detail: 'error' in fam
      ? fam.error
      : oneClusterIPRequireDual
        ? `RequireDualStack with one ClusterIP: MetalLB ${b.version} refuses it ("Service requires dual stack but not enough clusterips")`
        : `${fam.family}${fam.predicted ? ' (predicted: no ClusterIPs in the input)' : ` (ClusterIPs ${svc.clusterIPs.join(', ')})`}, ipFamilyPolicy ${svc.ipFamilyPolicy ?? 'SingleStack'}`,
  });
  const family: ServiceFamily | undefined = 'family' in fam ? fam.family : undefined;

  // 5. Requested IPs.
  if (requested) {
    const both = !!svc.loadBalancerIP && !!readAnnotation(svc, 'loadBalancerIPs', b);
    const bad = requested.filter((ip) => !parseIP(ip));
    const evidence: string[] = [];
    let status: CheckStatus = 'pass';
    let detail = `asks for ${requested.join(', ')}`;
    if (both) {
      status = 'fail';
      detail = `both metallb.io/loadBalancerIPs and spec.loadBalancerIP are set: MetalLB refuses ("service can not have both …")`;
    } else if (bad.length) {
      status = 'fail';
      detail = `${bad.join(', ')} is not an IP address`;
    } else {
      const owners = requested.map((ip) => poolOf(active, ip));
      requested.forEach((ip, i) => evidence.push(`${ip}: ${owners[i] ? `in pool ${owners[i]!.name}` : 'in no pool MetalLB reads'}`));
      const first = owners[0];
      if (owners.some((o) => !o)) {
        status = 'fail';
        detail = `${requested.filter((_, i) => !owners[i]).join(', ')} is in no pool MetalLB reads ("is not allowed in config")`;
      } else if (new Set(owners.map((o) => o!.name)).size > 1) {
        status = 'fail';
        detail = 'the requested IPs are in different pools; MetalLB needs them in one pool';
      } else if (first) {
        const sel = poolSelects(first, svc, model, b);
        if (!sel.selects) {
          status = 'fail';
          detail = `pool ${first.name} does not select the Service: ${sel.why}`;
        } else if (requestedPool && requestedPool !== first.name && b.requestedIPMustMatchPoolAnnotation) {
          status = 'fail';
          detail = `the requested IPs are in pool ${first.name}, but the address-pool annotation names ${requestedPool}`;
        }
        for (const ip of requested) {
          const others = model.services.filter((o) => o !== svc && o.type === 'LoadBalancer' && o.ingressIPs.includes(ip));
          if (others.length && !sharingCompatible([svc, ...others], b)) {
            status = 'fail';
            detail = `${ip} is held by ${others.map((o) => o.key).join(', ')} and the sharing rules do not allow sharing it`;
          }
        }
      }
    }
    step({ id: 'requested-ips', title: 'Requested IPs', status, detail, evidence });
  } else {
    step({ id: 'requested-ips', title: 'Requested IPs', status: 'info', detail: 'none requested: automatic allocation' });
  }

  // 6. address-pool annotation.
  if (requestedPool) {
    const p = model.pools.find((x) => x.name === requestedPool);
    const act = p && active.includes(p);
    const sel = p && act ? poolSelects(p, svc, model, b) : undefined;
    step({
      id: 'address-pool',
      title: 'address-pool annotation',
      status: !p || !act || !sel?.selects ? 'fail' : 'pass',
      detail: !p
        ? `pool ${requestedPool} does not exist ("unknown pool \\"${requestedPool}\\"")`
        : !act
          ? `pool ${requestedPool} is ignored: ${poolIgnoredBecause(p, model, b)}`
          : !sel!.selects
            ? `pool ${requestedPool} does not select the Service: ${sel!.why}`
            : `pool ${requestedPool} exists and selects the Service (autoAssign does not matter)`,
    });
  } else {
    step({ id: 'address-pool', title: 'address-pool annotation', status: 'info', detail: 'not set' });
  }

  // 7. Candidate pools (automatic allocation).
  const candidates: Pool[] = [];
  const evidence: string[] = [];
  const scope = requested ? [] : requestedPool ? active.filter((p) => p.name === requestedPool) : active;
  for (const p of scope) {
    const sel = poolSelects(p, svc, model, b);
    const fams = poolFamilies(p);
    const famOK = familyFits(fams, family, svc, b);
    const auto = p.autoAssign || !!requestedPool;
    const reasons: string[] = [];
    if (!auto) reasons.push('autoAssign: false');
    if (!sel.selects) reasons.push(sel.why!);
    if (!famOK) reasons.push(`has only ${[...fams].join('+') || 'no valid addresses'}, the Service needs ${family}`);
    const sa = p.serviceAllocation;
    const selText = sa ? ` serviceAllocation{priority ${sa.priority}${sa.namespaces.length ? `, namespaces ${sa.namespaces.join(',')}` : ''}${sa.serviceSelectors.length ? `, serviceSelectors ${sa.serviceSelectors.map(formatSelector).join(' | ')}` : ''}}` : '';
    evidence.push(`${p.name} [${p.addresses.map((a) => a.text).join(', ')}]${selText}: ${reasons.length ? `not a candidate (${reasons.join('; ')})` : 'candidate'}`);
    if (!reasons.length) candidates.push(p);
  }
  if (requested) {
    step({ id: 'candidate-pools', title: 'Candidate pools', status: 'info', detail: 'requested IPs bypass autoAssign and priorities' });
  } else {
    step({
      id: 'candidate-pools',
      title: 'Candidate pools',
      status: candidates.length ? 'pass' : 'fail',
      detail: candidates.length
        ? `${candidates.length} pool(s) can serve it: ${candidates.map((p) => p.name).join(', ')}`
        : scope.length
          ? `no pool can serve the Service (${family ?? 'unknown'} family, labels ${fmtLabels(svc.labels)}, namespace ${svc.namespace})`
          : 'no pool to choose from',
      evidence,
    });
  }

  // 8. Capacity.
  const needed = family === 'dual' ? ['ipv4', 'ipv6'] : family ? [family] : [];
  const capPools = requested ? [] : candidates;
  if (capPools.length) {
    const full = capPools.filter((p) => needed.some((f) => isFull(usage.get(p.name), f as 'ipv4' | 'ipv6')));
    step({
      id: 'capacity',
      title: 'Free addresses',
      status: full.length === capPools.length && state !== 'assigned' ? 'fail' : full.length ? 'warn' : 'pass',
      detail: full.length === capPools.length
        ? `every candidate pool is full for ${family} ("no available IPs")`
        : full.length
          ? `${full.map((p) => p.name).join(', ')} full; others have room`
          : 'the candidate pools have free addresses',
      evidence: capPools.map((p) => {
        const u = usage.get(p.name)!;
        return `${p.name}: IPv4 ${u.ipv4.used}/${u.ipv4.total} used, IPv6 ${u.ipv6.used}/${u.ipv6.total} used`;
      }),
    });
  } else {
    step({ id: 'capacity', title: 'Free addresses', status: 'skip', detail: requested ? 'requested IPs: only those addresses matter' : 'no candidate pool' });
  }

  // 9. Sharing.
  if (sharingKey) {
    const sameKey = model.services.filter((o) => o !== svc && o.type === 'LoadBalancer' && readAnnotation(o, 'allow-shared-ip', b)?.value === sharingKey);
    const shared = sameKey.filter((o) => o.ingressIPs.length);
    const incompatible = shared.filter((o) => !sharingCompatible([svc, o], b));
    step({
      id: 'sharing',
      title: 'IP sharing',
      status: incompatible.length ? 'warn' : 'pass',
      detail: incompatible.length
        ? `sharing key "${sharingKey}" is also used by ${incompatible.map((o) => o.key).join(', ')}, but ports overlap or externalTrafficPolicy/selectors differ, so MetalLB cannot co-locate them`
        : `sharing key "${sharingKey}"${shared.length ? `, compatible with ${shared.map((o) => o.key).join(', ')}` : ''}`,
      evidence: shared.map((o) => `${o.key}: ${o.ingressIPs.join(', ')} ports ${o.ports.map((p) => `${p.protocol}/${p.port}`).join(',')} etp ${o.externalTrafficPolicy}`),
    });
  } else {
    step({ id: 'sharing', title: 'IP sharing', status: 'info', detail: 'no allow-shared-ip key' });
  }

  // 10. IP change: the held IP no longer fits, or differs from the request.
  if (svc.ingressIPs.length) {
    const ev: string[] = [];
    let status: CheckStatus = 'pass';
    let detail = `holds ${svc.ingressIPs.join(', ')}`;
    for (const ip of svc.ingressIPs) {
      const p = poolOf(active, ip);
      ev.push(`${ip}: ${p ? `pool ${p.name}` : 'no pool'}`);
      if (!p) {
        status = 'fail';
        detail = `${ip} is in no pool MetalLB reads (a pool edit dropped it?): MetalLB ${b.staleConfigOnEdit ? `${b.version} refuses the new config as stale while the IP is held` : 'clears it and assigns a new IP on the next reconcile ("ClearAssignment")'}`;
      } else if (!poolSelects(p, svc, model, b).selects) {
        status = 'fail';
        detail = `${ip} is in pool ${p.name}, which no longer selects the Service: it will get another IP`;
      }
    }
    if (status === 'pass' && requested && !requested.every((r) => svc.ingressIPs.includes(r))) {
      status = 'warn';
      detail = `holds ${svc.ingressIPs.join(', ')} but asks for ${requested.join(', ')}: MetalLB will move it to the requested IP when it can`;
    }
    const clears = model.events.filter((e) => `${e.namespace}/${e.name}` === svc.key && e.reason === 'ClearAssignment');
    for (const c of clears) ev.push(`event ClearAssignment: ${c.message}`);
    step({ id: 'ip-change', title: 'Current IP', status, detail, evidence: ev });
  } else {
    step({ id: 'ip-change', title: 'Current IP', status: 'info', detail: 'holds no IP' });
  }

  // 11. Restart risk.
  const pendingOthers = model.services.filter((o) => o.type === 'LoadBalancer' && !o.ingressIPs.length && classHandled(o, model, b));
  step({
    id: 'restart',
    title: 'Controller restart',
    status: !b.startupGating && !b.syncedGate && pendingOthers.length ? 'warn' : 'pass',
    detail: b.startupGating
      ? `MetalLB ${b.version} re-adopts every held IP before allocating (≥0.14.2)`
      : b.syncedGate
        ? `MetalLB ${b.version} waits for its caches before allocating (mostly safe)`
        : pendingOthers.length
          ? `MetalLB ${b.version} has no start-up gate: on a restart a Pending Service (${pendingOthers.map((o) => o.key).join(', ')}) may take an IP another Service holds (metallb#2443)`
          : `MetalLB ${b.version} has no start-up gate, but nothing is Pending now`,
  });

  // 12. Events.
  const evs = model.events.filter((e) => `${e.namespace}/${e.name}` === svc.key);
  const last = latestEvent(model, svc.key);
  step({
    id: 'events',
    title: "MetalLB's events",
    status: last?.type === 'Warning' ? 'warn' : 'info',
    detail: last ? `${last.type} ${last.reason}: ${last.message}` : 'no events for the Service in the input',
  });

  const outcome = options.simulation?.services.get(svc.key);
  const firstFail = steps.find((s) => s.status === 'fail');
  const verdict =
    state === 'pending'
      ? firstFail
        ? `Pending: ${firstFail.detail}.`
        : last
          ? `Pending; no static cause found. MetalLB's latest event: ${last.reason}: ${last.message}`
          : 'Pending; no static cause found and no MetalLB event: check the controller logs.'
      : state === 'assigned'
        ? firstFail
          ? `Holds ${svc.ingressIPs.join(', ')}, but: ${firstFail.detail}.`
          : `Holds ${svc.ingressIPs.join(', ')}${poolOf(active, svc.ingressIPs[0]) ? ` from pool ${poolOf(active, svc.ingressIPs[0])!.name}` : ''}.`
        : `${firstFail?.detail ?? 'Not handled by MetalLB'}.`;

  return {
    schemaVersion: 1,
    service: {
      namespace: svc.namespace,
      name: svc.name,
      type: svc.type,
      state,
      ips: [...svc.ingressIPs],
      requestedIPs: requested,
      requestedPool,
      sharingKey,
      loadBalancerClass: svc.loadBalancerClass,
      family,
      ipFamilyPolicy: svc.ipFamilyPolicy,
    },
    metallb: { version: b.version, namespace: model.metallb.namespace, lbClass: model.metallb.lbClass },
    verdict,
    steps,
    events: evs.map((e) => ({ type: e.type, reason: e.reason, message: e.message, count: e.count, lastTimestamp: e.lastTimestamp })),
    prediction: outcome
      ? { state: outcome.state, ips: outcome.ips, pool: outcome.pool, reason: outcome.reason, message: outcome.message, candidates: outcome.candidates }
      : undefined,
  };
}

function familyFits(fams: Set<'ipv4' | 'ipv6'>, family: ServiceFamily | undefined, svc: Service, b: MetalLBBehaviour): boolean {
  if (!family) return fams.size > 0;
  if (family !== 'dual') return fams.has(family);
  if (svc.ipFamilyPolicy === 'PreferDualStack' && b.preferDualStackFallback) return fams.size > 0;
  return fams.has('ipv4') && fams.has('ipv6');
}

type Usage = { ipv4: { used: bigint; total: bigint }; ipv6: { used: bigint; total: bigint } };

function usageByPool(model: ClusterModel, b: MetalLBBehaviour, active: Pool[]): Map<string, Usage> {
  const out = new Map<string, Usage>();
  for (const p of active) {
    const t = poolTotals(p, b);
    out.set(p.name, { ipv4: { used: 0n, total: t.ipv4 }, ipv6: { used: 0n, total: t.ipv6 } });
  }
  const seen = new Set<string>();
  for (const s of model.services) {
    if (s.type !== 'LoadBalancer') continue;
    for (const ip of s.ingressIPs) {
      if (seen.has(ip)) continue;
      seen.add(ip);
      const p = poolOf(active, ip);
      const fam = parseIP(ip)?.family;
      if (p && fam) out.get(p.name)![fam].used++;
    }
  }
  return out;
}

function isFull(u: Usage | undefined, f: 'ipv4' | 'ipv6'): boolean {
  return !u || u[f].used >= u[f].total;
}

function fmtLabels(l: Record<string, string>): string {
  const e = Object.entries(l);
  return e.length ? `{${e.map(([k, v]) => `${k}=${v}`).join(',')}}` : '{}';
}
