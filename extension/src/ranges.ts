// Core ranges are 1-based (line, column) with exclusive ends; VS Code positions are 0-based.
// Both count columns in UTF-16 code units (JavaScript string offsets), so only the base changes.
import type { SourceRange } from '../../shared/src/manifest/source.js';

export interface Pos0 {
  line: number;
  character: number;
}
export interface Range0 {
  start: Pos0;
  end: Pos0;
}

export function toZeroBased(r: SourceRange): Range0 {
  return {
    start: { line: Math.max(0, r.start.line - 1), character: Math.max(0, r.start.column - 1) },
    end: { line: Math.max(0, r.end.line - 1), character: Math.max(0, r.end.column - 1) },
  };
}

export function rangeKey(r: Range0): string {
  return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** Offset of a 0-based position in `text` (lines split at \n; a \r stays part of its line). */
export function offsetAt(text: string, pos: Pos0): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  const nl = text.indexOf('\n', offset);
  const lineEnd = nl < 0 ? text.length : nl;
  return Math.min(offset + pos.character, lineEnd);
}
