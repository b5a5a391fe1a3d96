import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'loadbalancerip-conflict';

const pools = yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: prod
    namespace: metallb-system
  spec:
    addresses: [192.168.10.0/24]
`;

const svc = (ip: string, extraMeta = '', extraSpec = '') => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: tunnel
    namespace: edge
    ${extraMeta}
  spec:
    type: LoadBalancer
    loadBalancerIP: ${ip}
    ${extraSpec}
`;

const run = (service: string, withPools = true) => ofRule(lintYaml(withPools ? { 'pools.yaml': pools, 'svc.yaml': service } : { 'svc.yaml': service }), RULE);

const managed = yaml`
  managedFields:
      - manager: kubectl-client-side-apply
        operation: Update
        fieldsV1:
          f:spec:
            f:loadBalancerIP: {}
      - manager: chisel-operator
        operation: Update
        fieldsV1:
          f:spec:
            f:loadBalancerIP: {}
`;

describe(RULE, () => {
  test('spec.loadBalancerIP outside every pool (seed 004)', () => {
    const [f, ...rest] = run(svc('203.0.113.7'));
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.equal(where(f), 'svc.yaml:9:19-9:30');
    assert.match(f.message, /\["203\.0\.113\.7"\] is not allowed in config/);
    assert.match(f.message, /loadBalancerClass/);
    assert.match(f.message, /separate Service/);
  });

  test('names the field managers from managedFields', () => {
    const [f] = run(svc('203.0.113.7', managed));
    assert.match(f.message, /field managers kubectl-client-side-apply, chisel-operator own it/);
    assert.deepEqual(f.data?.managers, ['kubectl-client-side-apply', 'chisel-operator']);
  });

  test('several writers of an in-pool IP: warning', () => {
    const [f] = run(svc('192.168.10.9', managed));
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /more than one writer/);
    const [g] = run(svc('192.168.10.9', 'annotations:\n      kube-vip.io/loadbalancerIPs: 192.168.10.9'));
    assert.match(g.message, /kube-vip\.io\/loadbalancerIPs/);
  });

  test('quiet: in a pool, a class set, cloud Services, no pools in the input', () => {
    assert.equal(run(svc('192.168.10.9')).length, 0);
    assert.equal(run(svc('203.0.113.7', '', 'loadBalancerClass: chisel-operator.io/chisel-operator-class')).length, 0);
    assert.equal(run(svc('203.0.113.7', 'annotations:\n      cloud.google.com/load-balancer-type: Internal')).length, 0);
    assert.equal(run(svc('203.0.113.7'), false).length, 0);
  });
});
