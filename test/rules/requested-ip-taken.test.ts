import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'requested-ip-taken';

const svc = (name: string, ip: string, opts: { key?: string; port?: number; protocol?: string; local?: string; status?: string } = {}) => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: ${name}
    namespace: dns
    annotations:
      metallb.io/loadBalancerIPs: ${ip}
      ${opts.key ? `metallb.io/allow-shared-ip: ${opts.key}` : 'x: y'}
  spec:
    type: LoadBalancer
    ${opts.local ? `externalTrafficPolicy: Local\n    selector: {app: ${opts.local}}` : 'selector: {app: dns}'}
    ports:
      - port: ${opts.port ?? 53}
        protocol: ${opts.protocol ?? 'UDP'}
  ${opts.status ? `status:\n    loadBalancer:\n      ingress:\n        - ip: ${opts.status}` : ''}
`;

const run = (files: Record<string, string>, state?: Record<string, string>) => ofRule(lintYaml(files, { state }), RULE);

/** A UDP/53 Service in dns that holds `ip` in its status. */
function holder(name: string, ip: string): string {
  return yaml`
    apiVersion: v1
    kind: Service
    metadata:
      name: ${name}
      namespace: dns
    spec:
      type: LoadBalancer
      ports: [{port: 53, protocol: UDP}]
    status:
      loadBalancer:
        ingress:
          - ip: ${ip}
  `;
}

describe(RULE, () => {
  test('two requesters without a sharing key: both reported, MetalLB\'s words, related to the other', () => {
    const fs = run({ 'a.yaml': svc('a', '192.168.10.53', { protocol: 'TCP' }), 'b.yaml': svc('b', '192.168.10.53') });
    assert.equal(fs.length, 2);
    const a = fs.find((f) => f.file === 'a.yaml')!;
    assert.equal(where(a), 'a.yaml:7:33-7:46');
    assert.match(a.message, /can't change sharing key for "dns\/a", address also in use by dns\/b/);
    assert.match(a.message, /whichever MetalLB processes first/);
    assert.equal(a.related?.[0].file, 'b.yaml');
    assert.equal(a.related?.[0].range.start.line, 7);
  });

  test('same key, same port and protocol: port already in use', () => {
    const fs = run({ 'a.yaml': svc('a', '192.168.10.53', { key: 'dns' }), 'b.yaml': svc('b', '192.168.10.53', { key: 'dns' }) });
    assert.equal(fs.length, 2);
    assert.match(fs[0].message, /port UDP\/53 is already in use on "192\.168\.10\.53"/);
  });

  test('compatible sharing (TCP/53 + UDP/53, same key) is fine', () => {
    assert.equal(run({ 'a.yaml': svc('a', '192.168.10.53', { key: 'dns', protocol: 'TCP' }), 'b.yaml': svc('b', '192.168.10.53', { key: 'dns' }) }).length, 0);
  });

  test('backend keys differ (Local with different selectors)', () => {
    const fs = run({
      'a.yaml': svc('a', '192.168.10.53', { key: 'dns', protocol: 'TCP', local: 'x' }),
      'b.yaml': svc('b', '192.168.10.53', { key: 'dns', local: 'y' }),
    });
    assert.equal(fs.length, 2);
    assert.match(fs[0].message, /backend keys differ/);
  });

  test('a holder (status) keeps its IP; only the newcomer is reported, as Pending', () => {
    const fs = run({ 'a.yaml': svc('a', '192.168.10.53', { status: '192.168.10.53', protocol: 'TCP' }), 'b.yaml': svc('b', '192.168.10.53') });
    assert.equal(fs.length, 1);
    assert.equal(fs[0].file, 'b.yaml');
    assert.match(fs[0].message, /dns\/a already holds 192\.168\.10\.53, so this Service stays Pending/);
  });

  test('a holder from the state file', () => {
    const state = holder('old', '192.168.10.53');
    const fs = run({ 'b.yaml': svc('b', '192.168.10.53') }, { 'state.yaml': state });
    assert.equal(fs.length, 1);
    assert.match(fs[0].message, /dns\/old already holds/);
    assert.equal(run({ 'b.yaml': svc('b', '192.168.10.54') }, { 'state.yaml': state }).length, 0);
  });

  test('holders are claimed only at requested IPs: the holder of the requested one is named (its status entry related), holders of other IPs change nothing', () => {
    const files = { 'h.yaml': holder('h', '192.168.10.53'), 'o.yaml': holder('o', '192.168.10.60'), 'r.yaml': svc('r', '192.168.10.53') };
    const fs = run(files);
    assert.equal(fs.length, 1);
    assert.equal(fs[0].file, 'r.yaml');
    assert.match(fs[0].message, /dns\/h already holds 192\.168\.10\.53, so this Service stays Pending/);
    assert.deepEqual(fs[0].related?.map((r) => `${r.file}:${r.range.start.line}`), ['h.yaml:12']);
    // Without a request nothing is reported, however many IPs are held.
    assert.equal(run({ 'h.yaml': holder('h', '192.168.10.53'), 'h2.yaml': holder('h2', '192.168.10.53') }).length, 0);
  });
});
