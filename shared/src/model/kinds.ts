// Which manifests lbguard reads. Everything else is skipped without being parsed.

export const METALLB_GROUP = 'metallb.io/';
export const HARVESTER_GROUP = 'loadbalancer.harvesterhci.io/';

export function isMetalLBPool(kind: string, apiVersion = ''): boolean {
  return (kind === 'IPAddressPool' || kind === 'AddressPool') && apiVersion.startsWith(METALLB_GROUP);
}

export function isHarvesterPool(kind: string, apiVersion = ''): boolean {
  return kind === 'IPPool' && apiVersion.startsWith(HARVESTER_GROUP);
}

export function isHarvesterLoadBalancer(kind: string, apiVersion = ''): boolean {
  return kind === 'LoadBalancer' && apiVersion.startsWith(HARVESTER_GROUP);
}

const RELEVANT = new Set(['Service', 'Namespace', 'ConfigMap', 'IPAddressPool', 'AddressPool', 'IPPool', 'LoadBalancer', 'Event', 'Deployment', 'List']);

/** Kinds the model reads; used to skip parsing the rest of a manifest stream. */
export function isRelevantKind(kind: string, apiVersion?: string): boolean {
  if (!RELEVANT.has(kind)) return false;
  if (kind === 'Deployment') return true; // the MetalLB controller's image tells its version
  // networking.harvesterhci.io is the wrong group Harvester's own docs show; read it so the
  // harvester-range-invalid rule can say so.
  if (kind === 'IPPool' || kind === 'LoadBalancer') return apiVersion === undefined || apiVersion.startsWith(HARVESTER_GROUP) || apiVersion.startsWith('networking.harvesterhci.io/');
  return true;
}
