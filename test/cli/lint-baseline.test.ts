// kubectl lb lint --baseline: a git ref (read with git show, working tree untouched) or a directory.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, removeDir, run, tempDir } from './helpers.js';

const pool = (addresses: string) => `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: production
  namespace: metallb-system
spec:
  addresses:
  - ${addresses}
`;
const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: LoadBalancer
  ports: [{port: 80}]
status:
  loadBalancer:
    ingress:
    - ip: 192.168.10.14
`;

let repo: string;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' }).toString();

describe('lint --baseline', () => {
  before(() => {
    ensureBuilt();
    repo = tempDir({ 'deploy/pools.yaml': pool('192.168.10.10-192.168.10.15'), 'deploy/svc.yaml': svc, 'old/pools.yaml': pool('192.168.10.10-192.168.10.15') });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'pools');
    writeFileSync(join(repo, 'deploy/pools.yaml'), pool('192.168.10.10-192.168.10.13'));
  });
  after(() => removeDir(repo));

  test('a git ref reads the same paths at that ref and leaves the working tree alone', () => {
    const r = run(['lint', 'deploy', '--baseline', 'HEAD', '-o', 'json'], { cwd: repo });
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(readFileSync(join(repo, 'deploy/pools.yaml'), 'utf8'), /192\.168\.10\.13/);
    assert.equal(git('status', '--porcelain').trim(), 'M deploy/pools.yaml');
    const f = JSON.parse(r.stdout).findings.filter((x: { rule: string }) => x.rule === 'cidr-edit-reassigns');
    assert.ok(f.length >= 1, 'the shrunk range drops 192.168.10.14');
    assert.equal(f[0].file, 'deploy/pools.yaml');
  });

  test('a git ref works from a subdirectory, with files and globs', () => {
    const sub = join(repo, 'deploy');
    for (const args of [['pools.yaml', 'svc.yaml'], ['*.yaml']]) {
      const r = run(['lint', ...args, '--baseline', 'HEAD'], { cwd: sub });
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.equal(r.stderr, '');
    }
  });

  test('a file new since the ref is fine', () => {
    writeFileSync(join(repo, 'deploy/new.yaml'), pool('10.0.0.0/24').replace('production', 'fresh'));
    try {
      const r = run(['lint', 'deploy', '--baseline', 'HEAD'], { cwd: repo });
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.equal(r.stderr, '');
    } finally {
      execFileSync('rm', [join(repo, 'deploy/new.yaml')]);
    }
  });

  test('a directory of old manifests', () => {
    const r = run(['lint', 'deploy', '--baseline', 'old', '-o', 'json'], { cwd: repo });
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.ok(JSON.parse(r.stdout).findings.some((x: { rule: string }) => x.rule === 'cidr-edit-reassigns'));
  });

  test('neither a path nor a ref is a usage error', () => {
    const r = run(['lint', 'deploy', '--baseline', 'no-such-branch'], { cwd: repo });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'error: --baseline no-such-branch: neither an existing path nor a git commit/ref in this repository\n');
  });
});
