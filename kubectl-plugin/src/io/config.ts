// `.lbguard.yaml`: --config, else the nearest one upward from the working directory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, EMPTY_CONFIG, parseConfig, type LbguardConfig } from '../../../shared/src/lint/config.js';
import { ALL_RULES } from '../../../shared/src/rules/index.js';
import { InputError } from '../errors.js';
import { displayPath } from './inputs.js';

export const CONFIG_NAME = '.lbguard.yaml';

/** Findings the core emits without a rule module; configs may name them too. */
export const BUILTIN_RULES = ['yaml-syntax', 'yaml-ambiguous-boolean', 'invalid-object', 'ignore-without-reason', 'internal-error', 'wrong-type'];

export interface LoadedConfig {
  config: LbguardConfig;
  /** The file it came from, when any. */
  path?: string;
}

export function findConfig(from = process.cwd()): string | undefined {
  let dir = resolve(from);
  for (;;) {
    const p = join(dir, CONFIG_NAME);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

export function loadConfig(explicit?: string): LoadedConfig {
  const path = explicit ?? findConfig();
  if (!path) return { config: EMPTY_CONFIG };
  const name = displayPath(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${name}: cannot read config (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const known = ALL_RULES.length ? new Set([...ALL_RULES.map((r) => r.meta.id), ...BUILTIN_RULES]) : undefined;
  try {
    return { config: parseConfig(text, name, known), path };
  } catch (e) {
    if (e instanceof ConfigError) throw new InputError(e.message);
    throw new InputError(`${name}: ${(e as Error).message}`);
  }
}
