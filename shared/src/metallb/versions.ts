// MetalLB versions and the behaviour switches lbguard models (see docs/metallb-versions.md and the
// timeline in MetalLB's release notes). Behaviour is derived from the exact version, so
// `--metallb-version 0.13.7` gets 0.13.7's rules (no serviceAllocation, no avoidBuggyIPs before
// 0.13.4), not a whole-minor approximation.

export type Semver = [number, number, number];

/** Named profiles users can pick; any x.y.z is accepted too. */
export const PROFILES: Record<string, string> = {
  '0.12': '0.12.1',
  '0.13': '0.13.12',
  '0.14.2': '0.14.2',
  '0.14.8': '0.14.8',
  '0.14': '0.14.9',
  '0.14.9': '0.14.9',
  '0.15': '0.15.3',
  '0.16': '0.16.2',
  latest: '0.16.2',
};

export const LATEST_VERSION = '0.16.2';

export interface MetalLBBehaviour {
  version: string;
  semver: Semver;
  /** ≤0.12: pools come from ConfigMap `config`; CRDs are not read. */
  readsConfigMap: boolean;
  /** 0.13.x: legacy AddressPool CRD is read alongside IPAddressPool. */
  readsLegacyAddressPool: boolean;
  readsIPAddressPool: boolean;
  /** ≥0.13.4 (and ≤0.12 ConfigMap): avoidBuggyIPs is honoured. */
  avoidBuggyIPs: boolean;
  /** ≥0.13.9: spec.serviceAllocation and pinned pools. */
  serviceAllocation: boolean;
  /** ≥0.13.10: a requested IP must belong to the pool named in address-pool. */
  requestedIPMustMatchPoolAnnotation: boolean;
  /** ≥0.13.10: ClearAssignment event. */
  clearAssignmentEvent: boolean;
  /** ≤0.13.x: a pool edit that orphans an allocated IP is rejected ("stale config"). */
  staleConfigOnEdit: boolean;
  /** ≥0.14.2: Services with IPs are re-adopted before any pending Service allocates. */
  startupGating: boolean;
  /** 0.12: a `synced` gate that also protects restarts (mostly). */
  syncedGate: boolean;
  /** ≥0.14.2: zero pools ⇒ every LB Service's status is cleared. */
  zeroPoolsClearsServices: boolean;
  /** ≥0.14.9: `metallb.io/` annotation prefix (old prefix still read, deprecatedAnnotation event). */
  newAnnotationPrefix: boolean;
  /** ≥0.14.9: PreferDualStack falls back to one family and tops up later. */
  preferDualStackFallback: boolean;
  /** ≥0.15.0: LB family follows the ClusterIP family; RequireDualStack with 1 ClusterIP refused. */
  familyFollowsClusterIPs: boolean;
  /** ≥0.15.0: serviceAllocation with only priority matches every Service (was: none). */
  priorityOnlyMatchesAll: boolean;
  /** ≥0.15.0: IPAddressPool status counters. */
  poolStatus: boolean;
  /** ≥0.16.0: "no available IPs in pool <name>" for a full annotated pool. */
  namedPoolFullMessage: boolean;
  /** ≥0.13: --lb-class / spec.loadBalancerClass filtering. */
  lbClassFilter: boolean;
}

export function parseVersion(text: string): Semver | undefined {
  const t = PROFILES[text.replace(/^v/, '')] ?? text.replace(/^v/, '');
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareSemver(a: Semver, b: Semver): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

const atLeast = (v: Semver, x: string) => compareSemver(v, parseVersion(x)!) >= 0;

export class UnknownVersionError extends Error {}

export function behaviourFor(version: string = LATEST_VERSION): MetalLBBehaviour {
  const semver = parseVersion(version);
  if (!semver) {
    throw new UnknownVersionError(
      `unknown MetalLB version "${version}": use x.y.z (e.g. 0.14.8) or one of ${Object.keys(PROFILES).join(', ')}`,
    );
  }
  if (!atLeast(semver, '0.12.0')) throw new UnknownVersionError(`MetalLB ${version} is older than 0.12, which lbguard models; use 0.12.1 or later`);
  const crds = atLeast(semver, '0.13.0');
  return {
    version: semver.join('.'),
    semver,
    readsConfigMap: !crds,
    readsLegacyAddressPool: crds && !atLeast(semver, '0.14.0'),
    readsIPAddressPool: crds,
    avoidBuggyIPs: !crds || atLeast(semver, '0.13.4'),
    serviceAllocation: atLeast(semver, '0.13.9'),
    requestedIPMustMatchPoolAnnotation: atLeast(semver, '0.13.10'),
    clearAssignmentEvent: atLeast(semver, '0.13.10'),
    staleConfigOnEdit: !atLeast(semver, '0.14.0'),
    startupGating: atLeast(semver, '0.14.0'),
    syncedGate: !crds,
    zeroPoolsClearsServices: atLeast(semver, '0.14.0'),
    newAnnotationPrefix: atLeast(semver, '0.14.9'),
    preferDualStackFallback: atLeast(semver, '0.14.9'),
    familyFollowsClusterIPs: atLeast(semver, '0.15.0'),
    priorityOnlyMatchesAll: atLeast(semver, '0.15.0'),
    poolStatus: atLeast(semver, '0.15.0'),
    namedPoolFullMessage: atLeast(semver, '0.16.0'),
    lbClassFilter: crds,
  };
}
