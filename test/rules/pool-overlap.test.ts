import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'pool-overlap';
const pool = (name: string, addresses: string[], ns = 'metallb-system', kind = 'IPAddressPool') => yaml`
  apiVersion: metallb.io/v1beta1
  kind: ${kind}
  metadata:
    name: ${name}
    namespace: ${ns}
  spec:
    addresses:
${addresses.map((a) => `      - ${a}`).join('\n')}
`;
const run = (files: Record<string, string>, version?: string) => ofRule(lintYaml(files, { metallbVersion: version }), ID);

describe(ID, () => {
  test('disjoint pools are fine', () => {
    assert.deepEqual(run({ 'a.yaml': pool('a', ['10.0.0.0/25']), 'b.yaml': pool('b', ['10.0.0.128/25', 'fc00::/64']) }), []);
  });

  test('a range overlapping a CIDR after summarisation, in MetalLB words, on the later pool, related to the other', () => {
    const f = run({ 'a.yaml': pool('a', ['10.0.0.0/24']), 'b.yaml': pool('b', ['10.0.0.200-10.0.0.210']) });
    assert.equal(f.length, 1);
    assert.equal(f[0].file, 'b.yaml');
    assert.match(f[0].message, /CIDR "10\.0\.0\.200\/29" in pool "b" overlaps with already defined CIDR "10\.0\.0\.0\/24"/);
    assert.match(f[0].message, /webhook denies/);
    assert.equal(where(f[0]), 'b.yaml:8:7-8:28');
    assert.equal(f[0].related?.[0].file, 'a.yaml');
    assert.equal(f[0].related?.[0].range.start.line, 8);
  });

  test('the pool MetalLB reports is the later one by name, whatever the file order', () => {
    const f = run({ 'z.yaml': pool('zeta', ['10.0.0.0/24']), 'a.yaml': pool('alpha', ['10.0.0.5/32']) });
    assert.equal(f.length, 1);
    assert.match(f[0].message, /in pool "zeta" overlaps with already defined CIDR "10\.0\.0\.5\/32"/);
  });

  test('overlap within one pool', () => {
    const [f] = run({ 'a.yaml': pool('a', ['10.0.0.0/24', '10.0.0.10-10.0.0.20']) });
    assert.match(f.message, /an earlier entry of the same pool/);
  });

  test('pools in different namespaces are not read together', () => {
    assert.deepEqual(run({ 'a.yaml': pool('a', ['10.0.0.0/24']), 'b.yaml': pool('b', ['10.0.0.0/24'], 'other') }), []);
  });

  test('IPv4 and IPv6 never overlap', () => {
    assert.deepEqual(run({ 'a.yaml': pool('a', ['::ffff:0:0/96']), 'b.yaml': pool('b', ['fc00::/7']) }), []);
  });

  test('duplicate pool names across IPAddressPool and AddressPool (0.13)', () => {
    const f = run({ 'a.yaml': pool('p', ['10.0.0.0/24']), 'b.yaml': pool('p', ['10.0.1.0/24'], 'metallb-system', 'AddressPool') }, '0.13.12');
    assert.equal(f.length, 1);
    assert.match(f[0].message, /duplicate definition of pool "p"/);
  });

  test('the same CR twice is one object: a warning, and no overlap with itself', () => {
    const f = run({ 'a.yaml': pool('p', ['10.0.0.0/24']), 'b.yaml': pool('p', ['10.0.0.0/24']) });
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'warning');
    assert.match(f[0].message, /defined twice/);
  });

  test('ConfigMap pools: duplicate names and overlaps inside one config', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: config
        namespace: metallb-system
      data:
        config: |
          address-pools:
          - name: a
            protocol: layer2
            addresses:
            - 192.168.1.0/24
          - name: a
            protocol: layer2
            addresses:
            - 192.168.2.0/24
          - name: b
            protocol: layer2
            addresses:
            - 192.168.1.128/25
    `;
    const f = run({ 'cm.yaml': text }, '0.12.1');
    assert.equal(f.length, 2);
    assert.match(f[0].message, /duplicate definition of pool "a"/);
    assert.match(f[1].message, /CIDR "192\.168\.1\.128\/25" in pool "b" overlaps with already defined CIDR "192\.168\.1\.0\/24"/);
    assert.equal(where(f[1]), 'cm.yaml:20:9-20:25');
  });
});
