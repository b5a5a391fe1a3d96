// `kubectl lb lint --staged` without pre-commit: the index is what is linted (never the working
// tree), HEAD is the baseline, include paths come from the index. Runs the real bundle.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, run as lb } from '../cli/helpers.js';
import { git, initRepo, NARROWED, POOLS, sandbox, service, STATE, WEB, writeFiles } from './helpers.js';

const sb = sandbox('staged');
const WIDE = POOLS.replace('192.168.10.0/24', '192.168.10.0/23');
const BASE = { 'pools/pools.yaml': POOLS, 'apps/web.yaml': WEB, 'cluster-state.yaml': STATE };
let n = 0;
const repo = (files: Record<string, string> = BASE) => initRepo(join(sb.dir, `r${n++}`), sb.env, files);
const lint = (dir: string, ...args: string[]) => lb(['lint', ...args], { cwd: dir, env: { ...sb.env, NO_COLOR: '1' } });

describe('lint --staged', () => {
  before(() => ensureBuilt());
  after(() => sb.cleanup());

  it('a staged bad pool edit fixed only in the working tree still fails (HEAD baseline, state names the Service)', () => {
    const dir = repo();
    writeFiles(dir, { 'pools/pools.yaml': NARROWED });
    git(dir, sb.env, 'add', 'pools/pools.yaml');
    writeFiles(dir, { 'pools/pools.yaml': WIDE });
    const r = lint(dir, '--staged', '--state', 'cluster-state.yaml');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /pools\/pools\.yaml:\d+:\d+ error cidr-edit-reassigns .*default\/web 192\.168\.10\.200/);
    // The working tree alone is fine.
    const wt = lint(dir, 'pools/', '--baseline', 'HEAD', '--state', 'cluster-state.yaml');
    assert.equal(wt.code, 0, wt.stdout);
  });

  it('and vice versa: a staged good edit passes while the working tree holds a bad one', () => {
    const dir = repo();
    writeFiles(dir, { 'pools/pools.yaml': WIDE });
    git(dir, sb.env, 'add', 'pools/pools.yaml');
    writeFiles(dir, { 'pools/pools.yaml': NARROWED });
    const r = lint(dir, '--staged', '--state', 'cluster-state.yaml');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /in 1 file/);
    const wt = lint(dir, 'pools/', '--baseline', 'HEAD', '--state', 'cluster-state.yaml');
    assert.equal(wt.code, 1, wt.stdout);
  });

  it('without paths lints only staged files: unstaged and committed files are left alone', () => {
    const dir = repo({ ...BASE, 'apps/old.yaml': service('old', { loadBalancerIP: '192.168.10.40' }) });
    writeFiles(dir, { 'apps/new.yaml': service('new', { loadBalancerIP: '192.168.10.50' }), 'apps/untracked.yaml': service('u', { loadBalancerIP: '192.168.10.51' }) });
    git(dir, sb.env, 'add', 'apps/new.yaml');
    const r = lint(dir, '--staged', '-o', 'json');
    assert.equal(r.code, 1, r.stderr);
    const files = new Set((JSON.parse(r.stdout).findings as { file: string }[]).map((f) => f.file));
    assert.deepEqual([...files], ['apps/new.yaml']);
    // Nothing staged: nothing to lint, exit 0.
    git(dir, sb.env, 'commit', '-q', '-m', 'new', '--no-verify');
    const none = lint(dir, '--staged');
    assert.equal(none.code, 0, none.stdout);
    assert.match(none.stdout, /0 files/);
  });

  it('named paths: their index version, staged or not (pre-commit run --all-files); untracked ones from disk', () => {
    const dir = repo({ ...BASE, 'apps/old.yaml': service('old', { loadBalancerIP: '192.168.10.40' }) });
    writeFiles(dir, { 'apps/old.yaml': service('old', { annotationIP: '192.168.10.40' }), 'apps/untracked.yaml': service('u', { loadBalancerIP: '192.168.10.51' }) });
    const r = lint(dir, '--staged', 'apps/old.yaml', 'apps/untracked.yaml', '-o', 'json');
    assert.equal(r.code, 1, r.stderr);
    const found = (JSON.parse(r.stdout).findings as { file: string; rule: string }[]).map((f) => `${f.file} ${f.rule}`).sort();
    assert.deepEqual(found, ['apps/old.yaml deprecated-loadbalancerip', 'apps/untracked.yaml deprecated-loadbalancerip']);
    // A directory argument: every indexed YAML file below it, staged or not.
    const d = lint(dir, '--staged', 'apps', '-o', 'json');
    assert.deepEqual([...new Set((JSON.parse(d.stdout).findings as { file: string }[]).map((f) => f.file))], ['apps/old.yaml']);
  });

  it('include paths come from the index (.lbguard.yaml include and --include)', () => {
    const dir = repo({ 'pools/pools.yaml': POOLS, 'apps/web.yaml': WEB, '.lbguard.yaml': 'include: [pools/]\n' });
    writeFiles(dir, { 'apps/api.yaml': service('api', { annotationIP: '10.99.0.7' }) });
    git(dir, sb.env, 'add', 'apps/api.yaml');
    // The working tree's pool would hold 10.99.0.7; the index's does not.
    writeFiles(dir, { 'pools/pools.yaml': POOLS.replace('- 192.168.10.0/24', '- 192.168.10.0/24\n  - 10.99.0.0/24') });
    const r = lint(dir, '--staged');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /apps\/api\.yaml:\d+:\d+ error requested-ip-outside-pools/);
    assert.doesNotMatch(r.stdout, /^pools\//m);
    git(dir, sb.env, 'add', 'pools/pools.yaml');
    const ok = lint(dir, '--staged', 'apps/api.yaml');
    assert.equal(ok.code, 0, ok.stdout);
    // Without the config's include the pools are unknown and the Service alone is fine; --include brings them back.
    git(dir, sb.env, 'rm', '-q', '--cached', '.lbguard.yaml');
    rmSync(join(dir, '.lbguard.yaml'));
    git(dir, sb.env, 'reset', '-q', 'pools/pools.yaml');
    assert.equal(lint(dir, '--staged', 'apps/api.yaml').code, 0);
    assert.equal(lint(dir, '--staged', 'apps/api.yaml', '--include', 'pools').code, 1);
  });

  it('a pool file deleted or renamed in the commit still counts: its HEAD version under include joins the baseline', () => {
    const dir = repo({ ...BASE, '.lbguard.yaml': 'include: [pools/]\n' });
    git(dir, sb.env, 'rm', '-q', 'pools/pools.yaml');
    const r = lint(dir, '--staged', '--state', 'cluster-state.yaml');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /^HEAD:pools\/pools\.yaml:\d+:\d+ error cidr-edit-reassigns Deleting pool prod .*default\/web 192\.168\.10\.200/m);
    // Renamed, unchanged: nothing moves.
    git(dir, sb.env, 'reset', '-q', 'HEAD', '--', 'pools/pools.yaml');
    git(dir, sb.env, 'checkout', '-q', '--', 'pools/pools.yaml');
    git(dir, sb.env, 'mv', 'pools/pools.yaml', 'pools/metallb.yaml');
    const mv = lint(dir, '--staged', '--state', 'cluster-state.yaml');
    assert.equal(mv.code, 0, mv.stdout + mv.stderr);
  });

  it('-o github and -o sarif report staged files with their repository paths', () => {
    const dir = repo();
    writeFiles(dir, { 'pools/pools.yaml': NARROWED });
    git(dir, sb.env, 'add', '.');
    const gh = lint(dir, '--staged', '--state', 'cluster-state.yaml', '-o', 'github');
    assert.equal(gh.code, 1);
    assert.match(gh.stdout, /^::error file=pools\/pools\.yaml,line=\d+,.*title=lbguard cidr-edit-reassigns::/m);
    const sarif = lint(dir, '--staged', '--state', 'cluster-state.yaml', '-o', 'sarif');
    assert.equal(sarif.code, 1);
    const results = JSON.parse(sarif.stdout).runs[0].results as { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
    assert.ok(results.some((x) => x.ruleId === 'cidr-edit-reassigns' && x.locations[0].physicalLocation.artifactLocation.uri === 'pools/pools.yaml'));
  });

  it('works before the first commit (no baseline) and in a subdirectory', () => {
    const dir = join(sb.dir, 'fresh');
    initRepo(dir, sb.env, { 'README.md': 'x\n' });
    git(dir, sb.env, 'update-ref', '-d', 'HEAD');
    writeFiles(dir, { 'deploy/apps/legacy.yaml': service('legacy', { loadBalancerIP: '192.168.10.50' }) });
    git(dir, sb.env, 'add', '.');
    const r = lint(dir, '--staged');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /deploy\/apps\/legacy\.yaml:/);
    const sub = lint(join(dir, 'deploy'), '--staged');
    assert.match(sub.stdout, /^apps\/legacy\.yaml:/m);
  });

  it('outside a git work tree: exit 2 with one clear line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lbguard-nogit-'));
    try {
      const r = lint(dir, '--staged', '--', '.');
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /^error: --staged: not inside a git work tree\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
