// Test helpers: lint in-memory YAML files through the real engine, and apply fixes to text.
import { parseManifestText } from '../../shared/src/manifest/parse.js';
import { lint, type LintOptions } from '../../shared/src/lint/engine.js';
import type { Finding, Fix } from '../../shared/src/findings/finding.js';
import { isRelevantKind } from '../../shared/src/model/kinds.js';

export type Files = Record<string, string>;

export interface LintYamlOptions extends LintOptions {
  baseline?: Files;
  state?: Files;
  /** Keep suppressed findings (default: dropped). */
  includeSuppressed?: boolean;
}

const parseAll = (files: Files) => Object.entries(files).map(([name, text]) => parseManifestText(text, name, { kindFilter: isRelevantKind }));

export function lintYaml(files: Files, options: LintYamlOptions = {}): Finding[] {
  const result = lint(
    { files: parseAll(files), baseline: options.baseline && parseAll(options.baseline), state: options.state && parseAll(options.state) },
    options,
  );
  return options.includeSuppressed ? result.findings : result.findings.filter((f) => !f.suppressed);
}

/** Findings of one rule. */
export function ofRule(findings: Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

/** `file:line:col-endLine:endCol` for compact position assertions. */
export function where(f: Finding): string {
  return `${f.file}:${f.range.start.line}:${f.range.start.column}-${f.range.end.line}:${f.range.end.column}`;
}

/** Applies one fix's edits (all in `file`) to `text`, last edit first so offsets stay valid. */
export function applyFix(text: string, fix: Fix): string {
  const edits = [...fix.edits].sort((a, b) => b.range.start.offset - a.range.start.offset);
  let out = text;
  for (const e of edits) out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  return out;
}

/** Dedent a template literal so YAML fixtures can be indented in test code. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
