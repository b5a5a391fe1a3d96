import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'pool-host-bits';
const pool = (a: string) => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: lan
    namespace: metallb-system
  spec:
    addresses:
      - ${a}
`;
const run = (text: string) => ofRule(lintYaml({ 'p.yaml': text }), ID);

describe(ID, () => {
  test('network-aligned CIDRs and ranges are fine', () => {
    assert.deepEqual(run(pool('192.168.1.0/24')), []);
    assert.deepEqual(run(pool('192.168.1.5-192.168.1.9')), []);
    assert.deepEqual(run(pool('192.168.1.5/32')), []);
  });

  test('host bits: what MetalLB reads, the alternative, a fix to the masked CIDR', () => {
    const text = pool('192.168.1.5/24');
    const [f] = run(text);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /reads it as 192\.168\.1\.0\/24/);
    assert.match(f.message, /256 addresses from 192\.168\.1\.0 to 192\.168\.1\.255/);
    assert.match(f.message, /192\.168\.1\.5-192\.168\.1\.255/);
    assert.equal(where(f), 'p.yaml:8:7-8:21');
    assert.equal(f.fixes?.length, 1);
    assert.match(applyFix(text, f.fixes![0]), /- 192\.168\.1\.0\/24\n/);
  });

  test('IPv6 host bits, huge sizes as powers of two', () => {
    const [f] = run(pool('fc00::5/64'));
    assert.match(f.message, /reads it as fc00::\/64/);
    assert.match(f.message, /2\^64 addresses/);
  });
});
