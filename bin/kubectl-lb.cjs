#!/usr/bin/env node
'use strict';
// The CLI is the esbuild bundle dist/kubectl-lb.cjs, built by `prepare` (npm install, npm pack:
// so also pre-commit's install of this repository) or `npm run build`. When it is missing — a
// checkout installed with --ignore-scripts, say — build it once from source if the sources and
// esbuild are here, else say how to get it, instead of a MODULE_NOT_FOUND stack.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'kubectl-lb.cjs');
if (!existsSync(bundle)) {
  const canBuild = existsSync(join(root, 'kubectl-plugin', 'src', 'main.ts')) && existsSync(join(root, 'scripts', 'build.mjs'));
  let built = false;
  if (canBuild) {
    try {
      require.resolve('esbuild', { paths: [root] });
      process.stderr.write('kubectl-lb: dist/kubectl-lb.cjs is missing; building it once (npm run build)...\n');
      require('node:child_process').execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
      built = existsSync(bundle);
    } catch {
      built = false;
    }
  }
  if (!built) {
    process.stderr.write(
      `error: ${bundle} is missing: lbguard was installed without running its build (npm --ignore-scripts?).\n` +
        (canBuild ? 'Run `npm install && npm run build` in ' + root + '.\n' : 'Reinstall it with lifecycle scripts enabled (the `prepare` script builds the bundle).\n'),
    );
    process.exit(2);
  }
}
require(bundle);
