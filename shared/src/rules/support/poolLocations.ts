// Where a MetalLB pool's fields live in its manifest (IPAddressPool/AddressPool CRs and the ≤0.12
// ConfigMap pools alike), which pools MetalLB reads together, and safe text edits for fixes.
import type { Fix, RelatedLocation, TextEdit } from '../../findings/finding.js';
import type { ManifestDocument, NodePart, PathSegment } from '../../manifest/document.js';
import type { ManifestFile } from '../../manifest/parse.js';
import type { SourceRange } from '../../manifest/source.js';
import type { MetalLBBehaviour } from '../../metallb/versions.js';
import type { ClusterModel, Pool } from '../../model/types.js';

export type PoolField = 'name' | 'addresses' | 'autoAssign' | 'avoidBuggyIPs' | 'serviceAllocation';

const CONFIGMAP_KEYS: Record<PoolField, string> = {
  name: 'name',
  addresses: 'addresses',
  autoAssign: 'auto-assign',
  avoidBuggyIPs: 'avoid-buggy-ips',
  serviceAllocation: 'serviceAllocation',
};

/** Path of a pool field inside `pool.doc` (`spec.addresses` for a CR, `address-pools[i].addresses` in a ConfigMap). */
export function poolFieldPath(pool: Pool, field: PoolField): PathSegment[] {
  if (pool.source === 'ConfigMap') return [...pool.docPath, CONFIGMAP_KEYS[field]];
  return field === 'name' ? ['metadata', 'name'] : ['spec', field];
}

/** The key a field is spelled with in this pool's format (`avoidBuggyIPs` or `avoid-buggy-ips`). */
export function poolFieldKey(pool: Pool, field: PoolField): string {
  return pool.source === 'ConfigMap' ? CONFIGMAP_KEYS[field] : field;
}

/** `IPAddressPool "prod"`, `AddressPool "prod"` or `ConfigMap pool "prod"`, for messages. */
export function poolLabel(pool: Pool): string {
  return pool.source === 'ConfigMap' ? `ConfigMap pool "${pool.name}"` : `${pool.source} "${pool.name}"`;
}

/** The namespace a pool ends up in (manifests without one are applied with `-n <metallb namespace>`). */
export function effectiveNamespace(pool: Pool, model: ClusterModel): string {
  return pool.namespace ?? model.metallb.namespace;
}

/**
 * Pools MetalLB parses as one configuration: the pools of one ConfigMap, or every CR pool
 * (IPAddressPool and 0.13's AddressPool) of one namespace.
 */
export function poolGroupKey(pool: Pool, model: ClusterModel): string {
  if (pool.source === 'ConfigMap') return `cm:${pool.doc?.file ?? ''}#${pool.doc?.docIndex ?? 0}`;
  return `cr:${effectiveNamespace(pool, model)}`;
}

/**
 * Pools by name, each name to its first pool, as `pools.find((p) => p.name === name)` finds it:
 * rules look pools up for every Service, and hundreds of pools made that a scan per Service.
 */
export function poolsByName(pools: Pool[]): Map<string, Pool> {
  const out = new Map<string, Pool>();
  for (const p of pools) if (!out.has(p.name)) out.set(p.name, p);
  return out;
}

/** Whether this MetalLB version reads pools of this kind at all. */
export function versionReadsPoolKind(pool: Pool, b: MetalLBBehaviour): boolean {
  if (pool.source === 'ConfigMap') return b.readsConfigMap;
  if (pool.source === 'AddressPool') return b.readsLegacyAddressPool;
  return b.readsIPAddressPool;
}

/** The pools the controller of this version loads: its kinds, in its namespace. */
export function poolsMetalLBReads(model: ClusterModel, b: MetalLBBehaviour): Pool[] {
  return model.pools.filter((p) => versionReadsPoolKind(p, b) && effectiveNamespace(p, model) === model.metallb.namespace);
}

export function relatedAt(doc: ManifestDocument | undefined, path: PathSegment[], message: string, part: NodePart = 'value'): RelatedLocation[] {
  if (!doc) return [];
  return [{ file: doc.file, range: doc.locate(path, part).range, message }];
}

/** The exact source text of a range, or undefined when the file is not among the inputs or not editable (no fix is offered then). */
export function sourceText(files: ManifestFile[], file: string, range: SourceRange): string | undefined {
  const f = files.find((x) => x.file === file);
  return f?.editable === false ? undefined : f?.text.slice(range.start.offset, range.end.offset);
}

/**
 * A fix replacing a scalar's text, offered only when the source at its range is exactly the scalar
 * (plain or quoted), so a value folded inside a quoted ConfigMap string is never mangled.
 */
export function replaceScalarFix(files: ManifestFile[], doc: ManifestDocument, path: PathSegment[], expected: string, newValue: string, title: string): Fix | undefined {
  const loc = doc.locate(path);
  if (!loc.found) return undefined;
  const text = sourceText(files, doc.file, loc.range);
  if (text === undefined) return undefined;
  let replacement: string;
  if (text === expected) replacement = newValue;
  else if (text === `"${expected}"`) replacement = `"${newValue}"`;
  else if (text === `'${expected}'`) replacement = `'${newValue}'`;
  else return undefined;
  return { title, edits: [{ file: doc.file, range: loc.range, newText: replacement }] };
}

/**
 * A fix setting `key: value` in the block mapping that holds `sibling` (e.g. add
 * `avoidBuggyIPs: true` next to `addresses`), or rewriting the value if the key exists. Undefined
 * when the mapping is not in block style (flow mappings, folded strings).
 */
export function setKeyFix(files: ManifestFile[], doc: ManifestDocument, mappingPath: PathSegment[], sibling: string, key: string, value: string, title: string): Fix | undefined {
  const file = files.find((f) => f.file === doc.file);
  if (!file || file.editable === false) return undefined;
  const existing = doc.locate([...mappingPath, key]);
  if (existing.found) {
    const text = sourceText(files, doc.file, existing.range);
    if (text === undefined || /[\n{}[\]]/.test(text)) return undefined;
    return { title, edits: [{ file: doc.file, range: existing.range, newText: value }] };
  }
  const sib = doc.locate([...mappingPath, sibling], 'key');
  if (!sib.found) return undefined;
  const { offset, column } = sib.range.start;
  const lineStart = offset - (column - 1);
  const before = file.text.slice(lineStart, offset);
  const indent = /^ *(- +)?$/.exec(before);
  if (!indent) return undefined;
  // `- addresses:` (a ConfigMap pool written with addresses first): the new key goes after the dash.
  const pad = ' '.repeat(column - 1);
  const edit: TextEdit = {
    file: doc.file,
    range: { start: sib.range.start, end: sib.range.start },
    newText: `${key}: ${value}\n${pad}`,
  };
  return { title, edits: [edit] };
}

/** A value still holding a substitution placeholder (Flux `${VAR}`, Helm `{{ }}`): not checked, it is not what MetalLB will see. */
export function isTemplated(text: string): boolean {
  return /\$\{[^}]*\}|\{\{.*\}\}/.test(text);
}

/** What happens when MetalLB refuses a pool configuration, by the pool's format. */
export function configRejected(pool: Pool): string {
  if (pool.source === 'ConfigMap') {
    return 'MetalLB ≤0.12 rejects the whole ConfigMap config, keeps the configuration it loaded before (none after a restart, so no Service gets an IP) and logs the error.';
  }
  return `The webhook denies the ${pool.source}; with the webhook disabled the controller rejects the whole pool configuration ("failed to parse the configuration"), keeps its last good one and, after a restart, ≥0.14.2 processes no Service at all.`;
}

/** The manifest object that holds a ConfigMap pool's embedded config (the ConfigMap itself). */
export function outerDocument(files: ManifestFile[], pool: Pool): ManifestDocument | undefined {
  if (pool.source !== 'ConfigMap') return pool.doc;
  const inner = pool.doc;
  if (!inner) return undefined;
  const file = files.find((f) => f.file === inner.file);
  return file?.documents.find((d) => d.docIndex === inner.docIndex && d.kind === 'ConfigMap' && d.namespace === pool.namespace);
}
