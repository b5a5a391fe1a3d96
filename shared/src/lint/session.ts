// A lint session for callers that lint the same inputs again and again (the editor, on every
// keystroke). `session.lint(input, options)` returns exactly what `lint(input, options)` returns,
// but it does not rebuild what it already built:
//
//   - a model (of `files`, `baseline` or `state`) is reused when the `ManifestFile` objects are the
//     same ones (identity) as at the previous call and the build options are equal — so the
//     baseline and state models are built once, not on every keystroke;
//   - otherwise the model is assembled from per-document reads, each cached by `ManifestDocument`
//     identity: `IncrementalParser` hands back the same `ManifestDocument` objects for documents
//     whose text and position did not change, so only the edited documents are read again.
//
// The cache holds on to no more than the documents of the last call (a WeakMap keyed by document
// plus the last models). Nothing may mutate a model the session returns (rules never do).
//
// Adopting it (the editor):
//   const session = createLintSession();
//   ... on every change: session.lint({ files, baseline, state }, options)
// and keep parsing with one `IncrementalParser` per file, so unchanged documents keep their identity.
import type { Finding } from '../findings/finding.js';
import type { ManifestDocument } from '../manifest/document.js';
import type { ManifestFile } from '../manifest/parse.js';
import { buildModel, type BuildOptions, type BuiltModel, DEFAULT_METALLB_NAMESPACE, emptyModel, inferMetalLBNamespace } from '../model/build.js';
import type { ClusterModel } from '../model/types.js';
import { type LintInput, type LintOptions, type LintResult, lintWith } from './engine.js';

export interface LintSession {
  /** Same result as `lint(input, options)`. */
  lint(input: LintInput, options?: LintOptions): LintResult;
  /** What the last `lint` call reused (for tests and benchmarks). */
  readonly stats: LintSessionStats;
  /** Forgets every cached model. */
  clear(): void;
}

export interface LintSessionStats {
  /** Models (files, baseline, state) reused whole at the last call. */
  modelsReused: number;
  /** Models assembled at the last call. */
  modelsBuilt: number;
  /** Documents read at the last call; the others came from the per-document cache. */
  documentsRead: number;
}

interface MemoEntry {
  files: ManifestFile[];
  optionsKey: string;
  built: BuiltModel;
}

/** One document's contribution to a model, read on its own. */
interface DocumentPart {
  model: ClusterModel;
  findings: Finding[];
}

const MAX_MEMO = 4;

export function createLintSession(): LintSession {
  let memo: MemoEntry[] = [];
  let parts = new WeakMap<ManifestDocument, DocumentPart>();
  let partsKey = '';
  const stats: LintSessionStats = { modelsReused: 0, modelsBuilt: 0, documentsRead: 0 };

  const build = (files: ManifestFile[], options: BuildOptions): BuiltModel => {
    const optionsKey = JSON.stringify([options.metallbNamespace, options.defaultNamespace, options.metallbVersion, options.lbClass]);
    const hit = memo.find((m) => m.optionsKey === optionsKey && sameFiles(m.files, files));
    if (hit) {
      stats.modelsReused++;
      return hit.built;
    }
    stats.modelsBuilt++;
    // A per-document read depends on the default namespace only (the MetalLB fields are merged here).
    const docKey = options.defaultNamespace ?? 'default';
    if (docKey !== partsKey) {
      parts = new WeakMap();
      partsKey = docKey;
    }
    const built = assemble(files, options);
    memo = [{ files: [...files], optionsKey, built }, ...memo].slice(0, MAX_MEMO);
    return built;
  };

  /** `buildModel(files, options)`, from cached per-document reads. */
  const assemble = (files: ManifestFile[], options: BuildOptions): BuiltModel => {
    // A MetalLB controller Deployment sets the model's MetalLB fields in document order; such
    // (rare) inputs are built whole.
    if (files.some((f) => f.documents.some((d) => d.kind === 'Deployment'))) {
      stats.documentsRead += files.reduce((n, f) => n + f.documents.length, 0);
      return buildModel(files, options);
    }
    const model = emptyModel(options);
    const findings: Finding[] = [];
    for (const file of files) {
      for (const doc of file.documents) {
        let part = parts.get(doc);
        if (!part) {
          // The document alone, in its file (a ConfigMap's embedded config is positioned with the
          // file's text); a set namespace keeps buildModel from inferring one for the part.
          const alone: ManifestFile = { ...file, documents: [doc] };
          const b = buildModel([alone], { defaultNamespace: options.defaultNamespace, metallbNamespace: DEFAULT_METALLB_NAMESPACE });
          part = { model: b.model, findings: b.findings };
          parts.set(doc, part);
          stats.documentsRead++;
        }
        const m = part.model;
        pushAll(model.pools, m.pools);
        pushAll(model.services, m.services);
        pushAll(model.namespaces, m.namespaces);
        pushAll(model.harvesterPools, m.harvesterPools);
        pushAll(model.harvesterLoadBalancers, m.harvesterLoadBalancers);
        pushAll(model.events, m.events);
        pushAll(findings, part.findings);
      }
    }
    if (!model.metallb.namespace) model.metallb.namespace = inferMetalLBNamespace(model);
    return { model, findings };
  };

  return {
    stats,
    lint(input, options = {}) {
      stats.modelsReused = 0;
      stats.modelsBuilt = 0;
      stats.documentsRead = 0;
      return lintWith(input, options, build);
    },
    clear() {
      memo = [];
      parts = new WeakMap();
    },
  };
}

function sameFiles(a: ManifestFile[], b: ManifestFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

function pushAll<T>(into: T[], from: T[]): void {
  for (const x of from) into.push(x);
}
