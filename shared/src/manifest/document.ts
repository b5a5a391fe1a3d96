// A parsed Kubernetes object with a way back to its source: every finding points at the key or
// value it is about, or at the nearest ancestor that exists when the field is missing.
import { type Document, isDocument, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { LineIndex, SourceRange } from './source.js';

/** Turns offsets in the parsed text into file ranges. */
export interface RangeMapper {
  fileRange(start: number, end: number): SourceRange;
}

/** Offsets of one document in a file's text (a class, not a closure: one small object per document kept for the lint). */
class OffsetMapper implements RangeMapper {
  constructor(
    private readonly lines: LineIndex,
    private readonly baseOffset: number,
  ) {}

  fileRange(start: number, end: number): SourceRange {
    return this.lines.range(this.baseOffset + start, this.baseOffset + end);
  }
}

export function offsetMapper(lines: LineIndex, baseOffset: number): RangeMapper {
  return new OffsetMapper(lines, baseOffset);
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

/**
 * The source tree behind a `ManifestDocument`: yaml's Document (`yamlTree`) or the fast reader's
 * tree (`fastParse.ts`). Nodes are opaque to `ManifestDocument`; ranges are offsets in the parsed text.
 */
export interface SourceTree {
  /** The document's root node. */
  readonly contents: unknown;
  /**
   * One step of `locate`: in a mapping, the pair whose key's text is `String(seg)` (`key` is set);
   * in a sequence, item `seg` when `seg` is a number. Undefined when there is none.
   */
  child(node: unknown, seg: PathSegment): { key?: unknown; node: unknown } | undefined;
  /** `[start, valueEnd]` of a node (yaml's `range[0..1]`), undefined for a node without a range. */
  range(node: unknown): readonly [number, number] | undefined;
  /** The scalar at a path as yaml's `doc.getIn(path, true)` finds it, with its source text and style. */
  scalarAt(path: PathSegment[]): { source: string; type?: string } | undefined;
  /**
   * The document's plain value read again from its source, for a tree that can (the fast reader's
   * keeps its text): a document over such a tree may let go of its value (`releaseValue`).
   */
  readValue?(): unknown;
}

/** yaml's Document as a `SourceTree`. */
export function yamlTree(doc: Document.Parsed): SourceTree {
  return {
    contents: doc.contents,
    child(node, seg) {
      if (isMap(node)) {
        const p = node.items.find((it) => isPair(it) && keyText(it.key) === String(seg));
        if (p) return { key: p.key, node: p.value };
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item !== undefined) return { node: item };
      }
      return undefined;
    },
    range(node) {
      const r = (node as Node | null | undefined)?.range;
      return r ? [r[0], r[1]] : undefined;
    },
    scalarAt(path) {
      const n = doc.getIn(path, true);
      if (!isScalar(n)) return undefined;
      return { source: typeof n.source === 'string' ? n.source : String(n.value), type: n.type };
    },
  };
}

export class ManifestDocument {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** Where `locate` and `scalarAt` read the source. */
  readonly tree: SourceTree;

  /** The value, unless released (see releaseValue). */
  private held: Record<string, unknown> | undefined;

  constructor(
    readonly file: string,
    /** 0-based index of the YAML document in the file. */
    readonly docIndex: number,
    value: Record<string, unknown>,
    source: Document.Parsed | SourceTree,
    private readonly mapper: RangeMapper,
    /** Path prefix of this object inside the YAML document (`['items', 3]` for a List item). */
    readonly pathPrefix: PathSegment[] = [],
  ) {
    this.held = value;
    this.tree = isDocument(source) ? yamlTree(source as Document.Parsed) : (source as SourceTree);
    const meta = asRecord(value.metadata);
    this.apiVersion = typeof value.apiVersion === 'string' ? value.apiVersion : '';
    this.kind = typeof value.kind === 'string' ? value.kind : '';
    this.name = typeof meta?.name === 'string' ? meta.name : '';
    this.namespace = typeof meta?.namespace === 'string' ? meta.namespace : undefined;
  }

  /** The object as Kubernetes reads it (YAML 1.1 scalars); read again from the source after releaseValue. */
  get value(): Record<string, unknown> {
    return (this.held ??= this.readAgain());
  }

  /**
   * Lets go of the plain value when the source tree can read it again (see SourceTree.readValue).
   * A command that only needs the model (simulate, plan) releases each document once it is read:
   * 100k Services then do not keep a second copy of themselves for every collection to walk.
   */
  releaseValue(): void {
    if (this.tree.readValue) this.held = undefined;
  }

  private readAgain(): Record<string, unknown> {
    let v: unknown = this.tree.readValue!();
    for (const seg of this.pathPrefix) v = (v as Record<string | number, unknown>)[seg];
    return v as Record<string, unknown>;
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
    const full = this.pathPrefix.length ? [...this.pathPrefix, ...path] : path;
    const tree = this.tree;
    let node: unknown = tree.contents;
    let inPair = false;
    let key: unknown;
    let lastKey: unknown;
    let lastValue: unknown = node;
    for (let i = 0; i < full.length; i++) {
      const next = tree.child(node, full[i]);
      if (!next) {
        const anchor = lastKey ?? lastValue;
        return { range: this.rangeOf(anchor), found: false };
      }
      inPair = 'key' in next;
      key = next.key;
      node = next.node;
      lastKey = inPair ? key : undefined;
      lastValue = node ?? lastValue;
    }
    if (part === 'key' && inPair) return { range: this.rangeOf(key), found: true };
    if (part === 'pair' && inPair) {
      const start = tree.range(key)?.[0] ?? 0;
      const valueNode = node ?? key;
      return { range: this.offsets(start, tree.range(valueNode)?.[1] ?? 0), found: true };
    }
    const target = node ?? (inPair ? key : undefined);
    return { range: this.rangeOf(target ?? lastValue), found: true };
  }

  /** True when the path exists in the source. */
  has(path: PathSegment[]): boolean {
    return this.locate(path).found;
  }

  /** Scalar source style at a path (PLAIN, QUOTE_DOUBLE...), used to spot YAML 1.1 booleans. */
  scalarAt(path: PathSegment[]): { source: string; type?: string } | undefined {
    return this.tree.scalarAt(this.pathPrefix.length ? [...this.pathPrefix, ...path] : path);
  }

  private rangeOf(node: unknown): SourceRange {
    const r = node === undefined || node === null ? undefined : this.tree.range(node);
    if (!r) return this.offsets(0, 0);
    return this.offsets(r[0], r[1]);
  }

  private offsets(start: number, end: number): SourceRange {
    return this.mapper.fileRange(start, end);
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
