// `-o github`: GitHub Actions workflow commands, one annotation per finding:
// `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=lbguard <rule>::message`.
// Columns are sent only when the finding starts and ends on one line (@actions/core's rule);
// GitHub's endColumn is inclusive, lbguard's ranges are end-exclusive.
import type { Finding } from '../../../shared/src/findings/finding.js';
import { summaryLine, type LintSummary } from './summary.js';

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotation(f: Finding): string {
  const cmd = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
  const { start, end } = f.range;
  const props: [string, string | number][] = [
    ['file', f.file],
    ['line', start.line],
    ['endLine', Math.max(end.line, start.line)],
  ];
  if (start.line === end.line) props.push(['col', start.column], ['endColumn', Math.max(start.column, end.column - 1)]);
  props.push(['title', `lbguard ${f.rule}`]);
  const body = `${f.message} (${f.docsUrl})`;
  return `::${cmd} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(body)}`;
}

export function formatGithub(findings: Finding[], summary: LintSummary, showSuppressed: boolean): string {
  const lines = findings.filter((f) => showSuppressed || !f.suppressed).map(annotation);
  lines.push(summaryLine(summary));
  return lines.join('\n') + '\n';
}
