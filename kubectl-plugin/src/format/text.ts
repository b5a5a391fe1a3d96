// Human output: `file:line:col severity rule message`, one finding per line, then a summary line
// and each rule's docs link once.
import type { Finding } from '../../../shared/src/findings/finding.js';
import type { Palette } from '../color.js';
import { summaryLine, type LintSummary } from './summary.js';

export interface TextOptions {
  palette: Palette;
  showSuppressed: boolean;
}

export function findingLine(f: Finding, c: Palette): string {
  const sev = f.severity === 'error' ? c.red('error') : f.severity === 'warning' ? c.yellow('warning') : c.blue('info');
  const loc = `${f.file}:${f.range.start.line}:${f.range.start.column}`;
  const sup = f.suppressed ? c.dim(` (suppressed by ${f.suppressed.kind}${f.suppressed.justification ? `: ${f.suppressed.justification}` : ''})`) : '';
  return `${c.bold(loc)} ${sev} ${c.dim(f.rule)} ${f.message}${sup}`;
}

export function formatText(findings: Finding[], summary: LintSummary, o: TextOptions): string {
  const shown = findings.filter((f) => o.showSuppressed || !f.suppressed);
  const lines = shown.map((f) => findingLine(f, o.palette));
  if (lines.length) lines.push('');
  const s = summaryLine(summary);
  lines.push(summary.errors ? o.palette.red(s) : summary.warnings ? o.palette.yellow(s) : summary.infos ? s : o.palette.green(s));
  const docs = new Map<string, string>();
  for (const f of shown) if (!docs.has(f.rule)) docs.set(f.rule, f.docsUrl);
  if (docs.size) {
    lines.push('', o.palette.dim('Docs:'));
    for (const [rule, url] of docs) lines.push(o.palette.dim(`  ${rule}: ${url}`));
  }
  return lines.join('\n') + '\n';
}
