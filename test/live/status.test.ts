// `kubectl lb status` / `explain` / `snapshot` / `plan --live` against a real kube-apiserver and the
// real MetalLB controller: what lbguard reports must be what MetalLB did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { startCluster, type TestCluster } from '../harness/kube/cluster.js';
import { startMetalLB } from '../harness/kube/metallb.js';
import { comparable, ensureBuilt, ingressIPs, lbAsync, pool, service, sleep, waitFor, waitForEvent, waitForIPs } from './helpers.js';

const NS = 'apps';

interface StatusJson {
  metallb: { version: string; versionSource: string; namespace: string; image?: string };
  pools: { name: string; active: boolean; ipv4?: { used: string; total: string; available: string; level: string }; ipv6?: { used: string; total: string } }[];
  ips: { ip: string; pool?: string; services: string[]; shared: boolean }[];
  services: { namespace: string; name: string; state: string; ips: string[]; pool?: string; reason?: string; message?: string }[];
  problems: { rule: string; severity: string; message: string }[];
  summary: { services: number; assigned: number; pending: number; ignored: number };
}

async function status(cluster: TestCluster, user: 'admin' | 'reader' | 'nocrd' = 'reader', extra: string[] = []): Promise<StatusJson> {
  const r = await lbAsync(['status', '--kubeconfig', cluster.kubeconfigFor(user), '-o', 'json', ...extra]);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as StatusJson;
}

/** Every LoadBalancer Service's IPs as the API server has them. */
async function actual(cluster: TestCluster): Promise<Map<string, string[]>> {
  const core = cluster.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
  const list = await core.listServiceForAllNamespaces();
  return new Map(list.items.filter((s) => s.spec?.type === 'LoadBalancer').map((s) => [`${s.metadata!.namespace}/${s.metadata!.name}`, (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip!).filter(Boolean)]));
}

function assertMatchesCluster(st: StatusJson, real: Map<string, string[]>): void {
  assert.equal(st.services.length, real.size);
  for (const s of st.services) {
    assert.deepEqual(s.ips, real.get(`${s.namespace}/${s.name}`), `${s.namespace}/${s.name}`);
    assert.equal(s.state === 'assigned', s.ips.length > 0);
  }
}

const svc = (name: string, spec: Record<string, unknown> = {}, ann: Record<string, string> = {}) => service(NS, name, spec, ann);

test('status/explain/snapshot/plan --live match what MetalLB v0.13.12, v0.14.8 and v0.16.2 did', { timeout: 420_000 }, async (t) => {
  ensureBuilt();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  await cluster.ensureMetalLBNamespace();
  await cluster.ensureNamespace(NS);
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-live-'));

  // Only p-v4 auto-assigns: MetalLB's choice is deterministic.
  await cluster.applyCRDs(join((await import('../harness/kube/paths.js')).crdDir('v0.13.12')));
  await cluster.apply([
    pool('p-v4', ['192.168.20.0/29']),
    pool('p-dual', ['192.168.21.0/30', 'fd00:21::/126'], { autoAssign: false }),
    pool('p-manual', ['192.168.22.0/30'], { autoAssign: false }),
  ]);
  await cluster.apply([
    service(NS, 'auto', {}, {}, { tier: 'web' }),
    svc('dual', { ipFamilyPolicy: 'RequireDualStack' }, { 'metallb.universe.tf/address-pool': 'p-dual' }),
    svc('share-a', { loadBalancerIP: '192.168.20.5' }, { 'metallb.universe.tf/allow-shared-ip': 'k' }),
    { ...svc('share-b', { loadBalancerIP: '192.168.20.5', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] }, { 'metallb.universe.tf/allow-shared-ip': 'k' }) },
    svc('requested', { loadBalancerIP: '192.168.22.2' }),
    svc('classed', { loadBalancerClass: 'example.com/other' }),
    svc('outside', { loadBalancerIP: '10.9.9.9' }),
  ]);
  let mlb = await startMetalLB(cluster, 'v0.13.12');
  t.after(() => mlb.stop());
  for (const n of ['auto', 'share-a', 'share-b', 'requested']) await waitForIPs(cluster, NS, n);
  await waitForIPs(cluster, NS, 'dual', 2);
  await waitForEvent(cluster, NS, 'outside', 'AllocationFailed');

  await t.test('status -o json (reader) is what MetalLB did', async () => {
    const st = await status(cluster);
    assertMatchesCluster(st, await actual(cluster));
    assert.equal(st.metallb.version, '0.13.12');
    assert.equal(st.metallb.versionSource, 'image');
    assert.equal(st.metallb.namespace, 'metallb-system');
    const by = new Map(st.services.map((s) => [s.name, s]));
    assert.deepEqual(by.get('auto')!.ips, ['192.168.20.0']);
    assert.equal(by.get('auto')!.pool, 'p-v4');
    assert.deepEqual(by.get('share-a')!.ips, ['192.168.20.5']);
    assert.deepEqual(by.get('share-b')!.ips, ['192.168.20.5']);
    assert.equal(by.get('dual')!.ips.length, 2);
    assert.ok(by.get('dual')!.ips.some((ip) => ip.startsWith('fd00:21::')));
    assert.equal(by.get('requested')!.pool, 'p-manual');
    assert.equal(by.get('classed')!.state, 'ignored');
    assert.equal(by.get('outside')!.state, 'pending');
    assert.match(by.get('outside')!.message ?? '', /not allowed in config/);
    const shared = st.ips.find((i) => i.ip === '192.168.20.5')!;
    assert.deepEqual(shared.services, [`${NS}/share-a`, `${NS}/share-b`]);
    assert.equal(shared.shared, true);
    const pv4 = st.pools.find((p) => p.name === 'p-v4')!;
    assert.deepEqual([pv4.ipv4!.used, pv4.ipv4!.total], ['2', '8']); // .0 (auto) and .5 (shared, counted once)
    const pdual = st.pools.find((p) => p.name === 'p-dual')!;
    assert.deepEqual([pdual.ipv4!.used, pdual.ipv6!.used], ['1', '1']);
    const rules = new Set(st.problems.map((p) => p.rule));
    for (const r of ['pending-service', 'restart-risk', 'lb-class-unhandled']) assert.ok(rules.has(r), `${r} in ${[...rules].join(', ')}`);
    assert.ok(!rules.has('duplicate-ip'));
    assert.deepEqual([st.summary.services, st.summary.assigned, st.summary.pending, st.summary.ignored], [7, 5, 1, 1]);
  });

  await t.test('table and -o wide; -n and -l filter Services', async () => {
    const r = await lbAsync(['status', '--kubeconfig', cluster.kubeconfigFor('reader'), '-o', 'wide']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^MetalLB 0\.13\.12 \(image quay\.io\/metallb\/controller:v0\.13\.12\), namespace metallb-system/);
    assert.match(r.stdout, /192\.168\.20\.5\s+p-v4\s+apps\/share-a,apps\/share-b\s+yes/);
    assert.match(r.stdout, /7 LoadBalancer Services \(5 assigned, 1 pending, 1 ignored\)/);
    const n = await status(cluster, 'reader', ['-n', 'default']);
    assert.equal(n.services.length, 0);
    const l = await lbAsync(['status', '--kubeconfig', cluster.kubeconfigFor('reader'), '-o', 'json', '-l', 'tier=web']);
    assert.deepEqual(JSON.parse(l.stdout).services.map((s: { name: string }) => s.name), ['auto']);
    const fail = await lbAsync(['status', '--kubeconfig', cluster.kubeconfigFor('reader'), '--fail-on', 'error']);
    assert.equal(fail.code, 1, 'restart-risk is an error');
  });

  await t.test('explain gives MetalLB\'s reason', async () => {
    const r = await lbAsync(['explain', `${NS}/outside`, '--kubeconfig', cluster.kubeconfigFor('reader'), '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const ex = JSON.parse(r.stdout);
    assert.equal(ex.service.state, 'pending');
    assert.match(ex.verdict, /10\.9\.9\.9/);
    assert.ok(ex.events.some((e: { reason: string }) => e.reason === 'AllocationFailed'));
    const c = await lbAsync(['explain', `${NS}/classed`, '--kubeconfig', cluster.kubeconfigFor('reader')]);
    assert.match(c.stdout, /example\.com\/other/);
    const missing = await lbAsync(['explain', `${NS}/nope`, '--kubeconfig', cluster.kubeconfigFor('reader')]);
    assert.equal(missing.code, 2);
  });

  await t.test('snapshot round trip: status live == status --state <snapshot>', async () => {
    const file = join(dir, 'state.yaml');
    const s = await lbAsync(['snapshot', '-o', file, '--kubeconfig', cluster.kubeconfigFor('reader')]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stderr, /wrote \d+ objects .*Service/);
    const live = await status(cluster);
    const off = await lbAsync(['status', '--state', file, '-o', 'json']);
    assert.equal(off.code, 0, off.stderr);
    assert.deepEqual(comparable(JSON.parse(off.stdout)), comparable(live as unknown as Record<string, unknown>));
    const lint = await lbAsync(['lint', '--state', file, file]);
    assert.ok(lint.code === 0 || lint.code === 1, lint.stderr);
  });

  await t.test('plan --live -f: which live Services a pool edit moves', async () => {
    const edited = join(dir, 'pools.yaml');
    writeFileSync(edited, 'apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: p-v4\n  namespace: metallb-system\nspec:\n  addresses: [192.168.30.0/29]\n');
    const r = await lbAsync(['plan', '--live', '-f', edited, '--kubeconfig', cluster.kubeconfigFor('reader'), '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const plan = JSON.parse(r.stdout);
    const auto = plan.entries.find((e: { name: string }) => e.name === 'auto');
    assert.deepEqual(auto.before, ['192.168.20.0']);
    assert.notEqual(auto.change, 'kept');
    const req = plan.entries.find((e: { name: string }) => e.name === 'requested');
    assert.equal(req.change, 'kept');
    const none = await lbAsync(['plan', '--live', '--kubeconfig', cluster.kubeconfigFor('reader')]);
    assert.equal(none.code, 2);
  });

  await t.test('pool deletion: the IP it gave stays on the Service, outside every pool', async () => {
    await cluster.apply([pool('p-temp', ['192.168.23.0/30'], { autoAssign: false }), svc('temp', {}, { 'metallb.universe.tf/address-pool': 'p-temp' })]);
    const ips = await waitForIPs(cluster, NS, 'temp');
    await cluster.remove([pool('p-temp', [])]);
    await sleep(1500);
    const st = await status(cluster);
    assertMatchesCluster(st, await actual(cluster));
    const now = await ingressIPs(cluster, NS, 'temp');
    if (now.length) {
      assert.deepEqual(now, ips);
      assert.ok(st.problems.some((p) => p.rule === 'ip-outside-pools' && p.message.includes(ips[0])), JSON.stringify(st.problems.map((p) => p.rule)));
    }
  });

  await t.test('controller restart with Pending Services on v0.13.12: restart-risk before, status matches after', async () => {
    const before = await status(cluster);
    assert.ok(before.problems.some((p) => p.rule === 'restart-risk'));
    await mlb.restart();
    await sleep(3000);
    const after = await status(cluster);
    assertMatchesCluster(after, await actual(cluster));
  });

  await t.test('v0.14.8: PreferDualStack without a dual-stack pool stays Pending (seed 001)', async () => {
    await mlb.stop();
    await cluster.applyCRDs(join((await import('../harness/kube/paths.js')).crdDir('v0.14.8')));
    await cluster.apply([svc('prefer', { ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv4', 'IPv6'] }, { 'metallb.universe.tf/address-pool': 'p-manual' })]);
    mlb = await startMetalLB(cluster, 'v0.14.8');
    await waitForEvent(cluster, NS, 'prefer', 'AllocationFailed');
    const st = await status(cluster);
    assert.equal(st.metallb.version, '0.14.8');
    assertMatchesCluster(st, await actual(cluster));
    const prefer = st.services.find((s) => s.name === 'prefer')!;
    assert.equal(prefer.state, 'pending');
    assert.ok(!st.problems.some((p) => p.rule === 'restart-risk'), '0.14.8 has the start-up gate');
    const ex = JSON.parse((await lbAsync(['explain', `${NS}/prefer`, '--kubeconfig', cluster.kubeconfigFor('reader'), '-o', 'json'])).stdout);
    assert.equal(ex.service.state, 'pending');
    assert.match(JSON.stringify(ex.steps), /dual|PreferDualStack/i);
    // --metallb-version overrides the image.
    const o = await status(cluster, 'reader', ['--metallb-version', '0.14.9']);
    assert.equal(o.metallb.versionSource, 'option');
  });

  await t.test('v0.16.2: PreferDualStack falls back to one family; pool .status counters agree with the computed usage', async () => {
    await mlb.stop();
    await cluster.applyCRDs(join((await import('../harness/kube/paths.js')).crdDir('v0.16.2')));
    mlb = await startMetalLB(cluster, 'v0.16.2');
    await waitForIPs(cluster, NS, 'prefer');
    const st = await waitFor('IPAddressPool status counters', async () => {
      const s = await status(cluster);
      const p = s.pools.find((x) => x.name === 'p-manual') as { reported?: { assignedIPv4?: number } } | undefined;
      return p?.reported?.assignedIPv4 !== undefined && p.reported.assignedIPv4 >= 2 ? s : undefined;
    }, 60_000, 1000);
    assert.equal(st.metallb.version, '0.16.2');
    assertMatchesCluster(st, await actual(cluster));
    for (const p of st.pools.filter((x) => x.active) as (StatusJson['pools'][number] & { reported?: { assignedIPv4?: number; availableIPv4?: number } })[]) {
      if (p.reported?.assignedIPv4 === undefined || !p.ipv4) continue;
      assert.equal(String(p.reported.assignedIPv4), p.ipv4.used, `${p.name}: MetalLB's counter vs lbguard's`);
      assert.equal(String(p.reported.availableIPv4), p.ipv4.available, `${p.name} available`);
      assert.equal((p as { usageFrom?: string }).usageFrom, 'status');
    }
    // Before 0.15 there are no counters: computed.
    assert.ok(st.pools.some((p) => (p as { reported?: unknown }).reported), 'counters read');
  });

  await waitFor('nothing', async () => true, 1);
});
