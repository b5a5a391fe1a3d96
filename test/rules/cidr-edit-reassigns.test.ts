import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lintYaml, ofRule, where, yaml } from '../helpers/lintYaml.js';

const RULE = 'cidr-edit-reassigns';

const pool = (addresses: string, name = 'prod') => yaml`
  apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    name: ${name}
    namespace: metallb-system
  spec:
    addresses:
      - ${addresses}
`;

const svc = (name: string, ip?: string) => yaml`
  apiVersion: v1
  kind: Service
  metadata:
    name: ${name}
    namespace: apps
  spec:
    type: LoadBalancer
    clusterIPs: ["10.96.0.10"]
    ports: [{port: 80, protocol: TCP}]
  ${ip ? `status:\n    loadBalancer:\n      ingress:\n        - ip: ${ip}` : ''}
`;

const run = (now: Record<string, string>, before: Record<string, string>, opts: { state?: Record<string, string>; metallbVersion?: string } = {}) =>
  ofRule(lintYaml(now, { baseline: before, ...opts }), RULE);

describe(RULE, () => {
  test('seed 002: a CIDR shrunk under a held IP moves the Service (≥0.14.2), named with its new IP', () => {
    const before = { 'pool.yaml': pool('192.168.10.0/24'), 'svc.yaml': svc('web', '192.168.10.200') };
    const now = { 'pool.yaml': pool('192.168.10.0/25'), 'svc.yaml': svc('web', '192.168.10.200') };
    const [f, ...rest] = run(now, before, { metallbVersion: '0.14.5' });
    assert.equal(rest.length, 0);
    assert.equal(f.severity, 'error');
    assert.equal(where(f), 'pool.yaml:8:7-8:22');
    assert.match(f.message, /removes 192\.168\.10\.128\/25 \(128 addresses\)/);
    assert.match(f.message, /apps\/web 192\.168\.10\.200 → 192\.168\.10\.0 \(pool prod\)/);
    const moves = f.data?.moves as { service: string; from: string; to: string | null; pool: string | null }[];
    assert.equal(moves[0].service, 'apps/web');
    assert.equal(moves[0].from, '192.168.10.200');
    assert.equal(moves[0].to, '192.168.10.0');
    assert.equal(moves[0].pool, 'prod');
  });

  test('≤0.13: the config goes stale, with MetalLB\'s message', () => {
    const before = { 'pool.yaml': pool('192.168.10.0/24'), 'svc.yaml': svc('web', '192.168.10.200') };
    const now = { 'pool.yaml': pool('192.168.10.0/25'), 'svc.yaml': svc('web', '192.168.10.200') };
    const [f] = run(now, before, { metallbVersion: '0.13.12' });
    assert.match(f.message, /new config not compatible with assigned IPs: service "apps\/web" cannot own \["192\.168\.10\.200"\] under new config/);
    assert.match(f.message, /keeps running on the old pools/);
  });

  test('IPs from the state file; a Service that cannot be re-allocated goes Pending', () => {
    const before = { 'pool.yaml': pool('192.168.10.0/30') };
    const now = { 'pool.yaml': pool('192.168.10.0/31') };
    const state = { 'state.yaml': [svc('a', '192.168.10.0'), svc('b', '192.168.10.1'), svc('c', '192.168.10.2')].join('---\n') };
    const [f] = run(now, before, { state });
    assert.match(f.message, /apps\/c 192\.168\.10\.2 → Pending/);
    assert.equal((f.data?.moves as unknown[]).length, 1);
  });

  test('deleted pool: pointed at its name, in-use IPs named', () => {
    const before = { 'pool.yaml': `${pool('192.168.10.0/24')}---\n${pool('192.168.20.0/24', 'lab')}`, 'svc.yaml': svc('web', '192.168.20.5') };
    const now = { 'pool.yaml': pool('192.168.10.0/24'), 'svc.yaml': svc('web', '192.168.20.5') };
    const [f] = run(now, before);
    assert.match(f.message, /Deleting pool lab removes 192\.168\.20\.0\/24/);
    assert.match(f.message, /apps\/web 192\.168\.20\.5 → 192\.168\.10\.0 \(pool prod\)/);
  });

  test('no state and no status IPs: a warning naming the removed range (BigInt sizes)', () => {
    const before = { 'pool.yaml': pool('fd00:10::/64') };
    const now = { 'pool.yaml': pool('fd00:10::/65') };
    const [f] = run(now, before);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /removes fd00:10:0:0:8000::\/65 \(9223372036854775808 addresses\)/);
    assert.match(f.message, /--state/);
  });

  test('quiet for growing a pool, unchanged pools, state without holders in the range, and without a baseline', () => {
    const before = { 'pool.yaml': pool('192.168.10.0/25'), 'svc.yaml': svc('web', '192.168.10.5') };
    assert.equal(run({ 'pool.yaml': pool('192.168.10.0/24'), 'svc.yaml': svc('web', '192.168.10.5') }, before).length, 0);
    assert.equal(run(before, before).length, 0);
    assert.equal(run({ 'pool.yaml': pool('192.168.10.0/26') }, { 'pool.yaml': pool('192.168.10.0/25') }, { state: { 's.yaml': svc('web', '192.168.10.5') } }).length, 0);
    assert.equal(ofRule(lintYaml({ 'pool.yaml': pool('192.168.10.0/26') }), RULE).length, 0);
  });
});
