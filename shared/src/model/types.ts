// The allocator-facing model: what MetalLB (and Harvester) read from pools, Services and Namespaces.
// Objects keep a link to the manifest they came from so findings can point at their source.
import type { Cidr } from '../address/cidr.js';
import type { ManifestDocument, PathSegment } from '../manifest/document.js';
import type { LabelSelector } from './labels.js';

export type PoolSource = 'IPAddressPool' | 'AddressPool' | 'ConfigMap';

export interface PoolAddressEntry {
  /** The entry as written. */
  text: string;
  /** CIDRs it summarises to, in order (empty when invalid). */
  cidrs: Cidr[];
  /** MetalLB's error for this entry, when it does not parse. */
  error?: string;
  /** A CIDR whose written address had host bits set (MetalLB masks them silently). */
  hadHostBits?: boolean;
  /** Path of the entry inside its document, for positions. */
  path: PathSegment[];
}

export interface ServiceAllocation {
  /** 0 = unset (tried after every positive priority). */
  priority: number;
  namespaces: string[];
  namespaceSelectors: LabelSelector[];
  serviceSelectors: LabelSelector[];
}

export interface Pool {
  name: string;
  /** Namespace the pool object lives in; undefined when the manifest does not say. */
  namespace?: string;
  source: PoolSource;
  addresses: PoolAddressEntry[];
  /** Every valid CIDR, in `spec.addresses` order: the order MetalLB scans for a free IP. */
  cidrs: Cidr[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  serviceAllocation?: ServiceAllocation;
  /** Counters from `.status` (MetalLB ≥0.15), when read from a cluster. */
  status?: { assignedIPv4?: number; assignedIPv6?: number; availableIPv4?: number; availableIPv6?: number };
  doc?: ManifestDocument;
  /** Path of the pool inside `doc` (the pool entry of a ConfigMap, `[]` for a CR). */
  docPath: PathSegment[];
}

export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

export interface ServicePort {
  protocol: string;
  port: number;
}

export interface Service {
  namespace: string;
  name: string;
  /** `namespace/name`, MetalLB's service key. */
  key: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  type: string;
  clusterIPs: string[];
  ipFamilyPolicy?: IPFamilyPolicy;
  ipFamilies: string[];
  ports: ServicePort[];
  loadBalancerIP?: string;
  loadBalancerClass?: string;
  externalTrafficPolicy: string;
  selector: Record<string, string>;
  /** IPs in `status.loadBalancer.ingress` (the only state MetalLB persists). */
  ingressIPs: string[];
  uid?: string;
  resourceVersion?: string;
  /** Managers that wrote `spec.loadBalancerIP`, from managedFields (live or snapshot). */
  loadBalancerIPManagers?: string[];
  doc?: ManifestDocument;
}

export interface Namespace {
  name: string;
  labels: Record<string, string>;
}

export interface HarvesterRange {
  subnet: string;
  rangeStart?: string;
  rangeEnd?: string;
  gateway?: string;
  path: PathSegment[];
}

export interface HarvesterScope {
  project?: string;
  namespace?: string;
  guestCluster?: string;
}

export interface HarvesterIPPool {
  name: string;
  ranges: HarvesterRange[];
  priority: number;
  network?: string;
  scope: HarvesterScope[];
  annotations: Record<string, string>;
  allocated: Record<string, string>;
  allocatedHistory: Record<string, string>;
  resourceVersion?: string;
  doc?: ManifestDocument;
}

export interface HarvesterLoadBalancer {
  namespace: string;
  name: string;
  ipam: string;
  ipPool?: string;
  allocatedIP?: string;
  allocatedPool?: string;
  readyMessage?: string;
  doc?: ManifestDocument;
}

/** A Kubernetes Event about a Service, from a cluster or a state file. */
export interface ServiceEvent {
  namespace: string;
  name: string;
  reason: string;
  message: string;
  type: string;
  source?: string;
  count?: number;
  lastTimestamp?: string;
}

/** What is known about the MetalLB installation. */
export interface MetalLBInstall {
  namespace: string;
  version?: string;
  /** The controller's `--lb-class` flag (undefined: none). */
  lbClass?: string;
  /** Image the controller runs, when seen. */
  image?: string;
}

export interface ClusterModel {
  pools: Pool[];
  services: Service[];
  namespaces: Namespace[];
  harvesterPools: HarvesterIPPool[];
  harvesterLoadBalancers: HarvesterLoadBalancer[];
  events: ServiceEvent[];
  metallb: MetalLBInstall;
}
