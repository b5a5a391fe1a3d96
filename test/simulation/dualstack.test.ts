// Dual-stack per policy and version (reference §2.5, §3.5, §3.6; seed 001: PreferDualStack pending).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pool, sim, svc, view, type SvcSpec } from './helpers.js';

const DUAL = ['10.96.0.1', 'fd00::1'];
const V4ONLY = pool('v4', ['192.168.10.0/30']);
const DUALPOOL = pool('both', ['192.168.20.0/30', 'fd00:20::/126']);

function ips(text: string, version: string): string {
  return view(sim(text, { version }))['default/s'];
}

describe('dual-stack', () => {
  const cases: { name: string; pools: string; spec: SvcSpec; expect: Record<string, string> }[] = [
    {
      name: 'seed 001: PreferDualStack with only an IPv4 pool',
      pools: V4ONLY,
      spec: { clusterIPs: DUAL, policy: 'PreferDualStack' },
      expect: { '0.14.8': 'pending: Failed to allocate IP for "default/s": no available IPs', '0.14.9': '192.168.10.0', '0.15.3': '192.168.10.0', '0.16.1': '192.168.10.0' },
    },
    {
      name: 'PreferDualStack, IPv6 primary, only an IPv4 pool: falls back to the secondary family',
      pools: V4ONLY,
      spec: { clusterIPs: ['fd00::1', '10.96.0.1'], policy: 'PreferDualStack', families: ['IPv6', 'IPv4'] },
      expect: { '0.14.9': '192.168.10.0', '0.16.1': '192.168.10.0' },
    },
    {
      name: 'RequireDualStack with only an IPv4 pool stays pending',
      pools: V4ONLY,
      spec: { clusterIPs: DUAL, policy: 'RequireDualStack' },
      expect: { '0.14.8': 'pending: Failed to allocate IP for "default/s": no available IPs', '0.16.1': 'pending: Failed to allocate IP for "default/s": no available IPs' },
    },
    {
      name: 'dual pool gives v4 then v6',
      pools: DUALPOOL,
      spec: { clusterIPs: ['fd00::1', '10.96.0.1'], policy: 'RequireDualStack', families: ['IPv6', 'IPv4'] },
      expect: { '0.14.8': '192.168.20.0,fd00:20::', '0.16.1': '192.168.20.0,fd00:20::' },
    },
    {
      name: 'RequireDualStack with one ClusterIP: refused ≥0.15.0',
      pools: DUALPOOL,
      spec: { clusterIPs: ['10.96.0.1'], policy: 'RequireDualStack' },
      expect: { '0.14.9': '192.168.20.0', '0.15.0': 'pending: Service requires dual stack but not enough clusterips [10.96.0.1]' },
    },
    {
      name: '#2724: PreferDualStack with one ClusterIP gets two IPs only in 0.14.9',
      pools: DUALPOOL,
      spec: { clusterIPs: ['10.96.0.1'], policy: 'PreferDualStack' },
      expect: { '0.14.8': '192.168.20.0', '0.14.9': '192.168.20.0,fd00:20::', '0.15.0': '192.168.20.0' },
    },
    {
      name: 'two ClusterIPs with SingleStack: two IPs ≤0.14.8, fails ≥0.14.9',
      pools: DUALPOOL,
      spec: { clusterIPs: DUAL, policy: 'SingleStack' },
      expect: { '0.14.8': '192.168.20.0,fd00:20::', '0.16.1': 'pending: Failed to allocate IP for "default/s": no available IPs in pool both for dual IPFamily' },
    },
  ];
  for (const c of cases) {
    for (const [version, expect] of Object.entries(c.expect)) {
      test(`${c.name} (${version})`, () => assert.equal(ips(c.pools + svc('s', c.spec), version), expect));
    }
  }

  test('a pinned single-family pool beats a global dual pool for PreferDualStack (same tier first)', () => {
    const text = pool('pinned4', ['10.1.0.0/30'], 'serviceAllocation:\n  namespaces: [default]') + DUALPOOL + svc('s', { clusterIPs: DUAL, policy: 'PreferDualStack' });
    assert.equal(ips(text, '0.16.1'), '10.1.0.0');
  });

  test('PreferDualStack top-up: an existing single IP gets the other family from the same pool (≥0.14.9)', () => {
    const r = sim(DUALPOOL + svc('s', { clusterIPs: DUAL, policy: 'PreferDualStack', ingress: ['192.168.20.1'] }), { version: '0.16.1' });
    const o = r.services.get('default/s')!;
    assert.deepEqual([o.ips, o.reason, o.message], [['192.168.20.1', 'fd00:20::'], 'IPAllocated', 'Assigned additional IP "fd00:20::"']);
  });

  test('PreferDualStack top-up failure is a Normal AdditionalAssignFailed event, wording per version', () => {
    const text = V4ONLY + svc('s', { clusterIPs: DUAL, policy: 'PreferDualStack', ingress: ['192.168.10.1'] });
    const msg = (v: string) => sim(text, { version: v }).services.get('default/s')!;
    assert.equal(msg('0.15.3').message, 'cannot assign additional IP in PreferDualStack: ["192.168.10.1" "<nil>"] is not allowed in config');
    assert.equal(msg('0.15.3').reason, 'AdditionalAssignFailed');
    assert.equal(msg('0.14.9').message, 'cannot assign additional IP in PreferDualStack: no available IPs in pool v4 for ipv6 IPFamily');
    assert.deepEqual(msg('0.15.3').ips, ['192.168.10.1']);
  });

  test('≤0.14.8: a dual Service holding one family is cleared and re-allocated (PreferDualStack = RequireDualStack)', () => {
    const r = sim(V4ONLY + svc('s', { clusterIPs: DUAL, policy: 'PreferDualStack', ingress: ['192.168.10.1'] }), { version: '0.14.8' });
    const o = r.services.get('default/s')!;
    assert.deepEqual([o.state, o.previousIPs], ['pending', ['192.168.10.1']]);
  });

  test('ClusterIPs absent in a manifest are predicted from the cluster network', () => {
    const text = DUALPOOL + svc('s', { clusterIPs: [], policy: 'RequireDualStack' }).replace('  clusterIPs: []\n', '');
    assert.equal(view(sim(text))['default/s'], '192.168.20.0,fd00:20::');
    assert.equal(view(sim(text, { network: { families: ['IPv4'] } }))['default/s'].split(':')[0], 'pending');
  });
});
