// Effective configuration: `.lbguard.yaml` (the project's shared file, also read by the CLI and CI)
// with the user's VS Code settings on top. A setting wins when it is set: an explicit
// `lbguard.metallb.version` overrides the file's `metallb.version`, and `lbguard.rules` entries
// override the file's `rules` entry for the same rule id (other ids keep the file's value).
// Ignore entries, include and cluster come from the file only.
import { ConfigError, EMPTY_CONFIG, type LbguardConfig, parseConfig, type RuleSetting } from '../../shared/src/lint/config.js';

export interface ExtensionSettings {
  metallbVersion?: string;
  metallbNamespace?: string;
  /** rule id → error | warning | info | off, or false (off) / true (default). */
  rules?: Record<string, unknown>;
  stateFile?: string;
  clusterContext?: string;
  maxFileSize: number;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

export interface EffectiveConfig {
  config: LbguardConfig;
  metallbVersion?: string;
  metallbNamespace?: string;
  /** Problems with the settings or the config file, to show the user. */
  problems: string[];
}

const LEVELS = new Set(['error', 'warning', 'info', 'off']);

export function effectiveConfig(settings: ExtensionSettings, configText?: string, configFile = '.lbguard.yaml'): EffectiveConfig {
  const problems: string[] = [];
  let fileConfig: LbguardConfig = EMPTY_CONFIG;
  if (configText !== undefined) {
    try {
      fileConfig = parseConfig(configText, configFile);
    } catch (e) {
      problems.push(e instanceof ConfigError ? e.message : `${configFile}: ${(e as Error).message}`);
    }
  }
  const rules: Record<string, RuleSetting> = { ...fileConfig.rules };
  for (const [id, v] of Object.entries(settings.rules ?? {})) {
    if (v === false) rules[id] = 'off';
    else if (v === true || v === 'default') delete rules[id];
    else if (typeof v === 'string' && LEVELS.has(v)) rules[id] = v as RuleSetting;
    else problems.push(`lbguard.rules.${id}: expected error, warning, info, off (or true/false), got ${JSON.stringify(v)}`);
  }
  const version = nonEmpty(settings.metallbVersion) ?? fileConfig.metallb.version;
  const namespace = nonEmpty(settings.metallbNamespace) ?? fileConfig.metallb.namespace;
  return {
    config: { ...fileConfig, metallb: { ...fileConfig.metallb, version, namespace }, rules },
    metallbVersion: version,
    metallbNamespace: namespace,
    problems,
  };
}

function nonEmpty(s: string | undefined): string | undefined {
  return s && s.trim() ? s.trim() : undefined;
}

/** The size guard: undefined when the file may be linted, else why it is not. */
export function sizeGuard(bytes: number, maxFileSize: number): string | undefined {
  if (maxFileSize <= 0 || bytes <= maxFileSize) return undefined;
  return `lbguard did not check this file: it is ${formatBytes(bytes)}, more than lbguard.maxFileSize (${formatBytes(maxFileSize)}). Raise the setting to check it.`;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${n} B`;
}
