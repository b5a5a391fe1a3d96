// PoolsByAddress (rules/support/poolsByAddress.ts) against the scan it replaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cidrContains, cidrOf, type Cidr } from '../../shared/src/address/cidr.js';
import type { IP } from '../../shared/src/address/ip.js';
import type { Pool } from '../../shared/src/model/types.js';
import { PoolsByAddress } from '../../shared/src/rules/support/poolsByAddress.js';

const v4 = fc.record({ a: fc.integer({ min: 0, max: 1023 }), p: fc.integer({ min: 22, max: 32 }) }).map(({ a, p }): Cidr => cidrOf('ipv4', 0x0a000000n + BigInt(a), p));
const v6 = fc.record({ a: fc.integer({ min: 0, max: 1023 }), p: fc.integer({ min: 118, max: 128 }) }).map(({ a, p }): Cidr => cidrOf('ipv6', BigInt(a), p));
// A range that is not a prefix block (the index checks such CIDRs one by one).
const odd = fc.record({ a: fc.integer({ min: 0, max: 1023 }), n: fc.integer({ min: 0, max: 40 }) }).map(({ a, n }): Cidr => ({ family: 'ipv4', prefix: 30, start: 0x0a000000n + BigInt(a), end: 0x0a000000n + BigInt(a + n) }));
const pool = fc
  .record({ n: fc.nat(99), cidrs: fc.array(fc.oneof(v4, v4, v6, odd), { maxLength: 4 }) })
  .map(({ n, cidrs }): Pool => ({ name: `p${n}`, source: 'IPAddressPool', addresses: [], cidrs, autoAssign: true, avoidBuggyIPs: false, docPath: [] }));
const ip = fc.oneof(
  fc.integer({ min: 0, max: 1100 }).map((a): IP => ({ family: 'ipv4', value: 0x0a000000n + BigInt(a) })),
  fc.integer({ min: 0, max: 1100 }).map((a): IP => ({ family: 'ipv6', value: BigInt(a) })),
);

test('covering(ip) is the pools whose CIDRs contain ip, in order', () => {
  fc.assert(
    fc.property(fc.array(pool, { maxLength: 12 }), fc.array(ip, { minLength: 1, maxLength: 20 }), (pools, ips) => {
      const index = new PoolsByAddress(pools);
      for (const x of ips) assert.deepEqual(index.covering(x), pools.filter((p) => p.cidrs.some((c) => cidrContains(c, x))));
    }),
    { numRuns: 1000 },
  );
});
