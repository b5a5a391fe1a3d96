import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, yaml } from '../helpers/lintYaml.js';

const ID = 'harvester-pool-overlap';
const pool = (name: string, ranges: string, selector = '{}') => yaml`
  apiVersion: loadbalancer.harvesterhci.io/v1beta1
  kind: IPPool
  metadata:
    name: ${name}
  spec:
    ranges: ${ranges}
    selector: ${selector}
`;
const run = (files: Record<string, string>) => ofRule(lintYaml(files), ID);

describe(ID, () => {
  test('disjoint pools with distinct priorities are fine', () => {
    assert.deepEqual(
      run({
        'a.yaml': pool('a', '[{subnet: 192.168.10.0/24}]', '{priority: 1}'),
        'b.yaml': pool('b', '[{subnet: 192.168.11.0/24}]', '{priority: 2}'),
      }),
      [],
    );
  });

  test('ranges overlapping inside a pool (after defaults)', () => {
    const [f] = run({ 'a.yaml': pool('a', '[{subnet: 192.168.100.0/24}, {subnet: 192.168.100.0/24, rangeStart: 192.168.100.10, rangeEnd: 192.168.100.20}]') });
    assert.match(f.message, /there are overlaps between range 192\.168\.100\.1-192\.168\.100\.254 .* and 192\.168\.100\.10-192\.168\.100\.20/);
  });

  test('disjoint ranges in one subnet are fine', () => {
    assert.deepEqual(
      run({ 'a.yaml': pool('a', '[{subnet: 192.168.100.0/24, rangeStart: 192.168.100.10, rangeEnd: 192.168.100.20}, {subnet: 192.168.100.0/24, rangeStart: 192.168.100.30, rangeEnd: 192.168.100.40}]') }),
      [],
    );
  });

  test('ranges overlapping another pool, related to it', () => {
    const f = run({
      'a.yaml': pool('a', '[{subnet: 192.168.100.0/24, rangeStart: 192.168.100.10, rangeEnd: 192.168.100.20}]'),
      'b.yaml': pool('b', '[{subnet: 192.168.100.0/24}]'),
    });
    assert.equal(f.length, 1);
    assert.equal(f[0].file, 'b.yaml');
    assert.match(f[0].message, /overlap with other pools/);
    assert.equal(f[0].related?.[0].file, 'a.yaml');
  });

  test('equal non-zero priorities; zero is not compared', () => {
    const f = run({
      'a.yaml': pool('a', '[{subnet: 192.168.10.0/24}]', '{priority: 1}'),
      'b.yaml': pool('b', '[{subnet: 192.168.11.0/24}]', '{priority: 1}'),
      'c.yaml': pool('c', '[{subnet: 192.168.12.0/24}]'),
      'd.yaml': pool('d', '[{subnet: 192.168.13.0/24}]'),
    });
    assert.equal(f.length, 1);
    assert.match(f[0].message, /the priority can't be the same as the pool a/);
  });

  test('a second global pool (same network)', () => {
    const scope = '{scope: [{project: "*", namespace: "*", guestCluster: "*"}]}';
    const f = run({ 'a.yaml': pool('a', '[{subnet: 192.168.10.0/24}]', scope), 'b.yaml': pool('b', '[{subnet: 192.168.11.0/24}]', scope) });
    assert.equal(f.length, 1);
    assert.match(f[0].message, /there is already a global IP pool: a/);
  });
});
