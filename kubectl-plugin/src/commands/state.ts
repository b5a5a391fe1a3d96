// The state a status-like command reads: `--state <file>`, or without it the live cluster, whose
// source is imported lazily here so offline runs never load the live code (node:http/https).
import { lintWith, type ModelBuilder } from '../../../shared/src/lint/engine.js';
import { buildModel, type BuildOptions, type BuiltModel } from '../../../shared/src/model/build.js';
import type { Finding } from '../../../shared/src/findings/finding.js';
import { simulate } from '../../../shared/src/metallb/simulate.js';
import type { SimulationResult } from '../../../shared/src/metallb/types.js';
import type { ClusterModel } from '../../../shared/src/model/types.js';
import { FileStateSource, type StateSnapshot, type StateSource } from '../io/state.js';
import { simulationOptions, type Settings } from './common.js';

export function stateSourceFor(opts: Record<string, unknown>, s: Settings): StateSource {
  if (typeof opts.state === 'string') return new FileStateSource(opts.state, s.maxFileSize);
  // Live: kubeconfig + API (kubectl-plugin/src/live), loaded only when used.
  return {
    load: async () => {
      const { LiveStateSource } = await import('../live/source.js');
      const src = new LiveStateSource(opts, { metallbNamespace: s.metallbNamespace });
      try {
        return await src.load();
      } finally {
        src.close();
      }
    },
  };
}

export interface LoadedState {
  snapshot: StateSnapshot;
  model: ClusterModel;
  simulation?: SimulationResult;
  findings: Finding[];
  /** Set when the simulation could not run (the view still renders from recorded state). */
  simulationError?: string;
  /** Wall time of each step in ms (read = the source's load), for benchmarks and -v. */
  timings: { read: number; model: number; simulation: number; lint: number };
}

export async function loadState(opts: Record<string, unknown>, s: Settings, source: StateSource = stateSourceFor(opts, s)): Promise<LoadedState> {
  const t0 = performance.now();
  const snapshot = await source.load();
  const t1 = performance.now();
  // modelOf's options: the model the view and the simulation read.
  const buildOptions: BuildOptions = { metallbNamespace: s.metallbNamespace, lbClass: s.config.metallb.lbClass };
  const built = buildModel(snapshot.files, buildOptions, snapshot.reads);
  const model = built.model;
  const t2 = performance.now();
  const simOpts = simulationOptions(s, model);
  let simulation: SimulationResult | undefined;
  let simulationError: string | undefined;
  try {
    simulation = simulate(model, simOpts);
  } catch (e) {
    simulationError = (e as Error).message;
  }
  const t3 = performance.now();
  let findings: Finding[] = [];
  try {
    // The state is both the input and the `state` view: the rules get the model built above
    // and the simulation computed above instead of building and running them again.
    findings = lintWith(
      { files: snapshot.files, state: snapshot.files },
      { config: s.config, metallbVersion: simOpts.version, metallbNamespace: s.metallbNamespace, simulation },
      reusing(snapshot.files, buildOptions, built),
    ).findings.filter((f) => !f.suppressed);
  } catch (e) {
    simulationError ??= (e as Error).message;
  }
  return { snapshot, model, simulation, findings, simulationError, timings: { read: t1 - t0, model: t2 - t1, simulation: t3 - t2, lint: performance.now() - t3 } };
}

/**
 * A ModelBuilder that hands back `built` (made from `files` with `options`) when lint asks for the
 * same files with the same namespace and class. Lint also passes the version it models: that only
 * seeds `model.metallb.version` (an image tag in the files never overrides it), so the model gets a
 * copy of its `metallb` part with that version, and shares everything else.
 */
function reusing(files: unknown, options: BuildOptions, built: BuiltModel): ModelBuilder {
  const byVersion = new Map<string | undefined, BuiltModel>();
  return (f, o) => {
    if (f !== files || o.metallbNamespace !== options.metallbNamespace || o.lbClass !== options.lbClass || o.defaultNamespace !== options.defaultNamespace) return buildModel(f, o);
    const version = o.metallbVersion ?? built.model.metallb.version;
    let view = byVersion.get(version);
    if (!view) byVersion.set(version, (view = { model: { ...built.model, metallb: { ...built.model.metallb, version } }, findings: built.findings }));
    return view;
  };
}
