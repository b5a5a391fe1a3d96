import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'pool-random-choice';
const pool = (name: string, addresses: string, extra = '') => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: ${name}
    namespace: metallb-system
  spec:
    addresses: [${addresses}]${extra}
`;
const svc = (name: string, ns = 'default') => yaml`
  apiVersion: v1
  kind: Service
  metadata: { name: ${name}, namespace: ${ns} }
  spec: { type: LoadBalancer, ports: [{ port: 80 }], clusterIPs: [10.96.0.10] }
`;
const run = (files: Record<string, string>, version?: string) => ofRule(lintYaml(files, { metallbVersion: version }), ID);

describe(ID, () => {
  test('one global pool per family is fine; autoAssign false pools do not count', () => {
    assert.deepEqual(run({ 'a.yaml': pool('a', '10.0.0.0/24'), 'b.yaml': pool('b', 'fc00::/120') }), []);
    assert.deepEqual(run({ 'a.yaml': pool('a', '10.0.0.0/24'), 'b.yaml': pool('b', '10.0.1.0/24', '\n    autoAssign: false') }), []);
  });

  test('two global IPv4 pools: a warning on each, related to the other, naming the Services when simulated', () => {
    const f = run({ 'a.yaml': pool('a', '10.0.0.0/24'), 'b.yaml': pool('b', '10.0.1.0/24'), 's.yaml': svc('web') });
    assert.equal(f.length, 2);
    assert.equal(where(f[0]), 'a.yaml:4:9-4:10');
    assert.match(f[0].message, /Go map order/);
    assert.match(f[0].message, /new IPv4 Service may get its IP from IPAddressPool "a" or from "b"/);
    assert.equal(f[0].related?.[0].file, 'b.yaml');
    assert.match(f[0].message, /default\/web/);
  });

  test('pinned pools with distinct priorities are fine; equal priorities on a shared namespace are not', () => {
    const sa = (prio: number) => `\n    serviceAllocation:\n      priority: ${prio}\n      namespaces: [default]`;
    assert.deepEqual(run({ 'a.yaml': pool('a', '10.0.0.0/24', sa(1)), 'b.yaml': pool('b', '10.0.1.0/24', sa(2)) }), []);
    const f = run({ 'a.yaml': pool('a', '10.0.0.0/24', sa(1)), 'b.yaml': pool('b', '10.0.1.0/24', sa(1)) });
    assert.equal(f.length, 2);
    assert.match(f[0].message, /equal priority \(1\)/);
  });

  test('pools outside MetalLB\'s namespace are not read', () => {
    const other = pool('b', '10.0.1.0/24').replace('namespace: metallb-system', 'namespace: elsewhere');
    assert.deepEqual(run({ 'a.yaml': pool('a', '10.0.0.0/24'), 'b.yaml': pool('c', '10.0.2.0/24', '\n    autoAssign: false'), 'o.yaml': other }).length, 0);
  });
});
