// Quick fixes. The diagnostics API carries no data, so each document keeps a side map from
// (rule, range) to the finding's fixes, for the document version the diagnostics were made for.
import type { Finding } from '../../shared/src/findings/finding.js';
import { fixKey } from './diagnostics.js';
import { type Range0, toZeroBased } from './ranges.js';

export interface EditSpec {
  file: string;
  range: Range0;
  newText: string;
}

export interface FixSpec {
  title: string;
  edits: EditSpec[];
}

export interface StoredFixes {
  version: number;
  byKey: Map<string, { rule: string; fixes: FixSpec[] }>;
}

export class FixStore {
  private readonly docs = new Map<string, StoredFixes>();

  set(file: string, version: number, findings: Finding[]): void {
    const byKey = new Map<string, { rule: string; fixes: FixSpec[] }>();
    for (const f of findings) {
      if (f.file !== file || f.suppressed) continue;
      const key = fixKey(f.rule, toZeroBased(f.range));
      const entry = byKey.get(key) ?? { rule: f.rule, fixes: [] };
      for (const fix of f.fixes ?? []) {
        entry.fixes.push({ title: fix.title, edits: fix.edits.map((e) => ({ file: e.file, range: toZeroBased(e.range), newText: e.newText })) });
      }
      byKey.set(key, entry);
    }
    this.docs.set(file, { version, byKey });
  }

  /** Fixes for a diagnostic (rule + range), only if they were made for `version`. */
  get(file: string, version: number, rule: string, range: Range0): FixSpec[] {
    const d = this.docs.get(file);
    if (!d || d.version !== version) return [];
    return d.byKey.get(fixKey(rule, range))?.fixes ?? [];
  }

  delete(file: string): void {
    this.docs.delete(file);
  }
}

export interface SuppressEdit {
  /** Insert at the start of this 0-based line. */
  line: number;
  /** The inserted text as a snippet (`${1:reason}` is the placeholder). */
  snippet: string;
  /** The same text with the placeholder's default filled in. */
  text: string;
  title: string;
}

/** `# lbguard-ignore <rule>: <reason>` on its own line above `line`, indented like it. */
export function suppressCommentEdit(lineText: string, line: number, rule: string): SuppressEdit {
  const indent = /^[ \t]*/.exec(lineText)?.[0] ?? '';
  // A list item's comment goes at the dash's column so it covers the item.
  const prefix = `${indent}# lbguard-ignore ${rule}: `;
  return {
    line,
    snippet: `${escapeSnippet(prefix)}\${1:reason}\n`,
    text: `${prefix}reason\n`,
    title: `Suppress ${rule} with a comment`,
  };
}

function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** Applies 0-based edits to a text (for tests and previews); edits must not overlap. */
export function applyEdits(text: string, edits: { range: Range0; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const off = (p: { line: number; character: number }) => (lineStarts[p.line] ?? text.length) + p.character;
  const sorted = [...edits].sort((a, b) => off(b.range.start) - off(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, off(e.range.start)) + e.newText + out.slice(off(e.range.end));
  return out;
}
