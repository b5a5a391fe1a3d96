// The lbguard-lint hook through the real pre-commit: `pre-commit install` in throwaway repos whose
// .pre-commit-config.yaml points at this checkout (rev = its HEAD, so commit hook changes first),
// then real `git commit`s. All repos share one PRE_COMMIT_HOME, so the hook's npm install runs once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, initRepo, lbguardHead, NARROWED, POOLS, preCommitConfig, preCommitVersion, run, sandbox, service, STATE, WEB, writeFiles, type Run } from './helpers.js';

const sb = sandbox('precommit-hook');
const rev = lbguardHead();
const STATE_ARGS = ['--state', 'cluster-state.yaml'];

function repo(name: string, files: Record<string, string>, args: string[] = STATE_ARGS, extra: string[] = []): string {
  const dir = initRepo(join(sb.dir, name), sb.env, { '.pre-commit-config.yaml': preCommitConfig(rev, args, extra), ...files });
  const r = run('pre-commit', ['install'], dir, sb.env);
  assert.equal(r.status, 0, r.out);
  return dir;
}

const BASE = { 'pools/pools.yaml': POOLS, 'apps/web.yaml': WEB, 'cluster-state.yaml': STATE };

function commit(dir: string, message: string): Run {
  return run('git', ['commit', '-m', message], dir, sb.env);
}

function commits(dir: string): number {
  return Number(git(dir, sb.env, 'rev-list', '--count', 'HEAD').trim());
}

describe(`lbguard-lint hook with the real pre-commit`, () => {
  before(() => {
    process.stderr.write(`# ${preCommitVersion()}, hook repo ${rev.slice(0, 12)}\n`);
    // The one install of the hook environment (npm install of this repo); every repo below reuses it.
    const dir = repo('install', BASE);
    const t0 = Date.now();
    const r = run('pre-commit', ['install-hooks'], dir, sb.env);
    assert.equal(r.status, 0, `pre-commit install-hooks failed:\n${r.out}\n${safeLog()}`);
    process.stderr.write(`# hook environment installed in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  });
  after(() => sb.cleanup());

  it('passes `pre-commit run --all-files` on a clean repo (state file and config are not linted as manifests)', () => {
    const dir = repo('all-files', { ...BASE, '.lbguard.yaml': 'include: [pools/]\n' });
    const r = run('pre-commit', ['run', '--all-files'], dir, sb.env);
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /lbguard.*Passed/);
  });

  it('blocks a commit that narrows a pool so an assigned IP falls out, naming the Service', () => {
    const dir = repo('narrow', BASE);
    writeFiles(dir, { 'pools/pools.yaml': NARROWED });
    git(dir, sb.env, 'add', 'pools/pools.yaml');
    const r = commit(dir, 'narrow prod');
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /lbguard.*Failed/);
    assert.match(r.out, /pools\/pools\.yaml:\d+:\d+ error cidr-edit-reassigns/);
    assert.match(r.out, /default\/web 192\.168\.10\.200/);
    assert.equal(commits(dir), 1, 'the commit must not happen');
  });

  it('checks what is staged, not the working tree: a staged bad edit fixed only in the working tree is still blocked', () => {
    const dir = repo('staged-bad', BASE);
    writeFiles(dir, { 'pools/pools.yaml': NARROWED });
    git(dir, sb.env, 'add', 'pools/pools.yaml');
    writeFiles(dir, { 'pools/pools.yaml': POOLS.replace('192.168.10.0/24', '192.168.10.0/23') }); // fixed, unstaged
    const r = commit(dir, 'narrow prod, fix not staged');
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /cidr-edit-reassigns/);
    assert.equal(commits(dir), 1);
    // pre-commit put the unstaged fix back.
    assert.match(readFileSync(join(dir, 'pools/pools.yaml'), 'utf8'), /192\.168\.10\.0\/23/);
  });

  it('and vice versa: a staged good edit with a bad one only in the working tree commits', () => {
    const dir = repo('staged-good', BASE);
    writeFiles(dir, { 'pools/pools.yaml': POOLS.replace('192.168.10.0/24', '192.168.10.0/23') });
    git(dir, sb.env, 'add', 'pools/pools.yaml');
    writeFiles(dir, { 'pools/pools.yaml': NARROWED }); // bad, unstaged
    const r = commit(dir, 'widen prod');
    assert.equal(r.status, 0, r.out);
    assert.equal(commits(dir), 2);
    assert.match(git(dir, sb.env, 'show', 'HEAD:pools/pools.yaml'), /192\.168\.10\.0\/23/);
    assert.match(readFileSync(join(dir, 'pools/pools.yaml'), 'utf8'), /192\.168\.10\.0\/25/);
  });

  it('blocks a commit adding a Service with spec.loadBalancerIP', () => {
    const dir = repo('lbip', BASE);
    writeFiles(dir, { 'apps/legacy.yaml': service('legacy', { loadBalancerIP: '192.168.10.50' }) });
    git(dir, sb.env, 'add', 'apps/legacy.yaml');
    const r = commit(dir, 'add legacy');
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /apps\/legacy\.yaml:\d+:\d+ warning deprecated-loadbalancerip/);
    assert.equal(commits(dir), 1);
  });

  for (const [what, config] of [
    ['the rule set to info', 'rules:\n  deprecated-loadbalancerip: info\n'],
    ['failOn: error', 'failOn: error\n'],
  ] as const) {
    it(`only warns about spec.loadBalancerIP with .lbguard.yaml ${what}: the commit goes through`, () => {
      const dir = repo(`lbip-${what.replace(/\W+/g, '-')}`, { ...BASE, '.lbguard.yaml': config });
      writeFiles(dir, { 'apps/legacy.yaml': service('legacy', { loadBalancerIP: '192.168.10.50' }) });
      git(dir, sb.env, 'add', 'apps/legacy.yaml');
      const r = commit(dir, 'add legacy');
      assert.equal(r.status, 0, r.out);
      assert.match(r.out, /lbguard.*Passed/);
      assert.equal(commits(dir), 2);
      // The finding is still there, below the bar (run the hook verbosely on the committed file).
      const v = run('pre-commit', ['run', 'lbguard-lint', '--verbose', '--files', 'apps/legacy.yaml'], dir, sb.env);
      assert.equal(v.status, 0, v.out);
      assert.match(v.out, /deprecated-loadbalancerip/);
    });
  }

  it('with always_run: true, a commit that only deletes a pool file is blocked too (pools from include at HEAD)', () => {
    const dir = repo('delete', { ...BASE, '.lbguard.yaml': 'include: [pools/]\n' }, STATE_ARGS, ['always_run: true']);
    git(dir, sb.env, 'rm', '-q', 'pools/pools.yaml');
    const r = commit(dir, 'drop the pool');
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, /cidr-edit-reassigns Deleting pool prod/);
    assert.equal(commits(dir), 1);
  });

  it('lets a clean commit through (new Service inside the pool, pool widened)', () => {
    const dir = repo('clean', BASE);
    writeFiles(dir, {
      'apps/api.yaml': service('api', { annotationIP: '192.168.10.60' }),
      'pools/pools.yaml': POOLS.replace('192.168.10.0/24', '192.168.10.0/23'),
    });
    git(dir, sb.env, 'add', '.');
    const r = commit(dir, 'api');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, /lbguard.*Passed/);
    assert.equal(commits(dir), 2);
  });

  describe('a Service-only commit is checked against pools in files pre-commit did not pass', () => {
    const files = { 'pools/pools.yaml': POOLS, 'apps/web.yaml': WEB };
    const add = (dir: string) => {
      writeFiles(dir, { 'apps/api.yaml': service('api', { annotationIP: '10.99.0.7' }) });
      git(dir, sb.env, 'add', 'apps/api.yaml');
      return commit(dir, 'api outside the pools');
    };

    it('include: in .lbguard.yaml', () => {
      const dir = repo('include-config', { ...files, '.lbguard.yaml': 'include:\n- pools/\n' }, []);
      const r = add(dir);
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, /apps\/api\.yaml:\d+:\d+ error requested-ip-outside-pools/);
      assert.match(r.out, /MetalLB reads pool prod/);
      assert.doesNotMatch(r.out, /pools\/pools\.yaml:/, 'context files are not reported');
      assert.equal(commits(dir), 1);
    });

    it('--include in the hook args', () => {
      const dir = repo('include-args', files, ['--include', 'pools']);
      const r = add(dir);
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, /requested-ip-outside-pools/);
    });

    it('the include comes from the index: an unstaged edit adding the IP to the pool does not help', () => {
      const dir = repo('include-index', { ...files, '.lbguard.yaml': 'include: [pools]\n' }, []);
      writeFiles(dir, { 'pools/pools.yaml': POOLS.replace('- 192.168.10.0/24', '- 192.168.10.0/24\n  - 10.99.0.0/24') }); // unstaged
      const r = add(dir);
      assert.notEqual(r.status, 0, r.out);
      assert.match(r.out, /requested-ip-outside-pools/);
    });

    it('control: without include the same commit passes (the pools are unknown)', () => {
      const dir = repo('include-none', files, []);
      const r = add(dir);
      assert.equal(r.status, 0, r.out);
    });
  });
});

function safeLog(): string {
  try {
    return readFileSync(join(sb.env.PRE_COMMIT_HOME!, 'pre-commit.log'), 'utf8');
  } catch {
    return '';
  }
}
