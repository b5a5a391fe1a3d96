// A Service's IP family as MetalLB computes it (internal/ipfamily): from its ClusterIPs when the
// API server has assigned them, otherwise predicted from ipFamilyPolicy/ipFamilies the way the API
// server would assign them on the cluster lbguard is told about.
import { parseIP } from '../address/ip.js';
import type { Service } from './types.js';

export type ServiceFamily = 'ipv4' | 'ipv6' | 'dual';

export interface ClusterNetwork {
  /** Families the cluster's Service CIDRs provide, primary first (default: dual-stack, IPv4 primary). */
  families: ('IPv4' | 'IPv6')[];
}

export const DEFAULT_CLUSTER_NETWORK: ClusterNetwork = { families: ['IPv4', 'IPv6'] };

export type FamilyResult = { family: ServiceFamily; predicted: boolean } | { error: string };

export function familyForAddresses(ips: string[]): { family: ServiceFamily } | { error: string } {
  const quoted = `[${ips.map((i) => JSON.stringify(i)).join(' ')}]`;
  if (ips.length < 1 || ips.length > 2) return { error: `IPFamilyForAddresses: invalid ips length ${ips.length} ${quoted}` };
  const parsed = ips.map((i) => parseIP(i));
  if (parsed.some((p) => !p)) return { error: `IPFamilyForAddresses: Invalid address ${quoted}` };
  if (parsed.length === 1) return { family: parsed[0]!.family };
  if (parsed[0]!.family === parsed[1]!.family) return { error: `IPFamilyForAddresses: same address family ${quoted}` };
  return { family: 'dual' };
}

export function serviceFamily(svc: Service, net: ClusterNetwork = DEFAULT_CLUSTER_NETWORK): FamilyResult {
  if (svc.clusterIPs.length > 0) {
    const r = familyForAddresses(svc.clusterIPs);
    return 'error' in r ? r : { family: r.family, predicted: false };
  }
  const policy = svc.ipFamilyPolicy ?? 'SingleStack';
  const requested = svc.ipFamilies.filter((f) => f === 'IPv4' || f === 'IPv6') as ('IPv4' | 'IPv6')[];
  const available = net.families;
  if (policy === 'SingleStack') {
    const f = requested[0] ?? available[0] ?? 'IPv4';
    return { family: f === 'IPv6' ? 'ipv6' : 'ipv4', predicted: true };
  }
  if (available.length >= 2) return { family: 'dual', predicted: true };
  const only = available[0] ?? 'IPv4';
  if (policy === 'RequireDualStack') return { error: `the cluster has no ${only === 'IPv4' ? 'IPv6' : 'IPv4'} Service CIDR, so the API server refuses RequireDualStack` };
  return { family: only === 'IPv6' ? 'ipv6' : 'ipv4', predicted: true };
}

/** The ClusterIPs the API server would give, for simulation when the manifest has none. */
export function predictedClusterIPCount(svc: Service, net: ClusterNetwork = DEFAULT_CLUSTER_NETWORK): number {
  if (svc.clusterIPs.length) return svc.clusterIPs.length;
  const f = serviceFamily(svc, net);
  return 'family' in f && f.family === 'dual' ? 2 : 1;
}

/** The primary family for PreferDualStack fallback (≥0.14.9): IPv6 only if ipFamilies[0] says so. */
export function primaryFamily(svc: Service, net: ClusterNetwork = DEFAULT_CLUSTER_NETWORK): 'ipv4' | 'ipv6' {
  const first = svc.ipFamilies[0] ?? (svc.clusterIPs.length ? undefined : net.families[0]);
  return first === 'IPv6' ? 'ipv6' : 'ipv4';
}
