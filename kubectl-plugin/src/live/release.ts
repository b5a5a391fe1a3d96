// `kubectl lb release <pool> <ip>` (Harvester): frees an IP a Harvester IPPool still allocates to
// a LoadBalancer that no longer exists, through Harvester's own mechanism: the IPPool annotation
// loadbalancer.harvesterhci.io/manuallyReleaseIP: "<ip>: <ns>/<name>", written with a JSON merge
// patch that carries metadata.resourceVersion (a precondition: if the pool changed since it was
// read the server answers 409 Conflict and nothing is written). The only write lbguard makes.
import { Command } from 'commander';
import { isIP } from 'node:net';
import { EXIT_FINDINGS, EXIT_OK, UsageError } from '../errors.js';
import { KubeClient, LiveError } from './client.js';
import { addLiveOptions, liveFlags } from './options.js';
import { discover, RBAC_DOC } from './read.js';
import { openClient } from './source.js';

export const RELEASE_ANNOTATION = 'loadbalancer.harvesterhci.io/manuallyReleaseIP';
const GROUP = 'loadbalancer.harvesterhci.io';

export type ReleaseOutcome =
  | { kind: 'refused'; reason: string }
  | { kind: 'dry-run'; patch: Record<string, unknown>; owner: string }
  | { kind: 'patched'; patch: Record<string, unknown>; owner: string; resourceVersion?: string };

export interface ReleaseOptions {
  dryRun: boolean;
  /** Test seam: runs between the read and the patch. */
  beforePatch?: () => Promise<void>;
}

export async function releaseIP(client: KubeClient, pool: string, ip: string, o: ReleaseOptions): Promise<ReleaseOutcome> {
  if (isIP(ip) === 0) throw new UsageError(`"${ip}" is not an IP address`);
  if (isIP(ip) === 6) return { kind: 'refused', reason: `${ip} is an IPv6 address: Harvester splits the ${RELEASE_ANNOTATION} value on ":", so IPv6 addresses cannot be released this way` };
  const d = await discover(client);
  const ref = d.harvester.resources.find((r) => r.resource === 'ippools');
  if (!ref) return { kind: 'refused', reason: `Harvester's load balancer is not installed here (no ippools.${GROUP})` };
  const lbRef = d.harvester.resources.find((r) => r.resource === 'loadbalancers');
  const poolPath = `/apis/${GROUP}/${ref.version}/ippools/${encodeURIComponent(pool)}`;
  let obj: { metadata?: { resourceVersion?: string; annotations?: Record<string, string> }; status?: { allocated?: Record<string, string> } };
  try {
    obj = await client.getJSON(poolPath);
  } catch (e) {
    if (e instanceof LiveError && e.status === 404) return { kind: 'refused', reason: `IPPool ${pool} (ippools.${GROUP}) not found` };
    throw e;
  }
  const allocated = obj.status?.allocated ?? {};
  const owner = allocated[ip];
  if (!owner) {
    const known = Object.keys(allocated);
    return { kind: 'refused', reason: `${ip} is not allocated in IPPool ${pool} (status.allocated${known.length ? ` has ${known.slice(0, 8).join(', ')}${known.length > 8 ? ', …' : ''}` : ' is empty'}); nothing to release` };
  }
  const [ns, name, ...extra] = owner.split('/');
  if (!ns || !name || extra.length) return { kind: 'refused', reason: `IPPool ${pool} allocates ${ip} to "${owner}", which is not <namespace>/<name>` };
  if (!lbRef) return { kind: 'refused', reason: `cannot check whether LoadBalancer ${owner} exists (loadbalancers.${GROUP} is not served)` };
  try {
    await client.getJSON(`/apis/${GROUP}/${lbRef.version}/namespaces/${encodeURIComponent(ns)}/loadbalancers/${encodeURIComponent(name)}`);
    return { kind: 'refused', reason: `the LoadBalancer ${owner} still exists and holds ${ip}; delete it (or its guest-cluster Service) instead, Harvester then releases the IP itself` };
  } catch (e) {
    if (!(e instanceof LiveError)) throw e;
    if (e.status === 403) return { kind: 'refused', reason: `cannot check whether LoadBalancer ${owner} still exists: get on loadbalancers.${GROUP} is forbidden (see ${RBAC_DOC})` };
    if (e.status !== 404) throw e;
  }
  if (obj.metadata?.annotations?.[RELEASE_ANNOTATION]) {
    return { kind: 'refused', reason: `IPPool ${pool} already carries ${RELEASE_ANNOTATION}: "${obj.metadata.annotations[RELEASE_ANNOTATION]}" (Harvester has not processed it yet); wait and re-run` };
  }
  const patch = { metadata: { resourceVersion: obj.metadata?.resourceVersion, annotations: { [RELEASE_ANNOTATION]: `${ip}: ${owner}` } } };
  if (o.dryRun) return { kind: 'dry-run', patch, owner };
  await o.beforePatch?.();
  try {
    const res = JSON.parse(await client.request('PATCH', poolPath, {}, { contentType: 'application/merge-patch+json', data: JSON.stringify(patch) })) as { metadata?: { resourceVersion?: string } };
    return { kind: 'patched', patch, owner, resourceVersion: res.metadata?.resourceVersion };
  } catch (e) {
    if (e instanceof LiveError && e.status === 409) {
      throw new LiveError(`IPPool ${pool} changed since it was read (Conflict on resourceVersion ${obj.metadata?.resourceVersion}): nothing was written; re-run to check again`, 409, 'Conflict', true);
    }
    if (e instanceof LiveError && e.status === 403) {
      throw new LiveError(`${e.message}\nRelease needs patch on ippools.${GROUP}: ClusterRole lbguard-harvester-release in docs/rbac.yaml`, 403, 'Forbidden');
    }
    throw e;
  }
}

export function releaseCommand(): Command {
  const cmd = new Command('release')
    .description(`Harvester: release an IP that an IPPool still allocates to a LoadBalancer that no longer exists (sets ${RELEASE_ANNOTATION}). The only write lbguard makes.`)
    .argument('<pool>', 'the Harvester IPPool (ippools.loadbalancer.harvesterhci.io)')
    .argument('<ip>', 'the IPv4 address to release')
    .option('--dry-run', 'print the patch, write nothing');
  addLiveOptions(cmd);
  cmd.addHelpText(
    'after',
    `
Examples:
  kubectl lb status                                   # lists harvester-stale-allocation problems
  kubectl lb release default-pool 192.168.5.12 --dry-run
  kubectl lb release default-pool 192.168.5.12

Refuses (exit 1) when the LoadBalancer still exists, the IP is not allocated, or it is IPv6.
Needs patch on ippools.loadbalancer.harvesterhci.io (ClusterRole lbguard-harvester-release, docs/rbac.yaml).
Exit codes: 0 released (or dry run), 1 refused, 2 usage, kubeconfig, connection or server error.`,
  );
  cmd.action(async (pool: string, ip: string, opts: Record<string, unknown>) => {
    const client = openClient(liveFlags(opts));
    try {
      const r = await releaseIP(client, pool, ip, { dryRun: opts.dryRun === true });
      if (r.kind === 'refused') {
        process.stderr.write(`error: refusing to release ${ip} from IPPool ${pool}: ${r.reason}\n`);
        process.exitCode = EXIT_FINDINGS;
        return;
      }
      if (r.kind === 'dry-run') {
        process.stdout.write(`${JSON.stringify(r.patch, null, 2)}\n`);
        process.stderr.write(`dry run: would PATCH ippools.${GROUP}/${pool} (application/merge-patch+json) to release ${ip} from ${r.owner}, which no longer exists\n`);
      } else {
        process.stdout.write(`ippool.${GROUP}/${pool} annotated: Harvester's controller releases ${ip} (was ${r.owner}) into status.allocatedHistory and removes the annotation\n`);
      }
      process.exitCode = EXIT_OK;
    } finally {
      client.close();
    }
  });
  return cmd;
}
