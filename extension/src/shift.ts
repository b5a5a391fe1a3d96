// Keeps findings of the slow tier (rules that run the MetalLB simulation) in place while the user
// types: their ranges are moved past the edit, or the finding is dropped when the edit touches it.
// The next full lint replaces them all.
import type { Finding, Fix } from '../../shared/src/findings/finding.js';
import type { LineIndex, SourceRange } from '../../shared/src/manifest/source.js';

export interface TextChange {
  /** Offset where old and new text start to differ. */
  start: number;
  /** End of the changed part in the old text. */
  oldEnd: number;
  delta: number;
}

export function diffTexts(oldText: string, newText: string): TextChange | undefined {
  if (oldText === newText) return undefined;
  const max = Math.min(oldText.length, newText.length);
  let p = 0;
  while (p < max && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && oldText.charCodeAt(oldText.length - 1 - s) === newText.charCodeAt(newText.length - 1 - s)) s++;
  return { start: p, oldEnd: oldText.length - s, delta: newText.length - oldText.length };
}

/** The range in the new text, or undefined when the edit touches it. */
export function shiftRange(r: SourceRange, c: TextChange, lines: LineIndex): SourceRange | undefined {
  // Typing right next to a token changes it ("2" → "22"), so adjacency counts as touching.
  if (r.end.offset < c.start) return r;
  if (r.start.offset > c.oldEnd) return lines.range(r.start.offset + c.delta, r.end.offset + c.delta);
  return undefined;
}

/** Findings of `file` computed for `oldText`, moved to `newText`; touched ones are dropped. */
export function shiftFindings(findings: Finding[], file: string, oldText: string, newText: string, lines: LineIndex): Finding[] {
  const c = diffTexts(oldText, newText);
  if (!c) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.file !== file) continue;
    const range = shiftRange(f.range, c, lines);
    if (!range) continue;
    const related = f.related?.map((r) => (r.file === file ? { ...r, range: shiftRange(r.range, c, lines) ?? r.range } : r));
    const fixes = f.fixes
      ?.map((fix): Fix | undefined => {
        const edits = fix.edits.map((e) => (e.file === file ? { ...e, range: shiftRange(e.range, c, lines) } : e));
        return edits.every((e) => e.range) ? { title: fix.title, edits: edits as Fix['edits'] } : undefined;
      })
      .filter((x): x is Fix => !!x);
    out.push({ ...f, range, related, fixes });
  }
  return out;
}
