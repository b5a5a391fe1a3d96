// The source tree of a listed object's JSON text (JSON.stringify's output: no white space), with
// exactly the lookups, node ranges and scalar sources `yaml`'s parseDocument(text, {version: '1.1'})
// gives for it (tested against yaml), read by a small scanner in a fraction of yaml's time: a
// `status` with findings on thousands of Services positions each of them.
import type { PathSegment, SourceTree } from '../../../shared/src/manifest/document.js';

class JsonScalar {
  constructor(
    readonly start: number,
    readonly end: number,
    /** yaml's `source`: a string's value (escapes resolved), else the token's text. */
    readonly source: string,
    readonly type: 'PLAIN' | 'QUOTE_DOUBLE',
  ) {}
}

class JsonMap {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly keys: JsonScalar[],
    readonly values: JsonNode[],
  ) {}
}

class JsonSeq {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly items: JsonNode[],
  ) {}
}

type JsonNode = JsonScalar | JsonMap | JsonSeq;

class Scanner {
  i = 0;
  constructor(private readonly text: string) {}

  value(): JsonNode {
    const { text } = this;
    const start = this.i;
    const c = text.charCodeAt(start);
    if (c === 123 /* { */) {
      const keys: JsonScalar[] = [];
      const values: JsonNode[] = [];
      this.i++;
      if (text.charCodeAt(this.i) !== 125 /* } */) {
        for (;;) {
          keys.push(this.string());
          this.expect(58 /* : */);
          values.push(this.value());
          if (text.charCodeAt(this.i) !== 44 /* , */) break;
          this.i++;
        }
      }
      this.expect(125);
      return new JsonMap(start, this.i, keys, values);
    }
    if (c === 91 /* [ */) {
      const items: JsonNode[] = [];
      this.i++;
      if (text.charCodeAt(this.i) !== 93 /* ] */) {
        for (;;) {
          items.push(this.value());
          if (text.charCodeAt(this.i) !== 44) break;
          this.i++;
        }
      }
      this.expect(93);
      return new JsonSeq(start, this.i, items);
    }
    if (c === 34 /* " */) return this.string();
    // A number, true, false or null: up to the next delimiter.
    let i = start;
    for (; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 44 || d === 125 || d === 93) break;
    }
    if (i === start) throw new Error(`JSON value expected at ${start}`);
    this.i = i;
    return new JsonScalar(start, i, text.slice(start, i), 'PLAIN');
  }

  private string(): JsonScalar {
    const { text } = this;
    const start = this.i;
    if (text.charCodeAt(start) !== 34) throw new Error(`JSON string expected at ${start}`);
    let escaped = false;
    let i = start + 1;
    for (; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 92 /* \ */) {
        escaped = true;
        i++;
      } else if (d === 34) break;
    }
    if (i >= text.length) throw new Error(`unterminated JSON string at ${start}`);
    this.i = i + 1;
    return new JsonScalar(start, i + 1, escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i), 'QUOTE_DOUBLE');
  }

  private expect(c: number): void {
    if (this.text.charCodeAt(this.i) !== c) throw new Error(`"${String.fromCharCode(c)}" expected at ${this.i}`);
    this.i++;
  }
}

/** yaml's asItemIndex: a sequence index from a number or a numeric string. */
function itemIndex(seg: PathSegment): number | undefined {
  const idx = seg && typeof seg === 'string' ? Number(seg) : seg;
  return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0 ? idx : undefined;
}

/** The tree of `text`, which must be JSON.stringify output (no white space between tokens). */
export function jsonTree(text: string): SourceTree {
  const scanner = new Scanner(text);
  const root = scanner.value();
  if (scanner.i !== text.length) throw new Error(`trailing text at ${scanner.i}`);
  return {
    contents: root,
    child(node, seg) {
      if (node instanceof JsonMap) {
        // As yaml's tree: the first pair whose key's text is String(seg).
        const k = String(seg);
        const at = node.keys.findIndex((key) => key.source === k);
        if (at >= 0) return { key: node.keys[at], node: node.values[at] };
      } else if (node instanceof JsonSeq && typeof seg === 'number') {
        const item = node.items[seg];
        if (item !== undefined) return { node: item };
      }
      return undefined;
    },
    range(node) {
      return node instanceof JsonScalar || node instanceof JsonMap || node instanceof JsonSeq ? [node.start, node.end] : undefined;
    },
    scalarAt(path) {
      // As yaml's doc.getIn(path, true): map keys compared strictly, sequence indexes as numbers.
      let node: JsonNode | undefined = root;
      for (const seg of path) {
        if (node instanceof JsonMap) {
          const at: number = node.keys.findIndex((key) => key.source === seg);
          node = at >= 0 ? node.values[at] : undefined;
        } else if (node instanceof JsonSeq) {
          const idx = itemIndex(seg);
          node = idx === undefined ? undefined : node.items[idx];
        } else return undefined;
      }
      return node instanceof JsonScalar ? { source: node.source, type: node.type } : undefined;
    },
  };
}
