// Listed objects → the core's ManifestFile without a YAML round trip. The text is one JSON
// document per object (`---` separated: valid YAML, which `kubectl lb snapshot` writes as YAML
// instead); each document's value is the object itself, and its node tree (for the source positions
// of findings: jsonTree.ts, what yaml would give for that JSON) is read only if something asks for
// a position. Values are what the YAML 1.1 parse of a snapshot gives (the snapshot quotes every
// string YAML 1.1 would re-type), so live and --state views are the same.
//
// The work can be done as the objects arrive (`LiveDocuments.add`, page by page while the next page
// is on its way): each object's document and, when asked for, its model read. Once every list is
// in, `file(objects)` only places the documents (their index) in the final order. No JSON is made
// until a position or the text is asked for.
import type { ManifestFile } from '../../../shared/src/manifest/parse.js';
import { ManifestDocument, type Located, type NodePart, type PathSegment, type RangeMapper } from '../../../shared/src/manifest/document.js';
import { LineIndex, type Position, type SourceRange } from '../../../shared/src/manifest/source.js';
import { jsonTree } from './jsonTree.js';

/**
 * Where a document sits in the file, set once the file is complete. Every document is one line of
 * JSON (JSON.stringify writes no raw line break) followed by a `---` line, so document i is line
 * 2i+1, and a position in it is that line and the column in its own JSON: no index of the whole
 * text, which is not even made. Only a position's `offset` (in the whole text) needs the length of
 * every document before it: it is worked out when first read (`status` never reads it; rules offer no fixes on the listing).
 */
class Placement implements RangeMapper {
  line = 1;
  index = 0;

  /** The document placed (its text's length bounds the positions on its line). */
  doc?: LazyDocument;

  constructor(private readonly docs: LiveDocuments) {}

  fileRange(s: number, e: number): SourceRange {
    const end = Math.max(s, e);
    // Offsets past this document's line (never made by its own tree): the whole text's index.
    if (s < 0 || end > (this.doc?.source.length ?? 0)) return this.docs.manifest.lines.range(this.docs.offsetOf(this.index) + s, this.docs.offsetOf(this.index) + e);
    return { start: this.position(s), end: this.position(end) };
  }

  private position(at: number): Position {
    const p = { line: this.line, column: at + 1 } as Position;
    const { docs, index } = this;
    Object.defineProperty(p, 'offset', { get: () => docs.offsetOf(index) + at, enumerable: true, configurable: true });
    return p;
  }
}

class LazyDocument extends ManifestDocument {
  private real?: ManifestDocument;
  private json?: string;

  constructor(
    file: string,
    value: Record<string, unknown>,
    private readonly at: Placement,
  ) {
    super(file, 0, value, undefined as never, at);
    at.doc = this;
  }

  /** Its text: the object's JSON (made when first needed). */
  get source(): string {
    return (this.json ??= JSON.stringify(this.value));
  }

  /** Set by `place`. */
  placed = false;

  /** Its index in the file (once every object is in). */
  place(docIndex: number): void {
    this.placed = true;
    (this as { docIndex: number }).docIndex = docIndex;
    this.at.index = docIndex;
    this.at.line = 2 * docIndex + 1;
  }

  private resolve(): ManifestDocument {
    this.real ??= new ManifestDocument(this.file, this.docIndex, this.value, jsonTree(this.source), this.at);
    return this.real;
  }

  override locate(path: PathSegment[], part: NodePart = 'value'): Located {
    return this.resolve().locate(path, part);
  }

  override has(path: PathSegment[]): boolean {
    // Presence needs no positions.
    let cur: unknown = this.value;
    for (const seg of path) {
      if (cur === null || typeof cur !== 'object' || !(seg in (cur as object))) return false;
      cur = (cur as Record<string | number, unknown>)[seg];
    }
    return true;
  }

  override scalarAt(path: PathSegment[]): { source: string; type?: string } | undefined {
    return this.resolve().scalarAt(path);
  }
}

export interface LiveDocumentsOptions {
  /** Kinds that become documents (all when absent); the others only take their place in the text. */
  kindFilter?: (kind: string, apiVersion: string) => boolean;
  /**
   * Called for each document as it is made (e.g. the model's read of it). Its place in the file is
   * not known yet: a position asked for meanwhile is wrong (line 1), so a read that made findings
   * must be made again once the file is complete.
   */
  onDocument?: (doc: ManifestDocument, file: ManifestFile) => void;
}

/**
 * The live ManifestFile, made while the objects arrive: `add` each page's objects as it comes, then
 * `file(objects)` with every object in the file's order (objects never added are prepared then).
 * Objects of kinds the filter drops only take their place in the text.
 */
export class LiveDocuments {
  private readonly prepared = new WeakMap<object, LazyDocument | null>();
  private objects: Record<string, unknown>[] = [];
  private docs: (LazyDocument | null)[] = [];
  private offsets?: number[];
  private text?: string;
  private lines?: LineIndex;
  /** The file; its documents are set by `file()`. */
  readonly manifest: ManifestFile;

  constructor(
    readonly name: string,
    private readonly o: LiveDocumentsOptions = {},
  ) {
    // The whole text and its line index are made only when something reads them (`snapshot`
    // writes YAML instead; no fix is offered on a listing).
    const self = this;
    this.manifest = {
      file: name,
      get text() {
        return (self.text ??= self.texts().join('\n---\n') + (self.objects.length ? '\n' : ''));
      },
      get lines() {
        return (self.lines ??= new LineIndex(self.manifest.text));
      },
      documents: [],
      findings: [],
      ignoreComments: [],
      // A listing, not a file anyone edits: rules offer no fixes on it.
      editable: false,
    };
  }

  /** Prepares objects (one page of a list) ahead of `file`. */
  add(objects: Record<string, unknown>[]): void {
    for (const o of objects) if (!this.prepared.has(o)) this.prepared.set(o, this.prepare(o));
  }

  private prepare(o: Record<string, unknown>): LazyDocument | null {
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    if (this.o.kindFilter && !this.o.kindFilter(kind, apiVersion)) return null;
    const doc = new LazyDocument(this.name, o, new Placement(this));
    this.o.onDocument?.(doc, this.manifest);
    return doc;
  }

  /** The file of these objects, in this order (call once). */
  file(objects: Record<string, unknown>[]): ManifestFile {
    this.objects = objects;
    this.docs = objects.map((o, i) => {
      let doc = this.prepared.get(o);
      // An object listed twice is two documents.
      if (doc === undefined || doc?.placed) doc = this.prepare(o);
      if (doc) {
        doc.place(i);
        this.manifest.documents.push(doc);
      }
      return doc;
    });
    return this.manifest;
  }

  /** Each object's text, in file order. */
  private texts(): string[] {
    return this.objects.map((o, i) => this.docs[i]?.source ?? JSON.stringify(o));
  }

  /** Offset of document `i`'s line in the whole text. */
  offsetOf(i: number): number {
    if (!this.offsets) {
      const offsets: number[] = [];
      let offset = 0;
      for (const t of this.texts()) {
        offsets.push(offset);
        offset += t.length + 5; // "\n---\n"
      }
      this.offsets = offsets;
    }
    return this.offsets[i];
  }
}

export function objectsToManifestFile(
  objects: Record<string, unknown>[],
  file: string,
  kindFilter?: (kind: string, apiVersion: string) => boolean,
): ManifestFile {
  return new LiveDocuments(file, { kindFilter }).file(objects);
}
