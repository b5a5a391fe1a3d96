import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'requested-ip-wrong-pool';

const pools = yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: prod
    namespace: metallb-system
  spec:
    addresses: [192.168.10.0/24]
  ---
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: team-a
    namespace: metallb-system
  spec:
    addresses: [192.168.20.0/24]
    serviceAllocation:
      namespaces: [team-a]
  ---
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: old
    namespace: other
  spec:
    addresses: [192.168.40.0/24]
`;

const svc = (annotations: string) => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: prod
    annotations:
      ${annotations}
  spec:
    type: LoadBalancer
`;

const run = (service: string, metallbVersion?: string) => ofRule(lintYaml({ 'pools.yaml': pools, 'svc.yaml': service }, { metallbVersion }), RULE);

describe(RULE, () => {
  test('requested IP in another pool than the annotated one (≥0.13.10)', () => {
    const [f, ...rest] = run(svc('metallb.io/loadBalancerIPs: 192.168.10.5\n      metallb.io/address-pool: lab'));
    assert.equal(rest.length, 0);
    assert.equal(where(f), 'svc.yaml:8:30-8:33');
    assert.match(f.message, /requested loadBalancer IP\(s\) \["192\.168\.10\.5"\] is not compatible with requested address pool lab/);
    assert.match(f.message, /in pool prod/);
    assert.equal(f.related?.[0].range.start.line, 7);
    assert.equal(run(svc('metallb.universe.tf/loadBalancerIPs: 192.168.10.5\n      metallb.universe.tf/address-pool: lab'), '0.13.9').length, 0);
  });

  test('requested IP in a pool whose serviceAllocation excludes the Service', () => {
    const [f] = run(svc('metallb.io/loadBalancerIPs: 192.168.20.5'));
    assert.match(f.message, /pool team-a not compatible for ip assignment/);
    assert.equal(f.related?.[0].file, 'pools.yaml');
    assert.equal(run(svc('metallb.io/loadBalancerIPs: 192.168.20.5').replace('namespace: prod', 'namespace: team-a')).length, 0);
    assert.equal(run(svc('metallb.universe.tf/loadBalancerIPs: 192.168.20.5'), '0.13.8').length, 0, 'no serviceAllocation before 0.13.9');
  });

  test('unknown annotated pool, and a pool MetalLB does not read', () => {
    const [f] = run(svc('metallb.io/address-pool: nope'));
    assert.match(f.message, /unknown pool "nope"/);
    assert.match(f.message, /Known pools: prod, team-a/);
    const [g] = run(svc('metallb.io/address-pool: old'));
    assert.match(g.message, /exists but MetalLB does not read it: it is in namespace other/);
  });

  test('annotated pool not compatible', () => {
    const [f] = run(svc('metallb.io/address-pool: team-a'));
    assert.match(f.message, /pool team-a not compatible for ip assignment/);
  });

  test('quiet when consistent, or without pools in the input', () => {
    assert.equal(run(svc('metallb.io/loadBalancerIPs: 192.168.10.5\n      metallb.io/address-pool: prod')).length, 0);
    assert.equal(run(svc('metallb.io/address-pool: prod')).length, 0);
    assert.equal(ofRule(lintYaml({ 'svc.yaml': svc('metallb.io/address-pool: nope') }), RULE).length, 0);
  });
});
