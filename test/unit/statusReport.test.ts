// buildStatusReport on small inline states: restart-risk advice, Services another controller serves,
// the shared list of other controllers' classes, and who "says" a Pending Service's message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { simulate } from '../../shared/src/metallb/simulate.js';
import { buildModel } from '../../shared/src/model/build.js';
import { OTHER_CONTROLLER_CLASSES } from '../../shared/src/model/loadBalancerClasses.js';
import { buildStatusReport, type StatusReport } from '../../shared/src/status/report.js';

const POOL = `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: default, namespace: metallb-system}
spec: {addresses: [10.0.0.1-10.0.0.9]}
`;

function svc(name: string, extra: { ip?: string; cls?: string; annotations?: Record<string, string> } = {}): string {
  return `
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default${extra.annotations ? `, annotations: ${JSON.stringify(extra.annotations)}` : ''}}
spec: {type: LoadBalancer, clusterIP: 10.96.0.${10 + name.length}, clusterIPs: [10.96.0.${10 + name.length}], ipFamilies: [IPv4], ipFamilyPolicy: SingleStack${extra.cls ? `, loadBalancerClass: ${extra.cls}` : ''}, ports: [{port: 80, protocol: TCP}]}
status: {loadBalancer: ${extra.ip ? `{ingress: [{ip: ${extra.ip}}]}` : '{}'}}
`;
}

function report(docs: string[], opts: { version: string; lbClass?: string; simulate?: boolean }): StatusReport {
  const file = parseManifestText(docs.join('\n---\n'), 'state.yaml');
  const { model } = buildModel([file], { metallbNamespace: 'metallb-system', lbClass: opts.lbClass });
  const simulation = opts.simulate ? simulate(model, { version: opts.version, namespace: 'metallb-system', lbClass: opts.lbClass }) : undefined;
  return buildStatusReport(model, { version: opts.version, simulation });
}

const rules = (r: StatusReport, id: string) => r.problems.filter((p) => p.rule === id);

test('restart-risk: 0.13.x only; advice uses the version\'s annotation prefix and does not suggest pinning holders', () => {
  const state = [POOL, svc('web', { ip: '10.0.0.1' }), svc('waiting')];
  const r13 = report(state, { version: '0.13.12' });
  const [p] = rules(r13, 'restart-risk');
  assert.ok(p, 'reported on 0.13.12');
  assert.match(p.message, /Upgrade to ≥0\.14\.2/);
  assert.match(p.message, /leave no Service Pending/);
  assert.match(p.message, /metallb\.universe\.tf\/loadBalancerIPs/, '0.13 reads only the old prefix');
  assert.doesNotMatch(p.message, /metallb\.io\/loadBalancerIPs/);
  assert.doesNotMatch(p.message, /pin critical Services/);
  assert.match(p.message, /1 assigned Service\(s\)/);
  assert.equal(rules(report(state, { version: '0.13.0' }), 'restart-risk').length, 1);
  // 0.12 has the synced gate; v0.14.0/v0.14.1 carry 0.14.2's initialLoadPerformed gate.
  for (const v of ['0.12.1', '0.14.0', '0.14.1', '0.14.2', '0.14.9', '0.16.2']) {
    assert.deepEqual(rules(report(state, { version: v }), 'restart-risk'), [], v);
  }
});

test('Services of another controller are ignored: no ip-outside-pools, not counted as assigned, not holders', () => {
  const state = [
    POOL,
    svc('web', { ip: '10.0.0.1' }),
    svc('cilium', { ip: '172.16.0.5', cls: 'io.cilium/bgp-control-plane' }),
    svc('kubevip', { ip: '10.0.0.1', cls: 'kube-vip.io/kube-vip-class' }),
    svc('custom', { ip: '172.16.0.6', cls: 'example.com/own-lb' }),
  ];
  const r = report(state, { version: '0.14.9', simulate: true });
  const { model } = buildModel([parseManifestText(state.join('\n---\n'), 'state.yaml')], { metallbNamespace: 'metallb-system' });
  const sim = simulate(model, { version: '0.14.9', namespace: 'metallb-system' });
  assert.deepEqual(rules(r, 'ip-outside-pools'), []);
  assert.deepEqual(rules(r, 'duplicate-ip'), [], 'kube-vip\'s IP is not MetalLB\'s to judge');
  assert.deepEqual(rules(r, 'lb-class-unhandled'), [], 'a Service with an IP is served by someone');
  assert.deepEqual(r.ips.map((i) => i.ip), ['10.0.0.1']);
  assert.deepEqual(r.ips[0].services, ['default/web']);
  assert.equal(r.summary.assigned, 1);
  assert.equal(r.summary.ignored, 3);
  for (const name of ['cilium', 'kubevip', 'custom']) {
    const s = r.services.find((x) => x.name === name)!;
    assert.equal(s.state, 'ignored', name);
    assert.equal(s.pool, undefined, name);
    assert.match(s.reason!, /^handled by another controller/, name);
    assert.equal(sim.services.get(`default/${name}`)!.state, 'ignored', `${name}: as the simulated controller`);
  }
  // 0.12 has no class filter: MetalLB processes (and judges) every Service.
  const r12 = report([`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: config, namespace: metallb-system}\ndata:\n  config: |\n    address-pools:\n    - {name: default, protocol: layer2, addresses: [10.0.0.1-10.0.0.9]}\n`, state[2]], { version: '0.12.1' });
  assert.equal(rules(r12, 'ip-outside-pools').length, 1);
  assert.equal(r12.services[0].state, 'assigned');
});

test('a Service of MetalLB\'s own class outside the pools is still reported', () => {
  const r = report([POOL, svc('old', { ip: '172.16.0.9', cls: 'metallb.io/internal' })], { version: '0.14.9', lbClass: 'metallb.io/internal' });
  assert.equal(rules(r, 'ip-outside-pools').length, 1);
  assert.equal(r.services[0].state, 'assigned');
});

test('lb-class-unhandled uses the shared list of other controllers\' classes', () => {
  for (const cls of ['purelb.io/purelb', 'loxilb.io/loxilb', 'eks.amazonaws.com/nlb', 'io.cilium/bgp-control-plane', 'tailscale']) {
    const r = report([POOL, svc('x', { cls })], { version: '0.14.9' });
    assert.deepEqual(rules(r, 'lb-class-unhandled'), [], cls);
    assert.match(r.services[0].reason!, /^handled by another controller/, cls);
  }
  const r = report([POOL, svc('x', { cls: 'example.com/internal' })], { version: '0.14.9' });
  assert.equal(rules(r, 'lb-class-unhandled').length, 1);
  assert.doesNotMatch(r.services[0].reason!, /another controller/);
  assert.ok(OTHER_CONTROLLER_CLASSES.includes('purelb.io/'));
});

test('pending-service: "MetalLB says" only for a recorded event; a simulated outcome is labelled as lbguard\'s prediction', () => {
  const pending = svc('waiting');
  // No event: the simulation predicts an assignment; it is not MetalLB's word.
  const r = report([POOL, pending], { version: '0.14.9', simulate: true });
  const [p] = rules(r, 'pending-service');
  assert.doesNotMatch(p.message, /MetalLB says/);
  assert.match(p.message, /no MetalLB event seen; lbguard predicts: IPAllocated: Assigned IP \["10\.0\.0\.1"\]/);
  const s = r.services[0];
  assert.equal(s.messageFrom, 'prediction');
  assert.equal(s.latestEvent, undefined);
  // A recorded event is quoted as MetalLB's.
  const event = `
apiVersion: v1
kind: Event
metadata: {name: waiting.1, namespace: default}
involvedObject: {kind: Service, name: waiting, namespace: default}
reason: AllocationFailed
type: Warning
message: 'Failed to allocate IP for "default/waiting": no available IPs'
`;
  const r2 = report([POOL, pending, event], { version: '0.14.9', simulate: true });
  const [p2] = rules(r2, 'pending-service');
  assert.match(p2.message, /\(MetalLB says: AllocationFailed: Failed to allocate IP for "default\/waiting": no available IPs\)/);
  assert.equal(r2.services[0].messageFrom, 'event');
  // Neither: says so.
  const [p3] = rules(report([POOL, pending], { version: '0.14.9' }), 'pending-service');
  assert.match(p3.message, /no MetalLB event explains it/);
});

test('IP owners: IPv4 (IPv4-mapped IPv6 too) by value, then IPv6, text that is no IP by its text; pools count held IPs per family', () => {
  const pool = `
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata: {name: dual, namespace: metallb-system}
spec: {addresses: [10.0.0.1-10.0.0.9, "fd00::/120"]}
`;
  const held = ['10.0.0.3', 'fd00::5', '::ffff:10.0.0.2', 'not-an-ip', '10.0.0.1', '2001:db8::1', '10.0.0.10'];
  const r = report([pool, ...held.map((ip, i) => svc(`s${i}`, { ip: JSON.stringify(ip) }))], { version: '0.14.9' });
  assert.deepEqual(
    r.ips.map((o) => `${o.ip}@${o.pool ?? '-'}`),
    ['10.0.0.1@dual', '::ffff:10.0.0.2@dual', '10.0.0.3@dual', '10.0.0.10@-', '2001:db8::1@-', 'fd00::5@dual', 'not-an-ip@-'],
  );
  assert.equal(r.pools[0].ipv4?.used, '3');
  assert.equal(r.pools[0].ipv6?.used, '1');
  assert.deepEqual([r.summary.assigned, r.summary.pending, r.summary.ignored], [7, 0, 0]);
});
