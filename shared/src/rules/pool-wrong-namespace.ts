// A pool outside MetalLB's namespace: the controller lists pools only in its own namespace, and the
// webhook refuses to create one elsewhere. Manifests without a namespace are applied with -n and fine.
import { defineRule } from '../lint/rule.js';
import type { ManifestDocument } from '../manifest/document.js';
import { outerDocument, poolLabel, replaceScalarFix } from './support/poolLocations.js';

export const rule = defineRule({
  meta: {
    id: 'pool-wrong-namespace',
    severity: 'error',
    description: "A MetalLB pool (or ≤0.12 ConfigMap) outside MetalLB's namespace, which the controller never reads.",
    fixable: true,
  },
  check(ctx) {
    const ns = ctx.model.metallb.namespace;
    const seen = new Set<ManifestDocument>();
    for (const pool of ctx.model.pools) {
      if (!pool.namespace || pool.namespace === ns) continue;
      const doc = outerDocument(ctx.files, pool);
      if (!doc || seen.has(doc)) continue;
      seen.add(doc);
      const path = ['metadata', 'namespace'];
      const fix = replaceScalarFix(ctx.files, doc, path, pool.namespace, ns, `Move it to ${ns}`);
      const what = pool.source === 'ConfigMap' ? `MetalLB's ConfigMap (pool "${pool.name}")` : poolLabel(pool);
      const consequence =
        pool.source === 'ConfigMap'
          ? `MetalLB ≤0.12 reads its ConfigMap only from its own namespace, so these pools are ignored.`
          : `The controller only reads pools from its own namespace, so this pool is ignored, and MetalLB's webhook refuses to create it ("resource must be created in ${ns} namespace").`;
      ctx.report({
        doc,
        path,
        message: `${what} is in namespace "${pool.namespace}", but MetalLB runs in "${ns}". ${consequence} Move it to ${ns}, or, if MetalLB really runs in ${pool.namespace}, tell lbguard (metallb.namespace in .lbguard.yaml or --metallb-namespace).`,
        fixes: fix ? [fix] : undefined,
        data: { pool: pool.name, namespace: pool.namespace, metallbNamespace: ns },
      });
    }
  },
});
