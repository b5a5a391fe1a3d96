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
  const newKey = NEW_PREFIX + name;
  const oldKey = OLD_PREFIX + name;
  if (b.newAnnotationPrefix && Object.prototype.hasOwnProperty.call(svc.annotations, newKey)) {
    const v = svc.annotations[newKey];
    return v ? { value: v, key: newKey } : undefined;
  }
  const v = svc.annotations[oldKey];
  return v ? { value: v, key: oldKey } : undefined;
}

/** The requested IPs annotation split the way MetalLB does (comma-separated, spaces trimmed). */
export function splitIPList(value: string): string[] {
  return value.split(',').map((s) => s.trim());
}
