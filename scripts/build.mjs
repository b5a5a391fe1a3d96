// Bundles the CLI with esbuild so `kubectl-lb` starts fast (one file, no TS at run time), then
// warms its V8 code cache with one lint run (bin/kubectl-lb.cjs explains the cache).
// Runs from `prepare`, so `npm ci` at the root (and pre-commit's `npm install .`) builds it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
/**
 * node:child_process on first use instead of at start-up: commander and io/git.ts import it at
 * their top, and loading it loads net and stream (~3 ms) for the many runs that spawn nothing.
 * Only functions are re-exported; an import of anything else fails the build ("No matching export").
 */
const CHILD_PROCESS_FUNCTIONS = ['exec', 'execFile', 'execFileSync', 'execSync', 'fork', 'spawn', 'spawnSync'];
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'lazy-builtin' ? { path: 'node:child_process', external: true } : { path: 'child_process', namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, () => ({
      contents: CHILD_PROCESS_FUNCTIONS.map((f) => `export function ${f}(...args) { return require('node:child_process').${f}(...args); }`).join('\n'),
      loader: 'js',
    }));
  },
};

const result = await build({
  entryPoints: { 'kubectl-lb': join(root, 'kubectl-plugin/src/main.ts') },
  outdir: dist,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'linked',
  // Escapes non-ASCII in code; what is left (comments) is replaced below, so that Node reads the
  // bundle into a one-byte string (a two-byte one takes twice the memory and longer to read).
  charset: 'ascii',
  define: { LBGUARD_VERSION: JSON.stringify(pkg.version) },
  plugins: [lazyChildProcess],
  write: false,
  logLevel: 'warning',
});

mkdirSync(dist, { recursive: true });
for (const file of result.outputFiles) {
  let contents = file.contents;
  if (file.path.endsWith('.cjs')) {
    // One ASCII character per UTF-16 unit: source-map columns stay right.
    let text = file.text.replace(/[^\x00-\x7f]/g, '?');
    // The launcher runs the bundle as a vm.Script, which has no import() of its own: everything
    // must be bundled (the CLI loads no package from node_modules at run time).
    if (/\bimport\(/.test(text)) throw new Error(`${file.path}: a dynamic import() is left in the bundle, which the launcher's vm.Script cannot serve; bundle the module instead`);
    text += `\n// lbguard-build-id: ${createHash('sha256').update(text).digest('hex').slice(0, 16)}\n`;
    contents = Buffer.from(text, 'latin1');
  }
  // Atomic: a kubectl-lb running meanwhile reads the old bundle or the new one, not half of one.
  writeFileSync(`${file.path}.tmp`, contents);
  renameSync(`${file.path}.tmp`, file.path);
}

/** The warm-up input: a pool, an advertisement and two Services, one asking for an IP. */
const WARM_MANIFESTS = `apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: default
  namespace: metallb-system
spec:
  addresses:
  - 192.168.10.0/24
  - 192.168.20.10-192.168.20.20
---
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: default
  namespace: metallb-system
spec:
  ipAddressPools: [default]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
  annotations:
    metallb.universe.tf/loadBalancerIPs: 192.168.10.5
spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
  - port: 80
    protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: default
spec:
  type: LoadBalancer
  ports:
  - name: https
    port: 443
`;

// Old caches belong to old bundles (their build id): drop them, then warm this one's.
for (const name of readdirSync(dist)) if (/^kubectl-lb-.*\.v8cache$/.test(name)) unlinkSync(join(dist, name));
warmCodeCache();

/**
 * Runs `kubectl-lb lint` once on a small pool + Services file: the launcher then writes the code
 * cache next to the bundle with the functions a lint compiles. Without Node flags (NODE_OPTIONS)
 * and with a private user cache directory, so the cache lands in dist/ under the name a plain run
 * looks for. A failure here only means no cache yet: the first run writes one.
 */
function warmCodeCache() {
  let dir;
  try {
    dir = mkdtempSync(join(tmpdir(), 'lbguard-warm-'));
    writeFileSync(join(dir, 'manifests.yaml'), WARM_MANIFESTS);
    const env = { ...process.env, XDG_CACHE_HOME: join(dir, 'cache'), NO_COLOR: '1' };
    for (const k of ['NODE_OPTIONS', 'LBGUARD_DEBUG', 'LBGUARD_CODE_CACHE', 'FORCE_COLOR']) delete env[k];
    const r = spawnSync(process.execPath, [join(root, 'bin', 'kubectl-lb.cjs'), 'lint', 'manifests.yaml'], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0 && r.status !== 1) throw new Error(r.error?.message ?? r.stderr.trim());
  } catch (e) {
    process.stderr.write(`build: could not warm the code cache (${e.message}); the first run writes it\n`);
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
