// Two Services that want the same IP without compatible sharing (allocator.go checkSharing): same
// non-empty allow-shared-ip key, equal backend keys (externalTrafficPolicy Local + selector) and
// disjoint (protocol, port) sets. A Service that requests an IP held by another (status / --state)
// stays Pending; two requesters race and the first processed wins.
import { formatIP, type IP, ipKey, parseIP } from '../address/ip.js';
import type { RelatedLocation } from '../findings/finding.js';
import { defineRule } from '../lint/rule.js';
import type { Service } from '../model/types.js';
import { backendKey, isMetalLBService, requestPassesPreChecks, requestedIPs, type RequestedIPs, sharingKey } from './support/metallbService.js';
import type { MetalLBBehaviour } from '../metallb/versions.js';

interface Claim {
  svc: Service;
  ip: IP;
  requests: boolean;
  holds: boolean;
  /** Where to point: the request, or the status entry; see claimPath. */
  path?: (string | number)[];
  /** The status entry's index, for a held IP without `path` (its path is made only for a finding). */
  ingress?: number;
}

/** A claim's map key: IPv4 addresses by their number, IPv6 by ipKey (a number never equals a string key). */
function claimKey(ip: IP): number | string {
  return ip.family === 'ipv4' ? Number(ip.value) : ipKey(ip);
}

/** Where a claim points. */
function claimPath(c: Claim): (string | number)[] {
  return c.path ?? ['status', 'loadBalancer', 'ingress', c.ingress!, 'ip'];
}

function conflict(a: Service, bSvc: Service, ip: IP, b: MetalLBBehaviour): string | undefined {
  const ka = sharingKey(a, b);
  const kb = sharingKey(bSvc, b);
  if (!ka || !kb || ka !== kb || backendKey(a) !== backendKey(bSvc)) return `can't change sharing key for "${a.key}", address also in use by ${bSvc.key}`;
  const used = new Set(bSvc.ports.map((p) => `${p.protocol}/${p.port}`));
  const clash = a.ports.find((p) => used.has(`${p.protocol}/${p.port}`));
  if (clash) return `port ${clash.protocol}/${clash.port} is already in use on "${formatIP(ip)}"`;
  return undefined;
}

function whyNotShared(a: Service, o: Service, b: MetalLBBehaviour): string {
  const ka = sharingKey(a, b);
  const kb = sharingKey(o, b);
  if (!ka || !kb) return `sharing needs the same allow-shared-ip key on both (${a.key}: ${ka ? `"${ka}"` : 'none'}, ${o.key}: ${kb ? `"${kb}"` : 'none'})`;
  if (ka !== kb) return `their allow-shared-ip keys differ ("${ka}" vs "${kb}")`;
  if (backendKey(a) !== backendKey(o)) return `their backend keys differ (externalTrafficPolicy Local needs the same selector on both: "${backendKey(a)}" vs "${backendKey(o)}")`;
  return 'their ports overlap';
}

export const rule = defineRule({
  meta: {
    id: 'requested-ip-taken',
    severity: 'error',
    description: 'A Service requests an IP that another Service requests or holds, without compatible sharing.',
  },
  check(ctx) {
    const b = ctx.behaviour;
    const claims = new Map<number | string, Claim[]>();
    const add = (c: Claim) => {
      const k = claimKey(c.ip);
      const list = claims.get(k);
      if (!list) {
        claims.set(k, [c]);
        return;
      }
      const same = list.find((x) => x.svc.key === c.svc.key);
      if (same) {
        same.requests ||= c.requests;
        same.holds ||= c.holds;
        if (c.requests) { same.svc = c.svc; same.path = c.path; same.ingress = c.ingress; }
      } else list.push(c);
    };
    const judged = (svc: Service) => !!svc.doc && isMetalLBService(svc, ctx.model, b);
    // Only a request can be reported, so only the IPs some judged Service requests (past MetalLB's
    // pre-checks) need their other claims: held IPs are claimed at those alone, and with no
    // request at all there is nothing to look at (most clusters: every IP auto-assigned).
    const requests = new Map<Service, RequestedIPs>();
    const requested = new Set<number | string>();
    for (const svc of ctx.model.services) {
      // The request first: most Services have none, and then need not be judged here.
      const req = requestedIPs(svc, b);
      if (!req || !judged(svc) || !requestPassesPreChecks(svc, req, ctx.network)) continue;
      requests.set(svc, req);
      for (const ip of req.ips) requested.add(claimKey(ip!));
    }
    if (requested.size === 0) return;
    const hold = (c: Claim) => {
      if (requested.has(claimKey(c.ip))) add(c);
    };
    // The claims in the order the Services come (the order of the rivals a finding names).
    for (const svc of ctx.model.services) {
      if (!judged(svc)) continue;
      const req = requests.get(svc);
      if (req) for (const ip of req.ips) add({ svc, ip: ip!, requests: true, holds: false, path: req.path });
      for (let i = 0; i < svc.ingressIPs.length; i++) {
        const ip = parseIP(svc.ingressIPs[i]);
        if (ip) hold({ svc, ip, requests: false, holds: true, ingress: i });
      }
    }
    // The input's Service of each key (the first, as a find would), looked up per state holder
    // (made when first needed).
    let inputByKey: Map<string, Service> | undefined;
    const inputOf = (key: string) => {
      if (!inputByKey) {
        inputByKey = new Map();
        for (const s of ctx.model.services) if (!inputByKey.has(s.key)) inputByKey.set(s.key, s);
      }
      return inputByKey.get(key);
    };
    // The state may be the input itself (`status`): a Service the loop above judged holds those
    // IPs already, under its key, and adding them again would change nothing.
    const stateIsInput = ctx.state?.model.services === ctx.model.services;
    for (const svc of ctx.state?.model.services ?? []) {
      if (svc.type !== 'LoadBalancer') continue;
      if (stateIsInput && judged(svc)) continue;
      for (const t of svc.ingressIPs) {
        const ip = parseIP(t);
        const inInput = inputOf(svc.key);
        // The cluster's holder; the input's version of the Service (if any) is the one judged.
        if (ip) hold({ svc: inInput ?? svc, ip, requests: false, holds: true, path: inInput ? [] : ['status', 'loadBalancer', 'ingress'] });
      }
    }
    for (const list of claims.values()) {
      if (list.length < 2) continue;
      for (const r of list) {
        if (!r.requests || !r.svc.doc) continue;
        const rivals = list.filter((o) => o !== r && (o.holds || o.requests) && conflict(r.svc, o.svc, r.ip, b));
        if (rivals.length === 0) continue;
        const holders = rivals.filter((o) => o.holds);
        if (r.holds && holders.length === 0) continue; // r keeps it; the others are reported
        const o = holders[0] ?? rivals[0];
        const err = conflict(r.svc, o.svc, r.ip, b)!;
        const ipText = formatIP(r.ip);
        const fate = holders.length
          ? `${o.svc.key} already holds ${ipText}, so this Service stays Pending`
          : `${o.svc.key} requests ${ipText} too: whichever MetalLB processes first gets it and the other stays Pending`;
        const related: RelatedLocation[] = [];
        for (const x of rivals) {
          const d = x.svc.doc;
          if (!d) continue;
          const path = claimPath(x);
          related.push({ file: d.file, range: path.length ? d.locate(path).range : d.locate(['metadata', 'name']).range, message: `${x.svc.key} ${x.holds ? 'holds' : 'requests'} ${ipText}` });
        }
        ctx.report({
          doc: r.svc.doc,
          path: claimPath(r),
          message:
            `${fate}: AllocationFailed Failed to allocate IP for "${r.svc.key}": ${err}. ` +
            `MetalLB shares an IP only between Services with the same non-empty allow-shared-ip key, the same backend key and different ports; here ${whyNotShared(r.svc, o.svc, b)}. ` +
            'Request another IP, or make the Services share (same allow-shared-ip value, distinct ports).',
          related,
          data: { ip: ipText, others: rivals.map((x) => ({ service: x.svc.key, holds: x.holds, requests: x.requests })) },
        });
      }
    }
  },
});
