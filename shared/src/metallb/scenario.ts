// Scenarios: a MetalLB version and a list of steps (apply objects, delete objects, restart the
// controller), run through one MetalLBController so each step shows the Service outcomes and the
// events MetalLB would emit.
//
//   kind: Scenario
//   metallbVersion: 0.13.12
//   lbClass: ""                 # optional, the controller's --lb-class
//   namespace: metallb-system   # optional
//   ipFamilies: [IPv4, IPv6]    # optional, the cluster's Service CIDR families
//   steps:
//   - apply: [ {...objects...} ]   # or a YAML string with `---` separated objects
//   - delete: [ {kind: Service, namespace: default, name: web} ]
//   - restartController: true
import { stringify } from 'yaml';
import type { ManifestDocument, PathSegment } from '../manifest/document.js';
import { parseManifestText } from '../manifest/parse.js';
import type { SourceRange } from '../manifest/source.js';
import { buildModel } from '../model/build.js';
import type { ClusterNetwork } from '../model/family.js';
import { isRelevantKind } from '../model/kinds.js';
import type { ClusterModel, Namespace, Pool } from '../model/types.js';
import { MetalLBController } from './controller.js';
import type { PoolUsage, ServiceOutcome, SimEvent } from './types.js';
import { behaviourFor, UnknownVersionError } from './versions.js';

export interface ObjectRefInput {
  kind: string;
  namespace?: string;
  name: string;
}

export type ScenarioStep =
  | { kind: 'apply'; model: ClusterModel; objects: number; range: SourceRange }
  | { kind: 'delete'; refs: ObjectRefInput[]; range: SourceRange }
  | { kind: 'restart'; range: SourceRange };

export interface Scenario {
  file: string;
  metallbVersion: string;
  lbClass?: string;
  namespace: string;
  network?: ClusterNetwork;
  steps: ScenarioStep[];
}

export interface ScenarioError {
  file: string;
  range: SourceRange;
  message: string;
}

export type ParsedScenario = { scenario: Scenario; errors: [] } | { scenario?: undefined; errors: ScenarioError[] };

const KNOWN_TOP = new Set(['apiVersion', 'kind', 'metadata', 'metallbVersion', 'lbClass', 'namespace', 'ipFamilies', 'steps', 'description']);

export function parseScenario(text: string, file: string): ParsedScenario {
  const parsed = parseManifestText(text, file);
  const errors: ScenarioError[] = parsed.findings.filter((f) => f.severity === 'error').map((f) => ({ file, range: f.range, message: f.message }));
  if (errors.length) return { errors };
  const doc = parsed.documents.find((d) => d.kind === 'Scenario');
  if (!doc) {
    const range = parsed.documents[0]?.range ?? parsed.lines.range(0, 0);
    return { errors: [{ file, range, message: 'no document with `kind: Scenario` in this file' }] };
  }
  const err = (path: PathSegment[], message: string, part: 'key' | 'value' = 'value') => errors.push({ file, range: doc.locate(path, part).range, message });
  for (const k of Object.keys(doc.value)) if (!KNOWN_TOP.has(k)) err([k], `unknown field "${k}" in a Scenario (known: ${[...KNOWN_TOP].join(', ')})`, 'key');
  const version = doc.value.metallbVersion;
  let metallbVersion = '';
  if (typeof version !== 'string' && typeof version !== 'number') err(['metallbVersion'], 'metallbVersion is required (e.g. "0.14.8")');
  else {
    metallbVersion = String(version);
    try {
      behaviourFor(metallbVersion);
    } catch (e) {
      if (e instanceof UnknownVersionError) err(['metallbVersion'], e.message);
      else throw e;
    }
  }
  const lbClass = doc.value.lbClass;
  if (lbClass !== undefined && typeof lbClass !== 'string') err(['lbClass'], 'lbClass must be a string');
  const ns = doc.value.namespace;
  if (ns !== undefined && typeof ns !== 'string') err(['namespace'], 'namespace must be a string');
  let network: ClusterNetwork | undefined;
  const fams = doc.value.ipFamilies;
  if (fams !== undefined) {
    if (!Array.isArray(fams) || fams.length === 0 || fams.length > 2 || fams.some((f) => f !== 'IPv4' && f !== 'IPv6')) err(['ipFamilies'], 'ipFamilies must list IPv4 and/or IPv6, primary first');
    else network = { families: fams as ('IPv4' | 'IPv6')[] };
  }
  const steps: ScenarioStep[] = [];
  const rawSteps = doc.value.steps;
  if (!Array.isArray(rawSteps)) err(['steps'], 'steps must be a list of {apply}, {delete} or {restartController: true}');
  else rawSteps.forEach((raw, i) => parseStep(doc, raw, i, file, steps, err));
  if (errors.length) return { errors };
  return {
    scenario: { file, metallbVersion, lbClass: (lbClass as string | undefined) || undefined, namespace: (ns as string | undefined) || 'metallb-system', network, steps },
    errors: [],
  };
}

function parseStep(
  doc: ManifestDocument,
  raw: unknown,
  i: number,
  file: string,
  steps: ScenarioStep[],
  err: (path: PathSegment[], message: string, part?: 'key' | 'value') => void,
): void {
  const path: PathSegment[] = ['steps', i];
  const range = doc.locate(path).range;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return err(path, 'a step is an object with one of apply, delete, restartController');
  const keys = Object.keys(raw);
  const verbs = keys.filter((k) => k === 'apply' || k === 'delete' || k === 'restartController');
  for (const k of keys) if (!(verbs as string[]).includes(k) && k !== 'description') err([...path, k], `unknown step field "${k}" (use apply, delete or restartController)`, 'key');
  if (verbs.length !== 1) return err(path, `a step needs exactly one of apply, delete, restartController (found ${verbs.length})`);
  const r = raw as Record<string, unknown>;
  if (verbs[0] === 'restartController') {
    if (r.restartController !== true) return err([...path, 'restartController'], 'restartController must be true');
    steps.push({ kind: 'restart', range });
    return;
  }
  if (verbs[0] === 'apply') {
    const v = r.apply;
    let text: string;
    if (typeof v === 'string') text = v;
    else if (Array.isArray(v)) {
      const bad = v.findIndex((o) => !o || typeof o !== 'object' || typeof (o as Record<string, unknown>).kind !== 'string');
      if (bad >= 0) return err([...path, 'apply', bad], 'each applied object needs apiVersion, kind and metadata');
      text = v.map((o) => stringify(o)).join('---\n');
    } else return err([...path, 'apply'], 'apply takes a list of objects or a YAML string');
    const files = [parseManifestText(text, `${file}#steps[${i}].apply`, { kindFilter: isRelevantKind })];
    const inner = files[0].findings.find((f) => f.severity === 'error');
    if (inner) return err([...path, 'apply'], `apply: ${inner.message}`);
    const built = buildModel(files, {});
    for (const d of files[0].documents) if (!d.name) return err([...path, 'apply'], `an applied ${d.kind || 'object'} has no metadata.name`);
    steps.push({ kind: 'apply', model: built.model, objects: files[0].documents.length, range });
    return;
  }
  const d = r.delete;
  if (!Array.isArray(d)) return err([...path, 'delete'], 'delete takes a list of {kind, namespace, name}');
  const refs: ObjectRefInput[] = [];
  d.forEach((ref, j) => {
    const o = ref as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.kind !== 'string' || typeof o.name !== 'string') err([...path, 'delete', j], 'each deleted object needs kind and name (and namespace for namespaced kinds)');
    else refs.push({ kind: o.kind, name: o.name, namespace: typeof o.namespace === 'string' ? o.namespace : undefined });
  });
  steps.push({ kind: 'delete', refs, range });
}

export interface ScenarioStepResult {
  index: number;
  step: ScenarioStep['kind'];
  services: Map<string, ServiceOutcome>;
  events: SimEvent[];
  pools: PoolUsage[];
  configError?: { message: string; stale: boolean };
}

export interface RunScenarioOptions {
  /** Overrides the scenario's metallbVersion. */
  version?: string;
}

export function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): ScenarioStepResult[] {
  const ctrl = new MetalLBController({
    version: options.version ?? scenario.metallbVersion,
    lbClass: scenario.lbClass,
    namespace: scenario.namespace,
    network: scenario.network,
  });
  const pools = new Map<string, Pool>();
  const namespaces = new Map<string, Namespace>();
  const poolKey = (p: { source: string; namespace?: string; name: string }) => `${p.source}/${p.namespace ?? scenario.namespace}/${p.name}`;
  const results: ScenarioStepResult[] = [];
  scenario.steps.forEach((step, index) => {
    if (step.kind === 'restart') ctrl.restart('version');
    else if (step.kind === 'apply') {
      const m = step.model;
      let poolsChanged = m.pools.length > 0;
      for (const p of m.pools) pools.set(poolKey(p), p);
      for (const n of m.namespaces) {
        namespaces.set(n.name, n);
        poolsChanged = true;
      }
      if (poolsChanged) ctrl.setPools({ pools: [...pools.values()], namespaces: [...namespaces.values()] });
      for (const s of m.services) ctrl.applyService(s);
    } else {
      let poolsChanged = false;
      for (const ref of step.refs) {
        if (ref.kind === 'Service') ctrl.deleteService(`${ref.namespace ?? 'default'}/${ref.name}`);
        else if (ref.kind === 'IPAddressPool' || ref.kind === 'AddressPool') {
          poolsChanged = pools.delete(poolKey({ source: ref.kind, namespace: ref.namespace, name: ref.name })) || poolsChanged;
        } else if (ref.kind === 'Namespace') poolsChanged = namespaces.delete(ref.name) || poolsChanged;
      }
      if (poolsChanged) ctrl.setPools({ pools: [...pools.values()], namespaces: [...namespaces.values()] });
    }
    const r: ScenarioStepResult = { index, step: step.kind, services: ctrl.outcomes(), events: ctrl.drainEvents(), pools: ctrl.usage() };
    if (ctrl.configError) r.configError = ctrl.configError;
    results.push(r);
  });
  return results;
}
