// Bundles the CLI with esbuild so `kubectl-lb` starts fast (one file, no TS at run time).
// Runs from `prepare`, so `npm ci` at the root (and pre-commit's `npm install .`) builds it.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

await build({
  entryPoints: { 'kubectl-lb': 'kubectl-plugin/src/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // client-node is heavy; it is loaded lazily only by the live commands.
  external: ['@kubernetes/client-node'],
  define: { LBGUARD_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});
