// The state a status-like command reads: `--state <file>`, or without it the live cluster, whose
// source is imported lazily here so offline runs never load @kubernetes/client-node.
import { lintWith, type ModelBuilder } from '../../../shared/src/lint/engine.js';
import { buildModel } from '../../../shared/src/model/build.js';
import type { Finding } from '../../../shared/src/findings/finding.js';
import { simulate } from '../../../shared/src/metallb/simulate.js';
import type { SimulationResult } from '../../../shared/src/metallb/types.js';
import type { ClusterModel } from '../../../shared/src/model/types.js';
import { FileStateSource, type StateSnapshot, type StateSource } from '../io/state.js';
import { modelOf, simulationOptions, type Settings } from './common.js';

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
}

export async function loadState(opts: Record<string, unknown>, s: Settings, source: StateSource = stateSourceFor(opts, s)): Promise<LoadedState> {
  const snapshot = await source.load();
  const model = modelOf(snapshot.files, s);
  const simOpts = simulationOptions(s, model);
  let simulation: SimulationResult | undefined;
  let simulationError: string | undefined;
  try {
    simulation = simulate(model, simOpts);
  } catch (e) {
    simulationError = (e as Error).message;
  }
  let findings: Finding[] = [];
  try {
    // The state is both the input and the `state` view: build its model once, and hand the
    // rules the simulation computed above instead of running it again.
    const built = new Map<unknown, ReturnType<ModelBuilder>>();
    const once: ModelBuilder = (files, o) => built.get(files) ?? built.set(files, buildModel(files, o)).get(files)!;
    findings = lintWith(
      { files: snapshot.files, state: snapshot.files },
      { config: s.config, metallbVersion: simOpts.version, metallbNamespace: s.metallbNamespace, simulation },
      once,
    ).findings.filter((f) => !f.suppressed);
  } catch (e) {
    simulationError ??= (e as Error).message;
  }
  return { snapshot, model, simulation, findings, simulationError };
}
