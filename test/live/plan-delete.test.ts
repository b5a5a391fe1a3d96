// `kubectl lb plan --live --delete-pool` against a real kube-apiserver and the real MetalLB
// controller: the plan is made first, then the pool is really deleted and what the controller did
// must be what the plan said. v0.13.12 refuses the new config (stale: every Service keeps its IP);
// v0.16.2 unassigns the deleted pool's IPs, re-allocates from the pools left or leaves the Service
// Pending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { startCluster, type TestCluster } from '../harness/kube/cluster.js';
import { startMetalLB, type MetalLBController } from '../harness/kube/metallb.js';
import { ensureBuilt, ingressIPs, lbAsync, pool, service, waitFor, waitForIPs } from './helpers.js';

interface PlanJson {
  metallbVersion: string;
  entries: { namespace: string; name: string; key: string; before: string[]; after: string[]; poolBefore?: string; poolAfter?: string; change: string; reason?: string; message?: string }[];
  configError?: { message: string; stale: boolean };
  summary: { services: number; kept: number; moved: number; lost: number; stale: number };
}

async function plan(cluster: TestCluster, args: string[]): Promise<{ code: number | null; doc: PlanJson; stderr: string }> {
  const r = await lbAsync(['plan', '--live', ...args, '--kubeconfig', cluster.kubeconfigFor('reader'), '-o', 'json']);
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  return { code: r.code, doc: JSON.parse(r.stdout) as PlanJson, stderr: r.stderr };
}

async function eventReasons(cluster: TestCluster, namespace: string, name: string): Promise<string[]> {
  const core = cluster.kubeConfig('admin').makeApiClient(k8s.CoreV1Api);
  const evs = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name},involvedObject.kind=Service` });
  return evs.items.map((e) => e.reason ?? '');
}

/**
 * One version's cluster: pool `gone` (auto-assign) gives IPs to `auto` (no pool asked), `pinned`
 * (its address-pool annotation names `gone`) and `requested` (spec.loadBalancerIP in `gone`); pool
 * `keep` (auto-assign, added later) gives one to `stay`. Deleting `gone` is what is planned.
 */
function fixture(ns: string, octet: number) {
  const gone = pool(`gone-${ns}`, [`192.168.${octet}.0/30`]);
  const keep = pool(`keep-${ns}`, [`192.168.${octet + 1}.0/30`]);
  const svc = (name: string, spec: Record<string, unknown> = {}, ann: Record<string, string> = {}) => service(ns, name, spec, ann);
  const first = [svc('requested', { loadBalancerIP: `192.168.${octet}.3` }), svc('auto'), svc('pinned', {}, { 'metallb.universe.tf/address-pool': gone.metadata!.name! })];
  const later = [svc('stay', {}, { 'metallb.universe.tf/address-pool': keep.metadata!.name! })];
  return { gone, keep, first, later, services: [...first, ...later] };
}

async function setUp(cluster: TestCluster, ns: string, f: ReturnType<typeof fixture>): Promise<Map<string, string[]>> {
  await cluster.ensureNamespace(ns);
  await cluster.apply([f.gone]);
  await cluster.apply(f.first);
  for (const s of f.first) await waitForIPs(cluster, ns, s.metadata!.name!);
  // keep comes after the first Services have their IPs: until gone is deleted it is the only auto-assign pool.
  await cluster.apply([f.keep, ...f.later]);
  for (const s of f.later) await waitForIPs(cluster, ns, s.metadata!.name!);
  return held(cluster, ns, f);
}

async function held(cluster: TestCluster, ns: string, f: ReturnType<typeof fixture>): Promise<Map<string, string[]>> {
  const m = new Map<string, string[]>();
  for (const s of f.services) m.set(`${ns}/${s.metadata!.name}`, await ingressIPs(cluster, ns, s.metadata!.name!));
  return m;
}

/** The same plan offline: a snapshot as --from, the snapshot without the pool as --to. */
async function offlinePlan(cluster: TestCluster, dir: string, poolName: string): Promise<PlanJson> {
  const state = join(dir, `state-${poolName}.yaml`);
  const snap = await lbAsync(['snapshot', '-o', state, '--kubeconfig', cluster.kubeconfigFor('reader')]);
  assert.equal(snap.code, 0, snap.stderr);
  const list = parse(readFileSync(state, 'utf8')) as { items: { kind: string; metadata: { name: string } }[] };
  const without = join(dir, `without-${poolName}.yaml`);
  writeFileSync(without, stringify({ ...list, items: list.items.filter((o) => !(o.kind === 'IPAddressPool' && o.metadata.name === poolName)) }));
  const r = await lbAsync(['plan', '--from', state, '--to', without, '-o', 'json']);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return JSON.parse(r.stdout) as PlanJson;
}

test('plan --live --delete-pool: what MetalLB v0.13.12 and v0.16.2 do when the pool is really deleted', { timeout: 420_000 }, async (t) => {
  ensureBuilt();
  const cluster = await startCluster();
  t.after(() => cluster.stop());
  await cluster.ensureMetalLBNamespace();
  const dir = mkdtempSync(join(tmpdir(), 'lbguard-plan-delete-'));
  let mlb: MetalLBController | undefined;
  t.after(() => mlb?.stop());

  await t.test('v0.13.12: the config goes stale, every Service keeps its IP', async (st) => {
    const ns = 'del13';
    const f = fixture(ns, 50);
    // The next version starts from a clean slate, whatever happened here.
    st.after(async () => {
      await cluster.remove([...f.services, f.gone, f.keep]);
      await mlb?.stop();
    });
    mlb = await startMetalLB(cluster, 'v0.13.12');
    const before = await setUp(cluster, ns, f);
    const goneName = f.gone.metadata!.name!;

    const unknown = await lbAsync(['plan', '--live', '--delete-pool', 'nope', '--kubeconfig', cluster.kubeconfigFor('reader')]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stdout, '');
    // (The API server's deprecation warning for 0.13's AddressPool CRD may come first.)
    assert.equal(unknown.stderr.trimEnd().split('\n').at(-1), `error: --delete-pool nope: no pool metallb-system/nope in the cluster (live pools: metallb-system/${goneName}, metallb-system/keep-${ns})`);

    const { code, doc } = await plan(cluster, ['--delete-pool', goneName]);
    assert.equal(code, 1);
    assert.equal(doc.metallbVersion, '0.13.12');
    assert.equal(doc.configError?.stale, true);
    assert.match(doc.configError!.message, /^new config not compatible with assigned IPs: service "del13\/(auto|pinned|requested)" cannot own/);
    const by = new Map(doc.entries.map((e) => [e.key, e]));
    for (const n of ['auto', 'pinned', 'requested']) assert.equal(by.get(`${ns}/${n}`)?.change, 'stale', n);
    assert.equal(by.get(`${ns}/stay`)?.change, 'kept');
    assert.deepEqual(await offlinePlan(cluster, dir, goneName), doc, 'the live plan is the offline plan of a snapshot without the pool');

    // The table: the same entries, MetalLB's refusal above them.
    const table = await lbAsync(['plan', '--live', '--delete-pool', `metallb-system/${goneName}`, '--kubeconfig', cluster.kubeconfigFor('reader')]);
    assert.equal(table.code, 1, table.stderr);
    assert.match(table.stdout, /^MetalLB keeps its old configuration \(stale config\): new config not compatible with assigned IPs/m);
    assert.match(table.stdout, new RegExp(`^${ns} +auto +stale +${before.get(`${ns}/auto`)![0].replaceAll('.', '\\.')} `, 'm'));
    assert.match(table.stdout, /4 Service\(s\) holding IPs: 1 kept, 0 moved, 0 lost, 3 stale\.\n$/);

    const logFrom = readFileSync(mlb.logPath, 'utf8').length;
    await cluster.remove([f.gone]);
    await waitFor('MetalLB to refuse the config without the pool', async () => (readFileSync(mlb!.logPath, 'utf8').slice(logFrom).includes('new config not compatible with assigned IPs') ? true : undefined), 30_000);
    const after = await held(cluster, ns, f);
    for (const e of doc.entries) assert.deepEqual(after.get(e.key), e.after, `${e.key}: the plan's after is what MetalLB left`);
    assert.deepEqual(after, before, 'nothing moved');
  });

  await t.test('v0.16.2: the deleted pool\'s IPs are unassigned; auto moves to the pool left, the others go Pending', async () => {
    const ns = 'del16';
    const f = fixture(ns, 60);
    mlb = await startMetalLB(cluster, 'v0.16.2');
    const before = await setUp(cluster, ns, f);
    const goneName = f.gone.metadata!.name!;

    const { code, doc } = await plan(cluster, ['--delete-pool', goneName]);
    assert.equal(code, 1);
    assert.equal(doc.metallbVersion, '0.16.2');
    assert.equal(doc.configError, undefined);
    const by = new Map(doc.entries.map((e) => [e.key, e]));
    const auto = by.get(`${ns}/auto`)!;
    assert.deepEqual([auto.change, auto.poolBefore, auto.poolAfter, auto.before], ['moved', goneName, `keep-${ns}`, before.get(`${ns}/auto`)]);
    assert.deepEqual(auto.after, ['192.168.61.1'], 'keep\'s first free IP (stay holds .0)');
    for (const n of ['pinned', 'requested']) assert.equal(by.get(`${ns}/${n}`)?.change, 'lost', n);
    assert.equal(by.get(`${ns}/stay`)?.change, 'kept');
    assert.deepEqual(doc.summary, { services: 4, kept: 1, moved: 1, lost: 2, stale: 0 });
    assert.deepEqual(await offlinePlan(cluster, dir, goneName), doc, 'the live plan is the offline plan of a snapshot without the pool');

    await cluster.remove([f.gone]);
    // Settled once every Service of the deleted pool has other IPs or none.
    const after = await waitFor('MetalLB to re-allocate the deleted pool\'s Services', async () => {
      const now = await held(cluster, ns, f);
      const settled = doc.entries.filter((e) => e.poolBefore === goneName).every((e) => now.get(e.key)!.join(',') !== e.before.join(','));
      return settled ? now : undefined;
    }, 30_000);
    for (const e of doc.entries) assert.deepEqual(after.get(e.key), e.after, `${e.key}: the plan's after is what MetalLB did`);
    for (const e of doc.entries.filter((x) => x.change === 'lost')) {
      assert.ok(e.reason, `${e.key}: the plan names MetalLB's reason`);
      const reasons = await waitFor(`event ${e.reason} on ${e.key}`, async () => {
        const r = await eventReasons(cluster, ns, e.name);
        return r.includes(e.reason!) ? r : undefined;
      }, 30_000);
      assert.ok(reasons.includes(e.reason!));
    }
  });
});
