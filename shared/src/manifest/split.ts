// Splits a multi-document YAML stream into its documents with a text scan. A `---` or `...`
// marker at column 0 always ends a document in YAML (even inside a block scalar), so this is exact,
// and it lets lbguard parse only the documents it cares about and re-parse only the one that changed.

export interface Segment {
  /** The document's text, including its leading `---` line when it has one. */
  text: string;
  /** Offset of `text` in the whole file. */
  offset: number;
}

const DASH = 45;
const DOT = 46;
/** Space, tab, CR, LF. */
const MARKER_FOLLOWERS = [32, 9, 13, 10];

/**
 * The document marker a line starts with (`---` or `...` followed by a space, tab, line break or
 * the line's end), read from the text in place: slicing every line of a large file to match a
 * pattern cost more than the rest of the split.
 */
function markerAt(text: string, lineStart: number, lineEnd: number): '---' | '...' | undefined {
  if (lineEnd - lineStart < 3) return undefined;
  const c = text.charCodeAt(lineStart);
  if (c !== DASH && c !== DOT) return undefined;
  if (text.charCodeAt(lineStart + 1) !== c || text.charCodeAt(lineStart + 2) !== c) return undefined;
  if (lineStart + 3 < lineEnd && !MARKER_FOLLOWERS.includes(text.charCodeAt(lineStart + 3))) return undefined;
  return c === DASH ? '---' : '...';
}


export function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = [];
  let segStart = 0;
  let lineStart = 0;
  let sawContent = false;
  while (lineStart <= text.length) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl < 0 ? text.length : nl;
    const marker = markerAt(text, lineStart, lineEnd);
    if (marker) {
      if (marker === '---') {
        if (lineStart > segStart) segments.push({ text: text.slice(segStart, lineStart), offset: segStart });
        segStart = lineStart;
      } else {
        // `...` ends the document; the marker line belongs to it.
        segments.push({ text: text.slice(segStart, nl < 0 ? text.length : nl + 1), offset: segStart });
        segStart = nl < 0 ? text.length : nl + 1;
      }
    }
    sawContent = true;
    if (nl < 0) break;
    lineStart = nl + 1;
  }
  if (segStart < text.length || (!sawContent && segments.length === 0)) {
    segments.push({ text: text.slice(segStart), offset: segStart });
  }
  return segments.filter((s) => !isBlank(s.text));
}

const NON_BLANK_LINE = /^(?!\s*(#|$)|(---|\.\.\.)\s*(#.*)?$)/m;

/** True when a segment holds nothing but blank lines, comments and markers. */
export function isBlank(text: string): boolean {
  // A line starting with a letter is content; most documents have one first or right after `---`.
  if (isLetter(text.charCodeAt(0)) || isLetter(text.charCodeAt(text.indexOf('\n') + 1))) return false;
  return !NON_BLANK_LINE.test(text);
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

const KIND_LINE = /^kind:[ \t]*["']?([A-Za-z0-9]+)["']?[ \t]*(#.*)?\r?$/m;
const API_LINE = /^apiVersion:[ \t]*["']?([A-Za-z0-9./-]+)["']?[ \t]*(#.*)?\r?$/m;

/**
 * Reads `kind` and `apiVersion` of a block-style document without parsing it. Returns undefined
 * when the document is not plain block style (flow mapping, anchors on the root, a tag...), in
 * which case the caller must parse it to know.
 */
export function sniffKind(text: string): { kind: string; apiVersion?: string } | undefined {
  const kind = KIND_LINE.exec(text);
  if (!kind) return undefined;
  const api = API_LINE.exec(text);
  return { kind: kind[1], apiVersion: api?.[1] };
}
