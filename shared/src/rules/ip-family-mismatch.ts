// Requested IPs MetalLB refuses before looking at any pool (controller/service.go getDesiredLbIPs):
// both the annotation and spec.loadBalancerIP, unparsable IPs, two IPs of one family, 3+ IPs, and a
// requested family that differs from the Service's ClusterIP family.
import { annotationPrefix } from '../metallb/annotations.js';
import { defineRule } from '../lint/rule.js';
import { familyForAddresses, serviceFamily } from '../model/family.js';
import { FAMILY_WORD, goQuoteList, hasPlaceholder, isMetalLBService, requestedIPs } from './support/metallbService.js';

export const rule = defineRule({
  meta: {
    id: 'ip-family-mismatch',
    severity: 'error',
    description: 'Requested LoadBalancer IPs that MetalLB refuses: wrong family for the Service, same-family pairs, 3+ IPs, unparsable, or set twice.',
  },
  check(ctx) {
    const b = ctx.behaviour;
    const currentKey = `${annotationPrefix(b)}loadBalancerIPs`;
    for (const svc of ctx.model.services) {
      const doc = svc.doc;
      // The request first: most Services have none, and then need not be judged.
      const req = requestedIPs(svc, b);
      if (!req || !doc || !isMetalLBService(svc, ctx.model, b)) continue;
      if (hasPlaceholder(req.value)) continue;
      const pending = 'Service stays Pending, MetalLB reports AllocationFailed:';
      if (req.source === 'annotation' && svc.loadBalancerIP) {
        ctx.report({
          doc,
          path: req.path,
          part: 'key',
          message: `${pending} service can not have both ${currentKey} and svc.Spec.LoadBalancerIP. Keep only the annotation (remove spec.loadBalancerIP).`,
          related: [{ file: doc.file, range: doc.locate(['spec', 'loadBalancerIP'], 'key').range, message: 'spec.loadBalancerIP is also set here' }],
        });
        continue;
      }
      if (req.ips.some((ip) => !ip)) {
        const bad = req.texts.filter((_, i) => !req.ips[i]);
        const what = req.source === 'annotation' ? `invalid ${currentKey}: ${JSON.stringify(req.value)}` : `invalid spec.loadBalancerIP ${JSON.stringify(req.value)}`;
        ctx.report({
          doc,
          path: req.path,
          message: `${pending} ${what}. ${bad.map((t) => JSON.stringify(t)).join(', ')} is not an IP address. Write IPs only, comma-separated (at most one IPv4 and one IPv6).`,
        });
        continue;
      }
      const fam = familyForAddresses(req.texts);
      if ('error' in fam) {
        const hint = req.texts.length > 2 ? 'MetalLB takes at most two IPs, one IPv4 and one IPv6' : 'a pair must be one IPv4 and one IPv6 address';
        ctx.report({ doc, path: req.path, message: `${pending} ${fam.error}. Note: ${hint}.` });
        continue;
      }
      const sf = serviceFamily(svc, ctx.network);
      if ('error' in sf || sf.family === fam.family) continue;
      const want = FAMILY_WORD[sf.family];
      const got = FAMILY_WORD[fam.family];
      const basis = sf.predicted
        ? ` (predicted: the manifest has no clusterIPs; with ipFamilyPolicy ${svc.ipFamilyPolicy ?? 'SingleStack'} on a ${ctx.network.families.join('/')} cluster the API server gives it ${want} ClusterIPs; set cluster.ipFamilies in .lbguard.yaml if your cluster differs)`
        : ` (its clusterIPs are ${want})`;
      const todo =
        sf.family === 'dual'
          ? `Request one IPv4 and one IPv6 address ("a.b.c.d,x::y"), or set ipFamilyPolicy: SingleStack`
          : fam.family === 'dual'
            ? `Request a single ${want} address, or make the Service dual-stack (ipFamilyPolicy: PreferDualStack or RequireDualStack)`
            : `Request an ${want} address, or set ipFamilies: [${got}] so the Service gets ${got} ClusterIPs`;
      const legacy = doc.get(['spec', 'ipFamily']);
      const legacyNote = typeof legacy === 'string' && sf.predicted
        ? ` Note: spec.ipFamily (${legacy}) is the pre-1.20 alpha field; Kubernetes ignores it now, use ipFamilies: [${legacy}].`
        : '';
      ctx.report({
        doc,
        path: req.path,
        severity: sf.predicted ? 'warning' : undefined,
        message: `${pending} requested loadBalancer IP(s) ${goQuoteList(req.texts)} does not match the ipFamily of the service. It asks for ${got} but the Service is ${want}${basis}. ${todo}.${legacyNote}`,
        data: { requested: req.texts, requestedFamily: fam.family, serviceFamily: sf.family, predicted: sf.predicted },
      });
    }
  },
});
