import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lint } from '../../shared/src/lint/engine.js';
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'harvester-range-invalid';
const pool = (range: string) => yaml`
  apiVersion: loadbalancer.harvesterhci.io/v1beta1
  kind: IPPool
  metadata:
    name: p
  spec:
    ranges:
      - ${range}
`;
const run = (text: string) => ofRule(lintYaml({ 'p.yaml': text }), ID);

describe(ID, () => {
  test('a plain subnet, or a range inside it, is fine', () => {
    assert.deepEqual(run(pool('subnet: 192.168.5.0/24')), []);
    assert.deepEqual(run(pool('{subnet: 192.168.5.0/24, rangeStart: 192.168.5.10, rangeEnd: 192.168.5.20, gateway: 192.168.5.1}')), []);
    assert.deepEqual(run(pool('subnet: 192.168.5.7/32')), []);
  });

  test('subnet not a CIDR', () => {
    const [f] = run(pool('subnet: 192.168.5.0'));
    assert.equal(f.severity, 'error');
    assert.match(f.message, /subnet "192\.168\.5\.0" is not a CIDR/);
    assert.equal(where(f), 'p.yaml:7:15-7:26');
  });

  test('rangeStart out of subnet, network and broadcast addresses: Harvester\'s messages at the field', () => {
    const [a] = run(pool('{subnet: 192.168.5.0/24, rangeStart: 192.168.6.10}'));
    assert.match(a.message, /IP 192\.168\.6\.10 is out of subnet 192\.168\.5\.0\/24/);
    assert.match(a.message, /can't create IP pool p because invalid range start 192\.168\.6\.10: IP 192\.168\.6\.10 is out of subnet/);
    const [b] = run(pool('{subnet: 192.168.5.0/24, rangeEnd: 192.168.5.255}'));
    assert.match(b.message, /IP 192\.168\.5\.255 is the broadcast address/);
    const [c] = run(pool('{subnet: 192.168.5.0/24, gateway: 192.168.5.0}'));
    assert.match(c.message, /IP 192\.168\.5\.0 is the network address/);
  });

  test('host-bit subnet masked (fix), swapped bounds (fix), default gateway inside a written range (info)', () => {
    const text = pool('subnet: 192.168.5.7/24');
    const [h] = run(text);
    assert.equal(h.severity, 'warning');
    assert.match(h.message, /uses 192\.168\.5\.0\/24/);
    assert.match(applyFix(text, h.fixes![0]), /subnet: 192\.168\.5\.0\/24/);

    const swapped = yaml`
      apiVersion: loadbalancer.harvesterhci.io/v1beta1
      kind: IPPool
      metadata: { name: p }
      spec:
        ranges:
          - subnet: 192.168.5.0/24
            rangeStart: 192.168.5.20
            rangeEnd: 192.168.5.10
            gateway: 192.168.5.1
    `;
    const [s] = run(swapped);
    assert.match(s.message, /swaps them without a word and allocates 192\.168\.5\.10–192\.168\.5\.20/);
    assert.match(applyFix(swapped, s.fixes![0]), /rangeStart: 192\.168\.5\.10\n\s+rangeEnd: 192\.168\.5\.20/);

    const [g] = run(pool('{subnet: 192.168.5.0/24, rangeStart: 192.168.5.1, rangeEnd: 192.168.5.10}'));
    assert.equal(g.severity, 'info');
    assert.match(g.message, /takes 192\.168\.5\.1 as the gateway and never hands it out: this range gives 9 addresses, not 10/);
  });

  test('empty ranges', () => {
    const [f] = run(yaml`
      apiVersion: loadbalancer.harvesterhci.io/v1beta1
      kind: IPPool
      metadata: { name: p }
      spec:
        ranges: []
    `);
    assert.match(f.message, /range can't be empty/);
  });

  test('networking.harvesterhci.io (from Harvester\'s docs) is the wrong group', () => {
    const text = yaml`
      apiVersion: networking.harvesterhci.io/v1beta1
      kind: IPPool
      metadata: { name: p }
      spec:
        ranges: [{ subnet: 192.168.5.0/24 }]
    `;
    const files = [parseManifestText(text, 'p.yaml')];
    const f = ofRule(lint({ files }).findings, ID);
    assert.equal(f.length, 1);
    assert.match(f[0].message, /loadbalancer\.harvesterhci\.io\/v1beta1/);
    assert.equal(where(f[0]), 'p.yaml:1:13-1:47');
    assert.match(applyFix(text, f[0].fixes![0]), /^apiVersion: loadbalancer\.harvesterhci\.io\/v1beta1/);
  });
});
