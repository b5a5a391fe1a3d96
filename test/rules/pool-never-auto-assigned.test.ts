import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'pool-never-auto-assigned';
const pool = (spec: string) => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: p
    namespace: metallb-system
  spec:
    addresses: [10.0.0.0/24]
${spec}
`;
const run = (files: Record<string, string>, version?: string) => ofRule(lintYaml(files, { metallbVersion: version }), ID);

describe(ID, () => {
  test('a plain pool is fine', () => {
    assert.deepEqual(run({ 'p.yaml': pool('') }), []);
  });

  test('autoAssign: false is info, at the field, with the version\'s annotation prefix', () => {
    const [f] = run({ 'p.yaml': pool('    autoAssign: false') });
    assert.equal(f.severity, 'info');
    assert.match(f.message, /metallb\.io\/address-pool/);
    assert.equal(where(f), 'p.yaml:8:15-8:20');
    const [g] = run({ 'p.yaml': pool('    autoAssign: false') }, '0.14.8');
    assert.match(g.message, /metallb\.universe\.tf\/address-pool/);
  });

  test('priority-only serviceAllocation: never auto-assigned on 0.13.9–0.14.9, fine from 0.15', () => {
    const text = pool('    serviceAllocation:\n      priority: 10');
    const [f] = run({ 'p.yaml': text }, '0.14.9');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /from 0\.15\.0 it matches every Service/);
    assert.deepEqual(run({ 'p.yaml': text }, '0.15.0'), []);
    assert.deepEqual(run({ 'p.yaml': text }, '0.13.7'), []);
  });

  test('namespaceSelectors matching no known Namespace', () => {
    const text = pool('    serviceAllocation:\n      namespaceSelectors:\n        - matchLabels: { team: web }');
    const ns = (labels: string) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  labels: ${labels}\n`;
    const [f] = run({ 'p.yaml': text, 'ns.yaml': ns('{ team: db }') });
    assert.match(f.message, /No Namespace among the 1 known matches/);
    assert.deepEqual(run({ 'p.yaml': text, 'ns.yaml': ns('{ team: web }') }), []);
    assert.deepEqual(run({ 'p.yaml': text }), [], 'no Namespaces known: nothing certain');
  });
});
