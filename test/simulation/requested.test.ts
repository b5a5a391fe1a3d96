// Requested IPs, sharing and the address-pool annotation (reference §2.2–§2.4, §4.2).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pool, sim, svc, view, type SvcSpec } from './helpers.js';

const POOLS = pool('a', ['10.0.0.0/29']) + pool('b', ['10.1.0.0/30']) + pool('v6', ['fd00:1::/120']);

function one(spec: SvcSpec, version = '0.16.1', extra = ''): string {
  const r = sim(POOLS + extra + svc('s', spec), { version });
  return view(r)['default/s'];
}

describe('requested IPs', () => {
  const cases: { name: string; spec: SvcSpec; version?: string; expect: string }[] = [
    { name: 'annotation', spec: { annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.5' } }, expect: '10.0.0.5' },
    { name: 'old annotation prefix', spec: { annotations: { 'metallb.universe.tf/loadBalancerIPs': '10.0.0.6' } }, expect: '10.0.0.6' },
    { name: 'spec.loadBalancerIP', spec: { lbIP: '10.1.0.3' }, expect: '10.1.0.3' },
    {
      name: 'both set (≥0.14.9 names metallb.io/)',
      spec: { lbIP: '10.1.0.3', annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.5' } },
      expect: 'pending: Failed to allocate IP for "default/s": service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP',
    },
    {
      name: 'both set (≤0.14.8 names metallb.universe.tf/)',
      version: '0.14.8',
      spec: { lbIP: '10.1.0.3', annotations: { 'metallb.universe.tf/loadBalancerIPs': '10.0.0.5' } },
      expect: 'pending: Failed to allocate IP for "default/s": service can not have both metallb.universe.tf/loadBalancerIPs and svc.Spec.LoadBalancerIP',
    },
    {
      name: 'wrong family',
      spec: { annotations: { 'metallb.io/loadBalancerIPs': 'fd00:1::5' } },
      expect: 'pending: Failed to allocate IP for "default/s": requested loadBalancer IP(s) ["fd00:1::5"] does not match the ipFamily of the service',
    },
    {
      name: 'two of one family',
      spec: { annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1,10.0.0.2' } },
      expect: 'pending: Failed to allocate IP for "default/s": IPFamilyForAddresses: same address family ["10.0.0.1" "10.0.0.2"]',
    },
    { name: 'unparsable', spec: { annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.x' } }, expect: 'pending: Failed to allocate IP for "default/s": invalid metallb.io/loadBalancerIPs: "10.0.0.x"' },
    { name: 'unparsable loadBalancerIP', spec: { lbIP: 'nope' }, expect: 'pending: Failed to allocate IP for "default/s": invalid spec.loadBalancerIP "nope"' },
    { name: 'outside every pool', spec: { lbIP: '192.0.2.1' }, expect: 'pending: Failed to allocate IP for "default/s": ["192.0.2.1"] is not allowed in config' },
    {
      name: 'dual-stack IPs in two pools',
      spec: { clusterIPs: ['10.96.0.1', 'fd00::1'], policy: 'RequireDualStack', annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1,fd00:1::1' } },
      expect: 'pending: Failed to allocate IP for "default/s": ["10.0.0.1" "fd00:1::1"] is not allowed in config',
    },
    {
      name: 'requested IP not in the annotated pool (≥0.13.10)',
      spec: { lbIP: '10.0.0.5', annotations: { 'metallb.io/address-pool': 'b' } },
      expect: 'pending: Failed to allocate IP for "default/s": requested loadBalancer IP(s) ["10.0.0.5"] is not compatible with requested address pool b',
    },
    { name: 'requested IP not in the annotated pool, 0.13.9 ignores the pool', version: '0.13.9', spec: { lbIP: '10.0.0.5', annotations: { 'metallb.universe.tf/address-pool': 'b' } }, expect: '10.0.0.5' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(one(c.spec, c.version), c.expect));

  test('autoAssign:false and priority do not matter for a requested IP; namespace restriction does', () => {
    const text =
      pool('restricted', ['10.5.0.0/30'], 'autoAssign: false\nserviceAllocation:\n  namespaces: [team-a]') +
      svc('ok', { ns: 'team-a', lbIP: '10.5.0.1' }) +
      svc('other', { ns: 'team-b', lbIP: '10.5.0.2' });
    assert.deepEqual(view(sim(text)), {
      'team-a/ok': '10.5.0.1',
      'team-b/other': 'pending: Failed to allocate IP for "team-b/other": pool restricted not compatible for ip assignment',
    });
  });
});

describe('IP sharing', () => {
  const share = (key: string, ports: string[], extra: SvcSpec = {}): SvcSpec => ({ ...extra, ports, lbIP: '10.0.0.3', annotations: { 'metallb.io/allow-shared-ip': key } });
  const cases: { name: string; first: SvcSpec; second: SvcSpec; expect: string }[] = [
    { name: 'taken, no sharing key', first: { lbIP: '10.0.0.3' }, second: { lbIP: '10.0.0.3' }, expect: 'pending: Failed to allocate IP for "default/b": can\'t change sharing key for "default/b", address also in use by default/a' },
    { name: 'same key, disjoint ports', first: share('k', ['TCP/80']), second: share('k', ['TCP/443']), expect: '10.0.0.3' },
    { name: 'TCP/53 and UDP/53 share', first: share('k', ['TCP/53']), second: share('k', ['UDP/53']), expect: '10.0.0.3' },
    { name: 'same key, same port', first: share('k', ['TCP/80']), second: share('k', ['TCP/80']), expect: 'pending: Failed to allocate IP for "default/b": port TCP/80 is already in use on "10.0.0.3"' },
    { name: 'different keys', first: share('k', ['TCP/80']), second: share('other', ['TCP/443']), expect: 'pending: Failed to allocate IP for "default/b": can\'t change sharing key for "default/b", address also in use by default/a' },
    {
      name: 'same key, different backend keys (Local, different selectors)',
      first: share('k', ['TCP/80'], { local: { app: 'x' } }),
      second: share('k', ['TCP/443'], { local: { app: 'y' } }),
      expect: 'pending: Failed to allocate IP for "default/b": can\'t change sharing key for "default/b", address also in use by default/a',
    },
    { name: 'same key, same Local selector', first: share('k', ['TCP/80'], { local: { app: 'x' } }), second: share('k', ['TCP/443'], { local: { app: 'x' } }), expect: '10.0.0.3' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = sim(POOLS + svc('a', { ...c.first, ingress: ['10.0.0.3'] }) + svc('b', c.second));
      assert.equal(view(r)['default/a'], '10.0.0.3');
      assert.equal(view(r)['default/b'], c.expect);
    });
  }

  test('automatic allocation co-locates a share-compatible Service on the first compatible IP', () => {
    const k = { 'metallb.io/allow-shared-ip': 'k' };
    const r = sim(pool('p', ['10.0.0.0/30']) + svc('a', { annotations: k, ports: ['TCP/80'] }) + svc('b', { annotations: k, ports: ['TCP/443'] }) + svc('c', { annotations: k, ports: ['TCP/80'] }));
    assert.deepEqual(view(r), { 'default/a': '10.0.0.0', 'default/b': '10.0.0.0', 'default/c': '10.0.0.1' });
  });
});

describe('address-pool annotation', () => {
  const full = pool('full', ['10.2.0.0/32']) + svc('holder', { lbIP: '10.2.0.0', ingress: ['10.2.0.0'] });
  const cases: { name: string; version: string; spec: SvcSpec; extra?: string; expect: string }[] = [
    { name: 'unknown pool', version: '0.16.1', spec: { annotations: { 'metallb.io/address-pool': 'nope' } }, expect: 'unknown pool "nope"' },
    { name: 'full pool ≤0.14.8', version: '0.14.8', extra: full, spec: { annotations: { 'metallb.universe.tf/address-pool': 'full' } }, expect: 'no available IPs in pool "full" for ipv4 IPFamily' },
    { name: 'full pool 0.14.9', version: '0.14.9', extra: full, spec: { annotations: { 'metallb.io/address-pool': 'full' } }, expect: 'no available IPs in pool full for ipv4 IPFamily' },
    { name: 'full pool 0.15.x', version: '0.15.3', extra: full, spec: { annotations: { 'metallb.io/address-pool': 'full' } }, expect: '["<nil>"] is not allowed in config' },
    { name: 'full pool ≥0.16.0', version: '0.16.1', extra: full, spec: { annotations: { 'metallb.io/address-pool': 'full' } }, expect: 'no available IPs in pool full' },
    { name: 'wrong-family pool ≥0.16.0', version: '0.16.1', spec: { annotations: { 'metallb.io/address-pool': 'v6' } }, expect: '["<nil>"] is not allowed in config' },
    { name: 'annotation picks that pool', version: '0.16.1', spec: { annotations: { 'metallb.io/address-pool': 'b' } }, expect: '10.1.0.0' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const got = one(c.spec, c.version, c.extra ?? '');
      assert.equal(got, c.expect.includes('.') && !c.expect.includes(' ') ? c.expect : `pending: Failed to allocate IP for "default/s": ${c.expect}`);
    });
  }

  test('a Service holding an IP from another pool moves to the annotated one', () => {
    const r = sim(POOLS + svc('s', { ingress: ['10.0.0.4'], annotations: { 'metallb.io/address-pool': 'b' } }));
    const o = r.services.get('default/s')!;
    assert.deepEqual([o.ips, o.pool, o.previousIPs], [['10.1.0.0'], 'b', ['10.0.0.4']]);
  });
});
