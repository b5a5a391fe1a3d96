// `.lbguard.yaml`: the MetalLB installation to target, rule severities, and per-object ignores.
// Parsed from text (the core does no I/O); errors name the position in the config file.
import { parseDocument } from 'yaml';
import type { Severity } from '../findings/finding.js';
import { LineIndex } from '../manifest/source.js';

export type RuleSetting = Severity | 'off';

export interface IgnoreEntry {
  rules: string[];
  kind?: string;
  namespace?: string;
  name?: string;
  /** Glob-free path prefix of the files it applies to. */
  file?: string;
  reason: string;
}

export interface LbguardConfig {
  metallb: { version?: string; namespace?: string; lbClass?: string };
  cluster: { ipFamilies?: ('IPv4' | 'IPv6')[] };
  rules: Record<string, RuleSetting>;
  ignore: IgnoreEntry[];
  /** Extra files or directories whose pools and Services are always loaded (pre-commit context). */
  include: string[];
  failOn?: Severity;
}

export const EMPTY_CONFIG: LbguardConfig = { metallb: {}, cluster: {}, rules: {}, ignore: [], include: [] };

export class ConfigError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, message: string) {
    super(`${file}:${line}:${column}: ${message}`);
  }
}

const SETTINGS = new Set(['error', 'warning', 'info', 'off']);

export function parseConfig(text: string, file = '.lbguard.yaml', knownRules?: Set<string>): LbguardConfig {
  const lines = new LineIndex(text);
  const doc = parseDocument(text, { prettyErrors: false });
  const fail = (offset: number, message: string): never => {
    const p = lines.position(offset);
    throw new ConfigError(file, p.line, p.column, message);
  };
  if (doc.errors.length) fail(doc.errors[0].pos[0], doc.errors[0].message.split('\n')[0]);
  const raw = doc.toJS() ?? {};
  const at = (path: (string | number)[]) => {
    const n = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return n?.range?.[0] ?? 0;
  };
  if (typeof raw !== 'object' || Array.isArray(raw)) fail(0, 'the config must be a mapping');
  const known = new Set(['metallb', 'cluster', 'rules', 'ignore', 'include', 'failOn']);
  for (const k of Object.keys(raw)) if (!known.has(k)) fail(at([k]), `unknown key "${k}" (known: ${[...known].join(', ')})`);
  const cfg: LbguardConfig = { metallb: {}, cluster: {}, rules: {}, ignore: [], include: [] };
  const m = raw.metallb ?? {};
  for (const k of ['version', 'namespace', 'lbClass'] as const) {
    if (m[k] !== undefined) {
      if (typeof m[k] !== 'string' && typeof m[k] !== 'number') fail(at(['metallb', k]), `metallb.${k} must be a string`);
      cfg.metallb[k] = String(m[k]);
    }
  }
  const fams = raw.cluster?.ipFamilies;
  if (fams !== undefined) {
    if (!Array.isArray(fams) || fams.some((f: unknown) => f !== 'IPv4' && f !== 'IPv6')) fail(at(['cluster', 'ipFamilies']), 'cluster.ipFamilies must be a list of IPv4/IPv6');
    cfg.cluster.ipFamilies = fams;
  }
  for (const [rule, setting] of Object.entries(raw.rules ?? {})) {
    if (knownRules && !knownRules.has(rule)) fail(at(['rules', rule]), `unknown rule "${rule}"`);
    if (typeof setting !== 'string' || !SETTINGS.has(setting)) fail(at(['rules', rule]), `rule "${rule}" must be error, warning, info or off`);
    cfg.rules[rule] = setting as RuleSetting;
  }
  (raw.ignore ?? []).forEach((e: Record<string, unknown>, i: number) => {
    if (!e || typeof e !== 'object') fail(at(['ignore', i]), 'each ignore entry must be a mapping');
    const rules = typeof e.rule === 'string' ? [e.rule] : Array.isArray(e.rules) ? (e.rules as string[]) : [];
    if (!rules.length) fail(at(['ignore', i]), 'an ignore entry needs `rule` or `rules`');
    if (typeof e.reason !== 'string' || !e.reason.trim()) fail(at(['ignore', i]), 'an ignore entry needs a `reason`');
    cfg.ignore.push({
      rules,
      kind: e.kind as string | undefined,
      namespace: e.namespace as string | undefined,
      name: e.name as string | undefined,
      file: e.file as string | undefined,
      reason: e.reason as string,
    });
  });
  if (raw.include !== undefined) {
    if (!Array.isArray(raw.include)) fail(at(['include']), 'include must be a list of paths');
    cfg.include = raw.include.map(String);
  }
  if (raw.failOn !== undefined) {
    if (!['error', 'warning', 'info'].includes(raw.failOn)) fail(at(['failOn']), 'failOn must be error, warning or info');
    cfg.failOn = raw.failOn;
  }
  return cfg;
}
