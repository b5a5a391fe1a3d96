// Typed reads of manifest fields. A wrong type (e.g. `addresses: "10.0.0.0/24"`) becomes an
// `invalid-object` finding at the field, the way the API server would refuse it, and the reader
// returns a fallback so the rest of the object is still checked.
import { docsUrl, type Finding } from '../findings/finding.js';
import { asRecord, type ManifestDocument, type PathSegment } from '../manifest/document.js';

export class FieldReader {
  readonly findings: Finding[];

  /** `findings`: where to report (a reader made by `at` shares its parent's). */
  constructor(readonly doc: ManifestDocument, private readonly base: PathSegment[] = [], findings?: Finding[]) {
    this.findings = findings ?? [];
  }

  at(path: PathSegment[]): FieldReader {
    return new FieldReader(this.doc, this.base.concat(path), this.findings);
  }

  path(path: PathSegment[]): PathSegment[] {
    return this.base.concat(path);
  }

  raw(path: PathSegment[]): unknown {
    // As doc.get(this.path(path)), without building the full path for every field read (an index
    // loop: a reader runs for every listed object, often before the optimizing compiler has).
    let cur = this.baseValue();
    for (let i = 0; i < path.length; i++) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string | number, unknown>)[path[i]];
    }
    return cur;
  }

  private resolvedBase: { value: unknown } | undefined;

  /** The value at `base` (read once: the document does not change). */
  private baseValue(): unknown {
    return (this.resolvedBase ??= { value: this.doc.get(this.base) }).value;
  }

  string(path: PathSegment[]): string | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') {
      this.wrongType(path, 'a string', v);
      return String(v);
    }
    this.wrongType(path, 'a string', v);
    return undefined;
  }

  bool(path: PathSegment[]): boolean | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    this.wrongType(path, 'a boolean (true or false)', v);
    return undefined;
  }

  int(path: PathSegment[]): number | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    this.wrongType(path, 'an integer', v);
    return undefined;
  }

  record(path: PathSegment[]): Record<string, unknown> | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    const r = asRecord(v);
    if (!r) this.wrongType(path, 'a mapping', v);
    return r;
  }

  /** A map of string values (labels, annotations, selector). Non-string values are reported. */
  stringMap(path: PathSegment[]): Record<string, string> {
    const r = this.record(path);
    const out: Record<string, string> = {};
    if (!r) return out;
    // for…in with an own-property check: Object.keys' keys, in its order, without the list.
    for (const k in r) {
      if (!Object.prototype.hasOwnProperty.call(r, k)) continue;
      const v = r[k];
      if (typeof v === 'string') out[k] = v;
      else if (v !== null && v !== undefined) {
        this.wrongType([...path, k], 'a string (quote it)', v);
        out[k] = String(v);
      }
    }
    return out;
  }

  list(path: PathSegment[]): unknown[] | undefined {
    const v = this.raw(path);
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v;
    this.wrongType(path, 'a list', v);
    return undefined;
  }

  stringList(path: PathSegment[]): string[] {
    const items = this.list(path);
    const out: string[] = [];
    if (!items) return out;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (typeof item === 'string') out.push(item);
      else this.wrongType([...path, i], 'a string', item);
    }
    return out;
  }

  wrongType(path: PathSegment[], expected: string, actual: unknown): void {
    const full = this.path(path);
    const got = Array.isArray(actual) ? 'a list' : actual === null ? 'null' : typeof actual === 'object' ? 'a mapping' : `${typeof actual} ${JSON.stringify(actual)}`;
    this.findings.push({
      rule: 'invalid-object',
      severity: 'error',
      file: this.doc.file,
      range: this.doc.locate(full).range,
      message: `${this.doc.kind} field ${formatPath(full)} must be ${expected}, got ${got}; the API server would reject this object. Fix the field's type.`,
      docsUrl: docsUrl('invalid-object'),
      object: this.doc.ref,
    });
  }
}

export function formatPath(path: PathSegment[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
