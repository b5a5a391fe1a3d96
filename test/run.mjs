// Runs every *.test.ts under test/ (or under the folders named on the command line) with
// Node's own test runner. Node 20 has no glob support in --test, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('.', import.meta.url).pathname;
const only = process.argv.slice(2);
const files = [];
function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') continue;
    if (statSync(full).isDirectory()) walk(full);
    else if (name.endsWith('.test.ts')) files.push(full);
  }
}
walk(root);
const selected = only.length
  ? files.filter((f) => only.some((o) => relative(root, f).startsWith(o)))
  : files;
if (selected.length === 0) {
  console.error(`no test files matched ${only.join(' ') || '(all)'}`);
  process.exit(1);
}
const concurrency = process.env.LBGUARD_TEST_CONCURRENCY ?? '2';
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...selected],
  { stdio: 'inherit' },
);
process.exit(r.status ?? 1);
