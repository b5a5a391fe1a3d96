// `-o sarif`: SARIF 2.1.0, one run. Suppressed findings stay in the log with `suppressions`
// (inSource for annotations/comments, external for .lbguard.yaml), so code scanning shows them as dismissed.
import { docsUrl, type Finding, type Severity } from '../../../shared/src/findings/finding.js';
import type { SourceRange } from '../../../shared/src/manifest/source.js';
import type { RuleMeta } from '../../../shared/src/lint/rule.js';
import { INFORMATION_URI, VERSION } from '../version.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, Level> = { error: 'error', warning: 'warning', info: 'note' };

/** A relative, forward-slash URI reference for a display path. */
export function artifactUri(file: string): string {
  return file
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function region(r: SourceRange) {
  return { startLine: r.start.line, startColumn: r.start.column, endLine: r.end.line, endColumn: r.end.column };
}

function location(file: string, r: SourceRange) {
  return { physicalLocation: { artifactLocation: { uri: artifactUri(file) }, region: region(r) } };
}

/** Rules for tool.driver.rules: every known rule, plus any other rule id that occurs in the findings. */
export function sarifRules(metas: RuleMeta[], findings: Finding[]): RuleMeta[] {
  const out = [...metas];
  const ids = new Set(out.map((m) => m.id));
  for (const f of findings) {
    if (ids.has(f.rule)) continue;
    ids.add(f.rule);
    out.push({ id: f.rule, severity: f.severity, description: BUILTIN_DESCRIPTIONS[f.rule] ?? `lbguard finding ${f.rule}` });
  }
  return out;
}

const BUILTIN_DESCRIPTIONS: Record<string, string> = {
  'yaml-syntax': 'The YAML does not parse; kubectl would refuse the document.',
  'yaml-ambiguous-boolean': 'An unquoted yes/no/on/off reads differently in YAML 1.1 (Kubernetes) and YAML 1.2.',
  'invalid-object': 'A YAML document that is not a Kubernetes object (a string, a list).',
  'ignore-without-reason': 'An lbguard-ignore comment without a reason; it does not suppress.',
  'internal-error': 'An lbguard rule failed; please report it.',
};

export function formatSarif(findings: Finding[], metas: RuleMeta[]): string {
  const rules = sarifRules(metas, findings);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = findings.map((f) => {
    const res: Record<string, unknown> = {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location(f.file, f.range)],
    };
    if (f.related?.length) {
      res.relatedLocations = f.related.map((r, i) => ({ id: i + 1, ...location(r.file, r.range), message: { text: r.message } }));
    }
    if (f.suppressed) {
      res.suppressions = [
        {
          kind: f.suppressed.kind === 'config' ? 'external' : 'inSource',
          status: 'accepted',
          ...(f.suppressed.justification ? { justification: f.suppressed.justification } : {}),
        },
      ];
    }
    if (f.fixes?.length) {
      res.fixes = f.fixes.map((x) => {
        const byFile = new Map<string, typeof x.edits>();
        for (const e of x.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
        return {
          description: { text: x.title },
          artifactChanges: [...byFile].map(([file, edits]) => ({
            artifactLocation: { uri: artifactUri(file) },
            replacements: edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
          })),
        };
      });
    }
    if (f.object) res.properties = { object: f.object };
    return res;
  });
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'lbguard',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.description },
              helpUri: docsUrl(r.id),
              defaultConfiguration: { level: LEVEL[r.severity] },
              ...(r.deprecated ? { properties: { tags: ['deprecated'] } } : {}),
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
