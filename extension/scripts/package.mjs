// Builds the extension and packages it as a .vsix with @vscode/vsce (--no-dependencies: the
// bundle is self-contained). Usage: npm run package  [-- -o path.vsix]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExtension } from './build.mjs';

const ext = join(dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('-o');
const out = resolve(i > 0 ? process.argv[i + 1] : join(ext, 'lbguard.vsix'));

await buildExtension({ tests: false });
const require = createRequire(import.meta.url);
const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
mkdirSync(dirname(out), { recursive: true });
const r = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--no-update-package-json', '-o', out], {
  cwd: ext,
  stdio: 'inherit',
  env: { ...process.env, NODE_OPTIONS: '' },
});
if (r.status !== 0 || !existsSync(out)) {
  console.error(`vsce package failed (exit ${r.status})`);
  process.exit(1);
}
console.log(`${out}: ${(statSync(out).size / 1024).toFixed(1)} KiB`);
