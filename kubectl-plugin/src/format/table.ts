// kubectl-style tables: upper-case headers, columns padded to the widest cell, three spaces apart.
import { visibleLength } from '../color.js';

export function renderTable(headers: string[], rows: string[][], opts: { noHeaders?: boolean } = {}): string {
  const all = opts.noHeaders ? rows : [headers, ...rows];
  // Each cell measured once; only coloured cells need the escape-stripping measure.
  const lengths = all.map((r) => r.map((c) => (c.includes('\x1b') ? visibleLength(c) : c.length)));
  const widths = headers.map((_, i) => Math.max(0, ...lengths.map((l) => l[i] ?? 0)));
  const spaces: string[] = [];
  let out = '';
  all.forEach((r, j) => {
    let line = '';
    for (let i = 0; i < r.length - 1; i++) {
      const n = widths[i] - lengths[j][i] + 3;
      line += r[i] + (spaces[n] ??= ' '.repeat(n));
    }
    if (r.length) line += r[r.length - 1];
    out += (j ? '\n' : '') + line.trimEnd();
  });
  return out;
}

/** `<none>` for empty cells, as kubectl prints them. */
export function cell(v: string | undefined | null, empty = '<none>'): string {
  return v === undefined || v === null || v === '' ? empty : v;
}
