// Runs a benchmark on the code as it ships, not through tsx: the CLI and the extension are esbuild
// bundles, so the benchmark is bundled the same way (tsx compiles file by file with keepNames,
// which measured up to 2× slower on the simulation). `node scripts/bench.mjs bench/run.ts [args]`.
// The bundle is written next to its entry (bench/.<name>.bundle.mjs, git-ignored) so relative
// paths keep working; `import.meta.url` is replaced per source file by that file's own URL.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/bench.mjs <bench/file.ts> [args...]');
  process.exit(2);
}
const abs = resolve(entry);
const outfile = join(dirname(abs), `.${basename(abs).replace(/\.ts$/, '')}.bundle.mjs`);

const importMetaUrlPerFile = {
  name: 'import-meta-url-per-file',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)), loader: 'ts' };
    });
  },
};

await build({
  entryPoints: [abs],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Packages stay in node_modules (client-node, playwright, yaml load as they do for users of the
  // bundle's dependencies); CommonJS `require` inside ESM needs createRequire.
  packages: 'external',
  banner: { js: "import { createRequire as __lbguardCreateRequire } from 'node:module'; const require = __lbguardCreateRequire(import.meta.url);" },
  define: { LBGUARD_VERSION: JSON.stringify(JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')).version) },
  plugins: [importMetaUrlPerFile],
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [...process.execArgv, outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
