// simulate(model): the steady state MetalLB's controller reaches for a cluster model. A controller
// starts as after a restart — every Service's status IPs are re-adopted — and then allocates the
// pending ones (or, with `startup: 'version'`, follows the version's own restart order).
import type { ClusterModel } from '../model/types.js';
import { MetalLBController } from './controller.js';
import type { SimulationOptions, SimulationResult } from './types.js';
import { LATEST_VERSION } from './versions.js';

/** The controller a simulation runs, for callers that want to continue from it. */
export function startController(model: ClusterModel, options: SimulationOptions = {}): MetalLBController {
  const ctrl = new MetalLBController({
    version: options.version ?? model.metallb.version ?? LATEST_VERSION,
    network: options.network,
    lbClass: options.lbClass ?? model.metallb.lbClass,
    namespace: options.namespace ?? model.metallb.namespace,
  });
  const services = model.services;
  for (let i = 0; i < services.length; i++) ctrl.seedService(services[i]);
  ctrl.setNamespaces(model.namespaces);
  ctrl.setPoolObjects(model.pools);
  ctrl.restart(options.startup === 'version' ? 'version' : 'steady');
  return ctrl;
}

export function simulate(model: ClusterModel, options: SimulationOptions = {}): SimulationResult {
  const ctrl = startController(model, options);
  const result: SimulationResult = {
    version: ctrl.behaviour.version,
    // The controller is dropped after this: outcomes and usage take its arrays without copies.
    services: ctrl.outcomes(true),
    events: ctrl.drainEvents(),
    pools: ctrl.usage(true),
    activePools: ctrl.activePools(),
  };
  if (ctrl.configError) result.configError = ctrl.configError;
  return result;
}
