import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const ID = 'pool-network-address';
const pool = (addresses: string, extra = '') => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: lan
    namespace: metallb-system
  spec:${extra}
    addresses:
      - ${addresses}
`;
const run = (files: Record<string, string>, opts: Parameters<typeof lintYaml>[1] = {}) => ofRule(lintYaml(files, opts), ID);

describe(ID, () => {
  test('ranges inside .1–.254, /31, /32 and IPv6 are fine', () => {
    for (const a of ['192.168.1.1-192.168.1.254', '192.168.1.0/31', '192.168.1.0/32', '192.168.1.16/28', 'fc00::/120']) {
      assert.deepEqual(run({ 'p.yaml': pool(a) }), [], a);
    }
  });

  test('avoidBuggyIPs: true silences it', () => {
    assert.deepEqual(run({ 'p.yaml': pool('192.168.1.0/24', '\n    avoidBuggyIPs: true') }), []);
  });

  test('a /24: info at the entry, network address first, fix adds avoidBuggyIPs next to addresses', () => {
    const text = pool('192.168.1.0/24');
    const [f] = run({ 'p.yaml': text });
    assert.equal(f.severity, 'info');
    assert.match(f.message, /hands out 192\.168\.1\.0 and 192\.168\.1\.255/);
    assert.match(f.message, /192\.168\.1\.0 first/);
    assert.equal(where(f), 'p.yaml:8:7-8:21');
    const fixed = applyFix(text, f.fixes![0]);
    assert.match(fixed, /spec:\n {2}avoidBuggyIPs: true\n {2}addresses:\n/);
    assert.deepEqual(run({ 'p.yaml': fixed }), []);
  });

  test('avoidBuggyIPs: false is rewritten in place', () => {
    const text = pool('192.168.1.0/24', '\n    avoidBuggyIPs: false');
    const [f] = run({ 'p.yaml': text });
    assert.match(applyFix(text, f.fixes![0]), /avoidBuggyIPs: true\n {2}addresses:/);
  });

  test('a range crossing a .255/.0 boundary', () => {
    const [f] = run({ 'p.yaml': pool('10.0.0.200-10.0.1.20') });
    assert.match(f.message, /10\.0\.0\.255 and 10\.0\.1\.0/);
  });

  test('0.13.0–0.13.3 lack the field: no fix, says so', () => {
    const [f] = run({ 'p.yaml': pool('192.168.1.0/24') }, { metallbVersion: '0.13.2' });
    assert.match(f.message, /lacks avoidBuggyIPs/);
    assert.equal(f.fixes, undefined);
  });

  test('an IP in use: ≥0.14.2 re-allocates, ≤0.13 goes stale', () => {
    const state = {
      's.yaml': yaml`
        apiVersion: v1
        kind: Service
        metadata: { name: web, namespace: default }
        spec: { type: LoadBalancer }
        status: { loadBalancer: { ingress: [ { ip: 192.168.1.0 } ] } }
      `,
    };
    const [f] = run({ 'p.yaml': pool('192.168.1.0/24') }, { state });
    assert.match(f.message, /192\.168\.1\.0 \(default\/web\) in use/);
    assert.match(f.message, /re-allocates/);
    const [g] = run({ 'p.yaml': pool('192.168.1.0/24') }, { state, metallbVersion: '0.13.12' });
    assert.match(g.message, /stale/);
  });

  test('ConfigMap pool: avoid-buggy-ips added inside the embedded config', () => {
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
            - 198.51.100.0/24
    `;
    const [f] = run({ 'cm.yaml': text }, { metallbVersion: '0.12.1' });
    assert.match(f.message, /avoid-buggy-ips: true/);
    const fixed = applyFix(text, f.fixes![0]);
    assert.match(fixed, /protocol: layer2\n {6}avoid-buggy-ips: true\n {6}addresses:/);
    assert.deepEqual(run({ 'cm.yaml': fixed }, { metallbVersion: '0.12.1' }), []);
  });
});
