import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { DistillguardError } from '../shared/distillguard-error.js';
import { BUILT_IN_SCENARIO_INPUTS, BUILT_IN_SCENARIOS } from './built-in-scenarios.js';
import { EVASION_CELLS, EVASION_SCENARIO_INPUTS } from './evasion-matrix.js';
import { parseScenario } from './parse-scenario.js';
import { RED_TEAM_B_SCENARIO_INPUTS } from './red-team-b-scenario.js';
import { RED_TEAM_C_SCENARIO_INPUTS } from './red-team-c-scenario.js';
import { RED_TEAM_SCENARIO_INPUTS } from './red-team-scenario.js';
import type { Scenario } from './scenario.js';

/**
 * Loads a built-in scenario by name, an evasion-matrix cell (`evasion:no-network`, …), or a
 * `.json` / `.yaml` / `.yml` scenario file, validated.
 *
 * @example
 * const scenario = await loadScenario('quickstart');
 * const custom = await loadScenario('scenarios/my-incident.yaml');
 */
export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const builtIn =
    BUILT_IN_SCENARIO_INPUTS[nameOrPath] ??
    EVASION_SCENARIO_INPUTS[nameOrPath] ??
    RED_TEAM_SCENARIO_INPUTS[nameOrPath] ??
    RED_TEAM_B_SCENARIO_INPUTS[nameOrPath] ??
    RED_TEAM_C_SCENARIO_INPUTS[nameOrPath];
  if (builtIn) return parseScenario(structuredClone(builtIn), `built-in scenario "${nameOrPath}"`);
  if (!/\.(json|ya?ml)$/i.test(nameOrPath)) {
    throw new DistillguardError(
      'scenario_not_found',
      `"${nameOrPath}" is neither a built-in scenario (${BUILT_IN_SCENARIOS.join(', ')}) nor an evasion cell (evasion:${EVASION_CELLS.join(', evasion:')}, evasion:red-team, evasion:red-team-b, evasion:red-team-c, evasion:red-team-b-mono, evasion:red-team-b-sold) nor a .json/.yaml file.`,
      { scenario: nameOrPath },
    );
  }
  let text: string;
  try {
    text = await readFile(nameOrPath, 'utf8');
  } catch (error) {
    throw new DistillguardError(
      'scenario_not_found',
      `cannot read scenario file ${nameOrPath} (${(error as NodeJS.ErrnoException).code ?? 'error'}); check the path.`,
      { scenario: nameOrPath },
    );
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(nameOrPath) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new DistillguardError(
      'scenario_invalid',
      `${nameOrPath} is not valid ${/\.json$/i.test(nameOrPath) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
      { scenario: nameOrPath },
    );
  }
  return parseScenario(value, nameOrPath);
}
