// Listed objects → the core's ManifestFile without a YAML round trip. The text is one JSON
// document per object (`---` separated: valid YAML, which `kubectl lb snapshot` writes as YAML
// instead); each document's value is the object itself, and its YAML node tree (for the source
// positions of findings) is parsed only if something asks for a position. Values are what the
// YAML 1.1 parse of a snapshot gives (the snapshot quotes every string YAML 1.1 would re-type),
// so live and --state views are the same.
import { parseDocument } from 'yaml';
import type { ManifestFile } from '../../../shared/src/manifest/parse.js';
import { ManifestDocument, type Located, type NodePart, type PathSegment, type RangeMapper } from '../../../shared/src/manifest/document.js';
import { LineIndex } from '../../../shared/src/manifest/source.js';

class LazyDocument extends ManifestDocument {
  private real?: ManifestDocument;

  constructor(
    file: string,
    docIndex: number,
    value: Record<string, unknown>,
    private readonly source: string,
    private readonly at: RangeMapper,
  ) {
    super(file, docIndex, value, undefined as never, at);
  }

  private resolve(): ManifestDocument {
    this.real ??= new ManifestDocument(this.file, this.docIndex, this.value, parseDocument(this.source, { version: '1.1', merge: true, strict: false }), this.at);
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

export function objectsToManifestFile(
  objects: Record<string, unknown>[],
  file: string,
  kindFilter?: (kind: string, apiVersion: string) => boolean,
): ManifestFile {
  const parts: string[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const o of objects) {
    const json = JSON.stringify(o);
    offsets.push(offset);
    parts.push(json);
    offset += json.length + 5; // "\n---\n"
  }
  // The whole text and its line index are made only when something reads them (a position, a fix).
  let text: string | undefined;
  let lines: LineIndex | undefined;
  const manifest = {
    file,
    get text() {
      return (text ??= parts.join('\n---\n') + (parts.length ? '\n' : ''));
    },
    get lines() {
      return (lines ??= new LineIndex(manifest.text));
    },
    documents: [] as ManifestDocument[],
    findings: [],
    ignoreComments: [],
  };
  const at = (base: number): RangeMapper => ({ range: (s, e) => manifest.lines.range(base + s, base + e) });
  objects.forEach((o, i) => {
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    if (kindFilter && !kindFilter(kind, apiVersion)) return;
    manifest.documents.push(new LazyDocument(file, i, o, parts[i], at(offsets[i])));
  });
  return manifest;
}
