// IPv4Table (the allocator's address → users table) behaves as a Map from address to value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { IPv4Table } from '../../shared/src/metallb/ipv4Table.js';

const address = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0xffffff00, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }));
const op = fc.oneof(
  fc.record({ set: address, value: fc.nat() }),
  fc.record({ del: address }),
  fc.record({ get: address }),
);

test('IPv4Table: get, set, delete, size and forEach as a Map', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
      const table = new IPv4Table<{ v: number }>();
      const map = new Map<number, { v: number }>();
      for (const o of ops) {
        if ('set' in o) {
          const value = { v: o.value };
          table.set(o.set, value);
          map.set(o.set, value);
        } else if ('del' in o) assert.equal(table.delete(o.del), map.delete(o.del));
        else assert.equal(table.get(o.get), map.get(o.get));
        assert.equal(table.size, map.size);
      }
      const seen: [number, { v: number }][] = [];
      table.forEach((value, a) => seen.push([a, value]));
      assert.deepEqual(seen.sort((x, y) => x[0] - y[0]), [...map].sort((x, y) => x[0] - y[0]));
    }),
    { numRuns: 500 },
  );
});
