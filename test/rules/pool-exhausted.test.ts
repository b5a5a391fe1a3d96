import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';
import { usageLevel, usagePercent } from '../../shared/src/rules/support/usageLevels.js';

const ID = 'pool-exhausted';
const pool = (addresses: string, extra = '') => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: p
    namespace: metallb-system
  spec:
    addresses: [${addresses}]${extra}
`;
const services = (n: number) =>
  Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: default}\nspec: {type: LoadBalancer, ports: [{port: 80}], clusterIPs: [10.96.0.${i + 1}]}\n`).join('---\n');
const run = (files: Record<string, string>) => ofRule(lintYaml(files), ID);

describe(ID, () => {
  test('levels are BigInt-safe', () => {
    assert.equal(usageLevel(0n, 0n), 'ok');
    assert.equal(usageLevel(85n, 100n), 'high');
    assert.equal(usageLevel(95n, 100n), 'critical');
    assert.equal(usageLevel(100n, 100n), 'full');
    assert.equal(usagePercent(1n << 63n, 1n << 64n), 50);
  });

  test('plenty of room: nothing', () => {
    assert.deepEqual(run({ 'p.yaml': pool('10.0.0.0/24'), 's.yaml': services(3) }), []);
  });

  test('full with a Service pending: error at the pool, MetalLB\'s message, the Service named', () => {
    const [f] = run({ 'p.yaml': pool('10.0.0.0/31'), 's.yaml': services(3) });
    assert.equal(f.severity, 'error');
    assert.match(f.message, /2 of 2 IPv4 addresses in use \(100%\)/);
    assert.match(f.message, /1 Service stays <pending> \(default\/s2\)/);
    assert.match(f.message, /no available IPs/);
    assert.equal(where(f), 'p.yaml:7:3-7:12');
  });

  test('full without anything pending yet: warning', () => {
    const [f] = run({ 'p.yaml': pool('10.0.0.0/31'), 's.yaml': services(2) });
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /is full/);
  });

  test('avoidBuggyIPs counted as MetalLB counts it: .0 and .255 are not capacity', () => {
    // 10.0.0.0/30 with avoidBuggyIPs: 3 usable (.1 .2 .3); 3 Services fill it.
    const [f] = run({ 'p.yaml': pool('10.0.0.0/30', '\n    avoidBuggyIPs: true'), 's.yaml': services(3) });
    assert.match(f.message, /3 of 3 IPv4 addresses in use \(100%, \.0\/\.255 excluded by avoidBuggyIPs\)/);
  });

  test('85% is info, 95% a warning', () => {
    // /28 = 16 addresses: 14 in use = 87%, 16 - 1 = 15 = 93% (info), a /27 with 31 = 96% (warning)
    const [i] = run({ 'p.yaml': pool('10.0.0.0/28'), 's.yaml': services(14) });
    assert.equal(i.severity, 'info');
    const [w] = run({ 'p.yaml': pool('10.0.0.0/27'), 's.yaml': services(31) });
    assert.equal(w.severity, 'warning');
    assert.match(w.message, /nearly full/);
  });
});
