// The controller's store: List order by key, one state per key (the last stored wins), whether the
// order is built before or after lookups, deletions and replacements.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MetalLBController } from '../../shared/src/metallb/controller.js';
import { sortInListOrder } from '../../shared/src/metallb/listOrder.js';
import type { Service } from '../../shared/src/model/types.js';
import { simulate } from '../../shared/src/metallb/simulate.js';
import { model, pool, svc } from './helpers.js';

const POOL = pool('p', ['10.0.0.0/29']);

test('a Service listed twice counts once, as its last copy, in List order', () => {
  const m = model(POOL + svc('b') + svc('a', { ingress: ['10.0.0.5'] }) + svc('c') + svc('a', { ports: ['TCP/443'] }));
  const r = simulate(m, { version: '0.16.1' });
  assert.deepEqual([...r.services.keys()], ['default/a', 'default/b', 'default/c']);
  assert.equal(r.services.get('default/a')!.service, m.services[3]);
  assert.deepEqual(r.services.get('default/a')!.ips, ['10.0.0.0']); // the last copy has no status
});

test('deleting, replacing and adding before the List order is first built', () => {
  const m = model(POOL + svc('c') + svc('a') + svc('b') + svc('d', { ns: 'x' }));
  const ctrl = new MetalLBController({ version: '0.16.1' });
  for (const s of m.services) ctrl.seedService(s);
  ctrl.deleteService('default/a');
  ctrl.seedService(m.services[0]); // c again
  ctrl.setPoolObjects(m.pools);
  ctrl.restart('steady');
  assert.deepEqual(ctrl.serviceKeys(), ['default/b', 'default/c', 'x/d']);
  assert.deepEqual([...ctrl.outcomes().values()].map((o) => `${o.key}=${o.ips.join(',')}`), ['default/b=10.0.0.0', 'default/c=10.0.0.1', 'x/d=10.0.0.2']);
  ctrl.applyService(m.services[1]); // a comes back, after the order was built
  assert.deepEqual(ctrl.serviceKeys(), ['default/a', 'default/b', 'default/c', 'x/d']);
  assert.equal(ctrl.outcome('default/a')!.ips[0], '10.0.0.3');
});

test('sortInListOrder: sorted by key, the last item of each key kept, for any namespaces and names', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '-', '.', '/', '0', '9', 'z'), maxLength: 4 });
  const item = fc.record({ ns: text, name: text, odd: fc.boolean() });
  fc.assert(
    fc.property(fc.array(item, { maxLength: 40 }), fc.boolean(), (specs, allowOdd) => {
      const items = specs.map((s, i) => ({
        // An odd item's key is not namespace/name (Service.key always is; the ranks must then stand down).
        key: allowOdd && s.odd ? `${s.name}//${s.ns}` : `${s.ns}/${s.name}`,
        svc: { namespace: s.ns, name: s.name } as Service,
        i,
      }));
      const byKey = items.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      const expected = byKey.filter((x, j) => j + 1 === byKey.length || byKey[j + 1].key !== x.key).map((x) => x.i);
      assert.deepEqual(sortInListOrder(items.slice()).map((x) => x.i), expected);
    }),
    { numRuns: 2000 },
  );
});
