// Pool edits (seed 002: stale vs reassign), pool deletion, restarts (seed 000: the 0.13 race),
// deletions and scenarios.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { model, pool, svc } from './helpers.js';
import { planPoolChange } from '../../shared/src/metallb/plan.js';
import { parseScenario, runScenario } from '../../shared/src/metallb/scenario.js';
import { MetalLBController } from '../../shared/src/metallb/controller.js';

const SERVICES = svc('web', { ingress: ['192.168.1.10'] }) + svc('db', { ingress: ['192.168.1.20'] });

describe('planPoolChange', () => {
  const before = model(pool('main', ['192.168.1.0/24']) + SERVICES);
  const shrunk = model(pool('main', ['192.168.1.0/28']));

  test('seed 002: CIDR shrunk — 0.13.12 refuses the config as stale and keeps the IP', () => {
    const p = planPoolChange(before, shrunk, { version: '0.13.12' });
    assert.deepEqual(p.configError, { message: 'new config not compatible with assigned IPs: service "default/db" cannot own ["192.168.1.20"] under new config', stale: true });
    const db = p.entries.find((e) => e.key === 'default/db')!;
    assert.deepEqual([db.change, db.after], ['stale', ['192.168.1.20']]);
    assert.equal(p.entries.find((e) => e.key === 'default/web')!.change, 'kept');
  });

  for (const version of ['0.14.8', '0.16.1']) {
    test(`seed 002: CIDR shrunk — ${version} re-allocates the orphaned Service`, () => {
      const p = planPoolChange(before, shrunk, { version });
      assert.equal(p.configError, undefined);
      const db = p.entries.find((e) => e.key === 'default/db')!;
      assert.deepEqual([db.change, db.before, db.after, db.stateAfter], ['moved', ['192.168.1.20'], ['192.168.1.0'], 'assigned']);
      assert.equal(db.reason, 'IPAllocated');
      assert.match(db.message!, /^current IP for "default\/db" not allowed by config, will attempt for new IP assignment: \["192.168.1.20"\] is not allowed in config; Assigned IP \["192.168.1.0"\]$/);
      assert.equal(p.entries.find((e) => e.key === 'default/web')!.change, 'kept');
    });
  }

  test('pool deleted while another remains: moved (≥0.14.2) vs stale (0.13)', () => {
    const two = model(pool('a', ['10.0.0.0/30']) + pool('b', ['10.1.0.0/30']) + svc('s', { ingress: ['10.0.0.1'] }));
    const onlyB = model(pool('b', ['10.1.0.0/30']));
    assert.deepEqual(planPoolChange(two, onlyB, { version: '0.14.8' }).entries.map((e) => [e.change, e.after.join(), e.poolAfter]), [['moved', '10.1.0.0', 'b']]);
    assert.equal(planPoolChange(two, onlyB, { version: '0.13.12' }).entries[0].change, 'stale');
  });

  test('last pool deleted: ≥0.14.2 clears every Service silently; 0.13 stale', () => {
    const one = model(pool('a', ['10.0.0.0/30']) + svc('s', { ingress: ['10.0.0.1'] }));
    const none = model('');
    const p = planPoolChange(one, none, { version: '0.14.8' });
    assert.deepEqual(p.entries.map((e) => [e.change, e.stateAfter, e.reason]), [['lost', 'pending', undefined]]);
    assert.equal(planPoolChange(one, none, { version: '0.13.12' }).entries[0].change, 'stale');
  });

  test('a Service with a deprecated annotation losing its pool: the reason is the allocation failure, not the deprecation warning', () => {
    const ann = { 'metallb.universe.tf/allow-shared-ip': 'k' };
    const before = model(pool('a', ['10.0.0.0/30']) + pool('b', ['10.1.0.0/32']) + svc('s', { ingress: ['10.0.0.1'], annotations: ann }) + svc('t', { ingress: ['10.1.0.0'] }));
    const p = planPoolChange(before, model(pool('b', ['10.1.0.0/32'])), { version: '0.16.1' });
    const s = p.entries.find((e) => e.key === 'default/s')!;
    assert.deepEqual([s.change, s.reason], ['lost', 'AllocationFailed']);
    assert.doesNotMatch(s.message!, /deprecated annotation/);
    assert.match(s.message!, /Failed to allocate IP for "default\/s"/);
  });

  test('avoidBuggyIPs turned on while a .0 IP is in use', () => {
    const b0 = model(pool('a', ['10.0.0.0/24']) + svc('s', { ingress: ['10.0.0.0'] }));
    const b1 = model(pool('a', ['10.0.0.0/24'], 'avoidBuggyIPs: true'));
    assert.deepEqual(planPoolChange(b0, b1, { version: '0.16.1' }).entries[0].after, ['10.0.0.1']);
    assert.equal(planPoolChange(b0, b1, { version: '0.13.12' }).entries[0].change, 'stale');
  });

  test('renamed pool with the same CIDRs: kept, re-homed', () => {
    const p = planPoolChange(model(pool('old', ['10.0.0.0/30']) + svc('s', { ingress: ['10.0.0.1'] })), model(pool('new', ['10.0.0.0/30'])), { version: '0.13.12' });
    assert.deepEqual(p.entries.map((e) => [e.change, e.poolBefore, e.poolAfter]), [['kept', 'old', 'new']]);
  });
});

describe('restart', () => {
  const seed000 = `kind: Scenario
metallbVersion: "0.13.12"
steps:
- apply:
  - apiVersion: metallb.io/v1beta1
    kind: IPAddressPool
    metadata: {name: pool, namespace: metallb-system}
    spec: {addresses: [192.168.1.0/32]}
- apply:
  - {apiVersion: v1, kind: Service, metadata: {name: holder, namespace: default}, spec: {type: LoadBalancer, clusterIPs: [10.96.0.2], ports: [{port: 80}]}}
- apply:
  - {apiVersion: v1, kind: Service, metadata: {name: a-pending, namespace: default}, spec: {type: LoadBalancer, clusterIPs: [10.96.0.3], ports: [{port: 80}]}}
- restartController: true
`;
  const run = (version: string) => {
    const p = parseScenario(seed000, 'seed000.yaml');
    assert.deepEqual(p.errors, []);
    return runScenario(p.scenario!, { version });
  };

  test('seed 000: on 0.13.12 a pending Service processed first steals the holder\'s IP', () => {
    const steps = run('0.13.12');
    assert.equal(steps[2].services.get('default/holder')!.ips[0], '192.168.1.0');
    const after = steps[3];
    assert.deepEqual(after.services.get('default/a-pending')!.ips, ['192.168.1.0']);
    const holder = after.services.get('default/holder')!;
    assert.equal(holder.state, 'pending');
    assert.deepEqual(holder.previousIPs, ['192.168.1.0']);
    assert.ok(
      after.events.some(
        (e) => e.reason === 'ClearAssignment' && e.message === 'current IP for "default/holder" not allowed by config, will attempt for new IP assignment: can\'t change sharing key for "default/holder", address also in use by default/a-pending',
      ),
    );
  });

  for (const version of ['0.14.8', '0.16.1']) {
    test(`seed 000: ${version} re-adopts holders before pending Services allocate`, () => {
      const after = run(version)[3];
      assert.deepEqual(after.services.get('default/holder')!.ips, ['192.168.1.0']);
      assert.equal(after.services.get('default/a-pending')!.state, 'pending');
    });
  }

  test('0.12: the synced gate protects the holder', () => {
    const ctrl = new MetalLBController({ version: '0.12.1' });
    const m = model(
      `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: metallb-system}\ndata:\n  config: |\n    address-pools:\n    - name: cm\n      protocol: layer2\n      addresses: [10.7.0.0/32]\n---\n` +
        svc('b-holder', { ingress: ['10.7.0.0'] }) +
        svc('a-pending'),
    );
    for (const s of m.services) ctrl.seedService(s);
    ctrl.setPoolObjects(m.pools);
    ctrl.restart();
    assert.deepEqual(ctrl.outcome('default/b-holder')!.ips, ['10.7.0.0']);
    assert.equal(ctrl.outcome('default/a-pending')!.state, 'pending');
  });

  test('simulate with startup: version shows the race too', async () => {
    const { simulate } = await import('../../shared/src/metallb/simulate.js');
    const m = model(pool('p', ['192.168.1.0/32']) + svc('holder', { ingress: ['192.168.1.0'] }) + svc('a-pending'));
    assert.equal(simulate(m, { version: '0.13.12' }).services.get('default/holder')!.state, 'assigned');
    assert.equal(simulate(m, { version: '0.13.12', startup: 'version' }).services.get('default/holder')!.state, 'pending');
  });
});

describe('controller lifecycle', () => {
  test('deleting a holder lets a pending Service take the IP (reprocess-all)', () => {
    const ctrl = new MetalLBController({ version: '0.16.1' });
    const m = model(pool('p', ['10.0.0.0/32']) + svc('a', { ingress: ['10.0.0.0'] }) + svc('b'));
    for (const s of m.services) ctrl.seedService(s);
    ctrl.setPoolObjects(m.pools);
    ctrl.restart();
    assert.equal(ctrl.outcome('default/b')!.state, 'pending');
    ctrl.drainEvents();
    ctrl.deleteService('default/a');
    assert.deepEqual(ctrl.outcome('default/b')!.ips, ['10.0.0.0']);
    assert.deepEqual(ctrl.drainEvents().map((e) => e.reason), ['IPAllocated']);
  });

  test('a Service deleted and created again under the same name: its old allocation is gone, the new one counts', () => {
    // The allocator finds slots through each Service's state, not by key, until something asks by
    // key (a deletion, a shared IP): the re-created key must not see its predecessor's slot.
    const ctrl = new MetalLBController({ version: '0.16.1' });
    const share = { 'metallb.io/allow-shared-ip': 'k' };
    const m = model(pool('p', ['10.0.0.0/31']) + svc('a', { ingress: ['10.0.0.0'], annotations: share }) + svc('b', { ports: ['TCP/81'], annotations: share }));
    for (const s of m.services) ctrl.seedService(s);
    ctrl.setPoolObjects(m.pools);
    ctrl.restart();
    assert.deepEqual([ctrl.outcome('default/a')!.ips, ctrl.outcome('default/b')!.ips], [['10.0.0.0'], ['10.0.0.0']]);
    ctrl.deleteService('default/a');
    const again = model(svc('a', { ports: ['TCP/81'], annotations: share })).services[0];
    ctrl.applyService(again);
    // Port 81 is b's on 10.0.0.0: the new a cannot share it and takes the next free address.
    assert.deepEqual(ctrl.outcome('default/a')!.ips, ['10.0.0.1']);
    ctrl.deleteService('default/b');
    ctrl.deleteService('default/a');
    const third = model(svc('c')).services[0];
    ctrl.applyService(third);
    assert.deepEqual(ctrl.outcome('default/c')!.ips, ['10.0.0.0']);
  });

  test('type changed away from LoadBalancer frees the IP and reprocesses', () => {
    const ctrl = new MetalLBController({ version: '0.16.1' });
    const m = model(pool('p', ['10.0.0.0/32']) + svc('a', { ingress: ['10.0.0.0'] }) + svc('b'));
    for (const s of m.services) ctrl.seedService(s);
    ctrl.setPoolObjects(m.pools);
    ctrl.restart();
    ctrl.applyService({ ...m.services[0], type: 'ClusterIP', ingressIPs: [] });
    assert.equal(ctrl.outcome('default/a')!.state, 'not-loadbalancer');
    assert.deepEqual(ctrl.outcome('default/b')!.ips, ['10.0.0.0']);
  });
});

describe('scenario parsing errors are positioned', () => {
  const cases: { name: string; text: string; line: number; message: RegExp }[] = [
    { name: 'missing version', text: 'kind: Scenario\nsteps: []\n', line: 1, message: /metallbVersion is required/ },
    { name: 'unknown version', text: 'kind: Scenario\nmetallbVersion: "0.9"\nsteps: []\n', line: 2, message: /older than 0.12/ },
    { name: 'two verbs in a step', text: 'kind: Scenario\nmetallbVersion: "0.14.8"\nsteps:\n- restartController: true\n  delete: []\n', line: 4, message: /exactly one of/ },
    { name: 'unknown step field', text: 'kind: Scenario\nmetallbVersion: "0.14.8"\nsteps:\n- restart: true\n', line: 4, message: /unknown step field "restart"/ },
    { name: 'bad apply', text: 'kind: Scenario\nmetallbVersion: "0.14.8"\nsteps:\n- apply: 3\n', line: 4, message: /apply takes a list/ },
    { name: 'YAML syntax', text: 'kind: Scenario\nsteps: [\n', line: 2, message: /YAML/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const p = parseScenario(c.text, 'x.yaml');
      assert.equal(p.scenario, undefined);
      assert.match(p.errors[0].message, c.message);
      assert.equal(p.errors[0].range.start.line, c.line);
      assert.equal(p.errors[0].file, 'x.yaml');
    });
  }
});
