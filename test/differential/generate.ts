// Randomized scenarios for the differential test (lbguard's simulation vs the real MetalLB
// controller). Pure: a scenario is a function of (seed, version, index), so any one can be
// regenerated from the seed printed by the test (LBGUARD_DIFF_SEED).
//
// A scenario: 1–4 IPAddressPools in metallb-system, two fresh namespaces, 1–8 Services created
// one at a time in a fixed order, and sometimes (a minority) one pool edit at the end that shrinks
// a pool, to exercise reassign (≥0.14) vs stale config (0.13).
import type * as k8s from '@kubernetes/client-node';
import ipaddr from 'ipaddr.js';

/** RFC 5952 / Go's form: the API server rejects non-canonical IPs in spec.loadBalancerIP. */
export function canonIP(ip: string): string {
  const a = ipaddr.parse(ip);
  return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toRFC5952String() : a.toString();
}

export const METALLB_NAMESPACE = 'metallb-system';

/** sfc32: small, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

/** FNV-1a over the parts: the per-scenario seed. */
export function scenarioSeed(seed: number, version: string, index: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}|${version}|${index}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

class Rand {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  weighted<T>(xs: readonly [T, number][]): T {
    const total = xs.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [x, w] of xs) if ((r -= w) < 0) return x;
    return xs[xs.length - 1][0];
  }
  subset<T>(xs: readonly T[], p: number): T[] {
    return xs.filter(() => this.chance(p));
  }
}

export interface GenSelector {
  matchLabels: Record<string, string>;
}

export interface GenPool {
  name: string;
  /** spec.addresses, in scan order. */
  addresses: string[];
  autoAssign?: boolean;
  avoidBuggyIPs?: boolean;
  serviceAllocation?: {
    priority?: number;
    namespaces?: string[];
    namespaceSelectors?: GenSelector[];
    serviceSelectors?: GenSelector[];
  };
}

export type GenFamily = 'v4' | 'v6' | 'prefer' | 'require' | 'prefer-v6first' | 'require-v6first';

export interface GenService {
  name: string;
  namespace: string;
  family: GenFamily;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  loadBalancerIP?: string;
  ports: { name: string; port: number; protocol: 'TCP' | 'UDP' }[];
  local?: Record<string, string>;
}

export interface GenNamespace {
  name: string;
  labels: Record<string, string>;
}

export interface GenEdit {
  pool: string;
  addresses: string[];
  what: string;
}

export interface GenScenario {
  id: string;
  version: string;
  seed: number;
  namespaces: GenNamespace[];
  pools: GenPool[];
  services: GenService[];
  edit?: GenEdit;
}

/** Which generator features a MetalLB version gets. */
export function features(version: string) {
  const [, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  return {
    /** serviceAllocation generated on 0.14.8+ only (brief: where the version supports it and we test it). */
    serviceAllocation: minor > 14 || (minor === 14 && patch >= 8),
    annotationPrefix: minor > 14 || (minor === 14 && patch >= 9) ? 'metallb.io/' : 'metallb.universe.tf/',
  };
}

interface Block {
  /** Addresses (strings) this pool entry can hand out, in scan order. */
  ips: string[];
  text: string;
  /** Shrunk form for edits (undefined: cannot shrink). */
  shrunk?: string;
  family: 'v4' | 'v6';
}

function v4Block(r: Rand, slot: number): Block {
  const net = `10.${20 + slot}.${r.int(0, 3) * 2}`;
  const kind = r.weighted<'cidr0' | 'cidr255' | 'cidrMid' | 'range'>([['cidr0', 3], ['cidr255', 2], ['cidrMid', 1], ['range', 3]]);
  if (kind === 'range') {
    const lo = r.pick([0, 1, 250, 252, 10, 20]);
    const hi = Math.min(255, lo + r.int(0, 4));
    const ips = Array.from({ length: hi - lo + 1 }, (_, i) => `${net}.${lo + i}`);
    return { ips, text: `${net}.${lo}-${net}.${hi}`, shrunk: hi > lo ? `${net}.${lo}-${net}.${hi - 1}` : undefined, family: 'v4' };
  }
  const prefix = r.pick([29, 30, 30]);
  const size = 2 ** (32 - prefix);
  const base = kind === 'cidr0' ? 0 : kind === 'cidr255' ? 256 - size : 16 * r.int(1, 8);
  const ips = Array.from({ length: size }, (_, i) => `${net}.${base + i}`);
  return { ips, text: `${net}.${base}/${prefix}`, shrunk: prefix < 31 ? `${net}.${base}/${prefix + 1}` : undefined, family: 'v4' };
}

function v6Block(r: Rand, slot: number): Block {
  const net = `fd00:20:${slot}::`;
  if (r.chance(0.25)) {
    const lo = r.int(1, 8);
    const hi = lo + r.int(0, 3);
    const ips = Array.from({ length: hi - lo + 1 }, (_, i) => canonIP(`fd00:20:${slot}::${(lo + i).toString(16)}`));
    return { ips, text: `${ips[0]}-${ips[ips.length - 1]}`, shrunk: hi > lo ? `${ips[0]}-${ips[ips.length - 2]}` : undefined, family: 'v6' };
  }
  const prefix = r.pick([124, 125, 126, 126]);
  const size = 2 ** (128 - prefix);
  const base = r.pick([0, 16, 32]);
  const ips = Array.from({ length: size }, (_, i) => canonIP(`${net}${(base + i).toString(16)}`));
  const start = canonIP(`${net}${base.toString(16)}`);
  return { ips, text: `${start}/${prefix}`, shrunk: `${start}/${prefix + 1}`, family: 'v6' };
}

const PORTS = [80, 443, 8080] as const;

export function generateScenario(seed: number, version: string, index: number): GenScenario {
  const s = scenarioSeed(seed, version, index);
  const r = new Rand(prng(s));
  const f = features(version);
  const id = `${version}#${index}`;
  // Two namespaces reused by every scenario (only their labels change): namespaces are never
  // finalized here, and the controller reconciles every namespace on start-up.
  const namespaces: GenNamespace[] = ['a', 'b'].map((x) => ({
    name: `diff-${x}`,
    labels: { team: r.pick(['red', 'blue']) },
  }));

  // Pools.
  const nPools = r.weighted([[1, 3], [2, 4], [3, 2], [4, 1]]);
  const pools: GenPool[] = [];
  const blocks = new Map<string, Block[]>();
  let slot = 0;
  for (let i = 0; i < nPools; i++) {
    const shape = r.weighted<'v4' | 'v6' | 'dual' | 'v4x2'>([['v4', 5], ['v6', 2], ['dual', 3], ['v4x2', 1]]);
    const bs: Block[] = [];
    if (shape === 'v4' || shape === 'dual') bs.push(v4Block(r, slot++));
    if (shape === 'v4x2') bs.push(v4Block(r, slot++), v4Block(r, slot++));
    if (shape === 'v6' || shape === 'dual') bs.push(v6Block(r, slot++));
    if (shape === 'dual' && r.chance(0.3)) bs.reverse();
    const name = `pool-${String.fromCharCode(97 + i)}`;
    const p: GenPool = { name, addresses: bs.map((b) => b.text) };
    if (r.chance(0.15)) p.autoAssign = false;
    if (bs.some((b) => b.family === 'v4') && r.chance(0.3)) p.avoidBuggyIPs = true;
    if (f.serviceAllocation && r.chance(0.3)) {
      const sa: NonNullable<GenPool['serviceAllocation']> = {};
      if (r.chance(0.7)) sa.priority = r.int(0, 3);
      if (r.chance(0.4)) sa.namespaces = [r.pick(namespaces).name];
      else if (r.chance(0.2)) sa.namespaceSelectors = [{ matchLabels: { team: r.pick(['red', 'blue']) } }];
      if (r.chance(0.4)) sa.serviceSelectors = [{ matchLabels: { tier: r.pick(['web', 'db']) } }];
      if (Object.keys(sa).length === 0) sa.priority = 1;
      p.serviceAllocation = sa;
    }
    pools.push(p);
    blocks.set(name, bs);
  }
  const allIPs = (fam: 'v4' | 'v6') => [...blocks.values()].flat().filter((b) => b.family === fam).flatMap((b) => b.ips);

  // Services.
  const nSvcs = r.weighted([[1, 1], [2, 2], [3, 3], [4, 3], [5, 3], [6, 2], [7, 1], [8, 1]]);
  const services: GenService[] = [];
  for (let i = 0; i < nSvcs; i++) {
    const family = r.weighted<GenFamily>([['v4', 8], ['v6', 3], ['prefer', 3], ['require', 3], ['prefer-v6first', 1], ['require-v6first', 1]]);
    const svc: GenService = {
      name: `svc-${i}`,
      namespace: r.chance(0.75) ? namespaces[0].name : namespaces[1].name,
      family,
      labels: r.chance(0.5) ? { tier: r.pick(['web', 'db']) } : {},
      annotations: {},
      ports: [],
    };
    const nPorts = r.weighted([[1, 4], [2, 1]]);
    const ports = new Set<number>();
    while (ports.size < nPorts) ports.add(r.pick(PORTS));
    svc.ports = [...ports].map((port) => ({ name: `p${port}`, port, protocol: 'TCP' as const }));
    if (r.chance(0.3)) svc.annotations[`${f.annotationPrefix}allow-shared-ip`] = r.pick(['k1', 'k1', 'k2']);
    if (r.chance(0.15)) svc.local = { app: r.pick(['x', 'y']) };
    if (r.chance(0.2)) svc.annotations[`${f.annotationPrefix}address-pool`] = r.chance(0.9) ? r.pick(pools).name : 'pool-missing';
    if (r.chance(0.2)) {
      // Requested IPs: usually inside some pool (maybe already taken), sometimes outside all.
      const pickIP = (fam: 'v4' | 'v6') => {
        const ips = allIPs(fam);
        if (ips.length === 0 || r.chance(0.1)) return fam === 'v4' ? '10.99.0.1' : 'fd00:99::1';
        return r.pick(ips);
      };
      const dual = family.startsWith('prefer') || family.startsWith('require');
      const fam: 'v4' | 'v6' = family === 'v6' ? 'v6' : 'v4';
      if (dual && r.chance(0.6)) {
        svc.annotations[`${f.annotationPrefix}loadBalancerIPs`] = `${pickIP('v4')},${pickIP('v6')}`;
      } else if (r.chance(0.5)) {
        svc.annotations[`${f.annotationPrefix}loadBalancerIPs`] = pickIP(fam);
      } else {
        svc.loadBalancerIP = pickIP(fam);
      }
    }
    services.push(svc);
  }

  // Occasionally shrink one pool after the Services exist.
  let edit: GenEdit | undefined;
  if (r.chance(0.15)) {
    const p = r.pick(pools);
    const bs = blocks.get(p.name)!;
    const j = r.int(0, bs.length - 1);
    if (bs[j].shrunk) {
      const addresses = [...p.addresses];
      addresses[j] = bs[j].shrunk!;
      edit = { pool: p.name, addresses, what: `shrink ${bs[j].text} → ${bs[j].shrunk}` };
    }
  }
  return { id, version, seed: s, namespaces, pools, services, edit };
}

// ---- rendering ------------------------------------------------------------------------------

export function namespaceObject(n: GenNamespace): k8s.V1Namespace {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } };
}

export function poolObject(p: GenPool, addresses = p.addresses): k8s.KubernetesObject & { spec: Record<string, unknown> } {
  const spec: Record<string, unknown> = { addresses };
  if (p.autoAssign !== undefined) spec.autoAssign = p.autoAssign;
  if (p.avoidBuggyIPs !== undefined) spec.avoidBuggyIPs = p.avoidBuggyIPs;
  if (p.serviceAllocation) spec.serviceAllocation = p.serviceAllocation;
  return { apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: p.name, namespace: METALLB_NAMESPACE }, spec };
}

/** The Service as created on the API server (ClusterIPs left to the server). */
export function serviceObject(s: GenService): k8s.V1Service {
  const spec: k8s.V1ServiceSpec = {
    type: 'LoadBalancer',
    ports: s.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
    selector: s.local ?? { app: 'demo' },
  };
  switch (s.family) {
    case 'v4': spec.ipFamilyPolicy = 'SingleStack'; spec.ipFamilies = ['IPv4']; break;
    case 'v6': spec.ipFamilyPolicy = 'SingleStack'; spec.ipFamilies = ['IPv6']; break;
    case 'prefer': spec.ipFamilyPolicy = 'PreferDualStack'; spec.ipFamilies = ['IPv4', 'IPv6']; break;
    case 'require': spec.ipFamilyPolicy = 'RequireDualStack'; spec.ipFamilies = ['IPv4', 'IPv6']; break;
    case 'prefer-v6first': spec.ipFamilyPolicy = 'PreferDualStack'; spec.ipFamilies = ['IPv6', 'IPv4']; break;
    case 'require-v6first': spec.ipFamilyPolicy = 'RequireDualStack'; spec.ipFamilies = ['IPv6', 'IPv4']; break;
  }
  if (s.local) spec.externalTrafficPolicy = 'Local';
  if (s.loadBalancerIP) spec.loadBalancerIP = s.loadBalancerIP;
  const metadata: k8s.V1ObjectMeta = { name: s.name, namespace: s.namespace };
  if (Object.keys(s.labels).length) metadata.labels = s.labels;
  if (Object.keys(s.annotations).length) metadata.annotations = s.annotations;
  return { apiVersion: 'v1', kind: 'Service', metadata, spec };
}
