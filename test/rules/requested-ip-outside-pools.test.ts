import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'requested-ip-outside-pools';

const pools = yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: prod
    namespace: metallb-system
  spec:
    addresses:
      - 192.168.10.0/24
      - fd00:10::/120
    avoidBuggyIPs: true
  ---
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: lab
    namespace: metallb-system
  spec:
    addresses:
      - 192.168.20.10-192.168.20.20
  ---
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: stray
    namespace: default
  spec:
    addresses:
      - 192.168.30.0/24
`;

const svc = (ips: string, extra = '') => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: web
    namespace: prod
    annotations:
      metallb.io/loadBalancerIPs: "${ips}"
  spec:
    type: LoadBalancer
    ${extra}
`;

const run = (service: string, withPools = true, metallbVersion?: string) =>
  ofRule(lintYaml(withPools ? { 'pools.yaml': pools, 'svc.yaml': service } : { 'svc.yaml': service }, { metallbVersion }), RULE);

describe(RULE, () => {
  test('an IP in no pool: MetalLB\'s message, at the annotation value', () => {
    const [f, ...rest] = run(svc('10.0.0.5'));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.equal(where(f), 'svc.yaml:7:33-7:43');
    assert.match(f.message, /Failed to allocate IP for "prod\/web": \["10\.0\.0\.5"\] is not allowed in config/);
    assert.match(f.message, /10\.0\.0\.5 is in no pool/);
    assert.match(f.message, /pools prod, lab/);
  });

  test('a buggy IP of an avoidBuggyIPs pool', () => {
    const [f] = run(svc('192.168.10.255'));
    assert.match(f.message, /avoidBuggyIPs/);
    assert.equal(run(svc('192.168.10.255'), true, '0.13.3').length, 0, 'avoidBuggyIPs not honoured in 0.13.0–0.13.3');
  });

  test('a pool outside MetalLB\'s namespace', () => {
    const [f] = run(svc('192.168.30.7'));
    assert.match(f.message, /pool stray, which MetalLB does not read: it is in namespace default/);
  });

  test('a dual-stack pair split across two pools', () => {
    const [f] = run(svc('192.168.20.12,fd00:10::5', 'ipFamilyPolicy: RequireDualStack'));
    assert.match(f.message, /\["192\.168\.20\.12" "fd00:10::5"\] is not allowed in config/);
    assert.match(f.message, /different pools \(lab, prod\)/);
  });

  test('quiet when inside a pool, when no pools are in the input, and for what ip-family-mismatch reports', () => {
    assert.equal(run(svc('192.168.10.7')).length, 0);
    assert.equal(run(svc('192.168.10.7,fd00:10::7', 'ipFamilyPolicy: RequireDualStack')).length, 0);
    assert.equal(run(svc('10.0.0.5'), false).length, 0);
    assert.equal(run(svc('fd00:99::1')).length, 0, 'family mismatch comes first');
    assert.equal(run(svc('10.0.0.5').replace('type: LoadBalancer', 'type: LoadBalancer\n  loadBalancerClass: io.cilium/l2-announcer')).length, 0);
  });
});
