// spec.loadBalancerIP is deprecated (Kubernetes 1.24, PR #107235) but MetalLB still honours it.
// MetalLB's own replacement is the loadBalancerIPs annotation (prefix by version).
import type { Fix, TextEdit } from '../findings/finding.js';
import { annotationPrefix, NEW_PREFIX, OLD_PREFIX } from '../metallb/annotations.js';
import { defineRule } from '../lint/rule.js';
import { classOwnedByOther, ownedByOtherAllocator } from './support/metallbService.js';
import { removeEntry, setAnnotation, sourceOf } from './support/yamlEdits.js';

export const rule = defineRule({
  meta: {
    id: 'deprecated-loadbalancerip',
    severity: 'warning',
    description: 'spec.loadBalancerIP is deprecated since Kubernetes 1.24; use MetalLB\'s loadBalancerIPs annotation.',
    deprecated: true,
    fixable: true,
  },
  check(ctx) {
    const prefix = annotationPrefix(ctx.behaviour);
    const annKey = `${prefix}loadBalancerIPs`;
    for (const svc of ctx.model.services) {
      const doc = svc.doc;
      if (!doc || svc.type !== 'LoadBalancer' || !svc.loadBalancerIP) continue;
      if (classOwnedByOther(svc, ctx.model, ctx.behaviour) || ownedByOtherAllocator(svc)) continue;
      const ip = svc.loadBalancerIP;
      const existing = [NEW_PREFIX, OLD_PREFIX].map((p) => p + 'loadBalancerIPs').filter((k) => svc.annotations[k]);
      const src = sourceOf(ctx.files, doc);
      const fixes: Fix[] = [];
      if (src) {
        const remove = removeEntry(src, doc, ['spec', 'loadBalancerIP']);
        if (existing.length === 0) {
          const add = setAnnotation(src, doc, annKey, ip);
          if (remove && add) fixes.push({ title: `Move ${ip} to the ${annKey} annotation`, edits: [add, remove] satisfies TextEdit[] });
        } else if (remove && existing.every((k) => svc.annotations[k].trim() === ip.trim())) {
          fixes.push({ title: `Remove spec.loadBalancerIP (${existing[0]} already requests ${ip})`, edits: [remove] });
        }
      }
      const also = existing.length
        ? ` This Service also sets ${existing[0]}; MetalLB refuses a Service that has both.`
        : '';
      ctx.report({
        doc,
        path: ['spec', 'loadBalancerIP'],
        part: 'key',
        message:
          `spec.loadBalancerIP is deprecated since Kubernetes 1.24 and may be removed; MetalLB ${ctx.behaviour.version} still honours it. ` +
          `Request ${ip} with the ${annKey} annotation instead.${also}`,
        fixes,
      });
    }
  },
});
