import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  formatCidr,
  formatIP,
  IntervalSet,
  parseCidr,
  parseIP,
  parsePoolAddress,
  summarizeRange,
} from '../../shared/src/address/index.js';

describe('parseIP (Go net.ParseIP rules)', () => {
  test('accepts canonical IPv4 and IPv6', () => {
    assert.equal(formatIP(parseIP('192.168.1.10')!), '192.168.1.10');
    assert.equal(formatIP(parseIP('2001:DB8:0:0:0:0:0:1')!), '2001:db8::1');
    assert.equal(formatIP(parseIP('::')!), '::');
    assert.equal(formatIP(parseIP('1000::')!), '1000::');
  });
  test('rejects leading zeros, zones, garbage and whitespace', () => {
    for (const bad of ['01.2.3.4', '1.2.3', '1.2.3.256', 'fe80::1%eth0', ' 1.2.3.4', '1.2.3.4 ', 'abc', '', '1.2.3.4/32']) {
      assert.equal(parseIP(bad), undefined, bad);
    }
  });
  test('IPv4-mapped IPv6 is IPv4, as in Go', () => {
    assert.deepEqual(parseIP('::ffff:10.0.0.1'), { family: 'ipv4', value: 0x0a000001n });
  });
  test('RFC 5952 formatting: longest zero run, leftmost on ties, no single-group compression', () => {
    assert.equal(formatIP(parseIP('2001:db8:0:0:1:0:0:1')!), '2001:db8::1:0:0:1');
    assert.equal(formatIP(parseIP('2001:db8:0:1:1:1:1:1')!), '2001:db8:0:1:1:1:1:1');
  });
  test('property: format ∘ parse is the identity on values', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (v) => {
        const text = formatIP({ family: 'ipv6', value: v });
        const back = parseIP(text)!;
        // ::ffff:a.b.c.d is IPv4 in Go; every other value round-trips as IPv6.
        if (v >> 32n === 0xffffn) return back.family === 'ipv4' && back.value === (v & 0xffffffffn);
        return back.family === 'ipv6' && back.value === v;
      }),
    );
    fc.assert(fc.property(fc.ipV4(), (text) => formatIP(parseIP(text)!) === text));
  });
});

describe('parsePoolAddress (MetalLB config.ParseCIDR)', () => {
  test('CIDR: host bits masked, reported', () => {
    const r = parsePoolAddress('192.168.1.5/24');
    assert.ok(r.ok && r.kind === 'cidr');
    assert.equal(formatCidr(r.cidrs[0]), '192.168.1.0/24');
    assert.equal(r.hadHostBits, true);
  });
  test('CIDR: no whitespace trimming, bare IP invalid, with MetalLB messages', () => {
    assert.deepEqual(parsePoolAddress(' 10.0.0.0/8'), { ok: false, error: 'invalid CIDR " 10.0.0.0/8"' });
    assert.deepEqual(parsePoolAddress('10.0.0.1'), { ok: false, error: 'invalid CIDR "10.0.0.1"' });
    assert.deepEqual(parsePoolAddress('10.0.0.0/33'), { ok: false, error: 'invalid CIDR "10.0.0.0/33"' });
  });
  test('range: spaces trimmed, summarised into minimal ascending CIDRs (MetalLB config_test)', () => {
    const r = parsePoolAddress('40.0.0.150 - 40.0.0.200');
    assert.ok(r.ok);
    assert.deepEqual(r.cidrs.map(formatCidr), ['40.0.0.150/31', '40.0.0.152/29', '40.0.0.160/27', '40.0.0.192/29', '40.0.0.200/32']);
  });
  test('range errors: start after end, bad start, bad end, mixed families', () => {
    assert.deepEqual(parsePoolAddress('10.0.0.9-10.0.0.1'), {
      ok: false,
      error: 'invalid IP range "10.0.0.9-10.0.0.1": start IP "10.0.0.9" is after the end IP "10.0.0.1"',
    });
    assert.deepEqual(parsePoolAddress('x-10.0.0.1'), { ok: false, error: 'invalid IP range "x-10.0.0.1": invalid start IP "x"' });
    assert.deepEqual(parsePoolAddress('10.0.0.1-y'), { ok: false, error: 'invalid IP range "10.0.0.1-y": invalid end IP "y"' });
    const mixed = parsePoolAddress('1.2.3.4-fc00::1');
    assert.equal(mixed.ok, false);
  });
  test('single address range is a /32', () => {
    const r = parsePoolAddress('10.0.0.7-10.0.0.7');
    assert.ok(r.ok);
    assert.deepEqual(r.cidrs.map(formatCidr), ['10.0.0.7/32']);
  });
  test('IPv6 /48 parses without enumerating', () => {
    const r = parseCidr('fd00:1::/48')!;
    assert.equal(r.cidr.end - r.cidr.start + 1n, 1n << 80n);
  });
});

describe('summarizeRange properties', () => {
  const v4 = fc.bigInt({ min: 0n, max: (1n << 32n) - 1n });
  test('covers exactly [start, end], ascending, aligned, and minimal', () => {
    fc.assert(
      fc.property(v4, v4, (a, b) => {
        const [start, end] = a <= b ? [a, b] : [b, a];
        const cidrs = summarizeRange('ipv4', start, end);
        let cur = start;
        for (const c of cidrs) {
          if (c.start !== cur) return false;
          const size = c.end - c.start + 1n;
          if (c.start % size !== 0n) return false; // aligned block
          // maximal: the doubled block would be misaligned or pass the end
          const dbl = size * 2n;
          if (c.prefix > 0 && c.start % dbl === 0n && c.start + dbl - 1n <= end) return false;
          cur = c.end + 1n;
        }
        return cur === end + 1n && cidrs.length <= 64;
      }),
      { numRuns: 500 },
    );
  });
  test('whole IPv6 space is one /0', () => {
    assert.deepEqual(summarizeRange('ipv6', 0n, (1n << 128n) - 1n).map(formatCidr), ['::/0']);
  });
});

describe('IntervalSet', () => {
  test('add/delete/has/nextAbsent coalesce and split', () => {
    const s = new IntervalSet();
    for (const v of [5n, 6n, 7n, 9n]) s.add(v);
    assert.equal(s.intervalCount, 2);
    s.add(8n);
    assert.equal(s.intervalCount, 1);
    assert.equal(s.nextAbsent(5n), 10n);
    assert.equal(s.nextAbsent(4n), 4n);
    s.delete(7n);
    assert.equal(s.intervalCount, 2);
    assert.equal(s.has(7n), false);
    assert.equal(s.nextAbsent(5n), 7n);
    assert.equal(s.nextPresent(7n), 8n);
    assert.equal(s.size(), 4n);
  });
  test('property: behaves like a Set of numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 60 })), { maxLength: 200 }), fc.integer({ min: 0, max: 70 }), (ops, probe) => {
        const s = new IntervalSet();
        const ref = new Set<number>();
        for (const [add, v] of ops) {
          if (add) (s.add(BigInt(v)), ref.add(v));
          else (s.delete(BigInt(v)), ref.delete(v));
        }
        if (s.size() !== BigInt(ref.size)) return false;
        for (let v = 0; v <= 70; v++) if (s.has(BigInt(v)) !== ref.has(v)) return false;
        let expect = probe;
        while (ref.has(expect)) expect++;
        if (s.nextAbsent(BigInt(probe)) !== BigInt(expect)) return false;
        const sorted = [...ref].sort((a, b) => a - b);
        const k = Math.floor(sorted.length / 2);
        if (sorted.length && s.nth(BigInt(k)) !== BigInt(sorted[k])) return false;
        return s.countIn(10n, 40n) === BigInt(sorted.filter((x) => x >= 10 && x <= 40).length);
      }),
      { numRuns: 300 },
    );
  });
  test('property: intersect/difference/union agree with sets', () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 8 })), { maxLength: 8 });
    fc.assert(
      fc.property(arb, arb, (xa, xb) => {
        const mk = (xs: [number, number][]) => IntervalSet.of(xs.map(([s, l]) => ({ start: BigInt(s), end: BigInt(s + l) })));
        const expand = (xs: [number, number][]) => new Set(xs.flatMap(([s, l]) => Array.from({ length: l + 1 }, (_, i) => s + i)));
        const a = mk(xa), b = mk(xb), ea = expand(xa), eb = expand(xb);
        for (let v = 0; v <= 60; v++) {
          const bv = BigInt(v);
          if (a.intersect(b).has(bv) !== (ea.has(v) && eb.has(v))) return false;
          if (a.difference(b).has(bv) !== (ea.has(v) && !eb.has(v))) return false;
          if (a.union(b).has(bv) !== (ea.has(v) || eb.has(v))) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
  test('a /48 with 100k single-address allocations stays cheap', () => {
    const s = new IntervalSet();
    const base = parseCidr('fd00:1::/48')!.cidr.start;
    const t0 = performance.now();
    let next = base;
    for (let i = 0; i < 100_000; i++) {
      next = s.nextAbsent(next);
      s.add(next);
    }
    assert.equal(s.intervalCount, 1, 'sequential first-free allocations coalesce into one interval');
    assert.equal(s.size(), 100_000n);
    assert.ok(performance.now() - t0 < 5000);
  });
});
