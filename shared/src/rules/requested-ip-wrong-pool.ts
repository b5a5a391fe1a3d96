// Requested IPs or an address-pool annotation that point at the wrong pool: the IP's pool is not
// the annotated one (≥0.13.10), the pool's serviceAllocation excludes the Service (≥0.13.9), or the
// annotated pool does not exist.
import type { IP } from '../address/ip.js';
import { defineRule } from '../lint/rule.js';
import { readAnnotation } from '../metallb/annotations.js';
import {
  goQuoteList, hasPoolContext, isMetalLBService, poolCompatible, poolLookup, poolReadable, readablePools, requestPassesPreChecks, requestedIPs,
} from './support/metallbService.js';
import { poolsByName } from './support/poolLocations.js';

export const rule = defineRule({
  meta: {
    id: 'requested-ip-wrong-pool',
    severity: 'error',
    description: 'A requested IP or address-pool annotation names a pool MetalLB will not use for this Service.',
  },
  check(ctx) {
    const b = ctx.behaviour;
    const m = ctx.model;
    if (!hasPoolContext(m, b)) return;
    const readable = readablePools(m, b);
    const readableNamed = poolsByName(readable);
    const lookup = poolLookup(m, b);
    for (const svc of m.services) {
      const doc = svc.doc;
      if (!doc || !isMetalLBService(svc, m, b)) continue;
      // Made only for a finding (this loop runs for every Service).
      const pending = () => `Service stays Pending, MetalLB reports AllocationFailed: Failed to allocate IP for "${svc.key}":`;
      const ann = readAnnotation(svc, 'address-pool', b);
      const annPath = ann && ['metadata', 'annotations', ann.key];
      const req = requestedIPs(svc, b);
      if (req) {
        if (!requestPassesPreChecks(svc, req, ctx.network)) continue;
        const found = lookup(req.ips as IP[], req.texts);
        if (found.kind !== 'pool') continue;
        const pool = found.pool;
        if (poolCompatible(pool, svc, m, b) === 'no') {
          ctx.report({
            doc,
            path: req.path,
            message: `${pending()} pool ${pool.name} not compatible for ip assignment. ${req.texts.join(',')} is in pool ${pool.name}, whose serviceAllocation (namespaces / namespaceSelectors / serviceSelectors) does not include this Service. Request an IP from a pool that allows namespace ${svc.namespace}, or widen the pool's serviceAllocation.`,
            related: pool.doc ? [{ file: pool.doc.file, range: pool.doc.locate([...pool.docPath, 'spec', 'serviceAllocation'], 'key').range, message: `serviceAllocation of pool ${pool.name}` }] : undefined,
          });
          continue;
        }
        if (ann && annPath && ann.value !== pool.name && b.requestedIPMustMatchPoolAnnotation) {
          ctx.report({
            doc,
            path: annPath,
            message: `${pending()} requested loadBalancer IP(s) ${goQuoteList(req.texts)} is not compatible with requested address pool ${ann.value}. The IP is in pool ${pool.name}; set ${ann.key}: ${pool.name} or remove the annotation.`,
            related: [{ file: doc.file, range: doc.locate(req.path).range, message: `requested ${req.texts.join(',')} (pool ${pool.name})` }],
          });
        }
        continue;
      }
      if (!ann || !annPath) continue;
      const pool = readableNamed.get(ann.value);
      if (!pool) {
        const elsewhere = m.pools.find((p) => p.name === ann.value);
        const why = elsewhere ? ` A pool ${ann.value} exists but MetalLB does not read it: ${poolReadable(elsewhere, m, b)}.` : '';
        ctx.report({
          doc,
          path: annPath,
          message: `${pending()} unknown pool "${ann.value}".${why} Known pools: ${readable.map((p) => p.name).join(', ') || 'none'}.`,
        });
        continue;
      }
      if (poolCompatible(pool, svc, m, b) === 'no') {
        ctx.report({
          doc,
          path: annPath,
          message: `${pending()} pool ${pool.name} not compatible for ip assignment. Its serviceAllocation does not include this Service (namespace ${svc.namespace}); pick another pool or widen the pool's serviceAllocation.`,
        });
      }
    }
  },
});
