// Pool facts the status view and `explain` share: which pools MetalLB reads, pool sizes per
// family (after avoidBuggyIPs), which pool holds an IP, and whether a pool selects a Service.
import { parseIP, type IP } from '../address/ip.js';
import { cidrContains, cidrSize, type Cidr } from '../address/cidr.js';
import { selectorMatches } from '../model/labels.js';
import type { ClusterModel, Pool, Service } from '../model/types.js';
import type { MetalLBBehaviour } from '../metallb/versions.js';

/** Pools MetalLB reads: in its namespace (or namespace-less manifests), of a kind its version reads. */
export function activePools(model: ClusterModel, b: MetalLBBehaviour): Pool[] {
  return model.pools.filter((p) => poolIgnoredBecause(p, model, b) === undefined);
}

/** Why MetalLB does not read this pool, or undefined when it does. */
export function poolIgnoredBecause(p: Pool, model: ClusterModel, b: MetalLBBehaviour): string | undefined {
  if (p.namespace && model.metallb.namespace && p.namespace !== model.metallb.namespace) {
    return `it is in namespace ${p.namespace}, but MetalLB only reads pools in ${model.metallb.namespace}`;
  }
  if (p.source === 'ConfigMap' && !b.readsConfigMap) return `MetalLB ${b.version} reads IPAddressPool CRs, not the ConfigMap`;
  if (p.source === 'IPAddressPool' && !b.readsIPAddressPool) return `MetalLB ${b.version} reads the ConfigMap, not IPAddressPool CRs`;
  if (p.source === 'AddressPool' && !b.readsLegacyAddressPool) return `MetalLB ${b.version} does not read the legacy AddressPool CRD`;
  return undefined;
}

/** Addresses in [start, end] whose value ≡ r (mod 256). */
function countResidue(start: bigint, end: bigint, r: bigint): bigint {
  const upTo = (n: bigint) => (n < r ? 0n : (n - r) / 256n + 1n);
  return upTo(end) - (start === 0n ? 0n : upTo(start - 1n));
}

/** Addresses MetalLB can hand out from one CIDR (IPv4 .0/.255 skipped with avoidBuggyIPs). */
export function usableSize(c: Cidr, avoidBuggy: boolean): bigint {
  const size = cidrSize(c);
  if (!avoidBuggy || c.family !== 'ipv4') return size;
  return size - countResidue(c.start, c.end, 0n) - countResidue(c.start, c.end, 255n);
}

export function poolTotals(p: Pool, b: MetalLBBehaviour): { ipv4: bigint; ipv6: bigint } {
  const avoid = p.avoidBuggyIPs && b.avoidBuggyIPs;
  let ipv4 = 0n;
  let ipv6 = 0n;
  for (const c of p.cidrs) {
    if (c.family === 'ipv4') ipv4 += usableSize(c, avoid);
    else ipv6 += usableSize(c, avoid);
  }
  return { ipv4, ipv6 };
}

export function poolContains(p: Pool, ip: IP): boolean {
  return p.cidrs.some((c) => cidrContains(c, ip));
}

/** The first pool (in the given order) whose CIDRs contain the IP. */
export function poolOf(pools: Pool[], ipText: string): Pool | undefined {
  const ip = parseIP(ipText);
  return ip && poolContaining(pools, ip);
}

/** `poolOf` for an IP already parsed. */
export function poolContaining(pools: Pool[], ip: IP): Pool | undefined {
  return pools.find((p) => poolContains(p, ip));
}

export interface SelectionCheck {
  selects: boolean;
  /** Why not, in one clause. */
  why?: string;
}

/** Whether a pool's serviceAllocation selects the Service (no serviceAllocation: every Service). */
export function poolSelects(p: Pool, svc: Service, model: ClusterModel, b: MetalLBBehaviour): SelectionCheck {
  const sa = p.serviceAllocation;
  if (!sa || !b.serviceAllocation) return { selects: true };
  const nsLabels = model.namespaces.find((n) => n.name === svc.namespace)?.labels ?? { 'kubernetes.io/metadata.name': svc.namespace };
  const hasSelectors = sa.namespaces.length || sa.namespaceSelectors.length || sa.serviceSelectors.length;
  if (!hasSelectors) {
    return b.priorityOnlyMatchesAll
      ? { selects: true }
      : { selects: false, why: `its serviceAllocation has only a priority, which MetalLB ${b.version} treats as matching no Service` };
  }
  if (sa.namespaces.length && !sa.namespaces.includes(svc.namespace)) {
    return { selects: false, why: `serviceAllocation.namespaces is [${sa.namespaces.join(', ')}], not ${svc.namespace}` };
  }
  if (sa.namespaceSelectors.length && !sa.namespaceSelectors.some((s) => selectorMatches(s, nsLabels))) {
    return { selects: false, why: `no serviceAllocation.namespaceSelectors entry matches namespace ${svc.namespace}'s labels` };
  }
  if (sa.serviceSelectors.length && !sa.serviceSelectors.some((s) => selectorMatches(s, svc.labels))) {
    return { selects: false, why: `no serviceAllocation.serviceSelectors entry matches the Service's labels` };
  }
  return { selects: true };
}

export function poolFamilies(p: Pool): Set<'ipv4' | 'ipv6'> {
  return new Set(p.cidrs.map((c) => c.family));
}

/** `1.2.3.4/32` style list of a pool's addresses as written. */
export function poolAddressTexts(p: Pool): string[] {
  return p.addresses.map((a) => a.text);
}
