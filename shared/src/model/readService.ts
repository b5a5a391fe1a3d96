// Services as MetalLB reads them (controller/service.go inputs).
import type { ManifestDocument } from '../manifest/document.js';
import { FieldReader } from './fieldReader.js';
import type { IPFamilyPolicy, Service } from './types.js';

const POLICIES = new Set(['SingleStack', 'PreferDualStack', 'RequireDualStack']);

export function readService(doc: ManifestDocument, reader: FieldReader, defaultNamespace: string): Service {
  const spec = reader.at(['spec']);
  const namespace = doc.namespace ?? defaultNamespace;
  const policy = spec.string(['ipFamilyPolicy']);
  const clusterIPs = spec.stringList(['clusterIPs']);
  const clusterIP = spec.string(['clusterIP']);
  if (clusterIPs.length === 0 && clusterIP && clusterIP !== 'None') clusterIPs.push(clusterIP);
  const ports = (spec.list(['ports']) ?? []).map((_, i) => ({
    protocol: spec.string(['ports', i, 'protocol']) ?? 'TCP',
    port: spec.int(['ports', i, 'port']) ?? 0,
  }));
  const ingress = reader.list(['status', 'loadBalancer', 'ingress']) ?? [];
  const ingressIPs = ingress
    .map((_, i) => reader.string(['status', 'loadBalancer', 'ingress', i, 'ip']))
    .filter((ip): ip is string => !!ip);
  const managers = readLoadBalancerIPManagers(doc);
  return {
    namespace,
    name: doc.name,
    key: `${namespace}/${doc.name}`,
    labels: reader.stringMap(['metadata', 'labels']),
    annotations: reader.stringMap(['metadata', 'annotations']),
    type: spec.string(['type']) ?? 'ClusterIP',
    clusterIPs,
    ipFamilyPolicy: policy && POLICIES.has(policy) ? (policy as IPFamilyPolicy) : undefined,
    ipFamilies: spec.stringList(['ipFamilies']),
    ports,
    loadBalancerIP: spec.string(['loadBalancerIP']) || undefined,
    loadBalancerClass: spec.string(['loadBalancerClass']) || undefined,
    externalTrafficPolicy: spec.string(['externalTrafficPolicy']) ?? 'Cluster',
    selector: spec.stringMap(['selector']),
    ingressIPs,
    uid: reader.string(['metadata', 'uid']),
    resourceVersion: reader.string(['metadata', 'resourceVersion']),
    loadBalancerIPManagers: managers.length ? managers : undefined,
    doc,
  };
}

/** Field managers that own `spec.loadBalancerIP` (seed 004: controllers fighting over the field). */
function readLoadBalancerIPManagers(doc: ManifestDocument): string[] {
  const mf = doc.get(['metadata', 'managedFields']);
  if (!Array.isArray(mf)) return [];
  const out: string[] = [];
  for (const entry of mf) {
    const e = entry as { manager?: unknown; fieldsV1?: { 'f:spec'?: Record<string, unknown> } };
    if (typeof e?.manager === 'string' && e.fieldsV1?.['f:spec'] && 'f:loadBalancerIP' in e.fieldsV1['f:spec']) out.push(e.manager);
  }
  return out;
}
