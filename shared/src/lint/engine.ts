// Runs every enabled rule over the whole input once. A rule that throws becomes one
// `internal-error` finding instead of taking the linter (or the editor) down.
import { compareFindings, docsUrl, type Finding, type Severity } from '../findings/finding.js';
import type { ManifestFile } from '../manifest/parse.js';
import { buildModel, type BuildOptions, type BuiltModel } from '../model/build.js';
import { DEFAULT_CLUSTER_NETWORK, type ClusterNetwork } from '../model/family.js';
import { simulate } from '../metallb/simulate.js';
import type { SimulationResult } from '../metallb/types.js';
import { behaviourFor, LATEST_VERSION } from '../metallb/versions.js';
import { ALL_RULES } from '../rules/index.js';
import { EMPTY_CONFIG, type LbguardConfig } from './config.js';
import type { ModelView, Rule, RuleContext } from './rule.js';
import { applySuppressions } from './suppress.js';
import { compareText } from '../text/compareText.js';

export interface LintInput {
  files: ManifestFile[];
  /** Old versions of the manifests (git ref or directory) for `cidr-edit-reassigns`. */
  baseline?: ManifestFile[];
  /** The cluster's state (snapshot file or live), for Services' current IPs. */
  state?: ManifestFile[];
}

export interface LintOptions {
  config?: LbguardConfig;
  /** Overrides config.metallb.version. */
  metallbVersion?: string;
  metallbNamespace?: string;
  rules?: Rule[];
  /**
   * MetalLB's simulation of this very input (same model, version and network), when the caller
   * has already run it — `kubectl lb status` does — so rules reuse it instead of simulating again.
   */
  simulation?: SimulationResult;
}

export interface LintResult {
  /** Every finding, suppressed ones included (marked), sorted by file and position. */
  findings: Finding[];
  version: string;
  simulation?: SimulationResult;
}

/** Builds the model of some files; `lint` uses `buildModel`, a `LintSession` a cached equivalent. */
export type ModelBuilder = (files: ManifestFile[], options: BuildOptions) => BuiltModel;

export function lint(input: LintInput, options: LintOptions = {}): LintResult {
  return lintWith(input, options, buildModel);
}

/**
 * `lint` with the model builder given: it must return what `buildModel(files, options)` returns
 * (a `LintSession` hands in one that reuses models and per-document reads it already made).
 */
export function lintWith(input: LintInput, options: LintOptions, build: ModelBuilder): LintResult {
  const config = options.config ?? EMPTY_CONFIG;
  const version = options.metallbVersion ?? config.metallb.version ?? LATEST_VERSION;
  const behaviour = behaviourFor(version);
  const network: ClusterNetwork = config.cluster.ipFamilies?.length ? { families: config.cluster.ipFamilies } : DEFAULT_CLUSTER_NETWORK;
  const buildOptions: BuildOptions = {
    metallbNamespace: options.metallbNamespace ?? config.metallb.namespace,
    metallbVersion: version,
    lbClass: config.metallb.lbClass,
  };
  const built = build(input.files, buildOptions);
  const findings: Finding[] = input.files.flatMap((f) => f.findings).concat(built.findings);
  const view = (files?: ManifestFile[]): ModelView | undefined => (files ? { files, model: build(files, buildOptions).model } : undefined);

  let simulation: SimulationResult | undefined = options.simulation;
  const ctxBase = {
    files: input.files,
    model: built.model,
    behaviour,
    network,
    baseline: view(input.baseline),
    state: view(input.state),
    simulation: () =>
      (simulation ??= simulate(built.model, {
        version: behaviour.version,
        network,
        lbClass: built.model.metallb.lbClass,
        namespace: built.model.metallb.namespace,
      })),
  };

  for (const rule of options.rules ?? ALL_RULES) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    if (rule.meta.requires?.includes('baseline') && !ctxBase.baseline) continue;
    const severity: Severity = setting ?? rule.meta.severity;
    const ctx: RuleContext = {
      ...ctxBase,
      report(d) {
        const loc = d.range && d.file ? { file: d.file, range: d.range } : d.doc ? { file: d.doc.file, range: d.doc.locate(d.path ?? [], d.part ?? 'value').range } : undefined;
        if (!loc) return;
        findings.push({
          rule: rule.meta.id,
          severity: setting ?? d.severity ?? severity,
          file: loc.file,
          range: loc.range,
          message: d.message,
          docsUrl: docsUrl(rule.meta.id),
          object: d.doc?.ref,
          related: d.related,
          fixes: d.fixes,
          deprecated: rule.meta.deprecated,
          data: d.data,
        });
      },
    };
    try {
      rule.check(ctx);
    } catch (e) {
      const file = input.files[0];
      findings.push({
        rule: 'internal-error',
        severity: 'error',
        file: file?.file ?? '<input>',
        range: { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
        message: `lbguard rule ${rule.meta.id} failed: ${(e as Error).message}. This is a bug in lbguard; please report it with the input.`,
        docsUrl: docsUrl('internal-error'),
      });
    }
  }
  const withSuppressions = applySuppressions(findings, input.files, config);
  withSuppressions.sort(compareFindingsQuick);
  return { findings: withSuppressions, version: behaviour.version, simulation };
}

/**
 * `compareFindings`, without comparing equal strings as text (the result is 0 either way). The
 * first collation of a process may set up ICU's (10–20 ms, see compareText), which a one-file
 * `kubectl lb lint` then never pays.
 */
export function compareFindingsQuick(a: Finding, b: Finding): number {
  return (
    (a.file === b.file ? 0 : compareText(a.file, b.file)) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column ||
    (a.rule === b.rule ? 0 : compareText(a.rule, b.rule))
  );
}
