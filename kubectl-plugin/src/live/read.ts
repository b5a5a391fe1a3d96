// Discovery and reading of a live cluster: which allocators are installed (fully qualified
// resource names: `ippools` alone is claimed by Harvester, Calico and Cilium), MetalLB's version,
// namespace and --lb-class from its controller Deployment, then paged lists of every object the
// core reads. A missing CRD is "not installed"; a forbidden read is a warning naming the missing
// permission, and the rest of the view still renders.
import { KubeClient, LiveError } from './client.js';

export const RBAC_DOC = 'docs/rbac.yaml (ClusterRole lbguard-reader)';

export interface ReadOptions {
  /** Services and Events of this namespace only; undefined = all namespaces. */
  namespace?: string;
  /** -l: label selector for Services. */
  selector?: string;
  /** Page size (kubectl's --chunk-size); 0 = no paging. */
  chunkSize: number;
  /** --metallb-namespace, when given. */
  metallbNamespace?: string;
  /**
   * Sees each page's objects (as `objects` will hold them) as soon as the page is in, while the
   * next one is on its way: work done here overlaps the network. A page may later be dropped (a
   * list restarted after 410 Gone, a filter): `objects` is what counts.
   */
  onObjects?: (objects: Record<string, unknown>[]) => void;
}

export interface ResourceRef {
  group: string;
  version: string;
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface Discovery {
  metallb: { installed: boolean; resources: ResourceRef[]; namespace?: string; image?: string; version?: string; lbClass?: string; deployment?: string };
  harvester: { installed: boolean; resources: ResourceRef[] };
  cilium: { installed: boolean; resources: ResourceRef[]; pools?: number };
}

export interface LiveRead {
  /** Every object, `kubectl get -o yaml` shape (apiVersion/kind set, managedFields trimmed). */
  objects: Record<string, unknown>[];
  warnings: string[];
  notes: string[];
  discovery: Discovery;
  stats: { requests: number; pages: number; restarts: number; ms: number };
  /** List path → the list's resourceVersion (where a watch starts). */
  listVersions: Record<string, string>;
}

const MAX_SERVICES_WARNING = 50_000;

/** Keeps only the managedFields entries the core reads: owners of spec.loadBalancerIP. */
export function trimObject(o: Record<string, unknown>, apiVersion: string, kind: string): Record<string, unknown> {
  const meta = (o.metadata ?? {}) as Record<string, unknown>;
  const mf = meta.managedFields;
  let kept: unknown[] | undefined;
  if (Array.isArray(mf)) {
    kept = [];
    for (const e of mf as { manager?: string; operation?: string; apiVersion?: string; fieldsType?: string; fieldsV1?: Record<string, Record<string, unknown>> }[]) {
      const spec = e?.fieldsV1?.['f:spec'];
      if (spec && 'f:loadBalancerIP' in spec) kept.push({ manager: e.manager, operation: e.operation, apiVersion: e.apiVersion, fieldsType: e.fieldsType, fieldsV1: { 'f:spec': { 'f:loadBalancerIP': {} } } });
    }
  }
  const { managedFields: _drop, ...restMeta } = meta;
  void _drop;
  const metadata = kept && kept.length ? { ...restMeta, managedFields: kept } : restMeta;
  return { apiVersion: (o.apiVersion as string) ?? apiVersion, kind: (o.kind as string) ?? kind, ...o, metadata };
}

function permissionWarning(verb: string, r: { group: string; resource: string }, scope: string, tail = 'that part of the view is omitted'): string {
  const full = r.group ? `${r.resource}.${r.group}` : r.resource;
  return `cannot ${verb} ${full} ${scope}: grant ${verb} on ${full} (apiGroup "${r.group}") - see ${RBAC_DOC}; ${tail}`;
}

const METALLB_GROUP = 'metallb.io';
const HARVESTER_GROUP = 'loadbalancer.harvesterhci.io';
const CILIUM_GROUP = 'cilium.io';

/** Discovery (needs no RBAC beyond the default system:discovery): which groups serve which resources. */
export async function discover(client: KubeClient): Promise<Discovery> {
  const d: Discovery = { metallb: { installed: false, resources: [] }, harvester: { installed: false, resources: [] }, cilium: { installed: false, resources: [] } };
  const groups = await client.getJSON<{ groups?: { name: string; preferredVersion?: { version: string }; versions: { version: string }[] }[] }>('/apis');
  const wanted: [string, Discovery[keyof Discovery], string[]][] = [
    [METALLB_GROUP, d.metallb, ['ipaddresspools', 'addresspools']],
    [HARVESTER_GROUP, d.harvester, ['ippools', 'loadbalancers']],
    [CILIUM_GROUP, d.cilium, ['ciliumloadbalancerippools']],
  ];
  await Promise.all(
    wanted.map(async ([group, slot, resources]) => {
      const g = groups.groups?.find((x) => x.name === group);
      if (!g) return;
      const order = [g.preferredVersion?.version, ...g.versions.map((v) => v.version)].filter((v, i, a): v is string => !!v && a.indexOf(v) === i);
      const found = new Map<string, ResourceRef>();
      for (const version of order) {
        let list: { resources?: { name: string; kind: string; namespaced: boolean }[] };
        try {
          list = await client.getJSON(`/apis/${group}/${version}`);
        } catch (e) {
          if (e instanceof LiveError && (e.status === 404 || e.status === 503)) continue;
          throw e;
        }
        for (const r of list.resources ?? []) {
          if (resources.includes(r.name) && !found.has(r.name)) found.set(r.name, { group, version, resource: r.name, kind: r.kind, namespaced: r.namespaced });
        }
      }
      slot.resources = resources.map((r) => found.get(r)).filter((r): r is ResourceRef => !!r);
      slot.installed = slot.resources.length > 0;
    }),
  );
  return d;
}

const METALLB_IMAGE = /metallb\/controller:v?([0-9]+\.[0-9]+\.[0-9]+)/;

export async function readCluster(client: KubeClient, o: ReadOptions): Promise<LiveRead> {
  const t0 = Date.now();
  let pages = 0;
  let restarts = 0;
  const listVersions: Record<string, string> = {};
  // The reads run concurrently; each part keeps its own warnings, joined in a fixed order at the end.
  const warned = {
    controller: [] as string[],
    services: [] as string[],
    namespaces: [] as string[],
    events: [] as string[],
    pools: [] as string[],
    harvester: [] as string[],
    cilium: [] as string[],
  };
  const notes: string[] = [];

  /**
   * A page's objects as `objects` holds them (trimmed as each page arrives). The page's own list
   * is emptied once they are trimmed: the listed originals (managedFields and all) are then
   * garbage before the documents and model reads of the page are made, instead of being copied
   * by every scavenge those start.
   */
  const trimmed = (items: Record<string, unknown>[], apiVersion: string, kind: string) => {
    const out = items.map((it) => trimObject(it, apiVersion, kind));
    items.length = 0;
    o.onObjects?.(out);
    return out;
  };

  /** A paged list; 403 → warning (and `fallback` tried), 404 → not installed (silently empty). */
  const list = async (
    warnings: string[],
    r: { group: string; version: string; resource: string; kind: string },
    ns: string | undefined,
    query: Record<string, string | undefined> = {},
    onForbidden?: () => Promise<Record<string, unknown>[] | undefined>,
    required = false,
  ): Promise<Record<string, unknown>[]> => {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const path = ns ? `${base}/namespaces/${encodeURIComponent(ns)}/${r.resource}` : `${base}/${r.resource}`;
    const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
    try {
      const res = await client.list(path, query, o.chunkSize, (items) => trimmed(items, apiVersion, r.kind));
      pages += res.pages;
      restarts += res.restarts;
      if (res.resourceVersion) listVersions[path] = res.resourceVersion;
      return res.items;
    } catch (e) {
      if (e instanceof LiveError && e.status === 403 && !required) {
        const alt = onForbidden ? await onForbidden() : undefined;
        if (alt) return alt;
        warnings.push(permissionWarning('list', r, ns ? `in the namespace "${ns}"` : 'at the cluster scope'));
        return [];
      }
      if (e instanceof LiveError && e.status === 404) return [];
      throw e;
    }
  };

  const core = (resource: string, kind: string) => ({ group: '', version: 'v1', resource, kind });

  // MetalLB's controller: label of the manifests/Helm chart, else the usual names, in any namespace.
  const findController = async (discovery: Discovery): Promise<Record<string, unknown>[]> => {
    if (!discovery.metallb.installed) return [];
    const deploy = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment' };
    const tries: Record<string, string>[] = [
      { labelSelector: 'app=metallb,component=controller' },
      { labelSelector: 'app.kubernetes.io/name=metallb,app.kubernetes.io/component=controller' },
      { fieldSelector: 'metadata.name=controller' },
      { fieldSelector: 'metadata.name=metallb-controller' },
    ];
    for (const q of tries) {
      const forbidden: string[] = [];
      const items = await list(forbidden, deploy, o.metallbNamespace, q);
      if (forbidden.length) {
        warned.controller.push(permissionWarning('list', deploy, o.metallbNamespace ? `in the namespace "${o.metallbNamespace}"` : 'at the cluster scope', "MetalLB's version is assumed (pass --metallb-version)"));
        return [];
      }
      const hits = items.filter((d) => JSON.stringify((d.spec as { template?: unknown })?.template ?? {}).match(METALLB_IMAGE));
      if (hits.length) return hits;
    }
    return [];
  };

  /** What the controller Deployment tells: MetalLB's namespace, version and --lb-class. */
  const readController = (discovery: Discovery, controller: Record<string, unknown>[]): void => {
    const dep = controller[0];
    if (!dep) return;
    const meta = dep.metadata as { name: string; namespace: string };
    discovery.metallb.namespace = meta.namespace;
    discovery.metallb.deployment = `${meta.namespace}/${meta.name}`;
    const containers = ((dep.spec as { template?: { spec?: { containers?: { image?: string; args?: string[] }[] } } })?.template?.spec?.containers ?? []);
    for (const c of containers) {
      const m = METALLB_IMAGE.exec(c.image ?? '');
      if (!m) continue;
      discovery.metallb.image = c.image;
      discovery.metallb.version = m[1];
      const cls = (c.args ?? []).find((a) => a.startsWith('--lb-class='));
      if (cls) discovery.metallb.lbClass = cls.slice('--lb-class='.length);
    }
    if (controller.length > 1) notes.push(`several MetalLB controller Deployments found (${controller.map((d) => `${(d.metadata as { namespace: string }).namespace}/${(d.metadata as { name: string }).name}`).join(', ')}); using ${discovery.metallb.deployment}`);
  };

  const svcQuery = { labelSelector: o.selector, fieldSelector: 'spec.type=LoadBalancer' };
  const services = async () => {
    try {
      // The Services are the view: without them there is nothing to show, so a 403 is the error.
      return await list(warned.services, core('services', 'Service'), o.namespace, svcQuery, undefined, true);
    } catch (e) {
      // spec.type is a Service field selector only from Kubernetes 1.31: filter client-side before.
      if (e instanceof LiveError && e.status === 400) {
        const all = await list(warned.services, core('services', 'Service'), o.namespace, { labelSelector: o.selector }, undefined, true);
        return all.filter((s) => (s.spec as { type?: string })?.type === 'LoadBalancer');
      }
      throw e;
    }
  };

  const namespaces = () =>
    list(warned.namespaces, core('namespaces', 'Namespace'), undefined, {}, async () => {
      if (!o.namespace) return undefined;
      try {
        const one = await client.getJSON(`/api/v1/namespaces/${encodeURIComponent(o.namespace)}`);
        return trimmed([one], 'v1', 'Namespace');
      } catch {
        return undefined;
      }
    });

  const events = () => list(warned.events, core('events', 'Event'), o.namespace, { fieldSelector: 'involvedObject.kind=Service' });

  /** `controllerRead` settles once the controller's namespace is known (the fallback's namespace). */
  const metallbPools = async (discovery: Discovery, controllerRead: Promise<unknown>) => {
    const out: Record<string, unknown>[] = [];
    for (const r of discovery.metallb.resources) {
      out.push(
        ...(await list(warned.pools, r, undefined, {}, async () => {
          // Cluster-wide list forbidden: MetalLB's own namespace is the one that matters.
          await controllerRead.catch(() => undefined);
          const ns = o.metallbNamespace ?? discovery.metallb.namespace ?? 'metallb-system';
          try {
            const res = await client.list(`/apis/${r.group}/${r.version}/namespaces/${ns}/${r.resource}`, {}, o.chunkSize, (items) => trimmed(items, `${r.group}/${r.version}`, r.kind));
            pages += res.pages;
            warned.pools.push(`cannot list ${r.resource}.${r.group} at the cluster scope: only the namespace "${ns}" was read, so pools MetalLB ignores elsewhere are not shown (grant list on ${r.resource}.${r.group} cluster-wide - see ${RBAC_DOC})`);
            return res.items;
          } catch {
            return undefined;
          }
        })),
      );
    }
    return out;
  };

  const harvester = async (discovery: Discovery) => {
    const out: Record<string, unknown>[] = [];
    for (const r of discovery.harvester.resources) out.push(...(await list(warned.harvester, r, undefined)));
    return out;
  };

  const cilium = async (discovery: Discovery) => {
    for (const r of discovery.cilium.resources) {
      const before = warned.cilium.length;
      const items = await list(warned.cilium, r, undefined);
      if (warned.cilium.length === before) discovery.cilium.pools = items.length;
    }
    return [];
  };

  // Every read starts at once: the Services, Namespaces and Events need no discovery, and the
  // discovery-dependent reads start as soon as it answers. Errors still surface in the order the
  // reads used to run one after another: discovery's, the controller's, then the lists'.
  const discovered = discover(client);
  const listed = Promise.all([services(), namespaces(), events()]);
  const controllerFound = discovered.then(async (d) => {
    const controller = await findController(d);
    readController(d, controller);
    return controller;
  });
  const crds = discovered.then((d) => Promise.all([metallbPools(d, controllerFound), harvester(d), cilium(d)]));
  for (const p of [listed, controllerFound, crds]) p.catch(() => undefined); // awaited below; no unhandled rejection meanwhile
  const discovery = await discovered;
  const controller = await controllerFound;
  const [core3, crdParts] = await Promise.all([listed, crds]);
  const parts = [...core3, ...crdParts];
  const byKind: Record<string, unknown>[][] = [controller.slice(0, 1), ...parts];
  if (parts[0].length > MAX_SERVICES_WARNING) notes.push(`${parts[0].length} LoadBalancer Services listed`);
  const warnings = Object.values(warned).flat();
  const dep = controller[0];

  if (!discovery.metallb.installed && !discovery.harvester.installed && !discovery.cilium.installed) {
    notes.push('no LoadBalancer allocator detected: neither MetalLB (ipaddresspools.metallb.io), Harvester (ippools.loadbalancer.harvesterhci.io) nor Cilium LB IPAM (ciliumloadbalancerippools.cilium.io) is installed');
  } else if (discovery.metallb.installed && !dep && !warnings.some((w) => w.includes('deployments.apps'))) {
    notes.push(`MetalLB CRDs are installed but no controller Deployment was found (labels app=metallb,component=controller or app.kubernetes.io/name=metallb); its version is assumed unless --metallb-version is given`);
  }
  if (discovery.cilium.installed) {
    notes.push(`Cilium LB IPAM is installed (ciliumloadbalancerippools.cilium.io${discovery.cilium.pools !== undefined ? `, ${discovery.cilium.pools} pool(s)` : ''}); lbguard models MetalLB and Harvester only, Cilium's allocations are shown as recorded in Service status`);
  }
  return {
    objects: byKind.flat(),
    warnings,
    notes,
    discovery,
    stats: { requests: client.requests, pages, restarts, ms: Date.now() - t0 },
    listVersions,
  };
}
