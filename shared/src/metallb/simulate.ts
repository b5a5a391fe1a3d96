// Placeholder until the controller simulation lands (being written now).
import type { ClusterModel } from '../model/types.js';
import type { SimulationOptions, SimulationResult } from './types.js';

export function simulate(_model: ClusterModel, _options: SimulationOptions = {}): SimulationResult {
  throw new Error('simulate: not implemented yet');
}
