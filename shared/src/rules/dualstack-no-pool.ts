// A dual-stack Service with no single pool holding both families (MetalLB never mixes pools for
// one Service): RequireDualStack (and PreferDualStack before 0.14.9) stays Pending (seed 001);
// PreferDualStack ≥0.14.9 falls back to one IP of its primary family.
import type { Fix, TextEdit } from '../findings/finding.js';
import { defineRule } from '../lint/rule.js';
import { readAnnotation } from '../metallb/annotations.js';
import { primaryFamily, serviceFamily } from '../model/family.js';
import type { Pool } from '../model/types.js';
import { hasPoolContext, isMetalLBService, poolCompatible, poolHasFamily, readablePools, requestedIPs } from './support/metallbService.js';
import { poolsByName } from './support/poolLocations.js';
import { removeEntry, setScalar, sourceOf } from './support/yamlEdits.js';

const WORD = { ipv4: 'IPv4', ipv6: 'IPv6' } as const;

export const rule = defineRule({
  meta: {
    id: 'dualstack-no-pool',
    severity: 'error',
    description: 'A dual-stack Service and no single pool with both IPv4 and IPv6 available to it.',
    fixable: true,
  },
  check(ctx) {
    const b = ctx.behaviour;
    const m = ctx.model;
    if (!hasPoolContext(m, b)) return;
    const readable = readablePools(m, b);
    const readableNamed = poolsByName(readable);
    for (const svc of m.services) {
      const doc = svc.doc;
      const policy = svc.ipFamilyPolicy;
      // The policy first: it rules out most Services without looking at their annotations.
      if ((policy !== 'RequireDualStack' && policy !== 'PreferDualStack') || !doc || !isMetalLBService(svc, m, b)) continue;
      if (requestedIPs(svc, b)) continue; // requested IPs: ip-family-mismatch / requested-ip-* rules
      const sf = serviceFamily(svc, ctx.network);
      if ('error' in sf || sf.family !== 'dual') continue;
      const ann = readAnnotation(svc, 'address-pool', b);
      let candidates: Pool[];
      if (ann) {
        const p = readableNamed.get(ann.value);
        if (!p) continue; // unknown pool: requested-ip-wrong-pool
        candidates = [p];
      } else {
        candidates = readable.filter((p) => p.autoAssign && poolCompatible(p, svc, m, b) !== 'no');
      }
      if (candidates.length === 0 || candidates.some((p) => poolHasFamily(p, 'ipv4') && poolHasFamily(p, 'ipv6'))) continue;
      const primary = primaryFamily(svc, ctx.network);
      const secondary = primary === 'ipv4' ? 'ipv6' : 'ipv4';
      const fallback = candidates.find((p) => poolHasFamily(p, primary)) ?? candidates.find((p) => poolHasFamily(p, secondary));
      const gets = fallback && (poolHasFamily(fallback, primary) ? primary : secondary);
      const names = candidates.map((p) => p.name).join(', ');
      const scope = ann ? `pool ${ann.value} (named by ${ann.key})` : `the pools available to it (${names})`;
      const pending = policy === 'RequireDualStack' || !b.preferDualStackFallback;
      const failMsg = ann
        ? b.preferDualStackFallback
          ? `no available IPs in pool ${ann.value} for dual IPFamily`
          : `no available IPs in pool "${ann.value}" for dual IPFamily`
        : 'no available IPs';
      const sampleV6 = 'add an IPv6 range to the pool (e.g. a /120 of your IPv6 prefix)';
      let message: string;
      if (pending) {
        const why = policy === 'PreferDualStack' ? ` MetalLB ${b.version} treats PreferDualStack like RequireDualStack (single-family fallback arrived in 0.14.9).` : '';
        message =
          `Service stays Pending: it is dual-stack (${policy}) and none of ${scope} has both IPv4 and IPv6; MetalLB takes both IPs from one pool. ` +
          `AllocationFailed: Failed to allocate IP for "${svc.key}": ${failMsg}.${why} Set ipFamilyPolicy: SingleStack, or ${sampleV6}.`;
      } else {
        message =
          `None of ${scope} has both IPv4 and IPv6, so MetalLB ${b.version} gives this PreferDualStack Service only ${gets ? `one ${WORD[gets]} IP${fallback ? ` from pool ${fallback.name}` : ''}` : 'one IP'}. ` +
          `It tops up the other family only from that same pool (never from another pool added later) and until then reports AdditionalAssignFailed "cannot assign additional IP in PreferDualStack" on every reconcile. ` +
          `Set ipFamilyPolicy: SingleStack if one family is what you want, or ${sampleV6}.`;
      }
      const fixes: Fix[] = [];
      const src = sourceOf(ctx.files, doc);
      const set = src && setScalar(src, doc, ['spec', 'ipFamilyPolicy'], 'SingleStack');
      if (src && set && candidates.some((p) => poolHasFamily(p, primary))) {
        const edits: TextEdit[] = [set];
        for (const list of ['ipFamilies', 'clusterIPs'] as const) {
          const v = doc.get(['spec', list]);
          if (Array.isArray(v) && v.length === 2) {
            const rm = removeEntry(src, doc, ['spec', list, 1]);
            if (rm) edits.push(rm);
          }
        }
        fixes.push({ title: `Set ipFamilyPolicy: SingleStack (${WORD[primary]} only)`, edits });
      }
      ctx.report({
        doc,
        path: ['spec', 'ipFamilyPolicy'],
        severity: pending ? undefined : 'info',
        message,
        fixes,
        data: { policy, pools: candidates.map((p) => p.name), pending, fallbackFamily: pending ? undefined : gets },
      });
    }
  },
});
