// Three ways to silence a finding, all reported (SARIF keeps them as suppressions):
// the object annotation `lbguard.io/ignore: "<rule>[,<rule>]"`, a `# lbguard-ignore <rule>: <reason>`
// comment (reason required), and `.lbguard.yaml` ignore entries.
import { docsUrl, type Finding, type Suppression } from '../findings/finding.js';
import type { ManifestFile } from '../manifest/parse.js';
import type { LbguardConfig } from './config.js';

export const IGNORE_ANNOTATION = 'lbguard.io/ignore';

export function applySuppressions(findings: Finding[], files: ManifestFile[], config: LbguardConfig): Finding[] {
  const byFile = new Map(files.map((f) => [f.file, f]));
  const annotationIgnores = collectAnnotationIgnores(files);
  const out: Finding[] = [];
  for (const f of findings) {
    const s = suppressionFor(f, byFile.get(f.file), annotationIgnores, config);
    out.push(s ? { ...f, suppressed: s } : f);
  }
  // Comments without a reason do not suppress and are reported themselves.
  for (const file of files) {
    for (const c of file.ignoreComments) {
      if (c.reason) continue;
      out.push({
        rule: 'ignore-without-reason',
        severity: 'warning',
        file: file.file,
        range: c.range,
        message: `lbguard-ignore needs a reason: write "# lbguard-ignore ${c.rules.join(',')}: <why>". Until then the finding is not suppressed.`,
        docsUrl: docsUrl('ignore-without-reason'),
      });
    }
  }
  return out;
}

function matches(rules: string[], rule: string): boolean {
  return rules.includes(rule) || rules.includes('*') || rules.includes('all');
}

/**
 * `doc.get(['metadata', 'annotations', IGNORE_ANNOTATION])` of every document, written out: it
 * runs for each of the (thousands of) listed objects, mostly before the optimizing compiler has.
 */
function ignoreAnnotation(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  const meta = (value as Record<string, unknown>).metadata;
  if (meta === null || typeof meta !== 'object') return undefined;
  const annotations = (meta as Record<string, unknown>).annotations;
  if (annotations === null || typeof annotations !== 'object') return undefined;
  return (annotations as Record<string, unknown>)[IGNORE_ANNOTATION];
}

function collectAnnotationIgnores(files: ManifestFile[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const file of files) {
    const docs = file.documents;
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i];
      const v = ignoreAnnotation(doc.value);
      if (typeof v !== 'string') continue;
      map.set(objectId(doc.file, doc.kind, doc.namespace, doc.name), v.split(',').map((s) => s.trim()).filter(Boolean));
    }
  }
  return map;
}

function objectId(file: string, kind: string, namespace: string | undefined, name: string): string {
  return `${file}|${kind}|${namespace ?? ''}|${name}`;
}

function suppressionFor(f: Finding, file: ManifestFile | undefined, annotationIgnores: Map<string, string[]>, config: LbguardConfig): Suppression | undefined {
  if (f.object) {
    const rules = annotationIgnores.get(objectId(f.file, f.object.kind, f.object.namespace, f.object.name));
    if (rules && matches(rules, f.rule)) return { kind: 'annotation', justification: `${IGNORE_ANNOTATION} annotation` };
  }
  if (file) {
    const line = f.range.start.line;
    for (const c of file.ignoreComments) {
      if (c.reason && matches(c.rules, f.rule) && line >= c.fromLine && line <= c.toLine) return { kind: 'comment', justification: c.reason };
    }
  }
  for (const e of config.ignore) {
    if (!matches(e.rules, f.rule)) continue;
    if (e.file && !f.file.startsWith(e.file) && !f.file.endsWith(e.file)) continue;
    if (e.kind && f.object?.kind !== e.kind) continue;
    if (e.namespace && f.object?.namespace !== e.namespace) continue;
    if (e.name && f.object?.name !== e.name) continue;
    return { kind: 'config', justification: e.reason };
  }
  return undefined;
}
