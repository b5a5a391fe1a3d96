// Flags every command takes, and turning them into validated settings.
import { Option, type Command } from 'commander';
import type { LbguardConfig } from '../../../shared/src/lint/config.js';
import { parseManifestText, type ManifestFile } from '../../../shared/src/manifest/parse.js';
import { buildModel, type KnownReads } from '../../../shared/src/model/build.js';
import { readWhileParsing } from '../../../shared/src/model/readWhileParsing.js';
import { isRelevantKind } from '../../../shared/src/model/kinds.js';
import { DEFAULT_CLUSTER_NETWORK, type ClusterNetwork } from '../../../shared/src/model/family.js';
import type { ClusterModel } from '../../../shared/src/model/types.js';
import { behaviourFor, PROFILES, UnknownVersionError } from '../../../shared/src/metallb/versions.js';
import { colorEnabled, palette, type ColorMode, type Palette } from '../color.js';
import { InputError, UsageError } from '../errors.js';
import { loadConfig } from '../io/config.js';
import { DEFAULT_MAX_FILE_SIZE, displayPath, type SourceText } from '../io/inputs.js';
import { writeStdout } from '../io/stdout.js';

export interface GlobalFlags {
  metallbVersion?: string;
  metallbNamespace?: string;
  config?: string;
  color: ColorMode;
  maxFileSize: number;
}

export interface Settings {
  config: LbguardConfig;
  configPath?: string;
  /** The version asked for (flag, else config), validated; undefined: take it from the input or the latest. */
  metallbVersion?: string;
  metallbNamespace?: string;
  network: ClusterNetwork;
  color: boolean;
  c: Palette;
  maxFileSize: number;
}

export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!m) throw new UsageError(`--max-file-size: "${text}" is not a size (e.g. 10MB, 512k, 1048576)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

export function addGlobalOptions(cmd: Command): Command {
  return cmd
    .option('--metallb-version <version>', `MetalLB version to model: x.y.z or a profile (${Object.keys(PROFILES).join(', ')}); default: .lbguard.yaml, else the controller image in the input, else latest`)
    .option('--metallb-namespace <namespace>', "MetalLB's namespace (only pools there are read); default: inferred from the pools, else metallb-system")
    .option('--config <file>', 'lbguard config file (default: the nearest .lbguard.yaml upward from the working directory)')
    .addOption(new Option('--color <when>', 'colour output: auto (TTY and NO_COLOR unset), always, never').choices(['auto', 'always', 'never']).default('auto'))
    .option('--max-file-size <size>', 'refuse input files larger than this (e.g. 10MB, 512k)', '10MB');
}

export function validateVersion(v: string, where: string): string {
  try {
    return behaviourFor(v).version;
  } catch (e) {
    if (e instanceof UnknownVersionError) throw new UsageError(`${where}: ${e.message}`);
    throw e;
  }
}

export function settingsFrom(flags: Record<string, unknown>): Settings {
  const g = flags as unknown as GlobalFlags & { maxFileSize: string | number };
  const maxFileSize = typeof g.maxFileSize === 'number' ? g.maxFileSize : parseSize(String(g.maxFileSize ?? DEFAULT_MAX_FILE_SIZE));
  const flagVersion = g.metallbVersion !== undefined ? validateVersion(g.metallbVersion, '--metallb-version') : undefined;
  const loaded = loadConfig(g.config);
  let cfgVersion: string | undefined;
  if (loaded.config.metallb.version !== undefined) {
    try {
      cfgVersion = behaviourFor(loaded.config.metallb.version).version;
    } catch (e) {
      throw new InputError(`${displayPath(loaded.path!)}: metallb.version: ${(e as Error).message}`);
    }
  }
  const color = colorEnabled(g.color ?? 'auto');
  return {
    config: loaded.config,
    configPath: loaded.path,
    metallbVersion: flagVersion ?? cfgVersion,
    metallbNamespace: g.metallbNamespace ?? loaded.config.metallb.namespace,
    network: loaded.config.cluster.ipFamilies?.length ? { families: loaded.config.cluster.ipFamilies } : DEFAULT_CLUSTER_NETWORK,
    color,
    c: palette(color),
    maxFileSize,
  };
}

export function parseTexts(texts: SourceText[]): ManifestFile[] {
  return texts.map((t) => parseManifestText(t.text, t.file, { kindFilter: isRelevantKind }));
}

/**
 * The model of manifest texts, for commands that need nothing else (simulate, plan): each document
 * is read as it is parsed and its plain value let go (see readWhileParsing).
 */
export function modelOfTexts(texts: SourceText[], s: Settings): ClusterModel {
  const reading = readWhileParsing();
  const files = texts.map((t) => parseManifestText(t.text, t.file, { kindFilter: isRelevantKind, onDocument: reading.onDocument }));
  return modelOf(files, s, reading.known);
}

/** `reads`: the documents' model reads a live source made as it listed them. */
export function modelOf(files: ManifestFile[], s: Settings, reads?: KnownReads): ClusterModel {
  return buildModel(files, { metallbNamespace: s.metallbNamespace, lbClass: s.config.metallb.lbClass }, reads).model;
}

/** The version a command models: flag/config, else the controller image's tag when lbguard knows it, else latest. */
export function versionFor(s: Settings, model: ClusterModel): string {
  if (s.metallbVersion) return s.metallbVersion;
  if (model.metallb.version) {
    try {
      return behaviourFor(model.metallb.version).version;
    } catch {
      /* unknown tag: latest */
    }
  }
  return behaviourFor().version;
}

export function simulationOptions(s: Settings, model: ClusterModel) {
  return { version: versionFor(s, model), network: s.network, lbClass: model.metallb.lbClass ?? s.config.metallb.lbClass, namespace: model.metallb.namespace };
}

export function write(text: string): void {
  writeStdout(text);
}

export function outputOption(choices: string[], def: string): Option {
  return new Option('-o, --output <format>', `output format: ${choices.join(', ')}`).choices(choices).default(def);
}

export const SEVERITIES = ['error', 'warning', 'info'];
