// First-free scan, avoidBuggyIPs, autoAssign, pool usage (reference §3.3, §1.4).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pool, sim, svc, view } from './helpers.js';

describe('first-free scan inside one pool', () => {
  const cases: { name: string; addresses: string[]; extra?: string; services: number; expect: string[]; version?: string }[] = [
    { name: 'network address is handed out first', addresses: ['192.168.1.0/24'], services: 2, expect: ['192.168.1.0', '192.168.1.1'] },
    { name: 'CIDRs in spec order, not address order', addresses: ['10.0.0.100/30', '10.0.0.0/30'], services: 5, expect: ['10.0.0.100', '10.0.0.101', '10.0.0.102', '10.0.0.103', '10.0.0.0'] },
    { name: 'range summarised, scanned from its start', addresses: ['40.0.0.150-40.0.0.152'], services: 3, expect: ['40.0.0.150', '40.0.0.151', '40.0.0.152'] },
    { name: 'avoidBuggyIPs skips .0 and .255', addresses: ['10.1.0.254/31', '10.1.1.0/31'], extra: 'avoidBuggyIPs: true', services: 2, expect: ['10.1.0.254', '10.1.1.1'] },
    { name: 'avoidBuggyIPs absent in 0.13.0–0.13.3', addresses: ['10.1.1.0/31'], extra: 'avoidBuggyIPs: true', services: 1, expect: ['10.1.1.0'], version: '0.13.2' },
    { name: 'IPv6 /127 hands out the network address', addresses: ['1000::/127'], services: 1, expect: ['1000::'] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      let text = pool('p', c.addresses, c.extra);
      for (let i = 0; i < c.services; i++) text += svc(`s${i}`, { clusterIPs: [c.addresses[0].includes(':') ? 'fd00::1' : '10.96.0.1'] });
      const r = sim(text, { version: c.version ?? '0.16.1' });
      assert.deepEqual(
        [...r.services.values()].map((o) => o.ips.join(',')),
        c.expect,
      );
    });
  }

  test('avoidBuggyIPs leaves a /32 at .0 empty: pending with "no available IPs"', () => {
    const r = sim(pool('p', ['10.0.0.0/32'], 'avoidBuggyIPs: true') + svc('a'));
    assert.equal(view(r)['default/a'], 'pending: Failed to allocate IP for "default/a": no available IPs');
    assert.equal(r.services.get('default/a')!.reason, 'AllocationFailed');
    assert.equal(r.pools[0].ipv4.total, 0n);
  });

  test('freed IPs are reused lowest first; status IPs are re-adopted before pending Services allocate', () => {
    const r = sim(pool('p', ['10.0.0.0/29']) + svc('z1', { ingress: ['10.0.0.1'] }) + svc('y1', { ingress: ['10.0.0.3'] }) + svc('a') + svc('b'));
    assert.deepEqual(view(r), { 'default/a': '10.0.0.0', 'default/b': '10.0.0.2', 'default/y1': '10.0.0.3', 'default/z1': '10.0.0.1' });
    assert.deepEqual(r.events.map((e) => e.message), ['Assigned IP ["10.0.0.0"]', 'Assigned IP ["10.0.0.2"]']);
  });

  test('autoAssign: false is never chosen automatically, but an explicit IP or the pool annotation works', () => {
    const text =
      pool('manual', ['10.9.0.0/30'], 'autoAssign: false') +
      svc('auto') +
      svc('byip', { lbIP: '10.9.0.2' }) +
      svc('byann', { annotations: { 'metallb.io/address-pool': 'manual' } });
    assert.deepEqual(view(sim(text)), {
      'default/auto': 'pending: Failed to allocate IP for "default/auto": no available IPs',
      'default/byann': '10.9.0.0',
      'default/byip': '10.9.0.2',
    });
  });

  test('pool usage: totals after avoidBuggyIPs, shared IP counted once, holders in address order', () => {
    const share = { 'metallb.io/allow-shared-ip': 'k' };
    const text =
      pool('p', ['1.2.3.0/24', '2.3.4.128/25', '1000::/64'], 'avoidBuggyIPs: true') +
      svc('a', { annotations: share, ports: ['TCP/80'] }) +
      svc('b', { annotations: share, ports: ['TCP/443'] }) +
      svc('c', { clusterIPs: ['fd00::1'] });
    const r = sim(text);
    assert.deepEqual(view(r), { 'default/a': '1.2.3.1', 'default/b': '1.2.3.1', 'default/c': '1000::' });
    const u = r.pools[0];
    assert.equal(u.ipv4.total, 381n);
    assert.equal(u.ipv4.used, 1n);
    assert.equal(u.ipv6.total, 1n << 64n);
    assert.equal(u.ipv6.used, 1n);
    assert.deepEqual(u.holders, [
      { ip: '1.2.3.1', services: ['default/a', 'default/b'] },
      { ip: '1000::', services: ['default/c'] },
    ]);
  });

  test('not-LoadBalancer Services are not MetalLB business', () => {
    const r = sim(pool('p', ['10.0.0.0/30']) + svc('np', { type: 'NodePort' }));
    assert.equal(r.services.get('default/np')!.state, 'not-loadbalancer');
  });
});
