// A parsed Kubernetes object with a way back to its source: every finding points at the key or
// value it is about, or at the nearest ancestor that exists when the field is missing.
import { type Document, isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import type { LineIndex, SourceRange } from './source.js';

/** Turns offsets in the parsed text into file ranges. */
export interface RangeMapper {
  range(start: number, end: number): SourceRange;
}

export function offsetMapper(lines: LineIndex, baseOffset: number): RangeMapper {
  return { range: (s, e) => lines.range(baseOffset + s, baseOffset + e) };
}

export type PathSegment = string | number;
export type NodePart = 'key' | 'value' | 'pair';

export interface ObjectRef {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
}

export interface Located {
  range: SourceRange;
  /** False when the path does not exist and `range` is the nearest ancestor's. */
  found: boolean;
}

export class ManifestDocument {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;

  constructor(
    readonly file: string,
    /** 0-based index of the YAML document in the file. */
    readonly docIndex: number,
    /** The object as Kubernetes reads it (YAML 1.1 scalars). */
    readonly value: Record<string, unknown>,
    private readonly doc: Document.Parsed,
    private readonly mapper: RangeMapper,
    /** Path prefix of this object inside the YAML document (`['items', 3]` for a List item). */
    readonly pathPrefix: PathSegment[] = [],
  ) {
    const meta = asRecord(value.metadata);
    this.apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
    this.kind = typeof value.kind === 'string' ? value.kind : '';
    this.name = typeof meta?.name === 'string' ? meta.name : '';
    this.namespace = typeof meta?.namespace === 'string' ? meta.namespace : undefined;
  }

  get ref(): ObjectRef {
    return { kind: this.kind, apiVersion: this.apiVersion, name: this.name, namespace: this.namespace };
  }

  /** Range of the whole object. */
  get range(): SourceRange {
    return this.locate([], 'value').range;
  }

  /** The value at a path, as Kubernetes would read it. */
  get(path: PathSegment[]): unknown {
    let cur: unknown = this.value;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string | number, unknown>)[seg];
    }
    return cur;
  }

  /**
   * Source range of a field. `key` is the key's text (`loadBalancerIP`), `value` its value,
   * `pair` both. Missing fields resolve to the nearest existing ancestor's key.
   */
  locate(path: PathSegment[], part: NodePart = 'value'): Located {
    const full = [...this.pathPrefix, ...path];
    let node: unknown = this.doc.contents;
    let pair: Pair | undefined;
    let lastKey: Node | undefined;
    let lastValue: Node | undefined = node as Node;
    for (let i = 0; i < full.length; i++) {
      const seg = full[i];
      let next: { pair?: Pair; node: unknown } | undefined;
      if (isMap(node)) {
        const p = node.items.find((it) => isPair(it) && keyText(it.key) === String(seg));
        if (p) next = { pair: p, node: p.value };
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item !== undefined) next = { node: item };
      }
      if (!next) {
        const anchor = lastKey ?? lastValue;
        return { range: this.rangeOf(anchor), found: false };
      }
      pair = next.pair;
      node = next.node;
      lastKey = pair ? (pair.key as Node) : undefined;
      lastValue = (node as Node) ?? lastValue;
    }
    if (part === 'key' && pair) return { range: this.rangeOf(pair.key as Node), found: true };
    if (part === 'pair' && pair) {
      const start = (pair.key as Node).range?.[0] ?? 0;
      const valueNode = (pair.value as Node) ?? (pair.key as Node);
      return { range: this.offsets(start, valueNode.range?.[1] ?? 0), found: true };
    }
    const target = (node as Node) ?? (pair?.key as Node);
    return { range: this.rangeOf(target ?? lastValue), found: true };
  }

  /** True when the path exists in the source. */
  has(path: PathSegment[]): boolean {
    return this.locate(path).found;
  }

  /** Scalar source style at a path (PLAIN, QUOTE_DOUBLE...), used to spot YAML 1.1 booleans. */
  scalarAt(path: PathSegment[]): { source: string; type?: string } | undefined {
    const n = this.doc.getIn([...this.pathPrefix, ...path], true);
    if (!isScalar(n)) return undefined;
    return { source: typeof n.source === 'string' ? n.source : String(n.value), type: n.type };
  }

  private rangeOf(node: Node | undefined): SourceRange {
    const r = node?.range;
    if (!r) return this.offsets(0, 0);
    return this.offsets(r[0], r[1]);
  }

  private offsets(start: number, end: number): SourceRange {
    return this.mapper.range(start, end);
  }
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

export function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export function objectKey(ref: Pick<ObjectRef, 'kind' | 'namespace' | 'name'>): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
