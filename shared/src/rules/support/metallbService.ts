// What MetalLB reads from a Service and which pools it would look at, shared by the Service rules.
// Pure and version-aware; mirrors controller/service.go (getDesiredLbIPs, filterByLoadBalancerClass)
// and allocator.go (poolFor, isPoolCompatibleWithService). See ../../../../docs/rules/*.md.
import { cidrContains } from '../../address/cidr.js';
import { type IP, isBuggyIP, parseIP } from '../../address/ip.js';
import type { PathSegment } from '../../manifest/document.js';
import { NEW_PREFIX, OLD_PREFIX, readAnnotation } from '../../metallb/annotations.js';
import type { MetalLBBehaviour } from '../../metallb/versions.js';
import { canonicalSelector, selectorMatches } from '../../model/labels.js';
import { isOtherAllocatorClass } from '../../model/loadBalancerClasses.js';
import type { ClusterModel, Pool, Service } from '../../model/types.js';
import { type ClusterNetwork, familyForAddresses, serviceFamily } from '../../model/family.js';
import { PoolsByAddress } from './poolsByAddress.js';

/** Annotation prefixes of allocators other than MetalLB (clouds and bare-metal alternatives). */
const OTHER_ALLOCATOR_ANNOTATION = [
  'cloud.google.com/',
  'networking.gke.io/',
  'service.beta.kubernetes.io/',
  'kube-vip.io/',
  'lbipam.cilium.io/',
  'io.cilium/',
  'purelb.io/',
  'eip.openelb.kubesphere.io/',
  'lb.kubesphere.io/',
  'loxilb.io/',
  'load-balancer.hetzner.cloud/',
  'loadbalancer.openstack.org/',
  'kubernetes.digitalocean.com/',
];

/** Annotation prefixes of bare-metal allocators that, like MetalLB, handle class-less Services. */
export const BARE_METAL_ALLOCATOR_ANNOTATION = ['kube-vip.io/', 'lbipam.cilium.io/', 'io.cilium/', 'purelb.io/', 'eip.openelb.kubesphere.io/', 'lb.kubesphere.io/', 'loxilb.io/'];

/** Annotations of another bare-metal allocator on the Service. */
export function bareMetalAllocatorAnnotations(svc: Service): string[] {
  return Object.keys(svc.annotations).filter((k) => BARE_METAL_ALLOCATOR_ANNOTATION.some((p) => k.startsWith(p)));
}

/** Annotation keys MetalLB reads or writes (either prefix). */
export function metallbAnnotationKeys(svc: Service): string[] {
  return Object.keys(svc.annotations).filter((k) => k.startsWith(NEW_PREFIX) || k.startsWith(OLD_PREFIX));
}

/** Annotations that say another allocator (a cloud, kube-vip, Cilium, PureLB…) owns the Service. */
export function otherAllocatorAnnotations(svc: Service): string[] {
  return Object.keys(svc.annotations).filter((k) => OTHER_ALLOCATOR_ANNOTATION.some((p) => k.startsWith(p)));
}

/**
 * True when the Service carries another allocator's annotations and nothing of MetalLB's: a GKE,
 * DigitalOcean, kube-vip… Service whose `loadBalancerIP` means something else entirely.
 */
export function ownedByOtherAllocator(svc: Service): boolean {
  if (svc.loadBalancerClass && isOtherAllocatorClass(svc.loadBalancerClass)) return true;
  // otherAllocatorAnnotations(svc).length > 0 && metallbAnnotationKeys(svc).length === 0, in one
  // pass without lists: every rule asks it of every Service.
  // for…in with an own-property check visits what Object.keys lists, without making the list.
  let other = false;
  const anns = svc.annotations;
  for (const k in anns) {
    if (!Object.prototype.hasOwnProperty.call(anns, k)) continue;
    if (k.startsWith(NEW_PREFIX) || k.startsWith(OLD_PREFIX)) return false;
    if (!other) for (const p of OTHER_ALLOCATOR_ANNOTATION) if (k.startsWith(p)) other = true;
  }
  return other;
}

/** MetalLB's class filter: does the controller process this Service at all? */
export function classHandled(svc: Service, model: ClusterModel, b: MetalLBBehaviour): boolean {
  if (!b.lbClassFilter) return true; // ≤0.12: no --lb-class, every Service is processed
  return (svc.loadBalancerClass ?? '') === (model.metallb.lbClass ?? '');
}

/** The class names another controller (and not MetalLB under any --lb-class we know of). */
export function classOwnedByOther(svc: Service, model: ClusterModel, b: MetalLBBehaviour): boolean {
  const cls = svc.loadBalancerClass;
  if (!cls || classHandled(svc, model, b)) return false;
  return !/metallb/i.test(cls);
}

/** A LoadBalancer Service MetalLB processes and that no other allocator clearly owns. */
export function isMetalLBService(svc: Service, model: ClusterModel, b: MetalLBBehaviour): boolean {
  return svc.type === 'LoadBalancer' && classHandled(svc, model, b) && !ownedByOtherAllocator(svc);
}

export interface RequestedIPs {
  /** Where the request comes from. */
  source: 'annotation' | 'spec';
  /** The annotation key or `spec.loadBalancerIP`. */
  key: string;
  /** The raw value. */
  value: string;
  /** Each element as written (trimmed). */
  texts: string[];
  /** Parsed elements (undefined for the unparsable ones). */
  ips: (IP | undefined)[];
  /** Path of the value in the Service manifest. */
  path: PathSegment[];
}

/** The IPs a Service asks for, as MetalLB reads them (annotation first, then spec.loadBalancerIP). */
export function requestedIPs(svc: Service, b: MetalLBBehaviour): RequestedIPs | undefined {
  const ann = readAnnotation(svc, 'loadBalancerIPs', b);
  if (ann) {
    const texts = ann.value.split(',').map((s) => s.trim());
    return { source: 'annotation', key: ann.key, value: ann.value, texts, ips: texts.map((t) => parseIP(t)), path: ['metadata', 'annotations', ann.key] };
  }
  if (svc.loadBalancerIP) {
    const t = svc.loadBalancerIP;
    return { source: 'spec', key: 'spec.loadBalancerIP', value: t, texts: [t], ips: [parseIP(t)], path: ['spec', 'loadBalancerIP'] };
  }
  return undefined;
}

/** Go's `%q` of a string list, as MetalLB prints IP lists: `["1.2.3.4" "1000::"]`. */
export function goQuoteList(items: string[]): string {
  return `[${items.map((i) => JSON.stringify(i)).join(' ')}]`;
}

/** Pools MetalLB reads for this version: its namespace, the kinds it reads. */
export function readablePools(model: ClusterModel, b: MetalLBBehaviour): Pool[] {
  return model.pools.filter((p) => poolReadable(p, model, b) === undefined);
}

/** Why MetalLB does not read a pool, or undefined when it does. */
export function poolReadable(p: Pool, model: ClusterModel, b: MetalLBBehaviour): string | undefined {
  if (p.source === 'ConfigMap' && !b.readsConfigMap) return `MetalLB ${b.version} reads IPAddressPools, not the ConfigMap`;
  if (p.source === 'IPAddressPool' && !b.readsIPAddressPool) return `MetalLB ${b.version} reads only its ConfigMap`;
  if (p.source === 'AddressPool' && !b.readsLegacyAddressPool) return `MetalLB ${b.version} no longer reads AddressPool`;
  if (p.namespace && model.metallb.namespace && p.namespace !== model.metallb.namespace) {
    return `it is in namespace ${p.namespace}, and MetalLB reads pools only from ${model.metallb.namespace}`;
  }
  return undefined;
}

/** The address is inside the pool, the way `poolFor` sees it (buggy IPs excluded). */
export function poolHolds(p: Pool, ip: IP, b: MetalLBBehaviour): boolean {
  if (!p.cidrs.some((c) => cidrContains(c, ip))) return false;
  return !(p.avoidBuggyIPs && b.avoidBuggyIPs && isBuggyIP(ip));
}

/** The address lies in the pool's CIDRs (ignoring avoidBuggyIPs). */
export function poolCovers(p: Pool, ip: IP): boolean {
  return p.cidrs.some((c) => cidrContains(c, ip));
}

export function poolHasFamily(p: Pool, family: 'ipv4' | 'ipv6'): boolean {
  return p.cidrs.some((c) => c.family === family);
}

export type Compatibility = 'yes' | 'no' | 'unknown';

/**
 * `isPoolCompatibleWithService` (≥0.13.9): namespace set (namespaces + namespaceSelectors resolved
 * against the Namespaces in the input) and service selectors. `unknown` when a namespaceSelector
 * needs Namespace labels the input does not have.
 */
export function poolCompatible(p: Pool, svc: Service, model: ClusterModel, b: MetalLBBehaviour): Compatibility {
  const sa = p.serviceAllocation;
  if (!sa || !b.serviceAllocation) return 'yes';
  const svcOK = sa.serviceSelectors.length === 0 || sa.serviceSelectors.some((s) => selectorMatches(s, svc.labels));
  if (!svcOK) return 'no';
  if (sa.namespaces.length === 0 && sa.namespaceSelectors.length === 0) return 'yes';
  if (sa.namespaces.includes(svc.namespace)) return 'yes';
  if (sa.namespaceSelectors.length === 0) return 'no';
  const ns = model.namespaces.find((n) => n.name === svc.namespace);
  if (!ns) return 'unknown';
  return sa.namespaceSelectors.some((s) => selectorMatches(s, ns.labels)) ? 'yes' : 'no';
}

/** MetalLB's backend key (k8salloc.BackendKey): the selector for Local, "" for Cluster. */
export function backendKey(svc: Service): string {
  return svc.externalTrafficPolicy === 'Local' ? canonicalSelector(svc.selector) : '';
}

export function sharingKey(svc: Service, b: MetalLBBehaviour): string {
  return readAnnotation(svc, 'allow-shared-ip', b)?.value ?? '';
}

/** A Service's location for `related` entries and messages. */
export function describeService(svc: Service): string {
  return `Service ${svc.key}`;
}

/** A value still holding a template placeholder (Flux `${VAR}`, Helm `{{ }}`): not judged. */
export function hasPlaceholder(value: string): boolean {
  return /\$\{|\{\{|<%|<[^>]*>|YOUR|REPLACE|CHANGE_?ME|PLACEHOLDER|TODO|FIXME/i.test(value);
}

export const FAMILY_WORD: Record<'ipv4' | 'ipv6' | 'dual', string> = { ipv4: 'IPv4', ipv6: 'IPv6', dual: 'dual-stack' };

/**
 * The request passes MetalLB's checks that come before any pool (one source, parsable, family
 * matches the Service): only then do pool problems decide the outcome.
 */
export function requestPassesPreChecks(svc: Service, req: RequestedIPs, network: ClusterNetwork): boolean {
  if (hasPlaceholder(req.value)) return false;
  if (req.source === 'annotation' && svc.loadBalancerIP) return false;
  if (req.ips.some((ip) => !ip)) return false;
  const fam = familyForAddresses(req.texts);
  if ('error' in fam) return false;
  const sf = serviceFamily(svc, network);
  return !('error' in sf) && sf.family === fam.family;
}

export type PoolLookup =
  /** Every requested IP lies in this pool, as MetalLB's poolFor sees it. */
  | { kind: 'pool'; pool: Pool }
  /** MetalLB: `[...] is not allowed in config`; `why` explains each IP. */
  | { kind: 'outside'; why: string[] };

/**
 * MetalLB's `poolFor` for the Services of a model: the returned lookup gives the first readable pool
 * holding every requested IP (buggy IPs excluded), or why there is none. The pools are indexed once
 * by address, so looking up the requests of thousands of Services does not scan every pool each time.
 */
export function poolLookup(model: ClusterModel, b: MetalLBBehaviour): (ips: IP[], texts: string[]) => PoolLookup {
  // Indexed on the first lookup: most inputs request no IP at all.
  let indexes: { readable: Pool[]; readableByAddress: PoolsByAddress; allByAddress: PoolsByAddress } | undefined;
  return (ips, texts) => {
    if (!indexes) {
      const readable = readablePools(model, b);
      indexes = { readable, readableByAddress: new PoolsByAddress(readable), allByAddress: new PoolsByAddress(model.pools) };
    }
    const { readable, readableByAddress, allByAddress } = indexes;
    // A pool holding every IP holds the first: it is among the (readable-ordered) pools covering it.
    const pool = ips.length === 0 ? readable[0] : readableByAddress.covering(ips[0]).find((p) => ips.every((ip) => poolHolds(p, ip, b)));
    if (pool) return { kind: 'pool', pool };
    const why = ips.map((ip, i) => explainOutside(ip, texts[i], allByAddress.covering(ip), model, b));
    if (why.every((w) => w === undefined)) {
      const owners = ips.map((ip) => readableByAddress.covering(ip).find((p) => poolHolds(p, ip, b))?.name);
      return { kind: 'outside', why: [`${texts.join(' and ')} are in different pools (${owners.join(', ')}); MetalLB needs every requested IP in one pool`] };
    }
    return { kind: 'outside', why: why.filter((w): w is string => !!w) };
  };
}

/**
 * Why MetalLB finds no pool for one IP, or undefined when a readable pool holds it. `covering`: the
 * model's pools whose CIDRs contain the IP, in model order.
 */
function explainOutside(ip: IP, text: string, covering: Pool[], model: ClusterModel, b: MetalLBBehaviour): string | undefined {
  if (covering.length === 0) return `${text} is in no pool`;
  for (const p of covering) {
    const unread = poolReadable(p, model, b);
    if (unread) continue;
    if (p.avoidBuggyIPs && b.avoidBuggyIPs && isBuggyIP(ip)) return `${text} is in pool ${p.name}, but the pool has avoidBuggyIPs and MetalLB treats addresses ending in .0 or .255 as outside it`;
    return undefined;
  }
  const p = covering[0];
  return `${text} is in pool ${p.name}, which MetalLB does not read: ${poolReadable(p, model, b)}`;
}

/**
 * The input holds MetalLB pools of a kind this version reads (otherwise pool-dependent rules stay
 * quiet: the pools live elsewhere, or the manifests target another MetalLB version, which the pool
 * rules report).
 */
export function hasPoolContext(model: ClusterModel, b: MetalLBBehaviour): boolean {
  return model.pools.some((p) => (p.source === 'ConfigMap' ? b.readsConfigMap : p.source === 'AddressPool' ? b.readsLegacyAddressPool : b.readsIPAddressPool));
}
