// The source tree of a listed object's JSON text (JSON.stringify's output: no white space), with
// exactly the lookups, node ranges and scalar sources `yaml`'s parseDocument(text, {version: '1.1'})
// gives for it (tested against yaml), read by a small scanner in a fraction of yaml's time: a
// `status` with findings on thousands of Services positions each of them.
// The nodes are the fast reader's (FastScalar/FastMap/FastSeq) and the lookups its FastTree's:
// both mirror yaml's tree, so one implementation of child/range/scalarAt serves YAML and JSON text.
import type { SourceTree } from '../../../shared/src/manifest/document.js';
import { type FastMap, type FastNode, type FastScalar, FastTree } from '../../../shared/src/manifest/fastParse.js';

/** A JSON literal token's value (number, true, false or null). */
function literal(token: string): number | boolean | null {
  return token === 'true' ? true : token === 'false' ? false : token === 'null' ? null : Number(token);
}

class Scanner {
  i = 0;
  constructor(private readonly text: string) {}

  value(): FastNode {
    const { text } = this;
    const start = this.i;
    const c = text.charCodeAt(start);
    if (c === 123 /* { */) {
      const keys: FastScalar[] = [];
      const values: FastNode[] = [];
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
      return { k: 1, start, end: this.i, keys, values };
    }
    if (c === 91 /* [ */) {
      const items: FastNode[] = [];
      this.i++;
      if (text.charCodeAt(this.i) !== 93 /* ] */) {
        for (;;) {
          items.push(this.value());
          if (text.charCodeAt(this.i) !== 44) break;
          this.i++;
        }
      }
      this.expect(93);
      return { k: 2, start, end: this.i, items };
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
    const token = text.slice(start, i);
    return { k: 0, start, end: i, value: literal(token), source: token, type: 'PLAIN' };
  }

  /** A string: yaml's `source` is its value (escapes resolved). */
  private string(): FastScalar {
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
    const value = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
    return { k: 0, start, end: i + 1, value, source: value, type: 'QUOTE_DOUBLE' };
  }

  private expect(c: number): void {
    if (this.text.charCodeAt(this.i) !== c) throw new Error(`"${String.fromCharCode(c)}" expected at ${this.i}`);
    this.i++;
  }
}

/** The tree of `text`, which must be the JSON.stringify output of an object (no white space between tokens). */
export function jsonTree(text: string): SourceTree {
  const scanner = new Scanner(text);
  const root = scanner.value();
  if (scanner.i !== text.length) throw new Error(`trailing text at ${scanner.i}`);
  if (root.k !== 1) throw new Error('a JSON object expected');
  return new FastTree(root as FastMap);
}
