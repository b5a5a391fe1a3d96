// `# lbguard-ignore <rule>[,<rule>]: <reason>` comments. A comment on its own line covers the next
// line's node and everything nested under it; a comment at the end of a line covers that line.
import type { LineIndex, SourceRange } from './source.js';

export interface IgnoreComment {
  rules: string[];
  reason?: string;
  range: SourceRange;
  /** First and last line (inclusive) the comment covers. */
  fromLine: number;
  toLine: number;
}

const COMMENT = /(^|\s)#\s*lbguard-ignore\s+([A-Za-z0-9_*,-]+)\s*(?::\s*(.*?))?\s*$/;

export function findIgnoreComments(text: string, lines: LineIndex): IgnoreComment[] {
  if (!text.includes('lbguard-ignore')) return [];
  const all = text.split('\n');
  const out: IgnoreComment[] = [];
  all.forEach((line, i) => {
    const m = COMMENT.exec(line);
    if (!m) return;
    const hashCol = line.indexOf('#', m.index);
    const lineNo = i + 1;
    const start = lines.lineStart(lineNo) + hashCol;
    const range = lines.range(start, lines.lineStart(lineNo) + line.replace(/\r$/, '').length);
    const ownLine = line.slice(0, hashCol).trim() === '';
    let fromLine = lineNo;
    let toLine = lineNo;
    if (ownLine) {
      // Cover the next content line and every following line indented deeper than it.
      let j = i + 1;
      while (j < all.length && /^\s*(#.*)?\r?$/.test(all[j])) j++;
      if (j < all.length) {
        fromLine = j + 1;
        const indent = indentOf(all[j]);
        toLine = fromLine;
        const isListItem = /^\s*- /.test(all[j]);
        for (let k = j + 1; k < all.length; k++) {
          if (/^\s*(#.*)?\r?$/.test(all[k])) continue;
          if (/^(---|\.\.\.)/.test(all[k])) break;
          const ind = indentOf(all[k]);
          if (ind > indent || (isListItem && ind > indent && !/^\s*- /.test(all[k]))) toLine = k + 1;
          else break;
        }
      }
    }
    out.push({
      rules: m[2].split(',').map((r) => r.trim()).filter(Boolean),
      reason: m[3] ? m[3] : undefined,
      range,
      fromLine,
      toLine,
    });
  });
  return out;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}
