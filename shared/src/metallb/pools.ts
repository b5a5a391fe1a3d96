// The pool configuration MetalLB's controller reads for one version (internal/config: poolsFor,
// addressPoolFromCR), with its validation errors worded as MetalLB words them, and the pinned-pool
// indexes (ByNamespace / ByServiceSelector) the allocator uses.
import { type Cidr, formatCidr } from '../address/cidr.js';
import type { LabelSelector } from '../model/labels.js';
import { selectorMatches } from '../model/labels.js';
import type { Namespace, Pool, Service } from '../model/types.js';
import type { MetalLBBehaviour } from './versions.js';

export interface ConfigPool {
  name: string;
  /** The pool object it came from. */
  source: Pool;
  /** CIDRs in `spec.addresses` order: the scan order. */
  cidrs: Cidr[];
  autoAssign: boolean;
  avoidBuggyIPs: boolean;
  /** Undefined ⇔ no serviceAllocation (a global pool). */
  allocation?: {
    priority: number;
    /** Namespaces plus the namespaces matched by namespaceSelectors (resolved at parse time). */
    namespaces: Set<string>;
    serviceSelectors: LabelSelector[];
    /** ≥0.15.0: priority-only serviceAllocation becomes `[Everything]`. */
    matchesEverything: boolean;
  };
}

export interface PoolConfig {
  byName: Map<string, ConfigPool>;
  /** Pools in the order they were read (apiserver List order: by name; legacy AddressPools after). */
  ordered: ConfigPool[];
  byNamespace: Map<string, string[]>;
  /** Pools with ≥1 service selector, sorted by name. */
  byServiceSelector: string[];
}

export type PoolConfigResult = { config: PoolConfig; error?: undefined } | { config?: undefined; error: string };

export interface PoolInputs {
  pools: Pool[];
  namespaces: Namespace[];
}

/**
 * The pools MetalLB reads for this version: in its namespace (a pool whose manifest names no
 * namespace is taken to be applied there), from the kinds that version reads.
 */
export function poolsReadBy(pools: Pool[], b: MetalLBBehaviour, namespace: string | undefined): Pool[] {
  return pools.filter((p) => {
    if (namespace && p.namespace && p.namespace !== namespace) return false;
    if (p.source === 'ConfigMap') return b.readsConfigMap;
    if (p.source === 'AddressPool') return b.readsLegacyAddressPool;
    return b.readsIPAddressPool;
  });
}

const byName = (a: Pool, b: Pool) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Parses the configuration as MetalLB does; the first error refuses the whole configuration. */
export function parsePoolConfig(inputs: PoolInputs, b: MetalLBBehaviour, namespace: string | undefined): PoolConfigResult {
  const read = poolsReadBy(inputs.pools, b, namespace);
  // ConfigMap pools keep their list order; CRs come in List order (by name), IPAddressPools first.
  const ordered = b.readsConfigMap
    ? read
    : [...read.filter((p) => p.source === 'IPAddressPool').sort(byName), ...read.filter((p) => p.source === 'AddressPool').sort(byName)];
  const config: PoolConfig = { byName: new Map(), ordered: [], byNamespace: new Map(), byServiceSelector: [] };
  const defined: { cidr: Cidr; text: string }[] = [];
  for (const p of ordered) {
    const parsed = parseOne(p, b, inputs.namespaces);
    if (typeof parsed === 'string') return { error: `parsing address pool ${p.name}: ${parsed}` };
    if (config.byName.has(p.name)) return { error: `duplicate definition of pool "${p.name}"` };
    for (const c of parsed.cidrs) {
      const text = formatCidr(c);
      const clash = defined.find((d) => d.cidr.family === c.family && d.cidr.start <= c.end && c.start <= d.cidr.end);
      if (clash) return { error: `CIDR "${text}" in pool "${p.name}" overlaps with already defined CIDR "${clash.text}"` };
      defined.push({ cidr: c, text });
    }
    config.byName.set(p.name, parsed);
    config.ordered.push(parsed);
  }
  for (const p of config.ordered) {
    const a = p.allocation;
    if (!a) continue;
    for (const ns of a.namespaces) {
      const list = config.byNamespace.get(ns) ?? [];
      list.push(p.name);
      config.byNamespace.set(ns, list);
    }
    if (a.serviceSelectors.length > 0 || a.matchesEverything) config.byServiceSelector.push(p.name);
  }
  config.byServiceSelector.sort();
  return { config };
}

function parseOne(p: Pool, b: MetalLBBehaviour, namespaces: Namespace[]): ConfigPool | string {
  if (!p.name) return 'missing pool name';
  if (p.addresses.length === 0) return 'pool has no prefixes defined';
  for (const a of p.addresses) if (a.error) return `invalid CIDR "${a.text}" in pool "${p.name}": ${a.error}`;
  const out: ConfigPool = {
    name: p.name,
    source: p,
    cidrs: p.cidrs,
    autoAssign: p.autoAssign,
    avoidBuggyIPs: p.source !== 'AddressPool' && b.avoidBuggyIPs && p.avoidBuggyIPs,
  };
  const sa = p.source === 'IPAddressPool' && b.serviceAllocation ? p.serviceAllocation : undefined;
  if (sa) {
    if (new Set(sa.namespaces).size !== sa.namespaces.length) return 'duplicate definition in namespaces field';
    const dup = (list: LabelSelector[]) => new Set(list.map((s) => JSON.stringify(s))).size !== list.length;
    if (dup(sa.namespaceSelectors)) return 'duplicate definition in namespaceSelectors field';
    if (dup(sa.serviceSelectors)) return 'duplicate definition in serviceSelectors field';
    for (const sel of [...sa.namespaceSelectors, ...sa.serviceSelectors]) {
      for (const r of sel.matchExpressions ?? []) {
        if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(r.operator)) return `"${r.operator}" is not a valid label selector operator`;
      }
    }
    const set = new Set(sa.namespaces);
    for (const ns of namespaces) if (sa.namespaceSelectors.some((s) => selectorMatches(s, ns.labels))) set.add(ns.name);
    const nothing = sa.namespaces.length === 0 && sa.namespaceSelectors.length === 0 && sa.serviceSelectors.length === 0;
    out.allocation = {
      priority: sa.priority,
      namespaces: set,
      serviceSelectors: sa.serviceSelectors,
      matchesEverything: nothing && b.priorityOnlyMatchesAll,
    };
  }
  return out;
}

/** isPoolCompatibleWithService: namespace set empty or containing the Service's, and selectors empty or one matching. */
export function poolCompatible(p: ConfigPool, svc: Service): boolean {
  const a = p.allocation;
  if (!a) return true;
  if (a.namespaces.size > 0 && !a.namespaces.has(svc.namespace)) return false;
  if (a.matchesEverything) return true;
  return a.serviceSelectors.length === 0 || a.serviceSelectors.some((s) => selectorMatches(s, svc.labels));
}

/**
 * pinnedPoolsForService, grouped by priority: each group holds pools MetalLB may try in any order
 * (equal priorities tie at random), groups in MetalLB's order (positive ascending, 0 last).
 */
export function pinnedPoolTiers(config: PoolConfig, svc: Service): ConfigPool[][] {
  const names = [...(config.byNamespace.get(svc.namespace) ?? []), ...config.byServiceSelector];
  const seen = new Set<string>();
  const pools: ConfigPool[] = [];
  for (const n of names) {
    if (seen.has(n)) continue;
    seen.add(n);
    const p = config.byName.get(n)!;
    if (p.autoAssign && poolCompatible(p, svc)) pools.push(p);
  }
  const prio = (p: ConfigPool) => (p.allocation!.priority > 0 ? p.allocation!.priority : Number.POSITIVE_INFINITY);
  const groups = new Map<number, ConfigPool[]>();
  for (const p of pools) groups.set(prio(p), [...(groups.get(prio(p)) ?? []), p]);
  return [...groups.keys()].sort((a, b) => a - b).map((k) => groups.get(k)!);
}

/** Global pools: autoAssign and no serviceAllocation, tried in Go map order (random). */
export function globalPools(config: PoolConfig): ConfigPool[] {
  return config.ordered.filter((p) => p.autoAssign && !p.allocation);
}
