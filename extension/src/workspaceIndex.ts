// The workspace as lbguard sees it: every YAML file's relevant objects (pools, Services,
// Namespaces, …), kept up to date incrementally (open documents from the editor, the rest from
// disk via a file watcher), plus the baselines `cidr-edit-reassigns` compares against.
// No vscode here: the shell feeds texts in and takes findings out.
import { compareFindings, type Finding } from '../../shared/src/findings/finding.js';
import type { Rule } from '../../shared/src/lint/rule.js';
import { ALL_RULES } from '../../shared/src/rules/index.js';
import { shiftFindings } from './shift.js';
import type { LintResult } from '../../shared/src/lint/engine.js';
import { createLintSession } from '../../shared/src/lint/session.js';
import { IncrementalParser } from '../../shared/src/manifest/incremental.js';
import { type ManifestFile, parseManifestText } from '../../shared/src/manifest/parse.js';
import { buildModel } from '../../shared/src/model/build.js';
import { isRelevantKind } from '../../shared/src/model/kinds.js';
import type { ClusterModel } from '../../shared/src/model/types.js';
import { EMPTY_CONFIG } from '../../shared/src/lint/config.js';
import type { EffectiveConfig } from './settings.js';

export const PARSE_OPTIONS = { kindFilter: isRelevantKind };

/** The file holds an object lbguard reads (a pool, Service, Namespace, …). */
export function hasObjects(f: ManifestFile): boolean {
  return f.documents.some((d) => isRelevantKind(d.kind, d.apiVersion));
}

interface Entry {
  parser: IncrementalParser;
  parsed: ManifestFile;
  open: boolean;
}

export type BaselineSource = 'git' | 'state' | 'cluster' | 'none';

/** `fast`: rules that do not run the MetalLB simulation (every keystroke); `full`: every rule. */
export type Tier = 'fast' | 'full';

export interface FileLint {
  /** Findings of this file only. */
  findings: Finding[];
  tier: Tier;
  result: LintResult;
  ms: number;
}

export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private gitBaseline = new Map<string, ManifestFile>();
  private stateFiles: ManifestFile[] | undefined;
  private stateLabel: string | undefined;
  private clusterFiles: ManifestFile[] | undefined;
  private excluded = new Set<string>();
  effective: EffectiveConfig = { config: EMPTY_CONFIG, problems: [] };
  /** Rules seen calling the simulation: they only run in the full tier. */
  readonly slowRules = new Set<string>();
  /** Per file: its text and slow-tier findings at the last full lint. */
  private readonly lastFull = new Map<string, { text: string; findings: Finding[] }>();
  /** Same results as `lint()`; reuses the baseline/state models and unchanged documents' reads. */
  private readonly session = createLintSession();

  /** Adds or updates a file from its text (only its changed YAML documents are parsed again). */
  setFile(id: string, text: string, open = false): ManifestFile {
    let e = this.entries.get(id);
    if (!e) {
      const parser = new IncrementalParser(id, PARSE_OPTIONS);
      e = { parser, parsed: parser.parse(text), open };
      this.entries.set(id, e);
    } else {
      if (e.parsed.text !== text) e.parsed = e.parser.parse(text);
      e.open = open || e.open;
    }
    return e.parsed;
  }

  setOpen(id: string, open: boolean): void {
    const e = this.entries.get(id);
    if (e) e.open = open;
  }

  isOpen(id: string): boolean {
    return this.entries.get(id)?.open ?? false;
  }

  removeFile(id: string): void {
    this.entries.delete(id);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): ManifestFile | undefined {
    return this.entries.get(id)?.parsed;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** Files that are never linted as manifests (the state file when it lies in the workspace). */
  setExcluded(ids: string[]): void {
    this.excluded = new Set(ids);
  }

  /** The manifests at git HEAD, by file id (files absent at HEAD are simply missing). */
  setGitBaseline(texts: Map<string, string> | undefined): void {
    const next = new Map<string, ManifestFile>();
    for (const [id, text] of texts ?? []) {
      const old = this.gitBaseline.get(id);
      next.set(id, old && old.text === text ? old : parseManifestText(text, id, PARSE_OPTIONS));
    }
    this.gitBaseline = next;
  }

  /** The cluster state from a state file (`kubectl lb snapshot`); undefined to forget it. */
  setState(label: string | undefined, text: string | undefined): void {
    this.stateLabel = label;
    this.stateFiles = label !== undefined && text !== undefined ? [parseManifestText(text, label, PARSE_OPTIONS)] : undefined;
  }

  /** A live cluster snapshot; wins over the state file while set. */
  setClusterSnapshot(label: string | undefined, text: string | undefined): void {
    this.clusterFiles = label !== undefined && text !== undefined ? [parseManifestText(text, label, PARSE_OPTIONS)] : undefined;
  }

  get state(): ManifestFile[] | undefined {
    return this.clusterFiles ?? this.stateFiles;
  }

  get baselineSource(): BaselineSource {
    if (this.gitBaseline.size) return 'git';
    if (this.clusterFiles) return 'cluster';
    if (this.stateFiles) return 'state';
    return 'none';
  }

  get stateSource(): string | undefined {
    return this.clusterFiles ? this.clusterFiles[0].file : this.stateLabel;
  }

  /**
   * The baseline for `cidr-edit-reassigns`: the files at git HEAD when the workspace is a git
   * repository, else the cluster's own objects (live snapshot or state file).
   */
  baseline(): ManifestFile[] | undefined {
    if (this.gitBaseline.size) return [...this.gitBaseline.values()];
    return this.state;
  }

  /** Files that take part in a lint: those with objects lbguard reads, plus `alsoId`. */
  lintFiles(alsoId?: string): ManifestFile[] {
    const out: ManifestFile[] = [];
    for (const [id, e] of this.entries) {
      if (this.excluded.has(id)) continue;
      if (id === alsoId || hasObjects(e.parsed)) out.push(e.parsed);
    }
    return out;
  }

  /** The core's rules, wrapped to learn which ones run the simulation (the slow tier). */
  private rules(tier: Tier): Rule[] {
    return ALL_RULES.filter((r) => tier === 'full' || !this.slowRules.has(r.meta.id)).map((r) => ({
      meta: r.meta,
      check: (ctx) => {
        const simulation = ctx.simulation;
        ctx.simulation = () => {
          this.slowRules.add(r.meta.id);
          return simulation();
        };
        r.check(ctx);
      },
    }));
  }

  lintAll(alsoId?: string, tier: Tier = 'full'): LintResult {
    return this.session.lint(
      { files: this.lintFiles(alsoId), baseline: this.baseline(), state: this.state },
      {
        config: this.effective.config,
        metallbVersion: this.effective.metallbVersion,
        metallbNamespace: this.effective.metallbNamespace,
        rules: this.rules(tier),
      },
    );
  }

  /**
   * Lints the workspace and keeps this file's findings (other files get theirs when opened).
   * The fast tier carries the slow rules' findings of the last full lint over, moved past the edit.
   */
  lintFile(id: string, tier: Tier = 'full'): FileLint {
    const t0 = performance.now();
    const slowBefore = new Set(this.slowRules);
    const result = this.lintAll(id, tier);
    let findings = result.findings.filter((f) => f.file === id);
    const file = this.get(id);
    if (tier === 'full') {
      if (file) this.lastFull.set(id, { text: file.text, findings: findings.filter((f) => this.slowRules.has(f.rule)) });
    } else {
      const prev = this.lastFull.get(id);
      if (prev && file) {
        const carried = prev.findings.filter((f) => slowBefore.has(f.rule));
        findings = findings.concat(shiftFindings(carried, id, prev.text, file.text, file.lines)).sort(compareFindings);
      }
    }
    return { findings, tier, result, ms: performance.now() - t0 };
  }

  forgetFile(id: string): void {
    this.lastFull.delete(id);
  }

  /** The model of every workspace file (pools defined anywhere), for hovers and lenses. */
  model(): ClusterModel {
    return buildModel(this.lintFiles(), {
      metallbNamespace: this.effective.metallbNamespace,
      metallbVersion: this.effective.metallbVersion,
    }).model;
  }

  stateModel(): ClusterModel | undefined {
    const s = this.state;
    return s ? buildModel(s, { metallbNamespace: this.effective.metallbNamespace }).model : undefined;
  }
}
