// `pre-commit try-repo <this checkout> lbguard-lint --files …`, the way a user tries the hook before
// adding it to a config. try-repo clones the checkout at HEAD (with a temporary commit of uncommitted
// changes to tracked files) into a fresh store of its own, so this pays for one full hook install.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { git, initRepo, NARROWED, POOLS, preCommitVersion, ROOT, run, sandbox, service, STATE, WEB, writeFiles } from './helpers.js';

const sb = sandbox('precommit-try-repo');

describe('pre-commit try-repo', () => {
  after(() => sb.cleanup());

  it('installs the hook from this checkout and fails on staged problems, naming file and rule', () => {
    process.stderr.write(`# ${preCommitVersion()}\n`);
    const dir = initRepo(join(sb.dir, 'user'), sb.env, { 'pools/pools.yaml': POOLS, 'apps/web.yaml': WEB, 'cluster-state.yaml': STATE });
    writeFiles(dir, { 'pools/pools.yaml': NARROWED, 'apps/legacy.yaml': service('legacy', { loadBalancerIP: '192.168.10.50' }) });
    git(dir, sb.env, 'add', '.');
    const t0 = Date.now();
    const r = run(
      'pre-commit',
      ['try-repo', ROOT.replace(/\/$/, ''), 'lbguard-lint', '--verbose', '--files', 'pools/pools.yaml', 'apps/legacy.yaml'],
      dir,
      sb.env,
    );
    process.stderr.write(`# try-repo (install + run) took ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /lbguard.*Failed/);
    assert.match(r.out, /apps\/legacy\.yaml:\d+:\d+ warning deprecated-loadbalancerip/);
    assert.match(r.out, /1 problem|problems/);
  });
});
