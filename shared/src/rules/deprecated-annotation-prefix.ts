// metallb.universe.tf/* annotations on MetalLB ≥0.14.9, which reads metallb.io/* first and warns
// about the old prefix (controller/main.go: Warning deprecatedAnnotation).
import type { Fix } from '../findings/finding.js';
import { defineRule } from '../lint/rule.js';
import { NEW_PREFIX, OLD_PREFIX } from '../metallb/annotations.js';
import { removeEntry, renameKey, sourceOf } from './support/yamlEdits.js';

/** `metallb.universe.tf` (any key under it, the slash included or not). */
const OLD_PREFIX_STEM = OLD_PREFIX.slice(0, -1);

export const rule = defineRule({
  meta: {
    id: 'deprecated-annotation-prefix',
    severity: 'warning',
    description: 'metallb.universe.tf/ annotations are deprecated on MetalLB ≥0.14.9; use metallb.io/.',
    deprecated: true,
    fixable: true,
  },
  check(ctx) {
    if (!ctx.behaviour.newAnnotationPrefix) return;
    for (const svc of ctx.model.services) {
      const doc = svc.doc;
      if (!doc || svc.type !== 'LoadBalancer') continue;
      // An index loop: it runs for every Service, mostly before the optimizing compiler has, and
      // unoptimized for…of makes an iterator result per key.
      const keys = Object.keys(svc.annotations);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        if (!key.startsWith(OLD_PREFIX_STEM)) continue;
        const name = key.startsWith(OLD_PREFIX) ? key.slice(OLD_PREFIX.length) : undefined;
        const newKey = name !== undefined ? NEW_PREFIX + name : undefined;
        const path = ['metadata', 'annotations', key];
        const src = sourceOf(ctx.files, doc);
        const fixes: Fix[] = [];
        const event = `MetalLB ${ctx.behaviour.version} emits Warning deprecatedAnnotation "Service uses deprecated annotation ${key}" whenever it updates this Service.`;
        let message: string;
        if (newKey && Object.prototype.hasOwnProperty.call(svc.annotations, newKey)) {
          const newVal = svc.annotations[newKey];
          const same = newVal === svc.annotations[key];
          message = same
            ? `${key} duplicates ${newKey}, which MetalLB reads instead. ${event} Remove the old key.`
            : `${newKey} is also set and wins${newVal === '' ? ' even though it is empty' : ''}, so MetalLB ignores ${key}: "${svc.annotations[key]}". ${event} Remove the old key (and put the value you want under ${newKey}).`;
          const rm = src && removeEntry(src, doc, path);
          if (rm) fixes.push({ title: `Remove ${key} (${newKey} wins)`, edits: [rm] });
        } else {
          message = `${event} Rename it to ${newKey ?? `its ${NEW_PREFIX} equivalent`}; MetalLB reads both, the new prefix first.`;
          const rn = src && newKey && renameKey(src, doc, path, newKey);
          if (rn) fixes.push({ title: `Rename to ${newKey}`, edits: [rn] });
        }
        ctx.report({ doc, path, part: 'key', message, fixes });
      }
    }
  },
});
