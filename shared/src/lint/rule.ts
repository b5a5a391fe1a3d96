// The contract of a lint rule: one module per rule id, with its metadata and its check
// (and fixes). Rules see the whole input at once, so they can be cross-file.
import type { Finding, Fix, RelatedLocation, Severity } from '../findings/finding.js';
import type { ManifestDocument, NodePart, PathSegment } from '../manifest/document.js';
import type { ManifestFile } from '../manifest/parse.js';
import type { SourceRange } from '../manifest/source.js';
import type { ClusterNetwork } from '../model/family.js';
import type { ClusterModel } from '../model/types.js';
import type { SimulationResult } from '../metallb/types.js';
import type { MetalLBBehaviour } from '../metallb/versions.js';

export interface RuleMeta {
  /** Stable id; users' configs name it. Its doc is docs/rules/<id>.md, its tests test/rules/<id>.test.ts. */
  id: string;
  /** Default severity. */
  severity: Severity;
  /** One line: what the rule catches. */
  description: string;
  /** Findings mark a deprecated field or prefix (the editor strikes it through). */
  deprecated?: boolean;
  /** The rule offers fixes. */
  fixable?: boolean;
  /** Inputs without which the rule has nothing to say. */
  requires?: ('baseline' | 'state')[];
}

/** Another view of the objects being linted: a git baseline, or a state file / live snapshot. */
export interface ModelView {
  files: ManifestFile[];
  model: ClusterModel;
}

export interface ReportDescriptor {
  /** The object the finding is about; the range comes from `path` inside it. */
  doc?: ManifestDocument;
  path?: PathSegment[];
  part?: NodePart;
  /** An explicit range (and file) instead of doc+path. */
  file?: string;
  range?: SourceRange;
  message: string;
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
  data?: Record<string, unknown>;
}

export interface RuleContext {
  files: ManifestFile[];
  model: ClusterModel;
  behaviour: MetalLBBehaviour;
  network: ClusterNetwork;
  /** MetalLB's simulated decisions for `model` (computed once, shared by every rule). */
  simulation(): SimulationResult;
  /** Old manifests to compare against (`--baseline`). */
  baseline?: ModelView;
  /** The cluster's real state (`--state` file or live), Services with their current IPs. */
  state?: ModelView;
  report(d: ReportDescriptor): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export type { Finding };
