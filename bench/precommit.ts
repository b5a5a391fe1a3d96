// pre-commit bench: `npm run bench:precommit`. Time per lbguard-lint hook run on a generated repo of
// 1,000 manifests (10 pool files, 990 Service files, a state snapshot, .lbguard.yaml include: pools/),
// with the hook environment already installed (the install is timed separately, once per lbguard
// commit: the store is kept under $LBGUARD_CACHE/pre-commit-bench). Writes the "pre-commit"
// section of BENCHMARKS.md (between markers), leaving the rest of the file alone.
// LBGUARD_BENCH_QUICK=1: 100 manifests, 3 runs, BENCHMARKS.md untouched.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const QUICK = process.env.LBGUARD_BENCH_QUICK === '1';
const MANIFESTS = QUICK ? 100 : 1000;
const RUNS = QUICK ? 3 : 7;
const POOL_FILES = 10;
const START = '<!-- bench/precommit.ts: start -->';
const END = '<!-- bench/precommit.ts: end -->';

// LBGUARD_BENCH_REV: the lbguard commit to install as the hook (default HEAD; reuse an installed one).
const rev = process.env.LBGUARD_BENCH_REV ?? execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
const cache = join(process.env.LBGUARD_CACHE ?? join(homedir(), '.cache', 'lbguard'), 'pre-commit-bench');
mkdirSync(cache, { recursive: true });
const env: NodeJS.ProcessEnv = { ...process.env, PRE_COMMIT_HOME: cache, NO_COLOR: '1', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };
for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];

function sh(cmd: string, args: string[], cwd: string): { status: number; out: string; ms: number } {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 256 << 20 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  return { status: r.status ?? -1, out: `${r.stdout}${r.stderr}`, ms };
}

function write(dir: string, p: string, text: string) {
  mkdirSync(dirname(join(dir, p)), { recursive: true });
  writeFileSync(join(dir, p), text);
}

// ---- the repository: pool i holds 10.i.0.0/16; Service j requests one IP in pool j % 10 and holds it.
const dir = mkdtempSync(join(tmpdir(), 'lbguard-bench-precommit-'));
const services = MANIFESTS - POOL_FILES;
const ipOf = (j: number) => `10.${j % POOL_FILES}.${Math.floor(j / 250) % 250}.${(j % 250) + 1}`;
const stateItems: string[] = [];
for (let i = 0; i < POOL_FILES; i++) {
  // One pool per pair of team namespaces, distinct priorities: no pool-random-choice, a clean repo.
  const pool = `apiVersion: metallb.io/v1beta1\nkind: IPAddressPool\nmetadata:\n  name: pool-${i}\n  namespace: metallb-system\nspec:\n  addresses:\n  - 10.${i}.0.0/16\n  avoidBuggyIPs: true\n  serviceAllocation:\n    priority: ${i + 1}\n    namespaces: [team-${i}, team-${i + POOL_FILES}]\n`;
  write(dir, `infra/pools/pool-${i}.yaml`, pool);
  stateItems.push(`- apiVersion: metallb.io/v1beta1\n  kind: IPAddressPool\n  metadata: {name: pool-${i}, namespace: metallb-system}\n  spec: {addresses: [10.${i}.0.0/16], avoidBuggyIPs: true, serviceAllocation: {priority: ${i + 1}, namespaces: [team-${i}, team-${i + POOL_FILES}]}}`);
}
for (let j = 0; j < services; j++) {
  const ns = `team-${j % 20}`;
  write(
    dir,
    `apps/${ns}/svc-${j}.yaml`,
    `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${j}\n  namespace: ${ns}\n  annotations:\n    metallb.io/loadBalancerIPs: ${ipOf(j)}\nspec:\n  type: LoadBalancer\n  selector: {app: svc-${j}}\n  ports:\n  - name: https\n    port: 443\n    targetPort: 8443\n`,
  );
  stateItems.push(`- apiVersion: v1\n  kind: Service\n  metadata: {name: svc-${j}, namespace: ${ns}, annotations: {metallb.io/loadBalancerIPs: ${ipOf(j)}}}\n  spec: {type: LoadBalancer, ports: [{port: 443}]}\n  status: {loadBalancer: {ingress: [{ip: ${ipOf(j)}}]}}`);
}
write(dir, 'cluster-state.yaml', `apiVersion: v1\nkind: List\nitems:\n${stateItems.join('\n')}\n`);
write(dir, '.lbguard.yaml', 'include:\n- infra/pools/\n');
write(dir, '.pre-commit-config.yaml', `repos:\n- repo: ${JSON.stringify(ROOT.replace(/\/$/, ''))}\n  rev: ${rev}\n  hooks:\n  - id: lbguard-lint\n    args: [--state, cluster-state.yaml]\n`);
const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
git('init', '-q', '-b', 'main');
git('config', 'user.email', 'bench@lbguard.invalid');
git('config', 'user.name', 'bench');
git('add', '-A');
git('commit', '-q', '-m', 'init');

// ---- install (timed; a no-op when this lbguard commit's environment is already in the cache)
const install = sh('pre-commit', ['install-hooks'], dir);
if (install.status !== 0) throw new Error(`pre-commit install-hooks failed:\n${install.out}`);
const hookInstall = sh('pre-commit', ['install'], dir);
if (hookInstall.status !== 0) throw new Error(`pre-commit install failed:\n${hookInstall.out}`);
const hookBin = (() => {
  const db = sh('python3', ['-c', `import sqlite3,sys;c=sqlite3.connect(${JSON.stringify(join(cache, 'db.db'))});print(c.execute("select path from repos where repo=? and ref=?",(sys.argv[1],sys.argv[2])).fetchone()[0])`, ROOT.replace(/\/$/, ''), rev], dir);
  return join(db.out.trim(), 'node_env-system', 'bin', 'kubectl-lb');
})();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function bench(label: string, setup: () => void, cmd: string, args: string[], expect: number): [string, string, string] {
  const times: number[] = [];
  let last = '';
  for (let i = 0; i < RUNS; i++) {
    setup();
    const r = sh(cmd, args, dir);
    last = r.out;
    if (r.status !== expect) throw new Error(`${label}: exit ${r.status}, expected ${expect}\n${r.out.slice(0, 4000)}`);
    times.push(r.ms);
  }
  const files = /in (\d+) files?\b/.exec(last)?.[1];
  const fileCount = files ? `${files} file${files === '1' ? '' : 's'} linted` : /(\d+) problems?/.exec(last)?.[0] ?? '';
  return [label, `${median(times).toFixed(0)} ms`, `${Math.min(...times).toFixed(0)}–${Math.max(...times).toFixed(0)} ms${fileCount ? ` (${fileCount})` : ''}`];
}

const oneService = `apps/team-3/svc-3.yaml`;
const pool0 = 'infra/pools/pool-0.yaml';
const origPool = readFileSync(join(dir, pool0), 'utf8');
const stageService = () => {
  write(dir, oneService, readFileSync(join(dir, oneService), 'utf8').replace('targetPort: 8443', `targetPort: ${8000 + Math.floor(Math.random() * 999)}`));
  git('add', oneService);
};
const stageNarrowing = () => {
  git('reset', '-q');
  git('checkout', '-q', '--', '.');
  write(dir, pool0, origPool.replace('10.0.0.0/16', '10.0.128.0/17'));
  git('add', pool0);
};
const reset = () => {
  git('reset', '-q');
  git('checkout', '-q', '--', '.');
};

const rows: [string, string, string][] = [];
rows.push(bench('git commit of one Service (hook passes; commit undone after)', () => {
  stageService();
}, 'bash', ['-c', 'git commit -q -m t && git reset -q --soft HEAD~1'], 0));
reset();
rows.push(bench('pre-commit run, 1 staged Service (pools via include)', stageService, 'pre-commit', ['run', 'lbguard-lint'], 0));
reset();
rows.push(bench('pre-commit run, pool narrowed (blocked, names the moved Services)', stageNarrowing, 'pre-commit', ['run', 'lbguard-lint'], 1));
reset();
rows.push(bench(`pre-commit run --all-files (${MANIFESTS} manifests)`, () => {}, 'pre-commit', ['run', 'lbguard-lint', '--all-files'], 0));
rows.push(bench('kubectl-lb lint --staged directly (hook env bin, 1 staged Service)', stageService, hookBin, ['lint', '--staged', '--state', 'cluster-state.yaml'], 0));
reset();
if (process.env.LBGUARD_BENCH_KEEP === "1") console.log(`kept ${dir}`);
else rm();

function rm() {
  rmSync(dir, { recursive: true, force: true });
}

const table = ['| run | median | range (runs: ' + RUNS + ') |', '|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
console.log(`hook install (pre-commit install-hooks): ${(install.ms / 1000).toFixed(1)} s${install.ms < 5000 ? ' (already installed)' : ''}`);
console.log(table);

if (!QUICK) {
  const cpu = cpus();
  const section = `## pre-commit

${START}
Produced by \`npm run bench:precommit\` (\`bench/precommit.ts\`), ${new Date().toISOString().slice(0, 10)}, Node ${process.version},
${cpu[0]?.model ?? 'unknown CPU'} (nproc ${cpu.length}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end), the real pre-commit (${sh('pre-commit', ['--version'], ROOT).out.trim()}).
A generated repository of ${MANIFESTS} manifests: ${POOL_FILES} IPAddressPool files and ${services} Service files (each
requesting an IP), a state snapshot holding all ${services} IPs (\`args: [--state, cluster-state.yaml]\`) and
\`.lbguard.yaml\` \`include: [infra/pools/]\`. The hook environment was installed beforehand
(\`pre-commit install-hooks\` of lbguard at ${rev.slice(0, 12)}: ${install.ms < 5000 ? 'cached' : `${(install.ms / 1000).toFixed(0)} s, mostly npm fetching and building`}).

${table}

Each run reads the staged files and the include paths from the index (one \`git cat-file --batch\`) and their
\`HEAD\` versions as the baseline, parses the ${services}-Service state snapshot and runs every rule. pre-commit
itself (Python start-up, stashing, file classification) is part of the "pre-commit run" rows; the last row is
lbguard alone. The machine is shared, so treat the numbers as indicative.
${END}
`;
  const path = join(ROOT, 'BENCHMARKS.md');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const a = text.indexOf('## pre-commit\n');
  const b = text.indexOf(END);
  const next = a >= 0 && b > a ? text.slice(0, a) + section.trimEnd() + text.slice(b + END.length) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(path, next.endsWith('\n') ? next : `${next}\n`);
  console.log('wrote the pre-commit section of BENCHMARKS.md');
}
