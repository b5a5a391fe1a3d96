// Counting findings, shared by every lint output format.
import { SEVERITY_ORDER, type Finding, type Severity } from '../../../shared/src/findings/finding.js';

export interface LintSummary {
  files: number;
  errors: number;
  warnings: number;
  infos: number;
  suppressed: number;
  failOn: Severity;
  /** The exit code the run ends with: 1 when a finding is at or above failOn. */
  exitCode: 0 | 1;
}

export function summarize(findings: Finding[], files: number, failOn: Severity): LintSummary {
  const active = findings.filter((f) => !f.suppressed);
  const count = (s: Severity) => active.filter((f) => f.severity === s).length;
  return {
    files,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    suppressed: findings.length - active.length,
    failOn,
    exitCode: active.some((f) => SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[failOn]) ? 1 : 0,
  };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 problems (1 error, 2 warnings)` or `No problems found in 4 files.` */
export function summaryLine(s: LintSummary): string {
  const total = s.errors + s.warnings + s.infos;
  const sup = s.suppressed ? ` (${s.suppressed} suppressed)` : '';
  if (!total) return `No problems found in ${plural(s.files, 'file')}.${sup}`;
  const parts = [s.errors && plural(s.errors, 'error'), s.warnings && plural(s.warnings, 'warning'), s.infos && `${s.infos} info`].filter(Boolean);
  return `${plural(total, 'problem')} (${parts.join(', ')})${sup}`;
}
