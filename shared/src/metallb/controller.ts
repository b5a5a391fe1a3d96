// A stateful MetalLB controller: pool config loads (SetPools, stale config vs reassign), Service
// reconciles, deletions, reprocess-all and restarts, version by version (reference §3.7–§3.10).
import { formatIP, parseIP } from '../address/ip.js';
import { type ClusterNetwork, DEFAULT_CLUSTER_NETWORK } from '../model/family.js';
import type { IPFamilyPolicy, Namespace, Pool, Service } from '../model/types.js';
import { Allocator, type AllocationSlot, type Port, quoteIPs } from './allocator.js';
import { sortInListOrder } from './listOrder.js';
import { convergeBalancer, type ConvergeEnv, type InputsHolder, prepareInputs, type ServiceInputs } from './converge.js';
import { parsePoolConfig, type PoolConfig, poolsReadBy } from './pools.js';
import type { PoolChoice, PoolUsage, ServiceOutcome, SimEvent } from './types.js';
import { behaviourFor, type MetalLBBehaviour } from './versions.js';
import { DEFAULT_METALLB_NAMESPACE } from '../model/build.js';

export interface ControllerOptions {
  version?: string;
  network?: ClusterNetwork;
  lbClass?: string;
  namespace?: string;
}

/**
 * One Service as the controller holds it, and its convergeBalancer inputs (see InputsHolder: it is
 * also the Service's Requester for the allocator). A class with every field set up front: one
 * shape for all.
 */
class SvcState implements InputsHolder {
  /**
   * Read off `svc` once (see setService): the passes over 100k Services then stay on these
   * compact objects instead of reaching into the model's Service objects again.
   */
  key: string;
  loadBalancer: boolean;
  /** filterByLoadBalancerClass: MetalLB ignores the Service. */
  ignored: boolean;
  pool: string | undefined = undefined;
  reason: string | undefined = undefined;
  message: string | undefined = undefined;
  candidates: PoolChoice[] | undefined = undefined;
  nondeterministic: string | undefined = undefined;
  log: string | undefined = undefined;
  // ServiceInputs, written by convergeBalancer (placeholders until `derivedFrom` is set).
  derivedFrom: Service | undefined = undefined;
  policy: IPFamilyPolicy = 'SingleStack';
  ports: Port[] = NO_PORTS;
  sharingKey = '';
  backendKey = '';
  b!: MetalLBBehaviour;
  net!: ClusterNetwork;
  family!: ServiceInputs['family'];
  poolAnn: string | undefined = undefined;
  annotated = false;
  desired!: ServiceInputs['desired'];
  desiredSet: string | undefined = undefined;
  need: ServiceInputs['need'] = undefined;
  slot: AllocationSlot | undefined = undefined;
  slotOwner: Allocator | undefined = undefined;
  /** convergeBalancer's last parsed status (see InputsHolder). */
  parsedStatus: string[] | undefined = undefined;
  parsedIPs: InputsHolder['parsedIPs'] = undefined;
  parsedCanonical: boolean | undefined = undefined;
  /**
   * The restart (see MetalLBController.restarts) whose steady pre-pass re-adopted this Service's
   * status without a change, an event or a reprocess request; 0: none.
   */
  settledIn = 0;

  constructor(
    public svc: Service,
    ignored: boolean,
    public status: string[],
    /** The status the controller found when it first saw the Service. */
    public initial: string[],
  ) {
    this.key = compactKey(svc.key);
    this.loadBalancer = svc.type === 'LoadBalancer';
    this.ignored = ignored;
  }

  setService(svc: Service, ignored: boolean): void {
    this.svc = svc;
    this.key = compactKey(svc.key);
    this.loadBalancer = svc.type === 'LoadBalancer';
    this.ignored = ignored;
  }
}

export interface ConfigLoad {
  /** True when the new configuration is in force. */
  applied: boolean;
  error?: { message: string; stale: boolean };
  /** ≥0.14.2: Services whose IPs no longer fit and were unassigned. ≤0.13: Services that made the config stale. */
  affected: { key: string; ips: string[] }[];
}

/** How a (re)start orders the first reprocess-all. */
export type StartOrder = 'version' | 'steady';

export class MetalLBController {
  readonly behaviour: MetalLBBehaviour;
  readonly network: ClusterNetwork;
  readonly lbClass?: string;
  readonly namespace: string;
  /** States stored before the List order was first needed, as they came (a key may repeat: the last counts). */
  private unsorted: SvcState[] = [];
  /** The states in List order (by key, one per key), kept once sorted and maintained on insert/delete; undefined until first needed. */
  private sorted: SvcState[] | undefined;
  /** Key → state, built on the first lookup by key (a one-shot simulation never needs it). */
  private byKeyMap: Map<string, SvcState> | undefined;
  private poolObjects: Pool[] = [];
  private namespaces: Namespace[] = [];
  private alloc: Allocator | undefined;
  /** ≥0.14.2 initialLoadPerformed; 0.12 synced. */
  private gateOpen = false;
  private log: SimEvent[] = [];
  configError?: { message: string; stale: boolean };
  /** convergeBalancer runs so far (a work counter for scale tests: it must stay linear in Services). */
  reconciles = 0;
  /**
   * False while every state is as seeded (initial status = status, no decision recorded): then a
   * restart has nothing to reset. Set by reconciles and applied Services.
   */
  private statesChanged = false;
  /** Reprocess-all passes allowed per trigger before giving up (MetalLB would keep requeuing). */
  maxReprocessPasses = 4;
  /** Restarts so far (SvcState.settledIn refers to one). */
  private restarts = 0;

  constructor(options: ControllerOptions = {}) {
    this.behaviour = behaviourFor(options.version);
    this.network = options.network ?? DEFAULT_CLUSTER_NETWORK;
    this.lbClass = options.lbClass || undefined;
    this.namespace = options.namespace || DEFAULT_METALLB_NAMESPACE;
  }

  // ---- queries ------------------------------------------------------------------------------

  get configLoaded(): boolean {
    return this.alloc !== undefined;
  }

  get config(): PoolConfig | undefined {
    return this.alloc?.config;
  }

  /** Events since the last drain. */
  drainEvents(): SimEvent[] {
    const out = this.log;
    this.log = [];
    return out;
  }

  serviceKeys(): string[] {
    return this.listOrder().map((s) => s.key);
  }

  outcome(key: string): ServiceOutcome | undefined {
    const s = this.services.get(key);
    return s ? this.outcomeOf(key, s, false) : undefined;
  }

  /** `handOff`: see outcomes(). */
  private outcomeOf(key: string, s: SvcState, handOff: boolean): ServiceOutcome {
    const svc = s.svc;
    if (!s.loadBalancer) return { key, service: svc, state: 'not-loadbalancer', ips: [] };
    if (s.ignored) {
      return {
        key,
        service: svc,
        state: 'ignored',
        ips: handOff && s.status.length ? s.status : s.status.slice(),
        message: svc.loadBalancerClass
          ? `spec.loadBalancerClass "${svc.loadBalancerClass}" is not this controller's --lb-class${this.lbClass ? ` "${this.lbClass}"` : ' (unset)'}: MetalLB ignores the Service`
          : `the controller runs with --lb-class "${this.lbClass}" and the Service has no spec.loadBalancerClass: MetalLB ignores it`,
      };
    }
    const state = s.status.length ? 'assigned' : 'pending';
    const pool = s.status.length && s.pool ? s.pool : undefined;
    if (s.reason && !s.candidates && !s.nondeterministic && !(s.initial.length && !sameList(s.initial, s.status))) {
      // The common shapes in one literal each (same keys, same order as below): no property added
      // after creation, so 100k outcomes need no out-of-object property storage.
      const ips = handOff && s.status.length ? s.status : s.status.slice();
      if (pool) return { key, service: svc, state, ips, pool, reason: s.reason, message: s.message };
      return { key, service: svc, state, ips, reason: s.reason, message: s.message };
    }
    // Empty statuses are shared constants: every outcome gets its own empty list.
    const out: ServiceOutcome = { key, service: svc, state, ips: handOff && s.status.length ? s.status : s.status.slice() };
    if (pool) out.pool = pool;
    if (s.candidates) out.candidates = s.candidates;
    if (s.nondeterministic) out.nondeterministic = s.nondeterministic;
    if (s.initial.length && !sameList(s.initial, s.status)) out.previousIPs = s.initial.slice();
    if (s.reason) {
      out.reason = s.reason;
      out.message = s.message;
    } else if (s.log) out.log = s.log;
    return out;
  }

  /**
   * Every Service's outcome, in List order. `handOff`: the caller is done with the controller, so
   * the outcomes take its status arrays (never mutated in place) instead of copies.
   */
  outcomes(handOff = false): Map<string, ServiceOutcome> {
    const m = new Map<string, ServiceOutcome>();
    const list = this.listOrder();
    for (let i = 0; i < list.length; i++) m.set(list[i].key, this.outcomeOf(list[i].key, list[i], handOff));
    return m;
  }

  /** Pool usage; `handOff` as for outcomes() (holder lists are the allocator's own). */
  usage(handOff = false): PoolUsage[] {
    return this.alloc?.usage(handOff) ?? [];
  }

  activePools(): Pool[] {
    return this.alloc?.config.ordered.map((p) => p.source) ?? [];
  }

  // ---- inputs -------------------------------------------------------------------------------

  /** filterByLoadBalancerClass (≥0.13): true when MetalLB ignores the Service. */
  filtered(svc: Service): boolean {
    if (!this.behaviour.lbClassFilter) return false;
    const cls = svc.loadBalancerClass;
    if (!cls) return !!this.lbClass;
    return cls !== this.lbClass;
  }

  /** Loads a Service into the store without reconciling it (a restart or initial list). */
  seedService(svc: Service, status: string[] = svc.ingressIPs): void {
    // Status arrays are never mutated in place (every change assigns a new array), so one copy serves both.
    const copy = status.length ? status.slice() : NO_IPS;
    const st = new SvcState(svc, this.filtered(svc), copy, copy);
    if (!st.ignored && st.loadBalancer) prepareInputs(st, svc, this.behaviour, this.network);
    this.store(st);
  }

  /** Key → state (built from the states stored so far on first use). */
  private get services(): Map<string, SvcState> {
    let m = this.byKeyMap;
    if (!m) {
      m = new Map();
      for (const st of this.sorted ?? this.unsorted) m.set(st.key, st);
      this.byKeyMap = m;
    }
    return m;
  }

  /** Puts a state in the store (replacing the state of the same key) and keeps the List order current. */
  private store(st: SvcState): void {
    const key = st.key;
    this.byKeyMap?.set(key, st);
    const list = this.sorted;
    if (!list) {
      this.unsorted.push(st);
      return;
    }
    const i = this.sortedIndex(key);
    if (i < list.length && list[i].key === key) list[i] = st;
    else list.splice(i, 0, st);
  }

  /** Binary search in the sorted List order: the index of `key`, or where it would be inserted. */
  private sortedIndex(key: string): number {
    const list = this.sorted!;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].key < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  setNamespaces(namespaces: Namespace[]): void {
    this.namespaces = namespaces;
  }

  /** Sets the pool objects without loading them (the next restart() reads them). */
  setPoolObjects(pools: Pool[]): void {
    this.poolObjects = pools;
  }

  /**
   * A Service was created or updated. Its `status` is kept from the store unless the object
   * carries one (scenarios seed status that way).
   */
  applyService(svc: Service): void {
    this.statesChanged = true;
    const prev = this.services.get(svc.key);
    const status = svc.ingressIPs.length ? svc.ingressIPs : (prev?.status ?? []);
    const ignored = this.filtered(svc);
    const st: SvcState = prev ?? new SvcState(svc, ignored, status, status.slice());
    st.setService(svc, ignored);
    st.status = status.slice();
    if (prev) this.services.set(svc.key, st);
    else this.store(st);
    if (ignored) return;
    if (this.behaviour.startupGating && !this.gateOpen) return; // dropped until the initial load
    const again = this.reconcile(st);
    if (again) this.reprocessAll();
  }

  deleteService(key: string): void {
    const st = this.services.get(key);
    if (!st) return;
    this.services.delete(key); // a state still in `unsorted` drops out when the List order is built
    if (this.sorted) this.sorted.splice(this.sortedIndex(key), 1);
    const held = this.alloc?.unassign(key) ?? false;
    if (!this.alloc) return;
    // ≥0.13.10: reprocess only if it held an IP; before: always.
    if (held || !this.behaviour.clearAssignmentEvent) this.reprocessAll();
  }

  /** The pool reconciler: parse the configuration and hand it to the allocator (SetPools). */
  setPools(inputs: { pools: Pool[]; namespaces?: Namespace[] }): ConfigLoad {
    this.poolObjects = inputs.pools;
    if (inputs.namespaces) this.namespaces = inputs.namespaces;
    const load = this.loadConfig();
    if (load.applied) this.reprocessAll();
    return load;
  }

  private loadConfig(): ConfigLoad {
    const b = this.behaviour;
    const parsed = parsePoolConfig({ pools: this.poolObjects, namespaces: this.namespaces }, b, this.namespace);
    if (parsed.error !== undefined) {
      this.configError = { message: parsed.error, stale: false };
      return { applied: false, error: this.configError, affected: [] };
    }
    const config = parsed.config;
    if (!this.alloc) {
      // One state (and one Requester at a time) per key: see Allocator's oneRequesterPerKey.
      this.alloc = new Allocator(config, b, true);
      this.configError = undefined;
      return { applied: true, affected: [] };
    }
    if (b.staleConfigOnEdit) {
      const probe = new Allocator(config, b);
      const stale = [...this.alloc.allocated]
        .filter(([, a]) => !probe.poolFor(a.ips))
        .map(([key, a]) => ({ key, ips: a.ips.map(formatIP) }))
        .sort((x, y) => (x.key < y.key ? -1 : 1));
      if (stale.length) {
        // Go walks a map: any of them may be named. lbguard names the first by key.
        const first = stale[0];
        const ipsOf = this.alloc.allocated.get(first.key)!.ips;
        this.configError = { message: `new config not compatible with assigned IPs: service "${first.key}" cannot own ${quoteIPs(ipsOf)} under new config`, stale: true };
        return { applied: false, error: this.configError, affected: stale };
      }
      this.alloc.setConfig(config);
      this.configError = undefined;
      return { applied: true, affected: [] };
    }
    const orphans = this.alloc.setConfig(config);
    // What the orphans held, read before they are unassigned (IP text needs no quoting).
    const affected = orphans
      .slice()
      .sort()
      .map((key) => ({ key, ips: this.alloc!.allocationOf(key)!.ips.map(formatIP) }));
    for (const k of orphans) this.alloc.unassign(k);
    this.configError = undefined;
    return { applied: true, affected };
  }

  /**
   * The controller restarts: the allocator is empty, pools are read afresh, and the first
   * reprocess-all re-adopts status IPs. `order: 'version'` follows the version's start-up
   * (0.13: List order, no gate — the race of seed 000; ≥0.14.2: holders first; 0.12: synced gate);
   * `'steady'` re-adopts every holder before any pending Service allocates, whatever the version.
   */
  restart(order: StartOrder = 'version'): ConfigLoad {
    this.alloc = undefined;
    this.gateOpen = false;
    this.configError = undefined;
    // Seeded states are already as a restart leaves them: skip the pass unless one changed since.
    if (this.statesChanged) {
      const all = this.listOrder();
      for (let i = 0; i < all.length; i++) {
        const st = all[i];
        st.initial = st.status; // never mutated in place
        st.reason = st.message = st.candidates = st.nondeterministic = st.log = undefined;
      }
      this.statesChanged = false;
    }
    const load = this.loadConfig();
    if (!load.applied) return load;
    if (order === 'steady') {
      // The settled view: every Service whose status IPs are still valid keeps them before any
      // Service allocates, even one whose own status IP is invalid (it must not take a holder's
      // IP just because it sorts first among Services with the same ingress count).
      const list = this.listOrder();
      const env = this.env(false);
      const epoch = ++this.restarts;
      for (let i = 0; i < list.length; i++) {
        const st = list[i];
        if (!st.status.length) continue;
        const before = this.log.length;
        const status = st.status;
        const pool = st.pool;
        // A first adoption sets the pool (undefined before): that is the re-adoption itself, not a change.
        if (!this.reconcile(st, false, env) && this.log.length === before && st.status === status && (st.pool === pool || pool === undefined)) st.settledIn = epoch;
      }
      this.gateOpen = true;
      // The first reprocess pass would converge those settled Services again on an allocator that
      // only gained other holders' IPs since: MetalLB re-adopts the same IPs (Assign's checks are
      // symmetric between an IP's holders), emits nothing and asks for nothing. One convergence each
      // is skipped, not a decision.
      this.reprocessAll('by-ingress', epoch);
    } else if (this.behaviour.startupGating) this.reprocessAll('by-ingress');
    else if (this.behaviour.syncedGate) {
      // 0.12: everything is processed once; Services needing a new IP are refused until synced.
      const list = this.listOrder();
      const env = this.env(false);
      for (let i = 0; i < list.length; i++) this.reconcile(list[i], false, env);
      this.gateOpen = true;
      this.reprocessAll();
    } else this.reprocessAll('list');
    return load;
  }

  // ---- internals ----------------------------------------------------------------------------

  private env(allowNewAllocation = true): ConvergeEnv {
    return { b: this.behaviour, alloc: this.alloc, network: this.network, allowNewAllocation };
  }

  /** Runs convergeBalancer for one Service; true when it asks for a reprocess-all. */
  private reconcile(st: SvcState, allowNew = true, env: ConvergeEnv = this.env(allowNew)): boolean {
    if (st.ignored) return false;
    this.reconciles++;
    this.statesChanged = true;
    const res = convergeBalancer(env, st.svc, st.status, st.pool, st);
    const changed = !sameList(res.status, st.status) || res.pool !== st.pool;
    if (changed && this.behaviour.newAnnotationPrefix && this.alloc) {
      // The inputs just used say whether there are annotations at all (the Service object is cold by now).
      const keys = st.derivedFrom === st.svc && !st.annotated ? NO_KEYS : deprecatedAnnotations(st.svc.annotations);
      for (const k of keys) {
        (res.events = res.events.slice()).push({ service: st.key, type: 'Warning', reason: 'deprecatedAnnotation', message: `Service uses deprecated annotation ${k}` });
      }
    }
    st.status = res.status;
    st.pool = res.pool;
    let last: SimEvent | undefined;
    for (let i = 0; i < res.events.length; i++) {
      const e = res.events[i];
      this.log.push(e);
      if (e.reason !== 'deprecatedAnnotation') last = e;
    }
    if (last) {
      st.reason = last.reason;
      st.message = last.message;
      st.log = undefined;
    } else if (changed || res.log) {
      st.reason = st.message = undefined;
      st.log = res.log;
    }
    if (res.candidates || (changed && res.status.length)) {
      st.candidates = res.candidates;
      st.nondeterministic = res.nondeterministic;
    }
    if (!res.status.length) st.candidates = st.nondeterministic = undefined;
    return res.reprocess;
  }

  /** Services in the apiserver's List order (namespace/name). */
  private listOrder(): SvcState[] {
    if (!this.sorted) {
      let states = this.unsorted;
      this.unsorted = [];
      // Once looked up by key, the map says which states are current (deleted and replaced ones are not).
      const m = this.byKeyMap;
      if (m) states = states.filter((st) => m.get(st.key) === st);
      // Often already in List order (a cluster snapshot is): strictly ascending keys, no sort.
      let inOrder = true;
      for (let i = 1; i < states.length && inOrder; i++) inOrder = states[i - 1].key < states[i].key;
      // Otherwise sorted, keeping the last state of each key (the one a store of the same key left).
      if (!inOrder) sortInListOrder(states);
      this.sorted = states;
    }
    return this.sorted;
  }

  /** Stable sort by ingress count, descending (a counting sort: counts are tiny). */
  private byIngress(list: SvcState[]): SvcState[] {
    // Each status length read once (a state and its status array are two cache misses apiece).
    const n = list.length;
    const lengths = new Int32Array(n);
    let max = 0;
    for (let i = 0; i < n; i++) {
      const len = list[i].status.length;
      lengths[i] = len;
      if (len > max) max = len;
    }
    if (max === 0) return list;
    const start = new Array<number>(max + 2).fill(0);
    for (let i = 0; i < n; i++) start[max - lengths[i] + 1]++;
    for (let i = 1; i < start.length; i++) start[i] += start[i - 1];
    const out = new Array<SvcState>(n);
    for (let i = 0; i < n; i++) out[start[max - lengths[i]]++] = list[i];
    return out;
  }


  /**
   * Reprocess-all. ≥0.14.2 sorts by ingress count, descending (ties: List order, where MetalLB's
   * unstable sort leaves them unspecified); 0.13/0.12 walk the List order.
   */
  reprocessAll(order?: 'by-ingress' | 'list', settledIn = -1): void {
    if (!this.alloc) return;
    const o = order ?? (this.behaviour.startupGating ? 'by-ingress' : 'list');
    for (let pass = 0; pass < this.maxReprocessPasses; pass++) {
      const list = o === 'by-ingress' ? this.byIngress(this.listOrder()) : this.listOrder();
      const env = this.env();
      let again = false;
      const skip = pass === 0 ? settledIn : -1;
      for (let i = 0; i < list.length; i++) {
        const st = list[i];
        if (st.settledIn === skip) continue;
        if (this.reconcile(st, true, env)) again = true;
      }
      this.gateOpen = true;
      if (!again) return;
    }
  }
}

/** An empty status, shared (status arrays are never mutated in place). */
const NO_IPS: string[] = [];
/** A state's ports before its inputs are derived. */
const NO_PORTS: Port[] = [];

/**
 * The same key as one flat string made now. A model's key is a concatenation (`${ns}/${name}`)
 * spread over the model's heap: every Map lookup, hash and comparison of it (the allocator's
 * slots, the List order, the outcomes map) would reach into scattered memory and first make a
 * flat copy anyway. toLowerCase returns that flat copy when nothing changes (Kubernetes names
 * are lowercase); a key it would change stays as it is.
 */
function compactKey(key: string): string {
  const flat = key.toLowerCase();
  return flat === key ? flat : key;
}

const NO_KEYS: readonly string[] = [];

/** The annotation keys under MetalLB's old prefix, sorted; no sort (and no list) when there are none. */
function deprecatedAnnotations(annotations: Record<string, string>): readonly string[] {
  const keys = Object.keys(annotations);
  let any = false;
  for (let i = 0; i < keys.length && !any; i++) any = keys[i].startsWith('metallb.universe.tf');
  return any ? keys.sort().filter((k) => k.startsWith('metallb.universe.tf')) : NO_KEYS;
}

function sameList(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function statusIPsValid(ips: string[]): boolean {
  return ips.every((i) => parseIP(i));
}

export { poolsReadBy };
