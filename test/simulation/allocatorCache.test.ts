// The allocator's caches (first free address per pool CIDR, a pool's candidates, each IP's first
// holder) must answer exactly what a fresh scan answers, whatever sequence of assigns and
// unassigns came before. Checked against brute force over small pools and against a fresh
// allocator replaying the same allocations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIP, type IP, isBuggyIP, parseIP } from '../../shared/src/address/ip.js';
import { Allocator, type Requester } from '../../shared/src/metallb/allocator.js';
import { parsePoolConfig, type PoolConfig } from '../../shared/src/metallb/pools.js';
import { behaviourFor } from '../../shared/src/metallb/versions.js';
import type { Service } from '../../shared/src/model/types.js';
import { model, pool } from './helpers.js';

const b = behaviourFor('0.16.1');

// Small pools (brute force enumerates them): CIDRs and ranges, both families, avoidBuggyIPs.
const POOLS = [
  pool('a', ['10.0.0.0/29', 'fd00::/126']),
  pool('b', ['10.0.1.253-10.0.2.2', 'fd00:1::10-fd00:1::12'], 'avoidBuggyIPs: true'),
  pool('c', ['fd00:2::/127', '10.0.3.255/32', '10.0.4.0/30']),
].join('');

function config(text = POOLS): PoolConfig {
  const parsed = parsePoolConfig({ pools: model(text).pools, namespaces: [] }, b, 'metallb-system');
  assert.ok(parsed.config, parsed.error);
  return parsed.config;
}

/** Every address of the pools, per pool in CIDR order (what brute force walks). */
function addressesOf(cfg: PoolConfig): Map<string, IP[][]> {
  const out = new Map<string, IP[][]>();
  for (const p of cfg.ordered) {
    out.set(
      p.name,
      p.cidrs.map((c) => {
        const ips: IP[] = [];
        for (let v = c.start; v <= c.end; v++) ips.push({ family: c.family, value: v });
        return ips;
      }),
    );
  }
  return out;
}

function requester(key: string, sharingKey = '', port = 80): Requester {
  const [namespace, name] = key.split('/');
  const svc = { namespace, name, key, labels: {}, annotations: {}, type: 'LoadBalancer', clusterIPs: [], ipFamilies: [], ports: [], externalTrafficPolicy: 'Cluster', selector: {}, ingressIPs: [] } as Service;
  return { key, svc, ports: [{ proto: 'TCP', port }], sharingKey, backendKey: '' };
}

type Op = { kind: 'assign'; who: number; sharing: boolean; port: number; picks: number[] } | { kind: 'unassign'; who: number } | { kind: 'query'; pool: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('assign' as const), who: fc.nat(5), sharing: fc.boolean(), port: fc.constantFrom(80, 443), picks: fc.array(fc.nat(40), { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('unassign' as const), who: fc.nat(5) }),
  fc.record({ kind: fc.constant('query' as const), pool: fc.nat(2) }),
);

test('cached candidates and first free addresses equal brute force and a fresh allocator', () => {
  const cfg = config();
  const addrs = addressesOf(cfg);
  const all = [...addrs.values()].flat(2);
  fc.assert(
    fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
      const alloc = new Allocator(cfg, b);
      const held = new Map<string, { r: Requester; ips: IP[] }>();
      const anon = requester('zz/anonymous');
      for (const o of ops) {
        if (o.kind === 'assign') {
          const r = requester(`ns/s${o.who}`, o.sharing ? 'share' : '', o.port);
          // Any address, in or out of pools (a refused assign must leave the caches right too).
          const ips = o.picks.map((i) => all[i % all.length]);
          if (alloc.assign(r, ips) === undefined) held.set(r.key, { r, ips });
        } else if (o.kind === 'unassign') {
          alloc.unassign(`ns/s${o.who}`);
          held.delete(`ns/s${o.who}`);
        }
        // After every step: an anonymous requester's answer, from the caches (asked twice: the
        // second answer comes from them), from brute force and from a fresh allocator.
        const p = cfg.ordered[o.kind === 'query' ? o.pool : 0];
        const used = new Set([...held.values()].flatMap((h) => h.ips.map((ip) => `${ip.family}/${ip.value}`)));
        const expected: Record<string, string> = {};
        addrs.get(p.name)!.forEach((cidrIPs) => {
          const fam = cidrIPs[0].family;
          if (expected[fam]) return;
          const free = cidrIPs.find((ip) => !used.has(`${ip.family}/${ip.value}`) && !(p.avoidBuggyIPs && isBuggyIP(ip)));
          if (free) expected[fam] = formatIP(free);
        });
        const view = (c: { ipv4?: IP; ipv6?: IP }) => Object.fromEntries(Object.entries(c).map(([f, ip]) => [f, formatIP(ip!)]));
        assert.deepEqual(view(alloc.candidates(p, anon)), expected);
        assert.deepEqual(view(alloc.candidates(p, anon)), expected);
        const fresh = new Allocator(cfg, b);
        for (const h of held.values()) assert.equal(fresh.assign(h.r, h.ips), undefined);
        for (const h of held.values()) {
          // Holders (and sharers) get their own answer, never the cached one.
          assert.deepEqual(view(alloc.candidates(p, h.r)), view(fresh.candidates(p, h.r)));
        }
        for (const c of p.cidrs) {
          const got = alloc.freeInCidr(c, p.avoidBuggyIPs, anon);
          const want = fresh.freeInCidr(c, p.avoidBuggyIPs, anon);
          assert.equal(got && formatIP(got), want && formatIP(want));
        }
        // usage(): every IP in use once, under its pool, with its holders.
        assert.deepEqual(alloc.usage(), fresh.usage());
      }
    }),
    { numRuns: 300 },
  );
});

test('usage() names each IP under its pool after the first of two sharers leaves, also once the pool is renamed', () => {
  const cfg = config();
  const alloc = new Allocator(cfg, b);
  const ip = parseIP('10.0.0.3')!;
  const first = requester('ns/first', 'k', 80);
  const second = requester('ns/second', 'k', 443);
  assert.equal(alloc.assign(first, [ip]), undefined);
  assert.equal(alloc.assign(second, [ip]), undefined);
  alloc.unassign('ns/first');
  const a = alloc.usage().find((u) => u.pool === 'a')!;
  assert.deepEqual(a.holders, [{ ip: '10.0.0.3', services: ['ns/second'] }]);
  assert.equal(a.ipv4.used, 1n);
  // The same CIDRs under another name: the allocation is re-homed, and usage() follows it.
  assert.deepEqual(alloc.setConfig(config(POOLS.replace('name: a\n', 'name: renamed\n'))), []);
  const renamed = alloc.usage().find((u) => u.pool === 'renamed')!;
  assert.deepEqual(renamed.holders, [{ ip: '10.0.0.3', services: ['ns/second'] }]);
});
