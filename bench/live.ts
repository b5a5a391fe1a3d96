// `npm run bench:live`: `kubectl lb status` on 5,000 LoadBalancer Services and 20 pools against a
// real kube-apiserver (test/harness/kube), as a ratio to a raw paged list of the same objects in
// the same run (target ≤ 1.5×): in this process (status as a library call vs bench/rawList.mjs's
// list), and as processes (the CLI vs bench/rawList.mjs run by a fresh `node`: both pay Node's
// start-up). Writes the "Live status" section of BENCHMARKS.md (between markers, leaving the rest
// of the file alone). LBGUARD_BENCH_QUICK=1: 500 Services, no write.
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
import { rawList } from './rawList.mjs';

const QUICK = process.env.LBGUARD_BENCH_QUICK === '1';
const SERVICES = QUICK ? 500 : 5000;
const POOLS = 20;
const RUNS = 5;
const MLB = versions.metallb.at(-1)!;

const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
const verdict = (r: number) => (r <= 1.5 ? 'meets it' : 'misses it');

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
  // The API server and etcd keep working for a while after 10,000 writes (watch cache, compaction,
  // their own garbage collection): let that pass before anything is timed, for both paths alike.
  if (!QUICK) await new Promise((r) => setTimeout(r, 15_000));

  const kubeconfig = cluster.kubeconfigFor('reader');
  // Raw: the same objects status lists (Services, Namespaces, Service Events, pools, the controller
  // Deployment), each a plain paged list (node:https, one page after the other, JSON.parse), the
  // five lists at once: the yardstick, independent of lbguard's client (bench/rawList.mjs).
  const rawTarget = { server: cluster.server, ca, token: cluster.tokens.reader };
  const raw = async () => {
    await rawList(rawTarget);
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
  const loadStart = loadavg();
  for (const k of Object.keys(phases)) delete phases[k];
  const rawMs: number[] = [];
  const stMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    rawMs.push(await time(raw));
    stMs.push(await time(status));
  }
  // The CLI as users run it (process start, lazy loading, output to a pipe), and the raw list in
  // a fresh process the same way (its fair yardstick: Node's start-up is in both), alternately.
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO_ROOT });
  const rawEnv = { ...process.env, LBGUARD_RAW_SERVER: cluster.server, LBGUARD_RAW_CA: cluster.caFile, LBGUARD_RAW_TOKEN: cluster.tokens.reader };
  const rawProcMs: number[] = [];
  const cliMs: number[] = [];
  const PROCESS_RUNS = 9;
  for (let i = 0; i < PROCESS_RUNS; i++) {
    await new Promise((r) => setTimeout(r, 300));
    let a = performance.now();
    const rp = spawnSync(process.execPath, [join(REPO_ROOT, 'bench/rawList.mjs')], { encoding: 'utf8', env: rawEnv });
    rawProcMs.push(performance.now() - a);
    if (rp.status !== 0 || Number(rp.stdout) < SERVICES) throw new Error(`bench/rawList.mjs: ${rp.stderr || rp.stdout}`);
    await new Promise((r) => setTimeout(r, 300));
    a = performance.now();
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/kubectl-lb.cjs'), 'status', '--kubeconfig', kubeconfig, '-o', 'json'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    cliMs.push(performance.now() - a);
    if (r.status !== 0) throw new Error(r.stderr);
  }
  const rawMed = median(rawMs);
  const stMed = median(stMs);
  const ratio = stMed / rawMed;
  const rawProcMed = median(rawProcMs);
  const cliMed = median(cliMs);
  const rows = [
    `| Raw paged list, in-process (Services, Namespaces, Events, pools, Deployment: node:https, JSON.parse; bench/rawList.mjs) | ${rawMed.toFixed(0)} ms | 1.00× |`,
    `| \`status\` in-process (discovery + paged lists + documents + model + simulation + lint + report + JSON and wide table) | ${stMed.toFixed(0)} ms | ${ratio.toFixed(2)}× the in-process raw list |`,
    `| Raw paged list, fresh \`node\` process (\`node bench/rawList.mjs\`: Node's start-up + the same lists, median of ${PROCESS_RUNS}) | ${rawProcMed.toFixed(0)} ms | 1.00× (${(rawProcMed / rawMed).toFixed(2)}× the in-process raw list) |`,
    `| \`kubectl lb status -o json\` (CLI process, median of ${PROCESS_RUNS}) | ${cliMed.toFixed(0)} ms | ${(cliMed / rawProcMed).toFixed(2)}× the fresh-process raw list (${(cliMed / rawMed).toFixed(2)}× the in-process one) |`,
  ];
  console.log(rows.join('\n'));
  const steps = Object.entries(phases).map(([k, v]) => `${k} ${median(v).toFixed(0)} ms`).join(', ');
  console.log(`in-process steps (medians): ${steps}; load average ${load(loadStart)} at the start, ${load(loadavg())} at the end`);
  if (!QUICK) {
    const section = `<!-- live:start (bench/live.ts) -->
## Live status

\`npm run bench:live\` (\`bench/live.ts\`): \`kubectl lb status\` against a real kube-apiserver ${versions.kubernetes} + etcd
(test/harness/kube) holding ${SERVICES} LoadBalancer Services (50 namespaces, IPs in status) and ${POOLS} IPAddressPools,
MetalLB ${MLB} modelled from the controller Deployment's image; pages of 500. ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version},
${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), shared machine: load average (1/5/15 min) ${load(loadStart)} when the timed
runs began, ${load(loadavg())} at the end.

The timed runs begin 15 s after the Services are created (the API server and etcd settle first). The rows, in pairs. The raw paged list (\`bench/rawList.mjs\`: node:https, each list one page after the other, JSON.parse)
is the yardstick: it reads the same objects status reads and does nothing else. *In-process*: status as \`kubectl lb
status -o wide\` and \`-o json\` compute it (library calls, no process start), median of ${RUNS} runs alternating with the
raw list in the same process. *Processes*: the CLI as users run it (\`bin/kubectl-lb.cjs status -o json\`, output to a
pipe) against the same raw list run by a fresh \`node\`, alternately, median of ${PROCESS_RUNS} each: both pay Node's
start-up, so the CLI's ratio is taken against that row (the ratio to the in-process list, as before, is in brackets).
Target: status ≤ 1.5× the raw list, in each pair: this run ${verdict(ratio)} in-process (${ratio.toFixed(2)}×) and ${verdict(cliMed / rawProcMed)} as
processes (${(cliMed / rawProcMed).toFixed(2)}×).

| Path | wall (median) | vs raw list |
|---|---|---|
${rows.join('\n')}

In-process steps (median of each over the runs; each page's documents and model reads are made as it arrives, so they
count in the lists): ${steps}.
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
