// IPs requested with the loadBalancerIPs annotation that no pool MetalLB reads holds
// (allocator.go Assign → poolFor): `["<ip>"] is not allowed in config`, Service Pending.
// spec.loadBalancerIP outside every pool is `loadbalancerip-conflict` (another controller's field).
import type { IP } from '../address/ip.js';
import { defineRule } from '../lint/rule.js';
import { goQuoteList, hasPoolContext, isMetalLBService, poolLookup, readablePools, requestPassesPreChecks, requestedIPs } from './support/metallbService.js';

export const rule = defineRule({
  meta: {
    id: 'requested-ip-outside-pools',
    severity: 'error',
    description: 'An IP requested with the loadBalancerIPs annotation lies in no pool MetalLB reads, so the Service stays Pending.',
  },
  check(ctx) {
    const b = ctx.behaviour;
    if (!hasPoolContext(ctx.model, b)) return;
    const names = readablePools(ctx.model, b).map((p) => p.name);
    const lookup = poolLookup(ctx.model, b);
    for (const svc of ctx.model.services) {
      const doc = svc.doc;
      // The request first: most Services have none, and then need not be judged.
      const req = requestedIPs(svc, b);
      if (!req || !doc || !isMetalLBService(svc, ctx.model, b)) continue;
      if (req.source !== 'annotation' || !requestPassesPreChecks(svc, req, ctx.network)) continue;
      const found = lookup(req.ips as IP[], req.texts);
      if (found.kind !== 'outside') continue;
      const pools = names.length ? `MetalLB reads ${names.length === 1 ? 'pool' : 'pools'} ${names.join(', ')}` : 'MetalLB reads no pool at all from this input';
      ctx.report({
        doc,
        path: req.path,
        message:
          `Service stays Pending, MetalLB reports AllocationFailed: Failed to allocate IP for "${svc.key}": ${goQuoteList(req.texts)} is not allowed in config ` +
          `(${found.why.join('; ')}). ${pools}. Request an address inside one of them, or add this address to a pool.`,
        data: { requested: req.texts, pools: names },
      });
    }
  },
});
