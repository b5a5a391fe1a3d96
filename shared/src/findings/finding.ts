// The one shape every lbguard finding has, whatever prints it (text, JSON, SARIF, GitHub, editor).
import type { ObjectRef } from '../manifest/document.js';
import type { SourceRange } from '../manifest/source.js';
import { compareText } from '../text/compareText.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export const DOCS_BASE = 'https://github.com/lbguard/lbguard/blob/main/docs/rules/';

export function docsUrl(rule: string): string {
  return `${DOCS_BASE}${rule}.md`;
}

export interface TextEdit {
  file: string;
  range: SourceRange;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
}

export interface RelatedLocation {
  file: string;
  range: SourceRange;
  message: string;
}

export interface Suppression {
  kind: 'annotation' | 'comment' | 'config';
  justification?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  file: string;
  range: SourceRange;
  /** What will happen and what to do, in one or two sentences. */
  message: string;
  docsUrl: string;
  object?: ObjectRef;
  related?: RelatedLocation[];
  fixes?: Fix[];
  /** Editor hint: the field or prefix is deprecated (rendered struck through). */
  deprecated?: boolean;
  suppressed?: Suppression;
  /** Rule-specific structured details (e.g. the Services a pool edit moves). */
  data?: Record<string, unknown>;
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareText(a.file, b.file) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    compareText(a.rule, b.rule)
  );
}
