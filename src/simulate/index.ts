/**
 * The proving ground: a seeded, event-driven simulator of LLM API traffic with ground truth —
 * customer personas (including the hard negatives), attack campaigns modelled on the public
 * reports, and a closed loop through which enforcement decisions change the attackers' behaviour.
 * Docs: docs/simulator.md.
 */
export { BUILT_IN_SCENARIOS } from './built-in-scenarios.js';
export { createSimulation } from './create-simulation.js';
export { EXCHANGE_GZIP_LEVEL } from './exchange-gzip-level.js';
export { formatSummary } from './format-summary.js';
export { loadScenario } from './load-scenario.js';
export { type NetworkPrefix, networkPrefixes } from './network-registry.js';
export { parseScenario } from './parse-scenario.js';
export {
  type CampaignSpec,
  LANGUAGES,
  PERSONAS,
  type PersonaName,
  type PersonaSpec,
  type Scenario,
  type ScenarioInput,
  scenarioSchema,
  TASK_KINDS,
} from './scenario.js';
export {
  OUTPUT_FILES,
  type SimulateToDirectoryOptions,
  simulateToDirectory,
} from './simulate-to-directory.js';
export type {
  CampaignSummary,
  EnforcementAction,
  EnforcementDecision,
  PersonaSummary,
  Simulation,
  SimulationEvent,
  SimulationOptions,
  SimulationSummary,
} from './simulation-types.js';
