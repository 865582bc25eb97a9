/**
 * Evaluation: score verdicts against the simulator's ground truth with the metrics a defender
 * cares about, in replay or in a closed loop under enforcement. Definitions: docs/evaluation.md.
 */
export { adjustedRandIndex } from './adjusted-rand-index.js';
export { type ClosedLoopOptions, runClosedLoop } from './closed-loop.js';
export {
  type ClosedLoopDetector,
  type ClosedLoopEvent,
  type ClosedLoopReport,
  type ClosedLoopSimulation,
  driveClosedLoop,
  type EnforcementMode,
  type EnforcementReport,
} from './drive-closed-loop.js';
export { type EvaluateInput, evaluate } from './evaluate.js';
export type {
  CampaignMetrics,
  EvaluationReport,
  FlaggedVerdict,
  GroupMetrics,
  Ratio,
  TargetCheck,
  TargetStatus,
  TimeToDetectMetrics,
} from './evaluation-report.js';
export { formatDuration, formatEvaluation } from './format-evaluation.js';
export { type LoadedTruth, loadTruth, loadVerdicts } from './load-truth.js';
export {
  type ExchangeStamp,
  parseExchangeStamp,
  parseTruthExchange,
  parseTruthRecord,
  parseVerdict,
} from './parse-records.js';
export { TARGET_PROFILES, type TargetProfile, targetProfileName } from './targets.js';
