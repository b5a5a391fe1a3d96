// Runs every *.test.ts under test/ with Node's own test runner (Node 20 has no glob support in
// --test, so the files are listed here). Fast suites run two at a time; the suites that start real
// components (kube-apiserver + MetalLB, code-server + Chromium, pre-commit installs) run one at a
// time so they do not starve each other on a 2-core machine. `node test/run.mjs cli rules` runs
// only the files under those folders.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('.', import.meta.url).pathname;
const HEAVY = ['integration', 'live', 'differential', 'e2e', 'precommit'];
const only = process.argv.slice(2);
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures' || name === 'harness') continue;
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.ts')) files.push(full);
  }
}
walk(root);
const selected = only.length ? files.filter((f) => only.some((o) => relative(root, f).startsWith(o))) : files;
if (selected.length === 0) {
  console.error(`no test files matched ${only.join(' ') || '(all)'}`);
  process.exit(1);
}
const isHeavy = (f) => HEAVY.includes(relative(root, f).split('/')[0]);
const phases = [
  { name: 'core, CLI and extension unit suites', files: selected.filter((f) => !isHeavy(f)), concurrency: process.env.LBGUARD_TEST_CONCURRENCY ?? '2' },
  { name: 'real-component suites', files: selected.filter(isHeavy), concurrency: '1' },
];

const tapDir = mkdtempSync(join(tmpdir(), 'lbguard-tests-'));
let passed = 0;
let failed = 0;
let status = 0;
phases.forEach((phase, i) => {
  if (phase.files.length === 0) return;
  console.log(`\n=== ${phase.name} (${phase.files.length} files)`);
  const tap = join(tapDir, `phase${i}.tap`);
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${phase.concurrency}`,
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...phase.files],
    { stdio: 'inherit' },
  );
  const text = readFileSync(tap, 'utf8');
  passed += Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  if (r.status !== 0) status = r.status ?? 1;
});
rmSync(tapDir, { recursive: true, force: true });
if (passed === 0) {
  console.error('no test ran');
  status ||= 1;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status);
