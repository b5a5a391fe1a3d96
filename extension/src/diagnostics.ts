// Findings → editor-neutral diagnostic descriptions (the shell turns them into vscode.Diagnostic).
import type { Finding, Severity } from '../../shared/src/findings/finding.js';
import { type Range0, rangeKey, toZeroBased } from './ranges.js';

/** Same numbering as vscode.DiagnosticSeverity. */
export enum DiagSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}

export const SEVERITY_MAP: Record<Severity, DiagSeverity> = {
  error: DiagSeverity.Error,
  warning: DiagSeverity.Warning,
  info: DiagSeverity.Information,
};

export interface RelatedSpec {
  file: string;
  range: Range0;
  message: string;
}

export interface DiagnosticSpec {
  range: Range0;
  severity: DiagSeverity;
  message: string;
  source: 'lbguard';
  code: { value: string; target: string };
  deprecated: boolean;
  related: RelatedSpec[];
  /** Key of the finding's fixes in a FixStore: rule + range. */
  key: string;
}

export function fixKey(rule: string, range: Range0): string {
  return `${rule}@${rangeKey(range)}`;
}

/** Services a `cidr-edit-reassigns` finding says would move, from `data.moves` (shape-tolerant). */
export function movedServices(f: Finding): string[] {
  const moves = f.data?.moves;
  if (!Array.isArray(moves)) return [];
  return moves
    .map((m) => {
      if (typeof m === 'string') return m;
      if (m && typeof m === 'object') {
        const o = m as Record<string, unknown>;
        const name = o.key ?? o.service ?? o.name;
        if (typeof name !== 'string') return undefined;
        const before = Array.isArray(o.before) ? o.before.join(',') : undefined;
        const after = Array.isArray(o.after) ? o.after.join(',') : typeof o.change === 'string' ? o.change : undefined;
        return before !== undefined && after !== undefined ? `${name} (${before} → ${after || 'pending'})` : name;
      }
      return undefined;
    })
    .filter((s): s is string => !!s);
}

export function toDiagnosticSpec(f: Finding): DiagnosticSpec {
  const range = toZeroBased(f.range);
  let message = f.message;
  const moved = movedServices(f);
  if (moved.length && !moved.every((m) => message.includes(m.split(' ')[0]))) {
    message += ` Services that would move: ${moved.join(', ')}.`;
  }
  return {
    range,
    severity: SEVERITY_MAP[f.severity] ?? DiagSeverity.Warning,
    message,
    source: 'lbguard',
    code: { value: f.rule, target: f.docsUrl },
    deprecated: !!f.deprecated,
    related: (f.related ?? []).map((r) => ({ file: r.file, range: toZeroBased(r.range), message: r.message })),
    key: fixKey(f.rule, range),
  };
}

/** Diagnostics for one file: its own findings, suppressed ones left out. */
export function diagnosticsFor(findings: Finding[], file: string): DiagnosticSpec[] {
  return findings.filter((f) => f.file === file && !f.suppressed).map(toDiagnosticSpec);
}
