// Multi-document YAML → Kubernetes objects with exact source ranges. Never throws on bad input:
// syntax errors, alias bombs and non-object documents become positioned findings, and the other
// documents of the file are still read.
import { type Document, isMap, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { docsUrl, type Finding } from '../findings/finding.js';
import { asRecord, ManifestDocument, offsetMapper, type RangeMapper, type SourceTree, yamlTree } from './document.js';
import { fastParseDocument, LazyFastTree } from './fastParse.js';
import { LineIndex } from './source.js';
import { type Segment, sniffKind, splitDocuments } from './split.js';
import { findIgnoreComments, type IgnoreComment } from './ignoreComments.js';

export interface ParseOptions {
  /**
   * Only documents whose kind passes this filter are parsed; the others are skipped after a cheap
   * text sniff. Documents whose kind cannot be sniffed are always parsed. `text` is the
   * document's source (its segment of the file) when the filter runs before parsing; it is
   * undefined for the items of a `kind: List`, which are filtered after parsing. A filter that
   * uses `text` must keep every document whose text could hold what it looks for.
   */
  kindFilter?: (kind: string, apiVersion: string | undefined, text?: string) => boolean;
  /** Alias expansions allowed per document before it is refused as an alias bomb. */
  maxAliasCount?: number;
  /**
   * Read block-style documents with the fast reader (`fastParse.ts`), which gives exactly what
   * `yaml` gives or declines. Default true; false forces `yaml` for every document (tests, benchmarks).
   */
  fastPath?: boolean;
  /** Called with each document kept (after `kindFilter`) as soon as it is parsed, before the next one. */
  onDocument?: (doc: ManifestDocument, file: ManifestFile) => void;
}

export interface ManifestFile {
  file: string;
  text: string;
  lines: LineIndex;
  documents: ManifestDocument[];
  /** Parse-level findings: YAML syntax, ambiguous YAML 1.1 booleans, documents that are not objects. */
  findings: Finding[];
  ignoreComments: IgnoreComment[];
  /**
   * False for a text nobody edits: a live cluster's listing (`kubectl lb status`), whose text is
   * made up from the objects read. Findings keep their positions, but rules offer no text edits on
   * it (so nothing makes its whole text). Absent: editable.
   */
  editable?: boolean;
}

const YAML_1_1_BOOLEAN_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/**
 * Cheap pre-check: a plain scalar whose source is one of the words above is delimited by non-word
 * characters (indentation, `: `, `- `, flow punctuation, line ends), so a document whose text has
 * none of them as a whole word has no ambiguous boolean, and the tree walk is skipped.
 */
const MAY_HAVE_YAML_1_1_BOOLEAN = /\b(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)\b/;

/** Parser options, built once (Kubernetes reads manifests with YAML 1.1 scalars: sigs.k8s.io/yaml → go-yaml v2). */
const DOCUMENT_OPTIONS = { version: '1.1', prettyErrors: false, uniqueKeys: true, strict: false, merge: true } as const;

export function parseManifestText(text: string, file: string, options: ParseOptions = {}): ManifestFile {
  const lines = new LineIndex(text);
  const result: ManifestFile = { file, text, lines, documents: [], findings: [], ignoreComments: [] };
  const segments = splitDocuments(text);
  segments.forEach((segment, docIndex) => {
    if (options.kindFilter) {
      const sniffed = sniffKind(segment.text);
      if (sniffed && sniffed.kind !== 'List' && !options.kindFilter(sniffed.kind, sniffed.apiVersion, segment.text)) return;
    }
    parseSegment(segment, docIndex, result, options);
  });
  result.ignoreComments = findIgnoreComments(text, lines);
  return result;
}

function parseSegment(segment: Segment, docIndex: number, out: ManifestFile, options: ParseOptions): void {
  if (options.fastPath !== false) {
    const fast = fastParseDocument(segment.text);
    if (fast) {
      const { file, lines } = out;
      // The reader lists the booleans it read (a few at most): no need for the text pre-check.
      for (const s of fast.booleans) {
        if (YAML_1_1_BOOLEAN_WORDS.test(s.source)) {
          out.findings.push(ambiguousBoolean(file, lines.range(segment.offset + s.start, segment.offset + s.end), s.source, s.value as boolean));
        }
      }
      // The nodes are dropped: the tree is read again from the text if a position is asked for.
      const tree = new LazyFastTree(segment.text, lines, segment.offset);
      addDocuments(fast.value, tree, segment, docIndex, out, options, tree);
      return;
    }
  }
  const { file, lines } = out;
  const doc = parseDocument(segment.text, DOCUMENT_OPTIONS);
  const at = (start: number, end: number) => lines.range(segment.offset + start, segment.offset + end);
  // Errors found at end of input (an unclosed bracket) are reported at the document's last
  // character rather than on the next document's `---` line.
  const contentEnd = segment.text.trimEnd().length;
  const clamp = (o: number) => Math.min(o, Math.max(0, contentEnd - 1));
  for (const err of doc.errors) {
    out.findings.push({
      rule: 'yaml-syntax',
      severity: 'error',
      file,
      range: at(clamp(err.pos[0]), clamp(err.pos[1]) + (err.pos[1] > err.pos[0] ? 1 : 0)),
      message: `YAML syntax error: ${firstLine(err.message)}. kubectl would refuse this document; fix the YAML.`,
      docsUrl: docsUrl('yaml-syntax'),
    });
  }
  if (doc.errors.length > 0) return;

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: options.maxAliasCount ?? 100 });
  } catch (e) {
    const r = doc.contents?.range ?? [0, 0, 0];
    out.findings.push({
      rule: 'yaml-syntax',
      severity: 'error',
      file,
      range: at(r[0], r[0]),
      message: `YAML document could not be read: ${(e as Error).message}. Aliases that expand this much are refused (an "alias bomb").`,
      docsUrl: docsUrl('yaml-syntax'),
    });
    return;
  }
  if (value === null || value === undefined) return;
  const root = asRecord(value);
  if (!root) {
    const r = doc.contents?.range ?? [0, 0, 0];
    const what = Array.isArray(value) ? 'a list' : `a ${typeof value}`;
    out.findings.push({
      rule: 'invalid-object',
      severity: 'error',
      file,
      range: at(r[0], r[1]),
      message: `This YAML document is ${what}, not a Kubernetes object; kubectl would refuse it. Each document must be a mapping with apiVersion and kind.`,
      docsUrl: docsUrl('invalid-object'),
    });
    return;
  }

  if (MAY_HAVE_YAML_1_1_BOOLEAN.test(segment.text)) flagAmbiguousBooleans(doc, at, file, out.findings);
  addDocuments(root, yamlTree(doc as Document.Parsed), segment, docIndex, out, options);
}

function addDocuments(
  root: Record<string, unknown>,
  tree: SourceTree,
  segment: Segment,
  docIndex: number,
  out: ManifestFile,
  options: ParseOptions,
  mapper: RangeMapper = offsetMapper(out.lines, segment.offset),
): void {
  const { file } = out;
  if (root.kind === 'List' && Array.isArray(root.items)) {
    root.items.forEach((item, i) => {
      const rec = asRecord(item);
      if (!rec) return;
      const md = new ManifestDocument(file, docIndex, rec, tree, mapper, ['items', i]);
      if (!options.kindFilter || options.kindFilter(md.kind, md.apiVersion)) keep(md, out, options);
    });
    return;
  }
  keep(new ManifestDocument(file, docIndex, root, tree, mapper), out, options);
}

function keep(doc: ManifestDocument, out: ManifestFile, options: ParseOptions): void {
  out.documents.push(doc);
  options.onDocument?.(doc, out);
}

function flagAmbiguousBooleans(
  doc: ReturnType<typeof parseDocument>,
  at: (s: number, e: number) => import('./source.js').SourceRange,
  file: string,
  findings: Finding[],
): void {
  visit(doc, {
    Scalar(_key, node) {
      if (node.type !== 'PLAIN' || typeof node.value !== 'boolean' || !node.range) return;
      const src = typeof node.source === 'string' ? node.source : '';
      if (!YAML_1_1_BOOLEAN_WORDS.test(src)) return;
      findings.push(ambiguousBoolean(file, at(node.range[0], node.range[1]), src, node.value));
    },
  });
}

function ambiguousBoolean(file: string, range: import('./source.js').SourceRange, src: string, value: boolean): Finding {
  return {
    rule: 'yaml-ambiguous-boolean',
    severity: 'warning',
    file,
    range,
    message: `Unquoted \`${src}\` is the boolean ${value} for Kubernetes (YAML 1.1) but the string "${src}" for YAML 1.2 tools. Write ${value} or quote it.`,
    docsUrl: docsUrl('yaml-ambiguous-boolean'),
  };
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/\s+at line \d+, column \d+:?$/, '').replace(/\.$/, '');
}

export { isMap, isScalar, isSeq };
