// Where build.sh puts the real components, and a loud error when one is missing.
// Versions are pinned in versions.json, read by build.sh too.
import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HARNESS_DIR = dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = join(HARNESS_DIR, '..', '..', '..');

export interface PinnedVersions {
  kubernetes: string;
  etcdFallback: string;
  etcdMinimum: string;
  /** Oldest first; the last one is the newest release on the Go module proxy when pinned. */
  metallb: string[];
}

export const versions: PinnedVersions = JSON.parse(
  readFileSync(join(HARNESS_DIR, 'versions.json'), 'utf8'),
) as PinnedVersions;

/** ${LBGUARD_CACHE:-$HOME/.cache/lbguard}/kube, as in build.sh. */
export function kubeCacheDir(): string {
  return join(process.env.LBGUARD_CACHE || join(homedir(), '.cache', 'lbguard'), 'kube');
}

export function binDir(): string {
  return join(kubeCacheDir(), 'bin');
}

export function crdDir(metallbVersion: string): string {
  return join(kubeCacheDir(), 'crds', metallbVersion);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export class MissingBinaryError extends Error {
  constructor(what: string, expected: string[]) {
    super(
      `lbguard test harness: ${what} not found; expected an executable at ${expected.join(' or ')}. ` +
        `Run test/harness/kube/build.sh (it compiles the real components from Go modules into ${binDir()}).`,
    );
    this.name = 'MissingBinaryError';
  }
}

/** Path of an executable built by build.sh, or a MissingBinaryError naming it. */
export function requireBinary(what: string, candidates: string[]): string {
  for (const c of candidates) if (c && isExecutable(c)) return realpathSync(c);
  throw new MissingBinaryError(what, candidates.filter(Boolean));
}

export function kubeApiserverBinary(): string {
  return requireBinary(`kube-apiserver ${versions.kubernetes}`, [
    join(binDir(), `kube-apiserver-${versions.kubernetes}`),
  ]);
}

/** build.sh links bin/etcd to the etcd it chose (Debian's /usr/bin/etcd or one it built). */
export function etcdBinary(): string {
  return requireBinary('etcd', [process.env.LBGUARD_ETCD ?? '', join(binDir(), 'etcd')]);
}

export function metallbControllerBinary(version: string): string {
  return requireBinary(`MetalLB controller ${version}`, [join(binDir(), `metallb-controller-${version}`)]);
}
