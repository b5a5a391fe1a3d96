// getDesiredLbIPs (controller/service.go): the IPs a Service asks for, from the loadBalancerIPs
// annotation or spec.loadBalancerIP, with MetalLB's error messages.
import { type IP, formatIP, parseIP } from '../address/ip.js';
import { familyForAddresses, type ServiceFamily } from '../model/family.js';
import type { Service } from '../model/types.js';
import { annotationPrefix, readAnnotation, splitIPList } from './annotations.js';
import type { MetalLBBehaviour } from './versions.js';

export type DesiredIPs =
  | { kind: 'none' }
  | { kind: 'ips'; ips: IP[]; family: ServiceFamily; source: 'annotation' | 'loadBalancerIP' }
  | { kind: 'error'; error: string };

export function getDesiredLbIPs(svc: Service, b: MetalLBBehaviour): DesiredIPs {
  const ann = readAnnotation(svc, 'loadBalancerIPs', b);
  const lbIP = svc.loadBalancerIP ?? '';
  if (!ann && !lbIP) return { kind: 'none' };
  const key = `${annotationPrefix(b)}loadBalancerIPs`;
  if (ann && lbIP) return { kind: 'error', error: `service can not have both ${key} and svc.Spec.LoadBalancerIP` };
  if (ann) {
    const parts = splitIPList(ann.value);
    const ips = parts.map((p) => parseIP(p));
    if (ips.some((i) => !i)) return { kind: 'error', error: `invalid ${key}: ${JSON.stringify(ann.value)}` };
    const fam = familyForAddresses(ips.map((i) => formatIP(i!)));
    if ('error' in fam) return { kind: 'error', error: fam.error };
    return { kind: 'ips', ips: ips as IP[], family: fam.family, source: 'annotation' };
  }
  if (lbIP) {
    const ip = parseIP(lbIP);
    if (!ip) return { kind: 'error', error: `invalid spec.loadBalancerIP ${JSON.stringify(lbIP)}` };
    return { kind: 'ips', ips: [ip], family: ip.family, source: 'loadBalancerIP' };
  }
  return { kind: 'none' };
}
