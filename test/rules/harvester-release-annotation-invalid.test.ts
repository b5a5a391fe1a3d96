import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';
import { parseReleaseAnnotation } from '../../shared/src/harvester/ranges.js';

const ID = 'harvester-release-annotation-invalid';
const pool = (value: string, allocated = '{"192.168.5.12": default/cluster1-lb-3}') => yaml`
  apiVersion: loadbalancer.harvesterhci.io/v1beta1
  kind: IPPool
  metadata:
    name: p
    annotations:
      loadbalancer.harvesterhci.io/manuallyReleaseIP: ${JSON.stringify(value)}
  spec:
    ranges: [{subnet: 192.168.5.0/24}]
  status:
    allocated: ${allocated}
`;
const run = (files: Record<string, string>) => ofRule(lintYaml(files), ID);

describe(ID, () => {
  test('SplitIPAllocatedString, exactly', () => {
    assert.deepEqual(parseReleaseAnnotation(' 192.168.5.12: default/lb '), { ok: true, ip: '192.168.5.12', namespace: 'default', name: 'lb' });
    assert.deepEqual(parseReleaseAnnotation('192.168.5.12 : default/lb'), { ok: true, ip: '192.168.5.12 ', namespace: 'default', name: 'lb' });
    assert.equal(parseReleaseAnnotation('fd00::1: default/lb').ok, false);
    assert.equal(parseReleaseAnnotation('192.168.5.12: default/a/b').ok, false);
  });

  test('a valid request for a deleted LoadBalancer is fine', () => {
    assert.deepEqual(run({ 'p.yaml': pool('192.168.5.12: default/cluster1-lb-3') }), []);
  });

  test('unparsable value: at the annotation value, says the annotation is removed silently', () => {
    const [f] = run({ 'p.yaml': pool('192.168.5.12 default/cluster1-lb-3') });
    assert.match(f.message, /cannot parse/);
    assert.match(f.message, /removes the annotation anyway, releases nothing and only logs it/);
    assert.equal(where(f), 'p.yaml:6:53-6:89');
  });

  test('IPv6 cannot be released this way', () => {
    const [f] = run({ 'p.yaml': pool('fd00::12: default/lb') });
    assert.match(f.message, /IPv6 address cannot be released/);
  });

  test('a space before the colon keeps the IP from matching', () => {
    const [f] = run({ 'p.yaml': pool('192.168.5.12 : default/cluster1-lb-3') });
    assert.match(f.message, /no space before the colon/);
  });

  test('IP not allocated, or allocated to another LoadBalancer', () => {
    const [a] = run({ 'p.yaml': pool('192.168.5.13: default/cluster1-lb-3') });
    assert.match(a.message, /not in this pool's status\.allocated \("it has been released, skip"\)/);
    const [b] = run({ 'p.yaml': pool('192.168.5.12: default/other') });
    assert.match(b.message, /allocated to default\/cluster1-lb-3, not default\/other/);
  });

  test('the LoadBalancer still exists', () => {
    const lb = yaml`
      apiVersion: loadbalancer.harvesterhci.io/v1beta1
      kind: LoadBalancer
      metadata: { name: cluster1-lb-3, namespace: default }
      spec: { ipam: pool }
    `;
    const [f] = run({ 'p.yaml': pool('192.168.5.12: default/cluster1-lb-3'), 'lb.yaml': lb });
    assert.match(f.message, /still exists \("the lb default\/cluster1-lb-3 is still existing, skip"\)/);
  });
});
