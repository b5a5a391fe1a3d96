// loadBalancerClass filtering (filterByLoadBalancerClass, ≥0.13): MetalLB processes a Service only
// when its class equals the controller's --lb-class (both unset counts as equal). Filtered Services
// get no event at all. ≤0.12 has no filter: it allocates for every Service, whatever its class.
import type { Fix } from '../findings/finding.js';
import { defineRule } from '../lint/rule.js';
import { isOtherAllocatorClass } from '../model/loadBalancerClasses.js';
import { hasPoolContext, metallbAnnotationKeys } from './support/metallbService.js';
import { insertEntry, setScalar, sourceOf } from './support/yamlEdits.js';

export const rule = defineRule({
  meta: {
    id: 'lb-class-ignored',
    severity: 'warning',
    description: 'A LoadBalancer Service whose loadBalancerClass MetalLB does not serve (or serves when it should not): MetalLB ignores it silently.',
    fixable: true,
  },
  check(ctx) {
    const b = ctx.behaviour;
    const flag = ctx.model.metallb.lbClass;
    for (const svc of ctx.model.services) {
      const doc = svc.doc;
      if (!doc || svc.type !== 'LoadBalancer') continue;
      const cls = svc.loadBalancerClass;
      if (!b.lbClassFilter) {
        if (cls && !/metallb/i.test(cls) && hasPoolContext(ctx.model, b)) {
          ctx.report({
            doc,
            path: ['spec', 'loadBalancerClass'],
            message: `MetalLB ${b.version} has no --lb-class support and ignores loadBalancerClass: it allocates an IP for this Service too, so MetalLB and the controller for "${cls}" will both write its status. Upgrade MetalLB to ≥0.13 and keep MetalLB off this class, or drop the class if MetalLB should own it.`,
          });
        }
        continue;
      }
      if ((cls ?? '') === (flag ?? '')) continue;
      // Only now: most Services are the controller's class and need no list of their annotations.
      const mlbKeys = metallbAnnotationKeys(svc).filter((k) => !k.endsWith('/ip-allocated-from-pool'));
      const meantForMetalLB = mlbKeys.length > 0;
      const src = sourceOf(ctx.files, doc);
      const fixes: Fix[] = [];
      const noEvents = 'MetalLB ignores the Service completely (no IP, no event; kubectl shows <pending> unless another controller serves it).';
      const annNote = meantForMetalLB ? ` It carries MetalLB annotations (${mlbKeys.join(', ')}), so it looks meant for MetalLB.` : '';
      if (cls) {
        if (!meantForMetalLB && isOtherAllocatorClass(cls)) continue;
        const metallbish = /metallb/i.test(cls);
        const flagText = flag ? `runs with --lb-class=${flag}` : 'has no --lb-class (as lbguard is configured)';
        const hint = !flag && metallbish
          ? ` If your controller runs with --lb-class=${cls}, set metallb.lbClass: ${cls} in .lbguard.yaml.`
          : flag
            ? ` Set loadBalancerClass: ${flag} for MetalLB (the class is immutable: the Service must be re-created), or make sure the controller for "${cls}" is installed.`
            : ` Remove loadBalancerClass if MetalLB should serve it (re-create the Service), or make sure the controller for "${cls}" is installed.`;
        if (flag) {
          const e = src && setScalar(src, doc, ['spec', 'loadBalancerClass'], flag);
          if (e) fixes.push({ title: `Set loadBalancerClass: ${flag} (MetalLB's --lb-class)`, edits: [e] });
        }
        ctx.report({
          doc,
          path: ['spec', 'loadBalancerClass'],
          severity: meantForMetalLB ? 'error' : undefined,
          message: `loadBalancerClass "${cls}" is not MetalLB's: the controller ${flagText}. ${noEvents}${annNote}${hint}`,
          fixes,
          data: { class: cls, lbClass: flag ?? null },
        });
        continue;
      }
      // No class, but MetalLB only serves --lb-class=<flag>.
      const e = src && insertEntry(src, doc, ['spec'], 'loadBalancerClass', flag!);
      if (e) fixes.push({ title: `Add loadBalancerClass: ${flag}`, edits: [e] });
      ctx.report({
        doc,
        path: ['spec', 'type'],
        severity: meantForMetalLB ? 'error' : undefined,
        message: `MetalLB runs with --lb-class=${flag} and this Service has no loadBalancerClass: ${noEvents}${annNote} Add loadBalancerClass: ${flag} when the Service is created (the field cannot be added later) if MetalLB should serve it.`,
        fixes,
        data: { class: null, lbClass: flag },
      });
    }
  },
});
