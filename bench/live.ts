// `npm run bench:live`: `kubectl lb status` on 5,000 LoadBalancer Services and 20 pools against a
// real kube-apiserver (test/harness/kube), as a ratio to a raw paged list of the same objects in
// the same run (target ≤ 1.5×). Writes the "Live status" section of BENCHMARKS.md (between
// markers, leaving the rest of the file alone). LBGUARD_BENCH_QUICK=1: 500 Services, no write.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type * as k8s from '@kubernetes/client-node';
import { startCluster } from '../test/harness/kube/cluster.js';
import { crdDir, REPO_ROOT, versions } from '../test/harness/kube/paths.js';
import { LiveStateSource } from '../kubectl-plugin/src/live/source.js';
import { loadState } from '../kubectl-plugin/src/commands/state.js';
import { settingsFrom } from '../kubectl-plugin/src/commands/common.js';
import { buildStatusReport } from '../shared/src/status/report.js';
import { renderStatus } from '../kubectl-plugin/src/commands/status.js';
import { stringifyPlain } from '../kubectl-plugin/src/format/json.js';

const QUICK = process.env.LBGUARD_BENCH_QUICK === '1';
const SERVICES = QUICK ? 500 : 5000;
const POOLS = 20;
const RUNS = 5;
const MLB = versions.metallb.at(-1)!;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function parallel<T>(items: T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

const cluster = await startCluster();
try {
  const ca = readFileSync(cluster.caFile);
  const agent = new https.Agent({ keepAlive: true, maxSockets: 32, ca });
  const call = (method: string, path: string, body: unknown) =>
    new Promise<void>((resolve, reject) => {
      const req = https.request(`${cluster.server}${path}`, { method, agent, headers: { Authorization: `Bearer ${cluster.tokens.admin}`, 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });

  await cluster.ensureMetalLBNamespace();
  await cluster.applyCRDs(crdDir(MLB));
  const namespaces = Array.from({ length: 50 }, (_, i) => `team-${i}`);
  for (const ns of namespaces) await cluster.ensureNamespace(ns);
  await cluster.apply([
    ...Array.from({ length: POOLS }, (_, p) => ({ apiVersion: 'metallb.io/v1beta1', kind: 'IPAddressPool', metadata: { name: `pool-${p}`, namespace: 'metallb-system' }, spec: { addresses: [`10.${100 + p}.0.0/24`] } })),
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'controller', namespace: 'metallb-system', labels: { app: 'metallb', component: 'controller' } }, spec: { selector: { matchLabels: { app: 'metallb', component: 'controller' } }, template: { metadata: { labels: { app: 'metallb', component: 'controller' } }, spec: { containers: [{ name: 'controller', image: `quay.io/metallb/controller:${MLB}` }] } } } } as k8s.KubernetesObject,
  ]);
  const t0 = Date.now();
  const idx = Array.from({ length: SERVICES }, (_, i) => i);
  // Services with the IPs MetalLB would have written (status), ~250 per pool; NodePorts off (5,000 > the NodePort range).
  await parallel(idx, 24, async (i) => {
    const ns = namespaces[i % namespaces.length];
    const name = `svc-${i}`;
    await call('POST', `/api/v1/namespaces/${ns}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name, labels: { app: name }, annotations: { 'metallb.io/ip-allocated-from-pool': `pool-${i % POOLS}` } }, spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }], selector: { app: name } } });
    const p = i % POOLS;
    const host = Math.floor(i / POOLS);
    await call('PATCH', `/api/v1/namespaces/${ns}/services/${name}/status`, { status: { loadBalancer: { ingress: [{ ip: `10.${100 + p}.0.${host}`, ipMode: 'VIP' }] } } });
  });
  agent.destroy();
  console.log(`created ${SERVICES} Services in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const kubeconfig = cluster.kubeconfigFor('reader');
  // Raw: the same objects status lists (Services, Namespaces, Service Events, pools, the controller
  // Deployment), each a plain paged list (node:https, one page after the other, JSON.parse), the
  // five lists at once: the yardstick, independent of lbguard's client.
  const raw = async () => {
    const agent = new https.Agent({ keepAlive: true, ca });
    const get = (path: string) =>
      new Promise<{ items: unknown[]; metadata?: { continue?: string } }>((resolve, reject) => {
        https
          .get(`${cluster.server}${path}`, { agent, headers: { Authorization: `Bearer ${cluster.tokens.reader}`, Accept: 'application/json' } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (d: Buffer) => chunks.push(d));
            res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))) : reject(new Error(`GET ${path}: ${res.statusCode}`))));
          })
          .on('error', reject);
      });
    const list = async (path: string, query: Record<string, string>) => {
      const items: unknown[] = [];
      let cont = '';
      do {
        const page = await get(`${path}?${new URLSearchParams({ ...query, limit: '500', ...(cont ? { continue: cont } : {}) })}`);
        for (const it of page.items) items.push(it);
        cont = page.metadata?.continue ?? '';
      } while (cont);
      return items;
    };
    await Promise.all([
      list('/api/v1/services', { fieldSelector: 'spec.type=LoadBalancer' }),
      list('/api/v1/namespaces', {}),
      list('/api/v1/events', { fieldSelector: 'involvedObject.kind=Service' }),
      list('/apis/metallb.io/v1beta1/ipaddresspools', {}),
      list('/apis/apps/v1/deployments', { labelSelector: 'app=metallb,component=controller' }),
    ]);
    agent.destroy();
  };
  const opts = { kubeconfig, output: 'json', color: 'never', maxFileSize: '10MB', requestTimeout: '0', chunkSize: '500' } as Record<string, unknown>;
  const phases: Record<string, number[]> = {};
  const status = async () => {
    const s = settingsFrom(opts);
    const src = new LiveStateSource(opts, { warn: () => undefined });
    let listed = 0;
    const st = await loadState(opts, s, { load: async () => { const snap = await src.load(); listed = snap.read.stats.ms; return snap; } });
    const b = performance.now();
    const report = buildStatusReport(st.model, { version: s.metallbVersion, simulation: st.simulation, findings: st.findings });
    const c = performance.now();
    stringifyPlain({ ...report, source: 'bench' });
    renderStatus(report, 'bench', s.c, { wide: true, noHeaders: false });
    src.close();
    const { read, model, simulation, lint } = st.timings;
    const steps = { 'discovery + lists': listed, documents: read - listed, model, simulation, lint, report: c - b, 'JSON + table': performance.now() - c };
    for (const [k, v] of Object.entries(steps)) (phases[k] ??= []).push(v);
    if (report.services.length !== SERVICES) throw new Error(`status saw ${report.services.length} Services`);
  };
  const time = async (fn: () => Promise<void>) => {
    // A pause first, the same for both paths: work the previous run left behind (the API
    // server's and this process's garbage collection) is not billed to whichever run comes next.
    await new Promise((r) => setTimeout(r, 300));
    const a = performance.now();
    await fn();
    return performance.now() - a;
  };
  await raw();
  await status(); // warm-up (JIT, watch cache)
  for (const k of Object.keys(phases)) delete phases[k];
  const rawMs: number[] = [];
  const stMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rawMs.push(await time(raw));
    stMs.push(await time(status));
  }
  // The CLI as users run it (process start, lazy loading, output to a pipe).
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  const cliMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const a = performance.now();
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/kubectl-lb.cjs'), 'status', '--kubeconfig', kubeconfig, '-o', 'json'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    cliMs.push(performance.now() - a);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const rawMed = median(rawMs);
  const stMed = median(stMs);
  const ratio = stMed / rawMed;
  const rows = [
    `| Raw paged list (Services, Namespaces, Events, pools, Deployment: node:https, JSON.parse) | ${rawMed.toFixed(0)} ms | 1.00× |`,
    `| \`status\` in-process (discovery + paged lists + documents + model + simulation + lint + report + JSON and wide table) | ${stMed.toFixed(0)} ms | ${ratio.toFixed(2)}× |`,
    `| \`kubectl lb status -o json\` (CLI process, median of 3) | ${median(cliMs).toFixed(0)} ms | ${(median(cliMs) / rawMed).toFixed(2)}× |`,
  ];
  console.log(rows.join('\n'));
  const steps = Object.entries(phases).map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(', ');
  console.log(`in-process steps (medians): ${steps}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  if (!QUICK) {
    const section = `<!-- live:start (bench/live.ts) -->
## Live status

\`npm run bench:live\` (\`bench/live.ts\`): \`kubectl lb status\` against a real kube-apiserver ${versions.kubernetes} + etcd
(test/harness/kube) holding ${SERVICES} LoadBalancer Services (50 namespaces, IPs in status) and ${POOLS} IPAddressPools,
MetalLB ${MLB} modelled from the controller Deployment's image. Median of ${RUNS} alternating runs, same process, same
run; pages of 500. Target: status ≤ 1.5× the raw list. ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version},
${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${loadavg()[0].toFixed(1)} (shared machine).

| Path | wall (median) | vs raw list |
|---|---|---|
${rows.join('\n')}

In-process steps (median of each over the runs): ${steps}.
<!-- live:end -->
`;
    const path = join(REPO_ROOT, 'BENCHMARKS.md');
    const prev = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
    const re = /<!-- live:start[\s\S]*?<!-- live:end -->\n?/;
    writeFileSync(path, re.test(prev) ? prev.replace(re, section) : `${prev.trimEnd()}\n\n${section}`);
    console.log('wrote the Live status section of BENCHMARKS.md');
  }
} finally {
  await cluster.stop();
}
