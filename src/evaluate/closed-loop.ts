import { createDetector, type DetectorOptions } from '../detect/index.js';
import { createSimulation, loadScenario } from '../simulate/index.js';
import {
  type ClosedLoopReport,
  driveClosedLoop,
  type EnforcementMode,
} from './drive-closed-loop.js';
import type { FlaggedVerdict } from './evaluation-report.js';

export interface ClosedLoopOptions {
  /** Built-in scenario name (`quickstart`, `seed-scale`, …) or a scenario file. */
  scenario: string;
  seed?: number;
  /** Multiplies population sizes (e.g. 0.05 for a quick run). */
  scale?: number;
  enforce: EnforcementMode;
  /** Prompt corpora directory; null or absent = the simulator's built-in generator. */
  corpora?: string | null;
  detectorOptions?: DetectorOptions;
  flaggedVerdicts?: readonly FlaggedVerdict[];
  onProgress?: (events: number) => void;
}

/**
 * The closed loop: the simulator's operators send traffic, the detector judges every exchange,
 * a flag suspends the account (the operator sees it and regrows), and the usual metrics are
 * measured under enforcement, plus what enforcement did (`enforcement`).
 *
 * @example
 * const report = await runClosedLoop({ scenario: 'quickstart', seed: 2, enforce: 'suspend' });
 * console.log(formatEvaluation(report), report.enforcement.replacements);
 */
export async function runClosedLoop({
  scenario,
  seed = 1,
  scale = 1,
  enforce,
  corpora,
  detectorOptions = {},
  flaggedVerdicts = ['attack'],
  onProgress,
}: ClosedLoopOptions): Promise<ClosedLoopReport> {
  const loaded = await loadScenario(scenario);
  const simulation = createSimulation(loaded, {
    seed,
    scale,
    ...(corpora === undefined ? {} : { corpora }),
  });
  return driveClosedLoop({
    simulation,
    detector: createDetector(detectorOptions),
    enforce,
    flaggedVerdicts,
    scenario: loaded.name ?? scenario,
    ...(onProgress === undefined ? {} : { onProgress }),
  });
}
