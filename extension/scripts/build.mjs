// Bundles the extension (and its extension-host test suite) with esbuild: CommonJS, `vscode`
// external, the shared core inlined. Usage: node extension/scripts/build.mjs [--no-tests]
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['vscode'],
  logLevel: 'warning',
  absWorkingDir: ext,
};

export async function buildExtension({ tests = true, minify = true } = {}) {
  await build({ ...common, entryPoints: { extension: join(ext, 'src', 'extension.ts') }, outdir: join(ext, 'dist'), minify, sourcemap: false, metafile: false });
  if (tests) {
    await build({ ...common, entryPoints: { suite: join(ext, 'test', 'suite', 'index.ts') }, outdir: join(ext, 'dist', 'test'), sourcemap: 'inline' });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildExtension({ tests: !process.argv.includes('--no-tests') });
}
