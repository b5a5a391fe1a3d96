// Harvester load balancer objects (loadbalancer.harvesterhci.io/v1beta1).
import type { ManifestDocument } from '../manifest/document.js';
import type { FieldReader } from './fieldReader.js';
import type { HarvesterIPPool, HarvesterLoadBalancer } from './types.js';

export function readHarvesterPool(doc: ManifestDocument, reader: FieldReader): HarvesterIPPool {
  const ranges = (reader.list(['spec', 'ranges']) ?? []).map((_, i) => ({
    subnet: reader.string(['spec', 'ranges', i, 'subnet']) ?? '',
    rangeStart: reader.string(['spec', 'ranges', i, 'rangeStart']) || undefined,
    rangeEnd: reader.string(['spec', 'ranges', i, 'rangeEnd']) || undefined,
    gateway: reader.string(['spec', 'ranges', i, 'gateway']) || undefined,
    path: ['spec', 'ranges', i],
  }));
  const scopeRaw = reader.raw(['spec', 'selector', 'scope']);
  const scope = Array.isArray(scopeRaw)
    ? scopeRaw.map((_, i) => ({
        project: reader.string(['spec', 'selector', 'scope', i, 'project']),
        namespace: reader.string(['spec', 'selector', 'scope', i, 'namespace']),
        guestCluster: reader.string(['spec', 'selector', 'scope', i, 'guestCluster']),
      }))
    : [];
  if (scopeRaw !== undefined && scopeRaw !== null && !Array.isArray(scopeRaw)) {
    reader.wrongType(['spec', 'selector', 'scope'], 'a list of {project, namespace, guestCluster} (Harvester docs show a map by mistake)', scopeRaw);
  }
  return {
    name: doc.name,
    ranges,
    priority: reader.int(['spec', 'selector', 'priority']) ?? 0,
    network: reader.string(['spec', 'selector', 'network']) || undefined,
    scope,
    annotations: reader.stringMap(['metadata', 'annotations']),
    allocated: reader.stringMap(['status', 'allocated']),
    allocatedHistory: reader.stringMap(['status', 'allocatedHistory']),
    resourceVersion: reader.string(['metadata', 'resourceVersion']),
    doc,
  };
}

export function readHarvesterLoadBalancer(doc: ManifestDocument, reader: FieldReader, defaultNamespace: string): HarvesterLoadBalancer {
  return {
    namespace: doc.namespace ?? defaultNamespace,
    name: doc.name,
    ipam: reader.string(['spec', 'ipam']) ?? 'pool',
    ipPool: reader.string(['spec', 'ipPool']) || undefined,
    allocatedIP: reader.string(['status', 'allocatedAddress', 'ip']) || undefined,
    allocatedPool: reader.string(['status', 'allocatedAddress', 'ipPool']) || undefined,
    readyMessage: readReadyMessage(reader),
    doc,
  };
}

function readReadyMessage(reader: FieldReader): string | undefined {
  const conds = reader.raw(['status', 'conditions']);
  if (!Array.isArray(conds)) return undefined;
  const ready = conds.find((c) => (c as { type?: unknown })?.type === 'Ready') as { status?: string; message?: string } | undefined;
  return ready && ready.status !== 'True' ? ready.message : undefined;
}
