// A pool MetalLB's automatic allocation never picks: autoAssign false (by design: reachable only by
// the address-pool annotation or a requested IP), a serviceAllocation with only a priority on
// 0.13.9–0.14.9, or namespaceSelectors that match no Namespace among the inputs.
import { annotationPrefix, OLD_PREFIX } from '../metallb/annotations.js';
import { defineRule, type RuleContext } from '../lint/rule.js';
import { selectorMatches } from '../model/labels.js';
import type { Pool } from '../model/types.js';
import { poolFieldKey, poolFieldPath, poolLabel } from './support/poolLocations.js';

export const rule = defineRule({
  meta: {
    id: 'pool-never-auto-assigned',
    severity: 'warning',
    description: 'A pool that automatic allocation never uses (autoAssign false, priority-only serviceAllocation before 0.15, namespaceSelectors matching nothing).',
  },
  check(ctx) {
    for (const pool of ctx.model.pools) {
      if (!pool.doc) continue;
      const prefix = pool.source === 'ConfigMap' ? OLD_PREFIX : annotationPrefix(ctx.behaviour);
      const reachable = `Only Services that name it in the ${prefix}address-pool annotation or request one of its IPs (${prefix}loadBalancerIPs or spec.loadBalancerIP) get addresses from it`;
      if (!pool.autoAssign) {
        const key = poolFieldKey(pool, 'autoAssign');
        ctx.report({
          doc: pool.doc,
          path: poolFieldPath(pool, 'autoAssign'),
          severity: 'info',
          message: `${poolLabel(pool)} has ${key}: false, so MetalLB never picks it for automatic allocation${pool.serviceAllocation ? ' (its serviceAllocation does not change that)' : ''}. ${reachable}; if that is intended, nothing to do.`,
          data: { pool: pool.name, reason: 'autoAssign' },
        });
        continue;
      }
      const sa = pool.serviceAllocation;
      if (!sa || !ctx.behaviour.serviceAllocation || pool.source !== 'IPAddressPool') continue;
      const unrestricted = sa.namespaces.length === 0 && sa.namespaceSelectors.length === 0 && sa.serviceSelectors.length === 0;
      if (unrestricted && !ctx.behaviour.priorityOnlyMatchesAll) {
        ctx.report({
          doc: pool.doc,
          path: poolFieldPath(pool, 'serviceAllocation'),
          part: 'key',
          message: `${poolLabel(pool)} has a serviceAllocation with only a priority: MetalLB ${ctx.behaviour.version} then treats it as pinned to no Service, so automatic allocation never uses it (from 0.15.0 it matches every Service). ${reachable}. Remove serviceAllocation, or add namespaces/serviceSelectors.`,
          data: { pool: pool.name, reason: 'priorityOnly' },
        });
        continue;
      }
      if (sa.namespaces.length === 0 && sa.serviceSelectors.length === 0 && sa.namespaceSelectors.length > 0) checkNamespaceSelectors(ctx, pool, reachable);
    }
  },
});

function checkNamespaceSelectors(ctx: RuleContext, pool: Pool, reachable: string): void {
  const namespaces = ctx.state?.model.namespaces.length ? ctx.state.model.namespaces : ctx.model.namespaces;
  // Without Namespace objects in the input nothing is certain.
  if (namespaces.length === 0) return;
  const sa = pool.serviceAllocation!;
  if (namespaces.some((ns) => sa.namespaceSelectors.some((sel) => selectorMatches(sel, ns.labels)))) return;
  ctx.report({
    doc: pool.doc,
    path: [...poolFieldPath(pool, 'serviceAllocation'), 'namespaceSelectors'],
    part: 'key',
    message: `No Namespace among the ${namespaces.length} known matches the namespaceSelectors of ${poolLabel(pool)}: MetalLB resolves them to an empty set, so automatic allocation never uses the pool (until a Namespace gets matching labels). ${reachable}. Check the selector's labels against the Namespaces.`,
    data: { pool: pool.name, reason: 'namespaceSelectors' },
  });
}
