// Incremental re-parse for editors: a file is split into its YAML documents (a text scan, exact for
// YAML), and only documents whose text changed since the last parse are parsed again. Unchanged
// documents reuse their parsed YAML; only their position in the file is recomputed, so every range
// is exactly what `parseManifestText` of the whole text gives.
import type { Finding } from '../findings/finding.js';
import { ManifestDocument, offsetMapper } from './document.js';
import { findIgnoreComments } from './ignoreComments.js';
import { type ManifestFile, type ParseOptions, parseManifestText } from './parse.js';
import { LineIndex, type SourceRange } from './source.js';
import { splitDocuments } from './split.js';

/** One document's text parsed on its own: ranges are relative to the segment (offset 0). */
interface CachedSegment {
  parsed: ManifestFile;
  /**
   * The documents as placed at the last parse. When the segment is again the same document of the
   * file at the same offset and line, every range is the same, so the same `ManifestDocument`
   * objects are returned (a `LintSession` reuses what it read from them).
   */
  placed?: { docIndex: number; offset: number; line: number; documents: ManifestDocument[] };
}

export interface IncrementalStats {
  segments: number;
  /** Segments parsed in the last call (the rest came from the cache). */
  parsed: number;
}

export class IncrementalParser {
  private cache = new Map<string, CachedSegment>();
  /** What the last `parse` call did (for tests and benchmarks). */
  lastStats: IncrementalStats = { segments: 0, parsed: 0 };

  constructor(
    readonly file: string,
    private readonly options: ParseOptions = {},
  ) {}

  /** Same result as `parseManifestText(text, file, options)`, re-parsing only changed documents. */
  parse(text: string): ManifestFile {
    const lines = new LineIndex(text);
    const out: ManifestFile = { file: this.file, text, lines, documents: [], findings: [], ignoreComments: [] };
    const next = new Map<string, CachedSegment>();
    const segments = splitDocuments(text);
    let parsed = 0;
    segments.forEach((segment, docIndex) => {
      let entry = next.get(segment.text) ?? this.cache.get(segment.text);
      if (!entry) {
        entry = { parsed: parseManifestText(segment.text, this.file, this.options) };
        parsed++;
      }
      const firstUse = !next.has(segment.text);
      next.set(segment.text, entry);
      const line = lines.position(segment.offset).line;
      const p = entry.placed;
      if (firstUse && p && p.docIndex === docIndex && p.offset === segment.offset && p.line === line) {
        for (const d of p.documents) out.documents.push(d);
      } else {
        const mapper = offsetMapper(lines, segment.offset);
        const documents = entry.parsed.documents.map((d) => new ManifestDocument(this.file, docIndex, d.value, d.tree, mapper, d.pathPrefix));
        for (const d of documents) out.documents.push(d);
        // A text that occurs twice in the file keeps the placement of its first occurrence.
        if (firstUse) entry.placed = { docIndex, offset: segment.offset, line, documents };
      }
      for (const f of entry.parsed.findings) out.findings.push(relocate(f, this.file, lines, segment.offset));
    });
    out.ignoreComments = findIgnoreComments(text, lines);
    this.cache = next;
    this.lastStats = { segments: segments.length, parsed };
    return out;
  }

  /** Forgets every cached document. */
  clear(): void {
    this.cache.clear();
  }
}

function relocateRange(r: SourceRange, lines: LineIndex, base: number): SourceRange {
  return lines.range(base + r.start.offset, base + r.end.offset);
}

function relocate(f: Finding, file: string, lines: LineIndex, base: number): Finding {
  return { ...f, file, range: relocateRange(f.range, lines, base) };
}
