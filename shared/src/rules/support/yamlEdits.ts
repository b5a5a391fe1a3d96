// Text edits on YAML manifests that keep the rest of the file byte-for-byte: remove a mapping
// entry (or sequence item) line, insert a mapping entry with the indentation its siblings use
// (creating the mapping when missing), rename a key, set a scalar. Every edit carries exact
// offsets and line/column ranges, so the CLI, SARIF and the VS Code extension apply the same fix.
// Helpers return undefined when the source layout is one they cannot edit safely (the rule then
// offers no fix rather than a wrong one).
import type { TextEdit } from '../../findings/finding.js';
import type { ManifestDocument, PathSegment } from '../../manifest/document.js';
import type { ManifestFile } from '../../manifest/parse.js';

/** The file text an edit applies to. */
export type EditSource = Pick<ManifestFile, 'file' | 'text' | 'lines' | 'editable'>;

/** The parsed file a document came from, when edits may be offered on it (see ManifestFile.editable). */
export function sourceOf(files: readonly EditSource[], doc: ManifestDocument): EditSource | undefined {
  const src = files.find((f) => f.file === doc.file);
  return src?.editable === false ? undefined : src;
}

export function edit(src: EditSource, start: number, end: number, newText: string): TextEdit {
  return { file: src.file, range: src.lines.range(start, end), newText };
}

/** The line ending the file uses. */
export function eol(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

const PLAIN_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** A mapping key as YAML text: plain when safe, double-quoted otherwise. */
export function yamlKey(key: string): string {
  return PLAIN_KEY.test(key) ? key : JSON.stringify(key);
}

/** A string value as YAML text, always double-quoted (annotation values must stay strings). */
export function yamlString(value: string): string {
  return JSON.stringify(value);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just after the line holding `offset - 1` (i.e. after its newline), or the text's end. */
function afterLineOf(text: string, endOffset: number): number {
  if (endOffset > 0 && text[endOffset - 1] === '\n') return endOffset;
  const nl = text.indexOf('\n', endOffset);
  return nl < 0 ? text.length : nl + 1;
}

/** The comment-free rest of the line after `offset` is blank. */
function restOfLineBlank(text: string, offset: number): boolean {
  if (offset > 0 && text[offset - 1] === '\n') return true;
  const nl = text.indexOf('\n', offset);
  const rest = text.slice(offset, nl < 0 ? text.length : nl);
  return /^[ \t\r]*(#.*)?$/.test(rest);
}

/**
 * Removes the line(s) of a mapping entry (`path` ends in a key) or a block sequence item (`path`
 * ends in an index), including a trailing comment on the same line. Undefined when the entry
 * shares its line with other content (flow style, or the first key of a `- ` item).
 */
export function removeEntry(src: EditSource, doc: ManifestDocument, path: PathSegment[]): TextEdit | undefined {
  const last = path[path.length - 1];
  const isItem = typeof last === 'number';
  const loc = doc.locate(path, isItem ? 'value' : 'pair');
  if (!loc.found) return undefined;
  const { text } = src;
  const start = loc.range.start.offset;
  const end = loc.range.end.offset;
  const lineStart = lineStartOf(text, start);
  const prefix = text.slice(lineStart, start);
  if (isItem ? !/^[ \t]*-[ \t]+$/.test(prefix) : !/^[ \t]*$/.test(prefix)) return undefined;
  if (!restOfLineBlank(text, end)) return undefined;
  if (isItem) {
    // A sequence item that is itself a mapping or spans lines is left alone.
    const v = doc.get(path);
    if (v !== null && typeof v === 'object') return undefined;
  }
  return edit(src, lineStart, afterLineOf(text, end), '');
}

/** Renames the key at `path`, keeping its quoting style. */
export function renameKey(src: EditSource, doc: ManifestDocument, path: PathSegment[], newKey: string): TextEdit | undefined {
  const loc = doc.locate(path, 'key');
  if (!loc.found) return undefined;
  const old = src.text.slice(loc.range.start.offset, loc.range.end.offset);
  const q = old[0];
  const keyText = q === '"' ? JSON.stringify(newKey) : q === "'" ? `'${newKey.replace(/'/g, "''")}'` : yamlKey(newKey);
  return edit(src, loc.range.start.offset, loc.range.end.offset, keyText);
}

/** Replaces the scalar at `path` with `value` (plain text, or in the value's own quotes). */
export function setScalar(src: EditSource, doc: ManifestDocument, path: PathSegment[], value: string): TextEdit | undefined {
  const loc = doc.locate(path, 'value');
  if (!loc.found) return undefined;
  const cur = doc.get(path);
  if (cur !== null && typeof cur === 'object') return undefined;
  const old = src.text.slice(loc.range.start.offset, loc.range.end.offset);
  if (old.includes('\n')) return undefined;
  const q = old[0];
  const newText = q === '"' ? JSON.stringify(value) : q === "'" ? `'${value.replace(/'/g, "''")}'` : value;
  return edit(src, loc.range.start.offset, loc.range.end.offset, newText);
}

/** Column (0-based) where the key at `path` starts. */
function keyIndent(doc: ManifestDocument, path: PathSegment[]): number {
  return doc.locate(path, 'key').range.start.column - 1;
}

/**
 * Inserts `key: value` (value already YAML text) into the mapping at `mapPath`, after its last
 * entry, with the indentation its entries use. When the mapping is missing it is created under its
 * parent mapping (e.g. `annotations:` under `metadata:`); when it is empty (`annotations:` or
 * `annotations: {}`) it is filled in. Flow mappings get `, key: value` before the closing brace.
 */
export function insertEntry(src: EditSource, doc: ManifestDocument, mapPath: PathSegment[], key: string, value: string): TextEdit | undefined {
  const { text } = src;
  const nl = eol(text);
  const entry = `${yamlKey(key)}: ${value}`;
  const current = doc.get(mapPath);
  const exists = mapPath.length === 0 || doc.locate(mapPath, 'key').found;
  if (exists && current !== null && current !== undefined) {
    if (typeof current !== 'object' || Array.isArray(current)) return undefined;
    const loc = doc.locate(mapPath, 'value');
    const start = loc.range.start.offset;
    const end = loc.range.end.offset;
    const body = text.slice(start, end);
    if (body.startsWith('{')) {
      const close = body.lastIndexOf('}');
      if (close < 0) return undefined;
      const empty = /^\{\s*$/.test(body.slice(0, close));
      if (empty) return edit(src, start, start + close + 1, `{${entry}}`);
      const at = start + body.slice(0, close).trimEnd().length;
      return edit(src, at, at, `, ${entry}`);
    }
    // Block mapping: entries are indented like its first key.
    const indent = loc.range.start.column - 1;
    const at = afterLineOf(text, end);
    const lead = at === text.length && !text.endsWith('\n') ? nl : '';
    return edit(src, at, at, `${lead}${' '.repeat(indent)}${entry}${nl}`);
  }
  if (mapPath.length === 0) return undefined;
  const parentPath = mapPath.slice(0, -1);
  const name = String(mapPath[mapPath.length - 1]);
  if (exists) {
    // `annotations:` (null) or `annotations: ~`: fill it in after the key's colon.
    const keyLoc = doc.locate(mapPath, 'key');
    const valLoc = doc.locate(mapPath, 'value');
    const indent = keyIndent(doc, mapPath) + indentStep(doc, parentPath);
    const from = keyLoc.range.end.offset;
    const colon = text.indexOf(':', from);
    if (colon < 0) return undefined;
    const valueEnd = Math.max(colon + 1, valLoc.range.end.offset);
    return edit(src, colon + 1, valueEnd, `${nl}${' '.repeat(indent)}${entry}`);
  }
  // The mapping is missing: add it, holding the entry, to its parent.
  const parent = doc.get(parentPath);
  if (parent === null || typeof parent !== 'object' || Array.isArray(parent)) return undefined;
  const parentLoc = doc.locate(parentPath, 'value');
  const pStart = parentLoc.range.start.offset;
  const pBody = text.slice(pStart, parentLoc.range.end.offset);
  if (pBody.startsWith('{')) return insertEntry(src, doc, parentPath, name, `{${entry}}`);
  const indent = parentLoc.range.start.column - 1;
  const step = indentStep(doc, parentPath);
  const at = afterLineOf(text, parentLoc.range.end.offset);
  const lead = at === text.length && !text.endsWith('\n') ? nl : '';
  return edit(src, at, at, `${lead}${' '.repeat(indent)}${yamlKey(name)}:${nl}${' '.repeat(indent + step)}${entry}${nl}`);
}

/** How far the block mapping at `path` indents its entries relative to its own key (default 2). */
function indentStep(doc: ManifestDocument, path: PathSegment[]): number {
  if (path.length === 0) return 2;
  const v = doc.get(path);
  if (v === null || typeof v !== 'object') return 2;
  const childCol = doc.locate(path, 'value').range.start.column - 1;
  const step = childCol - keyIndent(doc, path);
  return step > 0 ? step : 2;
}

/** Adds (or overwrites) `metadata.annotations[key]` with a double-quoted value. */
export function setAnnotation(src: EditSource, doc: ManifestDocument, key: string, value: string): TextEdit | undefined {
  const path = ['metadata', 'annotations', key];
  if (doc.locate(path, 'key').found) {
    const loc = doc.locate(path, 'value');
    const old = src.text.slice(loc.range.start.offset, loc.range.end.offset);
    if (old.includes('\n') && !/^[|>]/.test(old)) return undefined;
    return edit(src, loc.range.start.offset, loc.range.end.offset - (old.endsWith('\n') ? 1 : 0), yamlString(value));
  }
  return insertEntry(src, doc, ['metadata', 'annotations'], key, yamlString(value));
}
