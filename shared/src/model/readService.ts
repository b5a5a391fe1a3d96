// Services as MetalLB reads them (controller/service.go inputs).
import type { ManifestDocument } from '../manifest/document.js';
import { FieldReader } from './fieldReader.js';
import type { IPFamilyPolicy, Service } from './types.js';

const POLICIES = new Set(['SingleStack', 'PreferDualStack', 'RequireDualStack']);

// The paths read, made once (a literal path is a new array on every read, for every Service).
const SPEC = ['spec'];
const IP_FAMILY_POLICY = ['ipFamilyPolicy'];
const CLUSTER_IPS = ['clusterIPs'];
const CLUSTER_IP = ['clusterIP'];
const PORTS = ['ports'];
const INGRESS = ['status', 'loadBalancer', 'ingress'];
const LABELS = ['metadata', 'labels'];
const ANNOTATIONS = ['metadata', 'annotations'];
const TYPE = ['type'];
const IP_FAMILIES = ['ipFamilies'];
const LOAD_BALANCER_IP = ['loadBalancerIP'];
const LOAD_BALANCER_CLASS = ['loadBalancerClass'];
const EXTERNAL_TRAFFIC_POLICY = ['externalTrafficPolicy'];
const SELECTOR = ['selector'];
const UID = ['metadata', 'uid'];
const RESOURCE_VERSION = ['metadata', 'resourceVersion'];
const MANAGED_FIELDS = ['metadata', 'managedFields'];

export function readService(doc: ManifestDocument, reader: FieldReader, defaultNamespace: string): Service {
  const spec = reader.at(SPEC);
  const namespace = doc.namespace ?? defaultNamespace;
  const policy = spec.string(IP_FAMILY_POLICY);
  let clusterIPs = spec.stringList(CLUSTER_IPS);
  const clusterIP = spec.string(CLUSTER_IP);
  if (clusterIPs.length === 0 && clusterIP && clusterIP !== 'None') clusterIPs = [clusterIP];
  const ports = sharedPorts(
    (spec.list(PORTS) ?? []).map((_, i) => ({
      protocol: spec.string(['ports', i, 'protocol']) ?? 'TCP',
      port: spec.int(['ports', i, 'port']) ?? 0,
    })),
  );
  const ingress = reader.list(INGRESS) ?? [];
  const ingressIPs = ingress
    .map((_, i) => reader.string(['status', 'loadBalancer', 'ingress', i, 'ip']))
    .filter((ip): ip is string => !!ip);
  const managers = readLoadBalancerIPManagers(doc);
  return {
    namespace,
    name: doc.name,
    key: `${namespace}/${doc.name}`,
    labels: shared(reader.stringMap(LABELS)),
    annotations: shared(reader.stringMap(ANNOTATIONS)),
    type: spec.string(TYPE) ?? 'ClusterIP',
    clusterIPs: sharedList(clusterIPs),
    ipFamilyPolicy: policy && POLICIES.has(policy) ? (policy as IPFamilyPolicy) : undefined,
    ipFamilies: sharedList(spec.stringList(IP_FAMILIES)),
    ports,
    loadBalancerIP: spec.string(LOAD_BALANCER_IP) || undefined,
    loadBalancerClass: spec.string(LOAD_BALANCER_CLASS) || undefined,
    externalTrafficPolicy: spec.string(EXTERNAL_TRAFFIC_POLICY) ?? 'Cluster',
    selector: shared(spec.stringMap(SELECTOR)),
    ingressIPs: sharedList(ingressIPs),
    uid: reader.string(UID),
    resourceVersion: reader.string(RESOURCE_VERSION),
    loadBalancerIPManagers: managers.length ? managers : undefined,
    doc,
  };
}

// Most Services have no labels, annotations, selector, ipFamilies or status IPs: they all share one
// frozen empty map or list instead of holding their own (100k Services: ~20 MB less heap for every
// collection to walk). Frozen, so code that tried to add to one would throw instead of leaking
// into every other Service.
const EMPTY_MAP: Record<string, string> = Object.freeze({}) as Record<string, string>;
const EMPTY_LIST: string[] = Object.freeze([]) as unknown as string[];

function shared(map: Record<string, string>): Record<string, string> {
  for (const _ in map) return map;
  return EMPTY_MAP;
}

function sharedList(list: string[]): string[] {
  return list.length ? list : EMPTY_LIST;
}

type Ports = Service['ports'];
const NO_PORTS: Ports = Object.freeze([]) as unknown as Ports;
/** One-port lists by `protocol/port`, frozen (most Services have one port, and few distinct ones). */
const ONE_PORT = new Map<string, Ports>();
const ONE_PORT_MAX = 1024;

/** A shared frozen list for no port or one port seen before; the list itself otherwise. */
function sharedPorts(ports: Ports): Ports {
  if (ports.length === 0) return NO_PORTS;
  if (ports.length > 1) return ports;
  const { protocol, port } = ports[0];
  const k = `${protocol}/${port}`;
  let kept = ONE_PORT.get(k);
  if (!kept) {
    if (ONE_PORT.size >= ONE_PORT_MAX) ONE_PORT.clear();
    ONE_PORT.set(k, (kept = Object.freeze([Object.freeze({ protocol, port })]) as unknown as Ports));
  }
  return kept;
}

/** Field managers that own `spec.loadBalancerIP` (seed 004: controllers fighting over the field). */
function readLoadBalancerIPManagers(doc: ManifestDocument): string[] {
  const mf = doc.get(MANAGED_FIELDS);
  if (!Array.isArray(mf)) return [];
  const out: string[] = [];
  for (const entry of mf) {
    const e = entry as { manager?: unknown; fieldsV1?: { 'f:spec'?: Record<string, unknown> } };
    if (typeof e?.manager === 'string' && e.fieldsV1?.['f:spec'] && 'f:loadBalancerIP' in e.fieldsV1['f:spec']) out.push(e.manager);
  }
  return out;
}
