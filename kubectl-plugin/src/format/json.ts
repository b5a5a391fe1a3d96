// `-o json` for lint: a stable, versioned document (docs/json-output.md, docs/schemas/lint.schema.json).
import type { Finding } from '../../../shared/src/findings/finding.js';
import type { LintSummary } from './summary.js';

export const LINT_JSON_VERSION = 1;

export interface JsonFinding {
  rule: string;
  severity: Finding['severity'];
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  docsUrl: string;
  object?: Finding['object'];
  related?: { file: string; line: number; column: number; endLine: number; endColumn: number; message: string }[];
  fixes?: { title: string; edits: { file: string; line: number; column: number; endLine: number; endColumn: number; newText: string }[] }[];
  suppressed?: Finding['suppressed'];
  deprecated?: boolean;
  data?: Record<string, unknown>;
}

const pos = (r: Finding['range']) => ({ line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column });

export function toJsonFinding(f: Finding): JsonFinding {
  const out: JsonFinding = { rule: f.rule, severity: f.severity, file: f.file, ...pos(f.range), message: f.message, docsUrl: f.docsUrl };
  if (f.object) out.object = f.object;
  if (f.related?.length) out.related = f.related.map((r) => ({ file: r.file, ...pos(r.range), message: r.message }));
  if (f.fixes?.length) out.fixes = f.fixes.map((x) => ({ title: x.title, edits: x.edits.map((e) => ({ file: e.file, ...pos(e.range), newText: e.newText })) }));
  if (f.suppressed) out.suppressed = f.suppressed;
  if (f.deprecated) out.deprecated = true;
  if (f.data) out.data = f.data;
  return out;
}

/** JSON.stringify that writes BigInts as decimal strings. */
export function stringify(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v), 2) + '\n';
}

/** A type `JSON.stringify` writes as `stringify` does: no BigInt and no Map anywhere inside. */
export type PlainData<T> = T extends bigint | Map<unknown, unknown> ? never : T extends (infer E)[] ? PlainData<E>[] : T extends object ? { [K in keyof T]: PlainData<T[K]> } : T;

/**
 * `stringify` for a value whose type says it is plain data: the same text from the native
 * serializer, without a call back into JavaScript for every key (half the time on a big report).
 */
export function stringifyPlain<T>(value: T & PlainData<T>): string {
  return JSON.stringify(value, null, 2) + '\n';
}

export function formatJson(findings: Finding[], summary: LintSummary, metallbVersion: string): string {
  return stringify({ version: LINT_JSON_VERSION, tool: 'lbguard', metallbVersion, findings: findings.map(toJsonFinding), summary });
}
