// A hand-written reader for the block-style subset of YAML that Kubernetes manifests are written
// in, about ten times faster than the `yaml` Document API. It either reads a document exactly as
// `parseDocument(text, {version: '1.1'})` does — the same values, the same node ranges, the same
// scalar sources — or returns undefined, and the caller parses the document with `yaml`.
//
// Accepted: block mappings and sequences (`- key: v` compact mappings too), string keys, plain and
// one-line single/double-quoted scalars, one-line flow sequences/mappings of scalars, comments,
// blank lines, a leading `---` line, CRLF. Everything else falls back: anchors, aliases, tags,
// block scalars, multi-line scalars, `?` keys, directives, `...`, tabs, duplicate or `<<` keys,
// non-string keys, timestamps, empty values followed by comments (yaml's ranges differ there),
// and any plain scalar outside a conservative character set.
import { isScalar, Schema } from 'yaml';
import type { PathSegment, RangeMapper, SourceTree } from './document.js';
import type { LineIndex, SourceRange } from './source.js';

export type FastScalarType = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE';

export interface FastScalar {
  k: 0;
  /** [start, valueEnd) offsets in the document text, as yaml's `range[0..1]`. */
  start: number;
  end: number;
  value: string | number | boolean | null;
  source: string;
  type: FastScalarType;
}
export interface FastMap {
  k: 1;
  start: number;
  end: number;
  keys: FastScalar[];
  values: FastNode[];
}
export interface FastSeq {
  k: 2;
  start: number;
  end: number;
  items: FastNode[];
}
export type FastNode = FastScalar | FastMap | FastSeq;

export interface FastDocument {
  tree: FastTree;
  /** The root mapping as `doc.toJS()` gives it. */
  value: Record<string, unknown>;
  /** Plain scalars that resolved to booleans, in document order (for the YAML 1.1 boolean check). */
  booleans: FastScalar[];
}

/** The fast reader's tree behind a `ManifestDocument`: same lookups as yaml's Document. */
export class FastTree implements SourceTree {
  constructor(readonly root: FastMap) {}

  get contents(): unknown {
    return this.root;
  }

  child(node: unknown, seg: PathSegment): { key?: unknown; node: unknown } | undefined {
    const n = node as FastNode;
    if (n.k === 1) {
      const s = String(seg);
      for (let i = 0; i < n.keys.length; i++) if (n.keys[i].value === s) return { key: n.keys[i], node: n.values[i] };
    } else if (n.k === 2 && typeof seg === 'number') {
      const item = n.items[seg];
      if (item !== undefined) return { node: item };
    }
    return undefined;
  }

  range(node: unknown): readonly [number, number] | undefined {
    const n = node as FastNode | undefined;
    return n ? [n.start, n.end] : undefined;
  }

  /** As `doc.getIn(path, true)`: map keys compare strictly, sequence indexes may be numeric strings. */
  scalarAt(path: PathSegment[]): { source: string; type?: string } | undefined {
    let n: FastNode | undefined = this.root;
    for (const seg of path) {
      if (n === undefined) return undefined;
      if (n.k === 1) {
        const keys: FastScalar[] = n.keys;
        const i = keys.findIndex((k) => k.value === seg);
        n = i < 0 ? undefined : n.values[i];
      } else if (n.k === 2) {
        let idx: unknown = seg;
        if (idx && typeof idx === 'string') idx = Number(idx);
        n = typeof idx === 'number' && Number.isInteger(idx) && idx >= 0 ? n.items[idx] : undefined;
      } else return undefined;
    }
    if (n === undefined || n.k !== 0) return undefined;
    return { source: n.source, type: n.type };
  }
}

/**
 * A document's FastTree, read again from the document's text when first asked (the reader is
 * deterministic). A lint keeps every document for its whole run yet asks few of them for a
 * position (findings, fixes, hovers): holding the text instead of the nodes keeps ~2 KB less per
 * document (a 100k-Service file: ~200 MB less heap for every collection to walk).
 */
export class LazyFastTree implements SourceTree, RangeMapper {
  private built: FastTree | undefined;

  constructor(
    private readonly text: string,
    /** The file's lines and where the document starts in the file: the tree is its document's RangeMapper too (one object per document, not two). */
    private readonly lines: LineIndex,
    private readonly baseOffset: number,
  ) {}

  fileRange(start: number, end: number): SourceRange {
    return this.lines.range(this.baseOffset + start, this.baseOffset + end);
  }

  private get tree(): FastTree {
    return (this.built ??= fastParseDocument(this.text)!.tree);
  }

  get contents(): unknown {
    return this.tree.contents;
  }

  child(node: unknown, seg: PathSegment): { key?: unknown; node: unknown } | undefined {
    return this.tree.child(node, seg);
  }

  range(node: unknown): readonly [number, number] | undefined {
    return this.tree.range(node);
  }

  scalarAt(path: PathSegment[]): { source: string; type?: string } | undefined {
    return this.tree.scalarAt(path);
  }

  /** Read again on the first ask and kept: the items of a `kind: List` share this tree and ask in turn. */
  private valueAgain: unknown;

  readValue(): unknown {
    if (this.valueAgain === undefined) {
      const read = fastParseDocument(this.text)!;
      this.built ??= read.tree;
      this.valueAgain = read.value;
    }
    return this.valueAgain;
  }
}

// ---- scalar resolution: yaml's own YAML 1.1 schema tags, tried in yaml's order -----------------

interface ResolvingTag {
  test: RegExp;
  resolve: (value: string, onError: (msg: string) => void, options: object) => unknown;
}
const SCHEMA = new Schema({ resolveKnownTags: false, schema: 'yaml-1.1', merge: true } as ConstructorParameters<typeof Schema>[0]);
const PLAIN_TAGS: ResolvingTag[] = (SCHEMA.tags as unknown as (ResolvingTag & { default?: unknown })[]).filter((t) => t.default === true && t.test);
const RESOLVE_OPTIONS = { intAsBigInt: false };
/** No tag test matches a plain scalar starting with any other character (every test is anchored). */
const MAY_NOT_BE_STRING = /^[-+.~0-9nNyYtTfFoOeE]|^$/;
const FAIL = Symbol('fail');

type Resolved = string | number | boolean | null | typeof FAIL;

/**
 * Resolutions already made: manifests repeat the same few scalars (`TCP`, `80`, `v1`, `true`), and
 * trying a dozen tag patterns on each was a fifth of the reading time. Bounded (emptied when full),
 * and short scalars only: V8 copies a slice shorter than 13 characters, a longer one would keep
 * its whole file's text alive.
 */
const RESOLVED = new Map<string, Resolved>();
const RESOLVED_MAX = 4096;
const RESOLVED_MAX_LENGTH = 12;

function resolvePlain(src: string): Resolved {
  if (!MAY_NOT_BE_STRING.test(src)) return src;
  if (src.length > RESOLVED_MAX_LENGTH) return resolveByTags(src);
  const known = RESOLVED.get(src);
  if (known !== undefined) return known;
  if (RESOLVED.size >= RESOLVED_MAX) RESOLVED.clear();
  const v = resolveByTags(src);
  RESOLVED.set(src, v);
  return v;
}

function resolveByTags(src: string): Resolved {
  for (const tag of PLAIN_TAGS) {
    if (!tag.test.test(src)) continue;
    let failed = false;
    const res = tag.resolve(src, () => (failed = true), RESOLVE_OPTIONS);
    const v = isScalar(res) ? res.value : res;
    if (failed) return FAIL;
    if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
    return FAIL; // timestamps (Date), bigints
  }
  return src;
}

// ---- plain keys: checked once, one copy each -------------------------------------------------

/**
 * Plain keys already read, by their text: manifests use the same few dozen keys over and over.
 * A key found here passed the checks below before, and the copy kept is the one every tree and
 * object shares — setting a property by a fresh slice of the text made V8 look the string up in
 * its string table each time, and each tree kept its own copy. Copies are detached from the text
 * they were read from (a slice keeps its whole file alive); bounded: emptied when full.
 */
const PLAIN_KEYS = new Map<string, string>();
const PLAIN_KEYS_MAX = 4096;
const PLAIN_KEY_MAX_KEPT_LENGTH = 64;

/**
 * The key a plain scalar `src` not in PLAIN_KEYS reads as (kept there), or REJECT when yaml could
 * read it as something else.
 */
function newPlainKey(src: string): string {
  if (!PLAIN_KEY.test(src) || src.length > 1000) throw REJECT;
  if (resolvePlain(src) !== src) throw REJECT;
  if (src.length > PLAIN_KEY_MAX_KEPT_LENGTH) return src;
  if (PLAIN_KEYS.size >= PLAIN_KEYS_MAX) PLAIN_KEYS.clear();
  const copy = JSON.parse(JSON.stringify(src)) as string; // a new string, not a slice of the text
  PLAIN_KEYS.set(copy, copy);
  return copy;
}

/**
 * Short string values read before (`v1`, `Service`, `TCP`, a namespace, a ClusterIP): documents
 * repeat them, and each read would otherwise keep its own copy for as long as its document lives
 * (100k Services: several strings each, ~half a million objects for every collection to walk).
 * Only strings shorter than V8's sliced strings (13 characters) are kept: a kept value is its own
 * copy, never a view that would hold a whole file's text alive after the file is gone.
 */
const SHORT_VALUES = new Map<string, string>();
const SHORT_VALUES_MAX = 4096;
const SHORT_VALUE_MAX_LENGTH = 12;

function shortShared(s: string): string {
  if (s.length > SHORT_VALUE_MAX_LENGTH) return s;
  const kept = SHORT_VALUES.get(s);
  if (kept !== undefined) return kept;
  // Unique values (names) fill the map; the common ones are back after the first document that has them.
  if (SHORT_VALUES.size >= SHORT_VALUES_MAX) SHORT_VALUES.clear();
  SHORT_VALUES.set(s, s);
  return s;
}

// ---- text scan ------------------------------------------------------------------------------

/** Characters the reader does not handle (tabs, BOM, controls, lone CR, line/paragraph separators, surrogates). */
const UNSUPPORTED_CHARS = /[\t\u00A0\uFEFF\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029\uD800-\uDFFF]|\r(?!\n)/;
const PLAIN_KEY = /^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/;
/** Block-context plain scalar (one line, already cut at ` #` and trimmed). */
const PLAIN_BLOCK = /^(?:[A-Za-z0-9_./~$(+\u00A0-\uFFFF]|-[A-Za-z0-9.])[^]*$/;
/** Flow-context plain scalar: no flow indicators, no `:` or `#`, no quotes. */
const PLAIN_FLOW = /^(?:[A-Za-z0-9_./~$(+\u00A0-\uFFFF]|-[A-Za-z0-9.])[^,[\]{}#:"']*$/;
const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

class Reject extends Error {}
const REJECT = new Reject('fast path does not apply');

interface Line {
  indent: number;
  /** Offset of the first non-space character. */
  start: number;
  /** Offset where the line's content ends (before `\r\n` / `\n`). */
  end: number;
  /** Offset after the line break (or the text's end). */
  next: number;
}

/** Reads one document segment, or returns undefined when it is outside the supported subset. */
export function fastParseDocument(text: string): FastDocument | undefined {
  if (UNSUPPORTED_CHARS.test(text)) return undefined;
  try {
    return new Reader(text).read();
  } catch (e) {
    if (e instanceof Reject) return undefined;
    throw e;
  } finally {
    if (LINES.length > LINES_KEPT) LINES.length = LINES_KEPT;
  }
}

/**
 * The `Line` records, reused by every reader (one reads at a time, and no line outlives its
 * reader): a large input has a hundred thousand lines, and a record each was a tenth of what a lint
 * allocated. Kept up to a bound; longer documents get the extra records afresh.
 */
const LINES: Line[] = [];
const LINES_KEPT = 4096;

class Reader {
  /** `LINES[0..lineCount)` are this document's content lines. */
  private lineCount = 0;
  private i = 0;
  /**
   * Scratch stacks the collections are gathered on, then copied out at their exact length: arrays
   * grown by push keep spare capacity, and the trees live as long as the lint (GC copies them).
   */
  private readonly keyStack: FastScalar[] = [];
  private readonly nodeStack: FastNode[] = [];
  private readonly valueStack: unknown[] = [];
  private keyTop = 0;
  private nodeTop = 0;
  private valueTop = 0;
  readonly booleans: FastScalar[] = [];

  /**
   * What the last read collection is as `toJS()` gives it (a scalar's is its node's `value`), and
   * where the last block value ends (after its line break when it is inline): set by the method that
   * read it and taken right after the call, instead of a result object per value.
   */
  private collected: unknown;
  private nodeEnd = 0;

  /**
   * Whether the text has a `#` at all. Comments change where yaml ends an empty value's collection
   * (after the line break, or over the comment lines), so a null written as nothing is only read in
   * documents without any; and without any, no line is searched for a ` #`.
   */
  private readonly mayHaveComments: boolean;

  constructor(private readonly text: string) {
    this.mayHaveComments = text.includes('#');
  }

  read(): FastDocument | undefined {
    this.scanLines();
    if (this.lineCount === 0) return undefined;
    const first = LINES[0];
    if (first.indent !== 0) throw REJECT;
    const root = this.blockMap(first.start, 0);
    const value = this.collected as Record<string, unknown>;
    if (this.i !== this.lineCount) throw REJECT;
    return { tree: new FastTree(root), value, booleans: this.booleans };
  }

  /** Content line `i`, or undefined past the last one. */
  private line(i: number): Line | undefined {
    return i < this.lineCount ? LINES[i] : undefined;
  }

  private addLine(indent: number, start: number, end: number, next: number): void {
    const n = this.lineCount++;
    const line = LINES[n];
    if (line) {
      line.indent = indent;
      line.start = start;
      line.end = end;
      line.next = next;
    } else LINES[n] = { indent, start, end, next };
  }

  private scanLines(): void {
    const text = this.text;
    let pos = 0;
    let sawContent = false;
    let sawMarker = false;
    let commentIndent = -1;
    while (pos < text.length) {
      let nl = text.indexOf('\n', pos);
      const next = nl < 0 ? text.length : nl + 1;
      if (nl < 0) nl = text.length;
      const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      let s = pos;
      while (s < end && text.charCodeAt(s) === 32) s++;
      if (s === end) {
        // blank line
      } else if (text.charCodeAt(s) === 35 /* # */) {
        if (s - pos > commentIndent) commentIndent = s - pos;
      } else if (s === pos && (text.startsWith('---', pos) || text.startsWith('...', pos)) && (end === pos + 3 || text.charCodeAt(pos + 3) === 32)) {
        if (sawContent || sawMarker || text.charCodeAt(pos) === 46) throw REJECT;
        // `---` alone or followed by a comment
        let t = pos + 3;
        while (t < end && text.charCodeAt(t) === 32) t++;
        if (t < end && text.charCodeAt(t) !== 35) throw REJECT;
        sawMarker = true;
      } else {
        if (s === pos && text.charCodeAt(pos) === 37 /* % */) throw REJECT;
        // yaml attaches a comment indented deeper than the next line to the collections before
        // it, and their ranges then reach over it: left to yaml.
        if (commentIndent > s - pos) throw REJECT;
        this.addLine(s - pos, s, end, next);
        commentIndent = -1;
        sawContent = true;
      }
      pos = next;
    }
    if (commentIndent > 0) throw REJECT;
  }

  /** Offset of `s` starting in [from, to), or -1 (a search that stops at the line's end). */
  private find(s: ':' | ' #', from: number, to: number): number {
    const text = this.text;
    if (s === ':') {
      for (let i = from; i < to; i++) if (text.charCodeAt(i) === 58) return i;
    } else if (this.mayHaveComments) {
      for (let i = from + 1; i < to; i++) if (text.charCodeAt(i) === 35 && text.charCodeAt(i - 1) === 32) return i - 1;
    }
    return -1;
  }

  /** Start offset of the rest of a line after spaces, and whether it is empty or a comment. */
  private skipSpaces(pos: number, end: number): number {
    while (pos < end && this.text.charCodeAt(pos) === 32) pos++;
    return pos;
  }

  /**
   * A block mapping whose first key is at `pos` on line `this.i` (mid-line for `- key: v`); every
   * other key must start a line at the same column.
   */
  private blockMap(pos: number, column: number): FastMap {
    const text = this.text;
    const keyBase = this.keyTop;
    const nodeBase = this.nodeTop;
    const value: Record<string, unknown> = {};
    let end = pos;
    for (;;) {
      const line = LINES[this.i];
      const key = this.mapKey(pos, line.end);
      if (!key) throw REJECT;
      const k = key.value as string;
      if (k === '__proto__' || k === '<<' || this.keyRepeats(k, keyBase, value)) throw REJECT;
      this.keyStack[this.keyTop++] = key;
      const p = this.skipSpaces(key.end + 1, line.end);
      let node: FastNode;
      if (p === line.end || text.charCodeAt(p) === 35) {
        // Nothing after `key:` on this line: a nested block (a sequence may sit at the key's own
        // indentation), or null.
        node = this.nestedOrNull(p, column, true);
      } else {
        node = this.inlineValue(p, line, column);
        this.i++;
      }
      this.nodeStack[this.nodeTop++] = node;
      value[k] = node.k === 0 ? node.value : this.collected;
      end = this.nodeEnd;
      const next = this.line(this.i);
      if (!next || next.indent < column) break;
      if (next.indent > column || this.isSeqItem(next)) throw REJECT;
      pos = next.start;
    }
    const keys = this.keyStack.slice(keyBase, this.keyTop);
    const values = this.nodeStack.slice(nodeBase, this.nodeTop);
    this.keyTop = keyBase;
    this.nodeTop = nodeBase;
    this.collected = value;
    this.nodeEnd = end;
    return { k: 1, start: keys[0].start, end, keys, values };
  }

  /**
   * Whether `k` is among the keys of the mapping being read: the keys on the stack from `keyBase`,
   * which are `value`'s own properties. Comparing a few strings is cheaper than a property lookup
   * by a fresh string (which hashes it); a large mapping is looked up.
   */
  private keyRepeats(k: string, keyBase: number, value: Record<string, unknown>): boolean {
    if (this.keyTop - keyBase > 16) return Object.hasOwn(value, k);
    const keys = this.keyStack;
    for (let j = keyBase; j < this.keyTop; j++) if (keys[j].value === k) return true;
    return false;
  }

  /**
   * The value of a `key:` or `-` with nothing after it on its line (line `this.i`): the block on the
   * lines below when they are indented deeper (or, for a mapping value, a sequence at the same
   * indentation), else null. Consumes the lines it reads.
   */
  private nestedOrNull(p: number, column: number, seqAtSameIndent: boolean): FastNode {
    const nextLine = this.line(this.i + 1);
    if (nextLine && nextLine.indent > column) {
      this.i++;
      return this.blockNode(nextLine);
    }
    if (seqAtSameIndent && nextLine && nextLine.indent === column && this.isSeqItem(nextLine)) {
      this.i++;
      return this.blockSeq(column);
    }
    if (this.mayHaveComments) throw REJECT;
    this.i++;
    this.nodeEnd = p;
    return { k: 0, start: p, end: p, value: null, source: '', type: 'PLAIN' };
  }

  /** A block sequence whose items start lines at `column`, beginning at line `this.i`. */
  private blockSeq(column: number): FastSeq {
    const text = this.text;
    const nodeBase = this.nodeTop;
    const valueBase = this.valueTop;
    const start = LINES[this.i].start;
    let end = start;
    for (;;) {
      const line = LINES[this.i];
      const p = this.skipSpaces(line.start + 1, line.end);
      let node: FastNode;
      if (p === line.end) {
        node = this.nestedOrNull(p, column, false);
      } else {
        const c = text.charCodeAt(p);
        if (c === 35 /* # */ || (c === 45 /* - */ && (p + 1 === line.end || text.charCodeAt(p + 1) === 32))) throw REJECT;
        if (this.mapKey(p, line.end)) {
          node = this.blockMap(p, p - (line.start - line.indent));
        } else {
          node = this.inlineValue(p, line, column);
          this.i++;
        }
      }
      this.nodeStack[this.nodeTop++] = node;
      this.valueStack[this.valueTop++] = node.k === 0 ? node.value : this.collected;
      end = this.nodeEnd;
      const next = this.line(this.i);
      if (!next || next.indent < column) break;
      if (next.indent > column) throw REJECT;
      if (!this.isSeqItem(next)) break; // the parent mapping's next key at the same column
    }
    const items = this.nodeStack.slice(nodeBase, this.nodeTop);
    const value = this.valueStack.slice(valueBase, this.valueTop);
    this.nodeTop = nodeBase;
    this.valueTop = valueBase;
    this.collected = value;
    this.nodeEnd = end;
    return { k: 2, start, end, items };
  }

  /** A block node starting a line: a mapping or a sequence. */
  private blockNode(line: Line): FastNode {
    if (this.isSeqItem(line)) return this.blockSeq(line.indent);
    return this.blockMap(line.start, line.indent);
  }

  private isSeqItem(line: Line): boolean {
    return this.text.charCodeAt(line.start) === 45 && (line.start + 1 === line.end || this.text.charCodeAt(line.start + 1) === 32);
  }

  /** A scalar or flow collection that must end on its line; the next line may not be more indented. */
  private inlineValue(p: number, line: Line, column: number): FastNode {
    const text = this.text;
    const c = text.charCodeAt(p);
    let node: FastNode;
    if (c === 34 || c === 39) node = this.quoted(p, line.end);
    else if (c === 91 || c === 123) node = this.flow(p, line.end);
    else {
      // plain scalar up to a ` #` comment
      let e = line.end;
      const hash = this.find(' #', p, line.end);
      if (hash >= 0) e = hash;
      while (e > p && text.charCodeAt(e - 1) === 32) e--;
      const src = text.slice(p, e);
      if (!PLAIN_BLOCK.test(src) || src.includes(': ') || src.endsWith(':')) throw REJECT;
      node = this.plain(src, p);
    }
    // Every inline node ends where its text does.
    const after = this.skipSpaces(node.end, line.end);
    if (after < line.end && (after === node.end || text.charCodeAt(after) !== 35)) throw REJECT;
    const nextLine = this.line(this.i + 1);
    if (nextLine && nextLine.indent > column) throw REJECT;
    // A collection whose last value is inline ends after that value's line break.
    this.nodeEnd = line.next;
    return node;
  }

  private plain(src: string, start: number): FastScalar {
    const resolved = resolvePlain(src);
    if (resolved === FAIL) throw REJECT;
    const v = typeof resolved === 'string' ? shortShared(resolved) : resolved;
    const node: FastScalar = { k: 0, start, end: start + src.length, value: v, source: typeof v === 'string' ? v : src, type: 'PLAIN' };
    if (typeof v === 'boolean') this.booleans.push(node);
    return node;
  }

  /** A quoted scalar on one line starting at `p`. */
  private quoted(p: number, lineEnd: number): FastScalar {
    const text = this.text;
    const q = text.charCodeAt(p);
    let out = '';
    let i = p + 1;
    let from = i;
    for (;;) {
      if (i >= lineEnd) throw REJECT;
      const c = text.charCodeAt(i);
      if (c === q) {
        if (q === 39 && text.charCodeAt(i + 1) === 39 && i + 1 < lineEnd) {
          out += text.slice(from, i + 1);
          i += 2;
          from = i;
          continue;
        }
        break;
      }
      if (q === 34 && c === 92 /* \ */) {
        out += text.slice(from, i);
        const e = text[i + 1];
        if (i + 1 >= lineEnd) throw REJECT;
        if (e in SIMPLE_ESCAPES) {
          out += SIMPLE_ESCAPES[e];
          i += 2;
        } else if (e === 'x' || e === 'u') {
          const n = e === 'x' ? 2 : 4;
          const hex = text.slice(i + 2, i + 2 + n);
          if (hex.length !== n || i + 2 + n > lineEnd || !/^[0-9a-fA-F]+$/.test(hex)) throw REJECT;
          out += String.fromCodePoint(parseInt(hex, 16));
          i += 2 + n;
        } else throw REJECT;
        from = i;
        continue;
      }
      i++;
    }
    out = shortShared(out + text.slice(from, i));
    return { k: 0, start: p, end: i + 1, value: out, source: out, type: q === 34 ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE' };
  }

  /**
   * A mapping key at `p`: a plain key of safe characters or a quoted key, then `:` (right after the
   * key's `end`) and a space or the line's end. Undefined when the text at `p` is not a key.
   */
  private mapKey(p: number, lineEnd: number): FastScalar | undefined {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === 34 || c === 39) {
      const q = this.quoted(p, lineEnd);
      const colon = q.end;
      if (text.charCodeAt(colon) !== 58 || (colon + 1 < lineEnd && text.charCodeAt(colon + 1) !== 32)) return undefined;
      return q;
    }
    let colon = this.find(':', p, lineEnd);
    while (colon >= 0 && colon + 1 < lineEnd && text.charCodeAt(colon + 1) !== 32) colon = this.find(':', colon + 1, lineEnd);
    if (colon < 0) return undefined;
    const written = text.slice(p, colon);
    // A key read before has no ` #` (no space at all); other text before the colon is searched.
    let src = PLAIN_KEYS.get(written);
    if (src === undefined) {
      if (this.find(' #', p, colon) >= 0) return undefined;
      src = newPlainKey(written);
    }
    return { k: 0, start: p, end: colon, value: src, source: src, type: 'PLAIN' };
  }

  /** A flow sequence or mapping that closes on its line (its value in `collected`). */
  private flow(p: number, lineEnd: number): FastNode {
    const text = this.text;
    const open = text.charCodeAt(p);
    const close = open === 91 ? 93 : 125;
    let i = this.skipSpaces(p + 1, lineEnd);
    // Gathered on the scratch stacks like block collections (flow ones nest: each keeps its base).
    const nodeBase = this.nodeTop;
    const keyBase = this.keyTop;
    const valueBase = this.valueTop;
    const obj: Record<string, unknown> = {};
    if (text.charCodeAt(i) !== close) {
      for (;;) {
        if (open === 123) {
          const key = this.flowScalar(i, lineEnd, true);
          const k = key.value;
          if (typeof k !== 'string' || k in obj || k === '__proto__' || k === '<<') throw REJECT;
          if (text.charCodeAt(key.end) !== 58 || text.charCodeAt(key.end + 1) !== 32) throw REJECT;
          this.keyStack[this.keyTop++] = key;
          const v = this.flowItem(this.skipSpaces(key.end + 1, lineEnd), lineEnd);
          this.nodeStack[this.nodeTop++] = v;
          obj[k] = v.k === 0 ? v.value : this.collected;
          i = v.end;
        } else {
          const v = this.flowItem(i, lineEnd);
          this.nodeStack[this.nodeTop++] = v;
          this.valueStack[this.valueTop++] = v.k === 0 ? v.value : this.collected;
          i = v.end;
        }
        i = this.skipSpaces(i, lineEnd);
        const c = text.charCodeAt(i);
        if (c === close) break;
        if (c !== 44 /* , */) throw REJECT;
        i = this.skipSpaces(i + 1, lineEnd);
        if (i >= lineEnd || text.charCodeAt(i) === close) throw REJECT; // trailing comma
      }
    }
    if (i >= lineEnd) throw REJECT;
    const end = i + 1;
    const items = this.nodeStack.slice(nodeBase, this.nodeTop);
    this.nodeTop = nodeBase;
    if (open === 123) {
      const keys = this.keyStack.slice(keyBase, this.keyTop);
      this.keyTop = keyBase;
      this.collected = obj;
      return { k: 1, start: p, end, keys, values: items };
    }
    this.collected = this.valueStack.slice(valueBase, this.valueTop);
    this.valueTop = valueBase;
    return { k: 2, start: p, end, items };
  }

  private flowItem(i: number, lineEnd: number): FastNode {
    const c = this.text.charCodeAt(i);
    if (c === 91 || c === 123) return this.flow(i, lineEnd);
    return this.flowScalar(i, lineEnd, false);
  }

  private flowScalar(i: number, lineEnd: number, key: boolean): FastScalar {
    const text = this.text;
    const c = text.charCodeAt(i);
    if (c === 34 || c === 39) {
      const q = this.quoted(i, lineEnd);
      // `"a":b` and `"a" :` are valid YAML but left to yaml
      return q;
    }
    let e = i;
    while (e < lineEnd) {
      const ch = text.charCodeAt(e);
      if (ch === 44 || ch === 93 || ch === 125 || ch === 58 || ch === 91 || ch === 123) break;
      e++;
    }
    let t = e;
    while (t > i && text.charCodeAt(t - 1) === 32) t--;
    const src = text.slice(i, t);
    if (!PLAIN_FLOW.test(src)) throw REJECT;
    const node = this.plain(src, i);
    if (key && node.value !== src) throw REJECT;
    return node;
  }
}
