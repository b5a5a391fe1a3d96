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

/**
 * Kinds the model reads; used to skip parsing the rest of a manifest stream.
 *
 * With the document's `text` (what `parseManifestText`'s kindFilter passes for a sniffed document)
 * the check is sharper: a ConfigMap matters only when it holds MetalLB ≤0.12's config (the model
 * reads it only when `data.config` lists `address-pools`), a Deployment only when it is MetalLB's
 * controller (its image names `metallb/controller`). A document whose text lacks the word cannot
 * hold it — unless a double-quoted escape spells it, so text with a backslash is kept too.
 * Without `text` (a List item, a caller that has none) both kinds are kept, as before.
 */
export function isRelevantKind(kind: string, apiVersion?: string, text?: string): boolean {
  if (!RELEVANT.has(kind)) return false;
  if (kind === 'Deployment') return text === undefined || mayHold(text, 'metallb'); // the MetalLB controller's image tells its version
  if (kind === 'ConfigMap') return text === undefined || mayHold(text, 'address-pools');
  // networking.harvesterhci.io is the wrong group Harvester's own docs show; read it so the
  // harvester-range-invalid rule can say so.
  if (kind === 'IPPool' || kind === 'LoadBalancer') return apiVersion === undefined || apiVersion.startsWith(HARVESTER_GROUP) || apiVersion.startsWith('networking.harvesterhci.io/');
  return true;
}

function mayHold(text: string, word: string): boolean {
  return text.includes(word) || text.includes('\\');
}
