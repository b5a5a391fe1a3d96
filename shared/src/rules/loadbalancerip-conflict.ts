// spec.loadBalancerIP outside every pool on a class-less Service (seed 004): MetalLB refuses it
// (`["<ip>"] is not allowed in config`), and when another controller writes the field (kube-vip,
// an operator…) the two rewrite the Service forever. Also: several field managers own the field.
import type { IP } from '../address/ip.js';
import { defineRule } from '../lint/rule.js';
import { annotationPrefix } from '../metallb/annotations.js';
import {
  bareMetalAllocatorAnnotations, classHandled, goQuoteList, hasPlaceholder, hasPoolContext, otherAllocatorAnnotations, poolLookup,
  readablePools, requestPassesPreChecks, requestedIPs,
} from './support/metallbService.js';

export const rule = defineRule({
  meta: {
    id: 'loadbalancerip-conflict',
    severity: 'error',
    description: 'spec.loadBalancerIP outside every MetalLB pool (or written by several controllers) on a Service MetalLB handles: MetalLB refuses it and fights whoever writes it.',
  },
  check(ctx) {
    const b = ctx.behaviour;
    const m = ctx.model;
    if (!hasPoolContext(m, b)) return;
    const names = readablePools(m, b).map((p) => p.name);
    const lookup = poolLookup(m, b);
    for (const svc of m.services) {
      const doc = svc.doc;
      if (!doc || svc.type !== 'LoadBalancer' || !svc.loadBalancerIP || svc.loadBalancerClass) continue;
      if (!classHandled(svc, m, b) || hasPlaceholder(svc.loadBalancerIP)) continue;
      const others = bareMetalAllocatorAnnotations(svc);
      // A cloud's Service (GKE, AWS, DO…) carries only its cloud's annotations: not MetalLB's business.
      if (others.length === 0 && otherAllocatorAnnotations(svc).length > 0) continue;
      const req = requestedIPs(svc, b);
      if (!req || req.source !== 'spec' || !requestPassesPreChecks(svc, req, ctx.network)) continue;
      const managers = svc.loadBalancerIPManagers ?? [];
      const writers = [
        managers.length ? `field managers ${managers.join(', ')} own it` : '',
        others.length ? `the Service also carries ${others.join(', ')}, so another allocator handles it too` : '',
      ].filter(Boolean);
      const ann = `${annotationPrefix(b)}loadBalancerIPs`;
      const found = lookup(req.ips as IP[], req.texts);
      if (found.kind === 'outside') {
        ctx.report({
          doc,
          path: ['spec', 'loadBalancerIP'],
          message:
            `MetalLB handles this class-less Service but ${found.why.join('; ')} (MetalLB reads ${names.join(', ') || 'no pool'}): AllocationFailed ` +
            `Failed to allocate IP for "${svc.key}": ${goQuoteList(req.texts)} is not allowed in config, and it clears any status it cannot own. ` +
            `${writers.length ? `Another writer is visible (${writers.join('; ')}); ` : 'If another controller writes spec.loadBalancerIP (kube-vip, an operator…), '}` +
            `the two will keep rewriting this Service. Give the other controller's Service a loadBalancerClass (MetalLB then ignores it) or use a separate Service for each; if the IP is meant for MetalLB, add it to a pool and request it with ${ann}.`,
          data: { requested: req.texts, managers, otherAnnotations: others },
        });
      } else if (managers.length > 1 || others.length > 0) {
        ctx.report({
          doc,
          path: ['spec', 'loadBalancerIP'],
          severity: 'warning',
          message:
            `spec.loadBalancerIP has more than one writer (${writers.join('; ')}). MetalLB allocates ${req.texts[0]} from pool ${found.pool.name} and will react to every rewrite: ` +
            `give the other controller its own loadBalancerClass or its own Service, and request the IP with ${ann}.`,
          data: { requested: req.texts, managers, otherAnnotations: others },
        });
      }
    }
  },
});
