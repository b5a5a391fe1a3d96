// bin/kubectl-lb.cjs: the V8 code cache (written, reused, replaced when rejected, moved to the
// user's cache when dist/ takes none, never failing a command), import() of ESM packages from the
// bundle, debug stacks in the sources, the missing-bundle paths, and what the build leaves in dist/.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BAD_POOL, BIN, ensureBuilt, POOL, removeDir, ROOT, run, SERVICE, tempDir } from './helpers.js';

const BUILD_ID = /\n\/\/ lbguard-build-id: ([0-9a-f]+)\n$/;

function cacheName(bundleText: string): string {
  const id = BUILD_ID.exec(bundleText)![1];
  return `kubectl-lb-${id}-node${process.versions.node}-${process.arch}.v8cache`;
}

/** A package like an install: bin/ (the launcher), dist/ (a bundle) and node_modules. */
function makePackage(bundle: string, files: Record<string, string> = {}): string {
  const dir = tempDir({ 'work/manifests.yaml': `${POOL}---\n${SERVICE}`, 'work/bad.yaml': BAD_POOL, ...files });
  mkdirSync(join(dir, 'bin'));
  cpSync(BIN, join(dir, 'bin', 'kubectl-lb.cjs'));
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'kubectl-lb.cjs'), bundle);
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function runIn(pkg: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(pkg, 'bin', 'kubectl-lb.cjs'), ...args], {
    cwd: join(pkg, 'work'),
    env: { PATH: process.env.PATH, HOME: join(pkg, 'home'), NO_COLOR: '1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mtime = (file: string) => statSync(file).mtimeMs;

describe('kubectl-lb launcher', () => {
  let bundle = '';
  before(() => {
    ensureBuilt();
    bundle = readFileSync(join(ROOT, 'dist', 'kubectl-lb.cjs'), 'latin1');
  });

  test('the build leaves an ASCII bundle ending in its build id, and a warm cache for this Node', () => {
    assert.doesNotMatch(bundle, /[^\x00-\x7f]/);
    const id = BUILD_ID.exec(bundle)?.[1];
    assert.ok(id, 'build id line');
    assert.equal(id, createHash('sha256').update(bundle.slice(0, bundle.length - `\n// lbguard-build-id: ${id}\n`.length)).digest('hex').slice(0, 16));
    assert.ok(readdirSync(join(ROOT, 'dist')).includes(cacheName(bundle)), 'dist/ holds the cache scripts/build.mjs warmed');
  });

  test('the first run writes the cache next to the bundle; the next runs use it, with the same output', () => {
    const pkg = makePackage(bundle);
    try {
      const cache = join(pkg, 'dist', cacheName(bundle));
      const plain = runIn(pkg, ['lint', 'manifests.yaml', '-o', 'json'], { LBGUARD_CODE_CACHE: '0' });
      assert.equal(plain.code, 0, plain.stderr);
      assert.ok(!existsSync(cache), 'LBGUARD_CODE_CACHE=0 writes no cache');
      const first = runIn(pkg, ['lint', 'manifests.yaml', '-o', 'json']);
      assert.deepEqual(first, plain);
      assert.ok(existsSync(cache), 'cache written');
      const written = mtime(cache);
      const second = runIn(pkg, ['lint', 'manifests.yaml', '-o', 'json']);
      assert.deepEqual(second, plain);
      assert.equal(mtime(cache), written, 'an accepted cache is not rewritten');
      assert.ok(!existsSync(join(pkg, 'home', '.cache')), 'nothing written to the user cache');
    } finally {
      removeDir(pkg);
    }
  });

  test('a cache V8 rejects is replaced, and the command is unaffected', () => {
    const pkg = makePackage(bundle);
    try {
      const cache = join(pkg, 'dist', cacheName(bundle));
      writeFileSync(cache, 'not a V8 code cache');
      const r = runIn(pkg, ['lint', 'manifests.yaml']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.ok(statSync(cache).size > 1000, 'replaced by a real cache');
      const replaced = mtime(cache);
      runIn(pkg, ['lint', 'manifests.yaml']);
      assert.equal(mtime(cache), replaced, 'the replacement is accepted');
    } finally {
      removeDir(pkg);
    }
  });

  test('when dist/ takes no cache it goes to $XDG_CACHE_HOME/lbguard; with nowhere to write the command still works', () => {
    const pkg = makePackage(bundle);
    try {
      // A directory where the cache file would go: unreadable and unwritable as a file, even for root.
      mkdirSync(join(pkg, 'dist', cacheName(bundle), 'occupied'), { recursive: true });
      const xdg = join(pkg, 'xdg');
      const r = runIn(pkg, ['lint', 'manifests.yaml'], { XDG_CACHE_HOME: xdg });
      assert.equal(r.code, 0, r.stderr);
      const cache = join(xdg, 'lbguard', cacheName(bundle));
      assert.ok(existsSync(cache), 'cache in the user cache directory');
      const written = mtime(cache);
      assert.equal(runIn(pkg, ['lint', 'manifests.yaml'], { XDG_CACHE_HOME: xdg }).code, 0);
      assert.equal(mtime(cache), written, 'read back from there');

      writeFileSync(join(pkg, 'not-a-dir'), '');
      const nowhere = runIn(pkg, ['lint', 'bad.yaml'], { XDG_CACHE_HOME: join(pkg, 'not-a-dir') });
      assert.equal(nowhere.code, 1, 'the command\'s own exit code');
      assert.equal(nowhere.stderr, '');
      assert.match(nowhere.stdout, /1 problem \(1 error\)/);
    } finally {
      removeDir(pkg);
    }
  });

  test('a cache made under other Node flags is kept apart (no rewrite on every run)', () => {
    const pkg = makePackage(bundle);
    try {
      runIn(pkg, ['lint', 'manifests.yaml']);
      runIn(pkg, ['lint', 'manifests.yaml'], { NODE_OPTIONS: '--max-old-space-size=300' });
      const caches = readdirSync(join(pkg, 'dist')).filter((n) => n.endsWith('.v8cache'));
      assert.equal(caches.length, 2, caches.join(', '));
      assert.ok(caches.some((n) => /-f[0-9a-f]+\.v8cache$/.test(n)));
    } finally {
      removeDir(pkg);
    }
  });

  test('LBGUARD_DEBUG=1 stacks point into the TypeScript sources', () => {
    const r = run(['lint', 'does-not-exist.yaml'], { env: { LBGUARD_DEBUG: '1' } });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\n\s+at .*kubectl-plugin\/src\/io\/inputs\.ts:\d+:\d+/);
  });

  test('a missing bundle without sources: exit 2 saying how to get it, no stack', () => {
    const pkg = makePackage('');
    try {
      removeDir(join(pkg, 'dist'));
      const r = runIn(pkg, ['--version']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /dist\/kubectl-lb\.cjs is missing: lbguard was installed without running its build/);
      assert.match(r.stderr, /Reinstall it with lifecycle scripts enabled/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    } finally {
      removeDir(pkg);
    }
  });

  test('a missing bundle in a checkout (--ignore-scripts): built once, then run', () => {
    const pkg = makePackage('');
    try {
      removeDir(join(pkg, 'dist'));
      for (const p of ['kubectl-plugin', 'shared', 'scripts', 'package.json']) cpSync(join(ROOT, p), join(pkg, p), { recursive: true });
      const pkgJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
      const first = runIn(pkg, ['--version']);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /dist\/kubectl-lb\.cjs is missing; building it once/);
      assert.equal(first.stdout, `lbguard ${pkgJson.version}\n`);
      const second = runIn(pkg, ['--version']);
      assert.deepEqual(second, { code: 0, stdout: `lbguard ${pkgJson.version}\n`, stderr: '' });
      assert.ok(readdirSync(join(pkg, 'dist')).some((n) => n.endsWith('.v8cache')), 'the build warmed the cache');
    } finally {
      removeDir(pkg);
    }
  });
});
