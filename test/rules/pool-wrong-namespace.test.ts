import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'pool-wrong-namespace';
const pool = (name: string, ns?: string) => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: ${name}${ns ? `\n    namespace: ${ns}` : ''}
  spec:
    addresses: [10.0.${name.length}.0/24]
`;

describe(ID, () => {
  test('pools in MetalLB\'s namespace, or without one, are fine', () => {
    assert.deepEqual(ofRule(lintYaml({ 'a.yaml': pool('a', 'metallb-system'), 'b.yaml': pool('bb') }), ID), []);
  });

  test('a pool elsewhere: ignored by the controller, refused by the webhook, fix moves it', () => {
    const files = { 'a.yaml': pool('a', 'metallb-system'), 'b.yaml': pool('bb', 'default') };
    const [f] = ofRule(lintYaml(files, { metallbNamespace: 'metallb-system' }), ID);
    assert.equal(f.severity, 'error');
    assert.match(f.message, /resource must be created in metallb-system namespace/);
    assert.equal(where(f), 'b.yaml:5:14-5:21');
    assert.match(applyFix(files['b.yaml'], f.fixes![0]), /namespace: metallb-system/);
  });

  test('the configured namespace wins over the inferred one', () => {
    const f = ofRule(lintYaml({ 'a.yaml': pool('a', 'metallb') }, { metallbNamespace: 'metallb-system' }), ID);
    assert.equal(f.length, 1);
    assert.match(f[0].message, /runs in "metallb-system"/);
  });

  test('a ≤0.12 ConfigMap in another namespace is reported once, at the ConfigMap', () => {
    const text = yaml`
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: config
        namespace: kube-system
      data:
        config: |
          address-pools:
          - name: a
            protocol: layer2
            addresses: [10.0.0.0/24]
          - name: b
            protocol: layer2
            addresses: [10.0.1.0/24]
    `;
    const f = ofRule(lintYaml({ 'cm.yaml': text }, { metallbVersion: '0.12.1', metallbNamespace: 'metallb-system' }), ID);
    assert.equal(f.length, 1);
    assert.match(f[0].message, /reads its ConfigMap only from its own namespace/);
    assert.equal(f[0].range.start.line, 5);
  });
});
