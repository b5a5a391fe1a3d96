#!/usr/bin/env node
'use strict';
// Launcher of kubectl-lb. The CLI is the esbuild bundle dist/kubectl-lb.cjs, built by `prepare`
// (npm install, npm pack: so also pre-commit's install of this repository) or `npm run build`.
//
// Start-up: compiling the 800 KB bundle is most of what kubectl-lb adds to Node's own start, so
// the bundle runs through vm.Script with a V8 code cache (bytecode of the functions a run used).
// The build writes one after a representative lint (scripts/build.mjs); a run without a usable
// cache writes one when it ends, next to the bundle when dist/ is writable, else under
// $XDG_CACHE_HOME/lbguard (~/.cache/lbguard). A cache is named after the bundle's build id (a hash
// the build appends to it), Node's version and architecture and any V8 flags, and V8 checks it
// again (cachedDataRejected); a missing, stale or unwritable cache only costs speed.
// Plain require() instead: with source maps enabled (V8 scripts get no source-map support; that is
// how --enable-source-maps users and LBGUARD_DEBUG=1 get stacks in the TypeScript sources), with
// LBGUARD_CODE_CACHE=0, or for a bundle without a build id.
//
// When the bundle is missing — a checkout installed with --ignore-scripts, say — build it once from
// source if the sources and esbuild are here, else say how to get it, instead of a MODULE_NOT_FOUND
// stack.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'kubectl-lb.cjs');

/** The id scripts/build.mjs appends as the bundle's last line (a hash of the rest). */
const BUILD_ID = /\n\/\/ lbguard-build-id: ([0-9a-f]+)\n?$/;

function readBundle() {
  try {
    return fs.readFileSync(bundle, 'utf8');
  } catch {
    return undefined;
  }
}

function buildOnce() {
  const canBuild = fs.existsSync(path.join(root, 'kubectl-plugin', 'src', 'main.ts')) && fs.existsSync(path.join(root, 'scripts', 'build.mjs'));
  if (canBuild) {
    try {
      require.resolve('esbuild', { paths: [root] });
      process.stderr.write('kubectl-lb: dist/kubectl-lb.cjs is missing; building it once (npm run build)...\n');
      require('node:child_process').execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
      const source = readBundle();
      if (source !== undefined) return source;
    } catch {
      /* reported below */
    }
  }
  process.stderr.write(
    `error: ${bundle} is missing: lbguard was installed without running its build (npm --ignore-scripts?).\n` +
      (canBuild ? 'Run `npm install && npm run build` in ' + root + '.\n' : 'Reinstall it with lifecycle scripts enabled (the `prepare` script builds the bundle).\n'),
  );
  process.exit(2);
}

function sourceMapsEnabled() {
  if (typeof process.sourceMapsEnabled === 'boolean') return process.sourceMapsEnabled;
  return /--enable-source-maps/.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`);
}

/** V8 rejects a cache made under other flags: key those runs apart instead of rewriting the cache every time. */
function flagsTag() {
  const flags = `${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`;
  if (flags === '|') return '';
  let h = 5381;
  for (let i = 0; i < flags.length; i++) h = ((h * 33) ^ flags.charCodeAt(i)) >>> 0;
  return `-f${h.toString(16)}`;
}

function userCacheDir() {
  const base = process.env.XDG_CACHE_HOME || (process.env.HOME ? path.join(process.env.HOME, '.cache') : process.env.LOCALAPPDATA);
  return base && path.isAbsolute(base) ? path.join(base, 'lbguard') : undefined;
}

/**
 * Where this bundle's cache for this Node may be. Written next to the bundle when possible; read
 * from the user's cache first, which holds one only when the bundle's directory could not.
 */
function cacheFiles(buildId) {
  const name = `kubectl-lb-${buildId}-node${process.versions.node}-${process.arch}${flagsTag()}.v8cache`;
  const user = userCacheDir();
  return { beside: path.join(root, 'dist', name), user: user && path.join(user, name) };
}

function readCache(files) {
  for (const file of [files.user, files.beside]) {
    if (file === undefined) continue;
    try {
      return { file, data: fs.readFileSync(file) };
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** Writes the cache to the first of `targets` that takes it; never fails the command. */
function writeCache(script, targets) {
  let data;
  try {
    data = script.createCachedData();
  } catch {
    return;
  }
  for (const file of targets) {
    if (file === undefined) continue;
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, file); // atomic: a concurrent run reads the old file or the new one
    } catch {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* not written */
      }
      continue;
    }
    pruneOldCaches(path.dirname(file));
    return;
  }
}

/** Caches outlive their bundles in the user's directory: drop those nobody wrote for a month (other installs may use the rest). */
function pruneOldCaches(dir) {
  const monthAgo = Date.now() - 30 * 24 * 3600 * 1000;
  try {
    for (const name of fs.readdirSync(dir)) {
      if (!/^kubectl-lb-.*\.v8cache$/.test(name)) continue;
      const file = path.join(dir, name);
      if (fs.statSync(file).mtimeMs < monthAgo) fs.unlinkSync(file);
    }
  } catch {
    /* gone or not ours */
  }
}

/** Runs the bundle as CommonJS, as require() would, but compiled with the code cache. */
function runCached(source, buildId) {
  const vm = require('node:vm');
  const files = cacheFiles(buildId);
  const cached = readCache(files);
  // Node's CommonJS wrapper on the bundle's first line, so stack lines and columns match the file.
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapper, { filename: bundle, cachedData: cached?.data });
  // No cache: write one when the run ends (it then holds the functions this run compiled). A
  // rejected one (another Node build, say) is replaced where it was, else written elsewhere.
  if (cached === undefined) process.once('exit', () => writeCache(script, [files.beside, files.user]));
  else if (script.cachedDataRejected) process.once('exit', () => writeCache(script, [cached.file, files.beside, files.user]));
  const mod = { exports: {}, filename: bundle, id: bundle };
  // A vm script has no import() of its own: scripts/build.mjs fails a bundle that still has one.
  // This module's require: the bundle requires only Node's modules, and bin/ and dist/ resolve
  // packages alike (node:module's createRequire would cost a module load).
  script.runInThisContext()(mod.exports, require, mod, bundle, path.dirname(bundle));
}

const source = readBundle() ?? buildOnce();
// Debug stacks in the TypeScript sources (dist/kubectl-lb.cjs.map).
if (process.env.LBGUARD_DEBUG === '1' && typeof process.setSourceMapsEnabled === 'function') process.setSourceMapsEnabled(true);
const buildId = BUILD_ID.exec(source.slice(-100))?.[1];
if (buildId === undefined || process.env.LBGUARD_CODE_CACHE === '0' || sourceMapsEnabled()) require(bundle);
else runCached(source, buildId);
