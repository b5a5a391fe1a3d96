// Pool choice: serviceAllocation (priority, namespaces, selectors, the 0.15 priority-only change),
// global pools and random-choice candidates, config validation, which pools a version reads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { model, pool, sim, svc, view } from './helpers.js';
import { simulate } from '../../shared/src/metallb/simulate.js';

const ns = (name: string, labels: Record<string, string>) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels:\n${Object.entries(labels).map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n---\n`;

describe('serviceAllocation', () => {
  test('lower positive priority first, 0 last; pinned pools before global ones', () => {
    const text =
      pool('global', ['10.0.0.0/30']) +
      pool('p0', ['10.1.0.0/30'], 'serviceAllocation:\n  namespaces: [web]') +
      pool('p2', ['10.2.0.0/30'], 'serviceAllocation:\n  priority: 2\n  namespaces: [web]') +
      pool('p1', ['10.3.0.0/32'], 'serviceAllocation:\n  priority: 1\n  namespaces: [web]') +
      svc('a', { ns: 'web' }) + svc('b', { ns: 'web' }) + svc('c', { ns: 'other' });
    assert.deepEqual(view(sim(text)), { 'other/c': '10.0.0.0', 'web/a': '10.3.0.0', 'web/b': '10.2.0.0' });
  });

  test('namespaceSelectors resolve against Namespace objects; serviceSelectors match labels', () => {
    const text =
      ns('prod', { env: 'prod' }) +
      pool('byns', ['10.1.0.0/30'], 'serviceAllocation:\n  namespaceSelectors:\n  - matchLabels: {env: prod}') +
      pool('bysvc', ['10.2.0.0/30'], 'serviceAllocation:\n  serviceSelectors:\n  - matchExpressions:\n    - {key: tier, operator: In, values: [edge]}') +
      svc('a', { ns: 'prod' }) + svc('b', { labels: { tier: 'edge' } }) + svc('c');
    assert.deepEqual(view(sim(text)), {
      'default/b': '10.2.0.0',
      'default/c': 'pending: Failed to allocate IP for "default/c": no available IPs',
      'prod/a': '10.1.0.0',
    });
  });

  test('priority-only serviceAllocation: never auto-assigned ≤0.14.9, matches every Service ≥0.15.0', () => {
    const text = pool('prio', ['10.1.0.0/30'], 'serviceAllocation:\n  priority: 5') + svc('a');
    assert.equal(view(sim(text, { version: '0.14.9' }))['default/a'], 'pending: Failed to allocate IP for "default/a": no available IPs');
    assert.equal(view(sim(text, { version: '0.15.0' }))['default/a'], '10.1.0.0');
  });

  test('serviceAllocation is ignored before 0.13.9 (the pool is global)', () => {
    const text = pool('p', ['10.1.0.0/30'], 'serviceAllocation:\n  namespaces: [web]') + svc('a');
    assert.equal(view(sim(text, { version: '0.13.8' }))['default/a'], '10.1.0.0');
    assert.match(view(sim(text, { version: '0.13.9' }))['default/a'], /no available IPs/);
  });
});

describe('random choices are reported, not hidden', () => {
  test('several global pools: every candidate with its IPs, first by name followed', () => {
    const r = sim(pool('zeta', ['10.9.0.0/30']) + pool('alpha', ['10.8.0.0/30']) + svc('a'));
    const o = r.services.get('default/a')!;
    assert.deepEqual(o.candidates, [
      { pool: 'alpha', ips: ['10.8.0.0'] },
      { pool: 'zeta', ips: ['10.9.0.0'] },
    ]);
    assert.deepEqual([o.pool, o.ips], ['alpha', ['10.8.0.0']]);
    assert.match(o.nondeterministic!, /at random.*first by name, "alpha"/);
  });

  test('equal-priority pinned pools tie at random; a full candidate is not one', () => {
    const sa = 'serviceAllocation:\n  priority: 1\n  namespaces: [web]';
    const r = sim(pool('b', ['10.2.0.0/30'], sa) + pool('a', ['10.1.0.0/30'], sa) + pool('c', ['10.3.0.0/32'], sa) + svc('full', { ns: 'web', lbIP: '10.3.0.0' }) + svc('s', { ns: 'web' }));
    assert.deepEqual(r.services.get('web/s')!.candidates?.map((c) => c.pool), ['a', 'b']);
  });

  test('a single eligible pool is deterministic', () => {
    const r = sim(pool('only', ['10.2.0.0/30']) + svc('s'));
    assert.equal(r.services.get('default/s')!.candidates, undefined);
  });
});

describe('configuration', () => {
  const cases: { name: string; text: string; error: string }[] = [
    { name: 'overlap across pools', text: pool('a', ['10.0.0.0/24']) + pool('b', ['10.0.0.200-10.0.0.210']), error: 'CIDR "10.0.0.200/29" in pool "b" overlaps with already defined CIDR "10.0.0.0/24"' },
    { name: 'invalid CIDR', text: pool('a', [' 10.0.0.0/8']), error: 'parsing address pool a: invalid CIDR " 10.0.0.0/8" in pool "a": invalid CIDR " 10.0.0.0/8"' },
    { name: 'no prefixes', text: 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata: {name: e, namespace: metallb-system}\nspec:\n  addresses: []\n---\n', error: 'parsing address pool e: pool has no prefixes defined' },
    { name: 'duplicate namespaces', text: pool('a', ['10.0.0.0/24'], 'serviceAllocation:\n  namespaces: [x, x]'), error: 'parsing address pool a: duplicate definition in namespaces field' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = sim(c.text + svc('s', { ingress: ['10.0.0.1'] }));
      assert.deepEqual(r.configError, { message: c.error, stale: false });
      // Nothing is processed without a configuration: the Service keeps its status.
      assert.equal(view(r)['default/s'], '10.0.0.1');
      assert.deepEqual(r.activePools, []);
    });
  }

  test('pools outside MetalLB\'s namespace are ignored', () => {
    const text = pool('a', ['10.0.0.0/30']).replace('namespace: metallb-system', 'namespace: elsewhere') + svc('s');
    assert.match(view(sim(text))['default/s'], /no available IPs|pending/);
  });

  test('0.12 reads the ConfigMap, 0.13 also legacy AddressPool, ≥0.14 only IPAddressPool', () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: metallb-system}\ndata:\n  config: |\n    address-pools:\n    - name: cm\n      protocol: layer2\n      addresses: [10.7.0.0/30]\n---\n`;
    const legacy = `apiVersion: metallb.io/v1beta1\nkind: AddressPool\nmetadata: {name: legacy, namespace: metallb-system}\nspec:\n  protocol: layer2\n  addresses: [10.6.0.0/30]\n---\n`;
    const m = model(cm + legacy + svc('s'));
    const ip = (v: string) => simulate(m, { version: v }).services.get('default/s')!.ips.join(',');
    assert.equal(ip('0.12.1'), '10.7.0.0');
    assert.equal(ip('0.13.12'), '10.6.0.0');
    assert.equal(ip('0.14.8'), '');
  });
});

describe('lb-class filtering (≥0.13)', () => {
  const text = pool('p', ['10.0.0.0/30']) + svc('plain') + svc('mine', { lbClass: 'metallb.io/x' }) + svc('theirs', { lbClass: 'other' });
  test('no --lb-class: only Services without a class', () => {
    const v = view(sim(text));
    assert.equal(v['default/plain'], '10.0.0.0');
    assert.match(v['default/mine'], /^ignored/);
    assert.match(v['default/theirs'], /^ignored/);
  });
  test('--lb-class set: only that class', () => {
    const v = view(sim(text, { lbClass: 'metallb.io/x' }));
    assert.deepEqual([v['default/mine'], v['default/plain'].split(':')[0], v['default/theirs'].split(':')[0]], ['10.0.0.0', 'ignored', 'ignored']);
  });
  test('an ignored Service keeps its status and takes no event', () => {
    const r = sim(pool('p', ['10.0.0.0/30']) + svc('t', { lbClass: 'other', ingress: ['192.0.2.1'] }));
    assert.deepEqual([r.services.get('default/t')!.state, r.services.get('default/t')!.ips, r.events], ['ignored', ['192.0.2.1'], []]);
  });
});
