// MetalLB's Service annotations under both prefixes, with its precedence rule (≥0.14.9: the
// `metallb.io/` key wins when present, even if empty; older versions read only the old prefix).
import type { Service } from '../model/types.js';
import type { MetalLBBehaviour } from './versions.js';

export const NEW_PREFIX = 'metallb.io/';
export const OLD_PREFIX = 'metallb.universe.tf/';

export type MetalLBAnnotation = 'loadBalancerIPs' | 'address-pool' | 'allow-shared-ip' | 'ip-allocated-from-pool';

export function annotationPrefix(b: MetalLBBehaviour): string {
  return b.newAnnotationPrefix ? NEW_PREFIX : OLD_PREFIX;
}

export interface AnnotationValue {
  value: string;
  /** The key that supplied the value. */
  key: string;
}

/** The value MetalLB reads for an annotation; empty values count as unset. */
export function readAnnotation(svc: Service, name: MetalLBAnnotation, b: MetalLBBehaviour): AnnotationValue | undefined {
  const keys = KEYS[name];
  const anns = svc.annotations;
  if (b.newAnnotationPrefix && Object.prototype.hasOwnProperty.call(anns, keys.newKey)) {
    const v = anns[keys.newKey];
    return v ? { value: v, key: keys.newKey } : undefined;
  }
  const v = anns[keys.oldKey];
  return v ? { value: v, key: keys.oldKey } : undefined;
}

// Literal keys (interned once; a concatenated key is flattened and hashed on every lookup).
const KEYS: Record<MetalLBAnnotation, { newKey: string; oldKey: string }> = {
  loadBalancerIPs: { newKey: 'metallb.io/loadBalancerIPs', oldKey: 'metallb.universe.tf/loadBalancerIPs' },
  'address-pool': { newKey: 'metallb.io/address-pool', oldKey: 'metallb.universe.tf/address-pool' },
  'allow-shared-ip': { newKey: 'metallb.io/allow-shared-ip', oldKey: 'metallb.universe.tf/allow-shared-ip' },
  'ip-allocated-from-pool': { newKey: 'metallb.io/ip-allocated-from-pool', oldKey: 'metallb.universe.tf/ip-allocated-from-pool' },
};

/** The requested IPs annotation split the way MetalLB does (comma-separated, spaces trimmed). */
export function splitIPList(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}
