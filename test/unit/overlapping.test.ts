// overlapsAnother (rules/support/overlapping.ts) against the pairwise definition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cidrOf, cidrsOverlap, type Cidr } from '../../shared/src/address/cidr.js';
import { overlapsAnother } from '../../shared/src/rules/support/overlapping.js';

const cidr = fc.oneof(
  fc.record({ a: fc.integer({ min: 0, max: 255 }), p: fc.integer({ min: 24, max: 32 }) }).map(({ a, p }) => cidrOf('ipv4', 0x0a000000n + BigInt(a), p)),
  fc.record({ a: fc.integer({ min: 0, max: 255 }), p: fc.integer({ min: 120, max: 128 }) }).map(({ a, p }) => cidrOf('ipv6', BigInt(a), p)),
);

function pairwise(cidrs: Cidr[]): boolean[] {
  return cidrs.map((c, i) => cidrs.some((d, j) => j !== i && cidrsOverlap(c, d)));
}

test('overlapsAnother marks exactly the CIDRs that overlap another one', () => {
  fc.assert(fc.property(fc.array(cidr, { maxLength: 40 }), (cidrs) => assert.deepEqual(overlapsAnother(cidrs), pairwise(cidrs))), { numRuns: 2000 });
});

test('overlapsAnother: the same CIDR twice, nested CIDRs, other families', () => {
  const a = cidrOf('ipv4', 0x0a000000n, 24);
  const b = cidrOf('ipv4', 0x0a000080n, 25);
  const c = cidrOf('ipv4', 0x0a000100n, 24);
  const v6 = cidrOf('ipv6', 0x0a000000n, 120);
  assert.deepEqual(overlapsAnother([a, a]), [true, true]);
  assert.deepEqual(overlapsAnother([c, b, a]), [false, true, true]);
  assert.deepEqual(overlapsAnother([a, v6, c]), [false, false, false]);
  assert.deepEqual(overlapsAnother([]), []);
});
