// Builds the cluster model from parsed manifests (files, a state snapshot or a live listing).
import type { Finding } from '../findings/finding.js';
import { parseEmbeddedYaml } from '../manifest/embedded.js';
import { docsUrl } from '../findings/finding.js';
import type { ManifestFile } from '../manifest/parse.js';
import type { ManifestDocument } from '../manifest/document.js';
import { FieldReader } from './fieldReader.js';
import { isHarvesterLoadBalancer, isHarvesterPool, isMetalLBPool } from './kinds.js';
import { readConfigMapPools, readPoolCR } from './readPool.js';
import { readService } from './readService.js';
import { readHarvesterLoadBalancer, readHarvesterPool } from './readHarvester.js';
import type { ClusterModel, HarvesterIPPool, HarvesterLoadBalancer, Namespace, Pool, Service, ServiceEvent } from './types.js';

export const DEFAULT_METALLB_NAMESPACE = 'metallb-system';

export interface BuildOptions {
  /** MetalLB's namespace; inferred from the pools when absent. */
  metallbNamespace?: string;
  /** Namespace of objects whose manifest has none (kubectl's default). */
  defaultNamespace?: string;
  metallbVersion?: string;
  lbClass?: string;
}

export interface BuiltModel {
  model: ClusterModel;
  findings: Finding[];
}

/** A model with no objects yet, carrying what the options say about MetalLB. */
export function emptyModel(options: BuildOptions): ClusterModel {
  return {
    pools: [],
    services: [],
    namespaces: [],
    harvesterPools: [],
    harvesterLoadBalancers: [],
    events: [],
    metallb: { namespace: options.metallbNamespace ?? '', version: options.metallbVersion, lbClass: options.lbClass },
  };
}

export function buildModel(files: ManifestFile[], options: BuildOptions = {}, known?: KnownReads): BuiltModel {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const reuse = known && known.defaultNamespace === defaultNamespace ? known : undefined;
  const model = emptyModel(options);
  const findings: Finding[] = [];
  for (const file of files) {
    for (const doc of file.documents) addRead(model, findings, reuse?.read(doc) ?? readDocument(doc, file, defaultNamespace));
  }
  if (!model.metallb.namespace) model.metallb.namespace = inferMetalLBNamespace(model);
  return { model, findings };
}

/**
 * What one document adds to a model, read on its own (the reads do not depend on each other: the
 * one order-dependent part, a MetalLB controller Deployment's fields, is applied by `addRead`).
 */
export interface DocumentRead {
  service?: Service;
  pools?: Pool[];
  namespace?: Namespace;
  harvesterPool?: HarvesterIPPool;
  harvesterLoadBalancer?: HarvesterLoadBalancer;
  event?: ServiceEvent;
  /** A Deployment: MetalLB's controller tells the namespace, version and --lb-class (in document order). */
  deployment?: ManifestDocument;
  findings: Finding[];
}

/**
 * Reads made ahead of `buildModel` (a live source reads each page of a list while the next one is
 * on its way): `read(doc)` is `readDocument(doc, <its file>, defaultNamespace)`, or undefined when
 * that document was not read ahead. Used only when the build's default namespace is the same.
 */
export interface KnownReads {
  defaultNamespace: string;
  read(doc: ManifestDocument): DocumentRead | undefined;
}

/** One document's contribution to `buildModel`; `file` is the document's file (a ConfigMap's embedded config is positioned in its text). */
export function readDocument(doc: ManifestDocument, file: ManifestFile, defaultNamespace: string): DocumentRead {
  const reader = new FieldReader(doc);
  // Every field set up front: one shape for every read (a field added later needs a property
  // array of its own, per document of a listing, kept as long as the read).
  const read: DocumentRead = {
    service: undefined,
    pools: undefined,
    namespace: undefined,
    harvesterPool: undefined,
    harvesterLoadBalancer: undefined,
    event: undefined,
    deployment: undefined,
    findings: reader.findings,
  };
  const objectFindings = readObject(doc, reader, file, read, defaultNamespace);
  // As buildModel always ordered them: the object's own findings, then the field reader's.
  if (objectFindings.length) read.findings = [...objectFindings, ...reader.findings];
  return read;
}

function addRead(model: ClusterModel, findings: Finding[], read: DocumentRead): void {
  if (read.service) model.services.push(read.service);
  else if (read.pools) for (const p of read.pools) model.pools.push(p);
  else if (read.namespace) model.namespaces.push(read.namespace);
  else if (read.harvesterPool) model.harvesterPools.push(read.harvesterPool);
  else if (read.harvesterLoadBalancer) model.harvesterLoadBalancers.push(read.harvesterLoadBalancer);
  else if (read.event) model.events.push(read.event);
  else if (read.deployment) readMetalLBDeployment(read.deployment, model);
  for (const f of read.findings) findings.push(f);
}

/** Reads the object into `out`; returns findings about the object as a whole (before the field reader's). */
function readObject(doc: ManifestDocument, reader: FieldReader, file: ManifestFile, out: DocumentRead, defaultNamespace: string): Finding[] {
  const { kind, apiVersion } = doc;
  if (kind === 'Service' && (apiVersion === 'v1' || apiVersion === '')) {
    out.service = readService(doc, reader, defaultNamespace);
  } else if (isMetalLBPool(kind, apiVersion)) {
    out.pools = [readPoolCR(doc, reader)];
  } else if (kind === 'Namespace' && apiVersion === 'v1') {
    out.namespace = { name: doc.name, labels: reader.stringMap(['metadata', 'labels']) };
  } else if (kind === 'ConfigMap' && apiVersion === 'v1' && isMetalLBConfigMap(doc)) {
    const inner = parseEmbeddedYaml(doc, ['data', 'config'], file.text, file.lines);
    if (!inner) return NONE;
    if ('error' in inner) {
      return [
        {
          rule: 'yaml-syntax',
          severity: 'error',
          file: doc.file,
          range: doc.locate(['data', 'config']).range,
          message: `MetalLB's config in ConfigMap ${doc.name} is not valid YAML (${inner.error}); MetalLB ≤0.12 would refuse it and keep its old configuration.`,
          docsUrl: docsUrl('yaml-syntax'),
          object: doc.ref,
        },
      ];
    }
    const { pools, reader: innerReader } = readConfigMapPools(inner.doc, doc.namespace);
    out.pools = pools;
    return innerReader.findings;
  } else if (isHarvesterPool(kind, apiVersion)) {
    out.harvesterPool = readHarvesterPool(doc, reader);
  } else if (isHarvesterLoadBalancer(kind, apiVersion)) {
    out.harvesterLoadBalancer = readHarvesterLoadBalancer(doc, reader, defaultNamespace);
  } else if (kind === 'Event') {
    out.event = readEvent(reader);
  } else if (kind === 'Deployment') {
    out.deployment = doc;
  }
  return NONE;
}

const NONE: Finding[] = [];

/** The ≤0.12 configuration: ConfigMap `config` with a `config` key that lists address pools. */
function isMetalLBConfigMap(doc: ManifestDocument): boolean {
  const cfg = doc.get(['data', 'config']);
  return typeof cfg === 'string' && /(^|\n)address-pools\s*:/.test(cfg);
}

function readEvent(reader: FieldReader): ServiceEvent | undefined {
  const kind = reader.string(['involvedObject', 'kind']) ?? reader.string(['regarding', 'kind']);
  if (kind !== 'Service') return undefined;
  return {
    namespace: reader.string(['involvedObject', 'namespace']) ?? reader.string(['regarding', 'namespace']) ?? 'default',
    name: reader.string(['involvedObject', 'name']) ?? reader.string(['regarding', 'name']) ?? '',
    reason: reader.string(['reason']) ?? '',
    message: reader.string(['message']) ?? reader.string(['note']) ?? '',
    type: reader.string(['type']) ?? 'Normal',
    source: reader.string(['source', 'component']) ?? reader.string(['reportingController']) ?? reader.string(['reportingComponent']),
    count: reader.int(['count']),
    lastTimestamp: reader.string(['lastTimestamp']) ?? reader.string(['eventTime']) ?? reader.string(['metadata', 'creationTimestamp']),
  };
}

const METALLB_IMAGE = /metallb\/controller:v?([0-9]+\.[0-9]+\.[0-9]+)/;

/** A MetalLB controller Deployment tells the namespace, version (image tag) and --lb-class. */
function readMetalLBDeployment(doc: ManifestDocument, model: ClusterModel): void {
  const containers = doc.get(['spec', 'template', 'spec', 'containers']);
  if (!Array.isArray(containers)) return;
  for (const c of containers) {
    const image = (c as { image?: unknown })?.image;
    if (typeof image !== 'string') continue;
    const m = METALLB_IMAGE.exec(image);
    if (!m) continue;
    model.metallb.image = image;
    model.metallb.version ??= m[1];
    if (!model.metallb.namespace && doc.namespace) model.metallb.namespace = doc.namespace;
    const args = (c as { args?: unknown }).args;
    if (Array.isArray(args)) {
      for (const a of args) if (typeof a === 'string' && a.startsWith('--lb-class=')) model.metallb.lbClass ??= a.slice('--lb-class='.length);
    }
  }
}

/** The namespace most pools live in, else MetalLB's default. */
export function inferMetalLBNamespace(model: ClusterModel): string {
  const counts = new Map<string, number>();
  for (const p of model.pools) if (p.namespace) counts.set(p.namespace, (counts.get(p.namespace) ?? 0) + 1);
  let best = DEFAULT_METALLB_NAMESPACE;
  let bestCount = 0;
  for (const [ns, n] of counts) if (n > bestCount || (n === bestCount && ns === DEFAULT_METALLB_NAMESPACE)) [best, bestCount] = [ns, n];
  return best;
}
