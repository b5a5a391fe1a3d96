import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'pool-invalid-address';
const pool = (addresses: string) => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: prod
    namespace: metallb-system
  spec:
    addresses:
  ${addresses}
`;
const run = (text: string, version?: string) => ofRule(lintYaml({ 'pool.yaml': text }, { metallbVersion: version }), ID);

describe(ID, () => {
  test('valid CIDRs and ranges are fine', () => {
    assert.deepEqual(run(pool('    - 10.0.0.0/24\n    - 10.0.1.10 - 10.0.1.20\n    - fc00::/120')), []);
  });

  test('bare IP: MetalLB message, range at the value, fix to /32', () => {
    const text = pool('    - 10.0.0.5');
    const [f] = run(text);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /invalid CIDR "10\.0\.0\.5"/);
    assert.match(f.message, /10\.0\.0\.5\/32/);
    assert.match(f.message, /webhook denies/);
    assert.equal(where(f), 'pool.yaml:8:7-8:15');
    assert.match(applyFix(text, f.fixes![0]), /- 10\.0\.0\.5\/32\n/);
  });

  test('spaces inside a CIDR are not trimmed', () => {
    const text = pool('    - " 10.0.0.0/24"');
    const [f] = run(text);
    assert.match(f.message, /invalid CIDR " 10\.0\.0\.0\/24"/);
    assert.match(f.message, /does not trim spaces/);
    assert.match(applyFix(text, f.fixes![0]), /- "10\.0\.0\.0\/24"/);
  });

  test('reversed range: exact MetalLB message and a swap fix', () => {
    const text = pool('    - 10.0.0.20-10.0.0.10');
    const [f] = run(text);
    assert.match(f.message, /invalid IP range "10\.0\.0\.20-10\.0\.0\.10": start IP "10\.0\.0\.20" is after the end IP "10\.0\.0\.10"/);
    assert.match(applyFix(text, f.fixes![0]), /- 10\.0\.0\.10-10\.0\.0\.20\n/);
  });

  test('bad start IP in a range', () => {
    const [f] = run(pool('    - 10.0.0.300-10.0.0.310'));
    assert.match(f.message, /invalid IP range "10\.0\.0\.300-10\.0\.0\.310": invalid start IP "10\.0\.0\.300"/);
    assert.equal(f.fixes, undefined);
  });

  test('empty addresses: pool has no prefixes defined', () => {
    const [f] = run(yaml`
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: empty
      spec:
        addresses: []
    `);
    assert.match(f.message, /pool has no prefixes defined/);
    assert.equal(where(f), 'pool.yaml:6:14-6:16');
  });

  test('missing addresses: the CRD requires them', () => {
    const [f] = run(yaml`
      apiVersion: metallb.io/v1beta1
      kind: IPAddressPool
      metadata:
        name: none
      spec:
        autoAssign: false
    `);
    assert.match(f.message, /requires the field/);
  });

  test('ConfigMap pools (≤0.12): consequence is the ConfigMap config, position inside the block', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: config
        namespace: metallb-system
      data:
        config: |
          address-pools:
          - name: default
            protocol: layer2
            addresses:
            - 192.168.1.240/33
    `;
    const [f] = ofRule(lintYaml({ 'cm.yaml': text }, { metallbVersion: '0.12.1' }), ID);
    assert.match(f.message, /invalid CIDR "192\.168\.1\.240\/33"/);
    assert.match(f.message, /≤0\.12 rejects the whole ConfigMap/);
    assert.equal(where(f), 'cm.yaml:12:9-12:25');
  });
});

test(`${ID}: Flux/Helm placeholders are not checked`, () => {
  assert.deepEqual(run(pool('    - ${LB_CIDR}\n    - "{{ .Values.cidr }}"')), []);
});
