export {
  FleetSimulator,
  createFleetSimulator,
  type AppliedFleetAction,
  type FleetSimulatorOptions,
  type SimulatedIncident,
  type SimulatedServiceState,
} from './fleet-simulator.js';
export { createFleetPlugin, type FleetControls } from './fleet-plugin.js';
export {
  FLEET_METRICS,
  INCIDENT_CATALOG,
  INCIDENT_KINDS,
  type FleetAction,
  type FleetMetric,
  type FleetMetricDefinition,
  type IncidentDefinition,
  type IncidentKind,
} from './incident-catalog.js';
export { createSeededRandom, type SeededRandom } from './seeded-random.js';
export { createThresholdAnalyzer, type ThresholdAnalyzerOptions, type ThresholdRule } from './threshold-analyzer.js';
export {
  CALL_GRAPH_FAULTS,
  simulateCallGraphIncident,
  type CallGraphFault,
  type CallGraphIncidentOptions,
  type SimulatedCallGraphIncident,
} from './call-graph-simulator.js';
