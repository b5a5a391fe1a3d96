// MetalLB pools from IPAddressPool / AddressPool CRs and from the ≤0.12 ConfigMap.
import { parsePoolAddress } from '../address/poolAddress.js';
import type { ManifestDocument, PathSegment } from '../manifest/document.js';
import { FieldReader } from './fieldReader.js';
import type { LabelSelector } from './labels.js';
import type { Pool, PoolAddressEntry, PoolSource, ServiceAllocation } from './types.js';

export function readPoolCR(doc: ManifestDocument, reader: FieldReader): Pool {
  const spec = reader.at(['spec']);
  const source: PoolSource = doc.kind === 'AddressPool' ? 'AddressPool' : 'IPAddressPool';
  const pool: Pool = {
    name: doc.name,
    namespace: doc.namespace,
    source,
    addresses: readAddresses(spec, ['addresses']),
    cidrs: [],
    autoAssign: spec.bool(['autoAssign']) ?? true,
    avoidBuggyIPs: spec.bool(['avoidBuggyIPs']) ?? false,
    serviceAllocation: readServiceAllocation(spec),
    doc,
    docPath: [],
  };
  pool.cidrs = pool.addresses.flatMap((a) => a.cidrs);
  return pool;
}

/** Pools of a ≤0.12 ConfigMap config, read from the parsed embedded document. */
export function readConfigMapPools(inner: ManifestDocument, namespace: string | undefined): { pools: Pool[]; reader: FieldReader } {
  const reader = new FieldReader(inner);
  const entries = reader.list(['address-pools']) ?? [];
  const pools = entries.map((_, i) => {
    const r = reader.at(['address-pools', i]);
    const pool: Pool = {
      name: r.string(['name']) ?? '',
      namespace,
      source: 'ConfigMap',
      addresses: readAddresses(r, ['addresses']),
      cidrs: [],
      autoAssign: r.bool(['auto-assign']) ?? true,
      avoidBuggyIPs: r.bool(['avoid-buggy-ips']) ?? false,
      doc: inner,
      docPath: ['address-pools', i],
    };
    pool.cidrs = pool.addresses.flatMap((a) => a.cidrs);
    return pool;
  });
  return { pools, reader };
}

function readAddresses(reader: FieldReader, path: PathSegment[]): PoolAddressEntry[] {
  const list = reader.list(path) ?? [];
  const out: PoolAddressEntry[] = [];
  list.forEach((item, i) => {
    const entryPath = reader.path([...path, i]);
    if (typeof item !== 'string') {
      reader.wrongType([...path, i], 'a string (a CIDR or a start-end range)', item);
      return;
    }
    const parsed = parsePoolAddress(item);
    if (!parsed.ok) out.push({ text: item, cidrs: [], error: parsed.error, path: entryPath });
    else out.push({ text: item, cidrs: parsed.cidrs, hadHostBits: parsed.kind === 'cidr' && parsed.hadHostBits, path: entryPath });
  });
  return out;
}

function readServiceAllocation(spec: FieldReader): ServiceAllocation | undefined {
  const sa = spec.record(['serviceAllocation']);
  if (!sa) return undefined;
  const r = spec.at(['serviceAllocation']);
  return {
    priority: r.int(['priority']) ?? 0,
    namespaces: r.stringList(['namespaces']),
    namespaceSelectors: readSelectors(r, ['namespaceSelectors']),
    serviceSelectors: readSelectors(r, ['serviceSelectors']),
  };
}

export function readSelector(r: FieldReader, path: PathSegment[]): LabelSelector {
  const sel: LabelSelector = {};
  if (r.record([...path, 'matchLabels'])) sel.matchLabels = r.stringMap([...path, 'matchLabels']);
  const exprs = r.list([...path, 'matchExpressions']);
  if (exprs) {
    sel.matchExpressions = exprs.map((_, i) => ({
      key: r.string([...path, 'matchExpressions', i, 'key']) ?? '',
      operator: r.string([...path, 'matchExpressions', i, 'operator']) ?? '',
      values: r.raw([...path, 'matchExpressions', i, 'values']) !== undefined ? r.stringList([...path, 'matchExpressions', i, 'values']) : undefined,
    }));
  }
  return sel;
}

function readSelectors(r: FieldReader, path: PathSegment[]): LabelSelector[] {
  const list = r.list(path) ?? [];
  return list.map((_, i) => readSelector(r, [...path, i]));
}
