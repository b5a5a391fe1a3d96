import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'deprecated-annotation-prefix';
const run = (text: string, metallbVersion?: string) => ofRule(lintYaml({ 'svc.yaml': text }, { metallbVersion }), RULE);

const svc = yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: dns
    annotations:
      metallb.universe.tf/allow-shared-ip: "dns"
      metallb.universe.tf/address-pool: prod
  spec:
    type: LoadBalancer
`;

describe(RULE, () => {
  test('flags each old-prefix key on ≥0.14.9 with MetalLB\'s event text and a rename fix', () => {
    const fs = run(svc);
    assert.deepEqual(fs.map(where), ['svc.yaml:6:5-6:40', 'svc.yaml:7:5-7:37']);
    assert.ok(fs.every((f) => f.deprecated));
    assert.match(fs[0].message, /Warning deprecatedAnnotation "Service uses deprecated annotation metallb\.universe\.tf\/allow-shared-ip"/);
    assert.equal(applyFix(svc, fs[1].fixes![0]), svc.replace('metallb.universe.tf/address-pool', 'metallb.io/address-pool'));
    assert.equal(applyFix(svc, fs[0].fixes![0]), svc.replace('metallb.universe.tf/allow-shared-ip', 'metallb.io/allow-shared-ip'));
  });

  test('quiet before 0.14.9 (the old prefix is the only one)', () => {
    assert.equal(run(svc, '0.14.8').length, 0);
    assert.equal(run(svc, '0.13.12').length, 0);
  });

  test('when both keys exist, metallb.io/ wins even when empty; the fix removes the old key', () => {
    const text = yaml`
      apiVersion: v1
      kind: Service
      metadata:
        name: web
        annotations:
          metallb.io/loadBalancerIPs: ""
          metallb.universe.tf/loadBalancerIPs: 10.0.0.7
      spec:
        type: LoadBalancer
    `;
    const [f] = run(text);
    assert.match(f.message, /metallb\.io\/loadBalancerIPs is also set and wins even though it is empty/);
    assert.match(f.message, /ignores metallb\.universe\.tf\/loadBalancerIPs: "10\.0\.0\.7"/);
    assert.equal(applyFix(text, f.fixes![0]), text.replace('    metallb.universe.tf/loadBalancerIPs: 10.0.0.7\n', ''));
  });

  test('same value under both keys', () => {
    const text = svc.replace('    metallb.universe.tf/address-pool: prod\n', '    metallb.universe.tf/address-pool: prod\n    metallb.io/address-pool: prod\n');
    const f = run(text).find((x) => x.message.includes('address-pool'))!;
    assert.match(f.message, /duplicates metallb\.io\/address-pool/);
  });

  test('ignores non-LoadBalancer Services and other annotations', () => {
    assert.equal(run(svc.replace('type: LoadBalancer', 'type: ClusterIP')).length, 0);
    assert.equal(run(svc.replace(/metallb\.universe\.tf/g, 'metallb.io')).length, 0);
  });
});
