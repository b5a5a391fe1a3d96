// kubectl-style tables: upper-case headers, columns padded to the widest cell, three spaces apart.
import { visibleLength } from '../color.js';

export function renderTable(headers: string[], rows: string[][], opts: { noHeaders?: boolean } = {}): string {
  const all = opts.noHeaders ? rows : [headers, ...rows];
  // Each cell measured once (only coloured cells need the escape-stripping measure), in one flat
  // list: a wide status has 10,000 rows, and every scavenge copies the listing still held.
  const lengths: number[] = [];
  const widths: number[] = headers.map(() => 0);
  for (const r of all) {
    for (let i = 0; i < r.length; i++) {
      const c = r[i];
      const n = c.includes('\x1b') ? visibleLength(c) : c.length;
      lengths.push(n);
      if (i < widths.length && n > widths[i]) widths[i] = n;
    }
  }
  const spaces: string[] = [];
  const lines: string[] = [];
  let k = 0;
  for (const r of all) {
    // Lines are trimmed at their end: the padding after the last non-empty cell never shows, so
    // it is not written (and a line is not copied to be trimmed).
    let last = r.length - 1;
    while (last >= 0 && r[last] === '') last--;
    let line = '';
    for (let i = 0; i < last; i++) {
      const n = widths[i] - lengths[k + i] + 3;
      line += r[i] + (spaces[n] ??= ' '.repeat(n));
    }
    if (last >= 0) line += r[last];
    k += r.length;
    // A last cell ending in white space (rare) is trimmed as the whole line would be.
    lines.push(last >= 0 && /\s$/.test(r[last]) ? line.trimEnd() : line);
  }
  return lines.join('\n');
}

/** `<none>` for empty cells, as kubectl prints them. */
export function cell(v: string | undefined | null, empty = '<none>'): string {
  return v === undefined || v === null || v === '' ? empty : v;
}
