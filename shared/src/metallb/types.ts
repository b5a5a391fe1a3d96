// What a simulation of MetalLB's controller produces. Every decision carries MetalLB's own event
// reason and message, so lbguard explains a Service in MetalLB's words.
import type { ClusterNetwork } from '../model/family.js';
import type { Pool, Service } from '../model/types.js';

export interface SimulationOptions {
  /** MetalLB version (x.y.z or a profile name); default: newest modelled. */
  version?: string;
  /** The cluster's Service CIDR families, to predict ClusterIPs that manifests lack. */
  network?: ClusterNetwork;
  /** The controller's --lb-class flag. */
  lbClass?: string;
  /** MetalLB's namespace: only pools there are read. */
  namespace?: string;
  /**
   * How the controller starts (lbguard extension). `steady` (default): every Service holding IPs in
   * status is re-adopted before any pending Service allocates — the state a running controller
   * converges to. `version`: the version's own restart order (0.13.x: List order, no gate, so a
   * pending Service can take an IP another Service holds — seed 000).
   */
  startup?: 'steady' | 'version';
}

export type ServiceState =
  /** Holds its IPs. */
  | 'assigned'
  /** MetalLB tried and failed: `<pending>` in kubectl. */
  | 'pending'
  /** Filtered by loadBalancerClass: MetalLB never touches it. */
  | 'ignored'
  /** Not type LoadBalancer. */
  | 'not-loadbalancer';

export interface PoolChoice {
  pool: string;
  ips: string[];
}

export interface ServiceOutcome {
  key: string;
  service: Service;
  state: ServiceState;
  ips: string[];
  pool?: string;
  /**
   * Set when MetalLB picks among several pools at random (Go map order, or equal priorities):
   * every pool it may pick and the IPs that pick gives. `ips`/`pool` then hold one of them.
   */
  candidates?: PoolChoice[];
  /** The IPs the Service held before (status), when they differ from `ips`. */
  previousIPs?: string[];
  /** MetalLB's event reason for the last decision (IPAllocated, AllocationFailed, ClearAssignment…). */
  reason?: string;
  /** MetalLB's event message, verbatim. */
  message?: string;
  /** When MetalLB's choice was random (`candidates`), which one lbguard followed and why. */
  nondeterministic?: string;
  /** MetalLB's log reason when it emits no event (noConfig, noClusterIPs, waiting for config…). */
  log?: string;
}

export interface SimEvent {
  service: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface FamilyUsage {
  /** Addresses the pool can hand out (after avoidBuggyIPs). */
  total: bigint;
  /** Distinct addresses in use (a shared IP counts once). */
  used: bigint;
}

export interface PoolUsage {
  pool: string;
  ipv4: FamilyUsage;
  ipv6: FamilyUsage;
  /** Each IP in use and the Services holding it, in address order. */
  holders: { ip: string; services: string[] }[];
}

export interface SimulationResult {
  version: string;
  services: Map<string, ServiceOutcome>;
  events: SimEvent[];
  pools: PoolUsage[];
  /** The pools MetalLB actually uses (its namespace, its CRDs for that version, valid config). */
  activePools: Pool[];
  /** Set when MetalLB refuses the configuration (parse error, overlap, or ≤0.13 stale config). */
  configError?: { message: string; stale: boolean };
}

/** One Service's fate across a pool change (`kubectl lb plan`). */
export interface PlanEntry {
  key: string;
  before: string[];
  after: string[];
  poolBefore?: string;
  poolAfter?: string;
  stateAfter: ServiceState;
  /** moved: gets other IPs; lost: goes Pending; kept: keeps its IPs; stale: config refused (≤0.13). */
  change: 'kept' | 'moved' | 'lost' | 'stale';
  reason?: string;
  message?: string;
  candidates?: PoolChoice[];
}

export interface PlanResult {
  version: string;
  entries: PlanEntry[];
  configError?: { message: string; stale: boolean };
}
