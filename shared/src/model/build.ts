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
import type { ClusterModel, ServiceEvent } from './types.js';

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

export function buildModel(files: ManifestFile[], options: BuildOptions = {}): BuiltModel {
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const model = emptyModel(options);
  const findings: Finding[] = [];
  for (const file of files) {
    for (const doc of file.documents) {
      const reader = new FieldReader(doc);
      readObject(doc, reader, file, model, defaultNamespace, findings);
      findings.push(...reader.findings);
    }
  }
  if (!model.metallb.namespace) model.metallb.namespace = inferMetalLBNamespace(model);
  return { model, findings };
}

function readObject(doc: ManifestDocument, reader: FieldReader, file: ManifestFile, model: ClusterModel, defaultNamespace: string, findings: Finding[]): void {
  const { kind, apiVersion } = doc;
  if (kind === 'Service' && (apiVersion === 'v1' || apiVersion === '')) {
    model.services.push(readService(doc, reader, defaultNamespace));
  } else if (isMetalLBPool(kind, apiVersion)) {
    model.pools.push(readPoolCR(doc, reader));
  } else if (kind === 'Namespace' && apiVersion === 'v1') {
    model.namespaces.push({ name: doc.name, labels: reader.stringMap(['metadata', 'labels']) });
  } else if (kind === 'ConfigMap' && apiVersion === 'v1' && isMetalLBConfigMap(doc)) {
    const inner = parseEmbeddedYaml(doc, ['data', 'config'], file.text, file.lines);
    if (!inner) return;
    if ('error' in inner) {
      findings.push({
        rule: 'yaml-syntax',
        severity: 'error',
        file: doc.file,
        range: doc.locate(['data', 'config']).range,
        message: `MetalLB's config in ConfigMap ${doc.name} is not valid YAML (${inner.error}); MetalLB ≤0.12 would refuse it and keep its old configuration.`,
        docsUrl: docsUrl('yaml-syntax'),
        object: doc.ref,
      });
      return;
    }
    const { pools, reader: innerReader } = readConfigMapPools(inner.doc, doc.namespace);
    model.pools.push(...pools);
    findings.push(...innerReader.findings);
  } else if (isHarvesterPool(kind, apiVersion)) {
    model.harvesterPools.push(readHarvesterPool(doc, reader));
  } else if (isHarvesterLoadBalancer(kind, apiVersion)) {
    model.harvesterLoadBalancers.push(readHarvesterLoadBalancer(doc, reader, defaultNamespace));
  } else if (kind === 'Event') {
    const ev = readEvent(reader);
    if (ev) model.events.push(ev);
  } else if (kind === 'Deployment') {
    readMetalLBDeployment(doc, reader, model);
  }
}

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
function readMetalLBDeployment(doc: ManifestDocument, reader: FieldReader, model: ClusterModel): void {
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
  void reader;
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
