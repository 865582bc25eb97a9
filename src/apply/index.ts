/**
 * Closing the loop: `analyze`'s verdicts and campaigns pushed to running gateways as ladder
 * decisions (`distillguard apply`), through the admin API's bulk route. See docs/gateway.md,
 * "Applying verdicts in bulk".
 */
export {
  type ApplyVerdictsOptions,
  type ApplyVerdictsReport,
  applyVerdicts,
} from './apply-verdicts.js';
export {
  DEFAULT_VERDICT_MAPPING,
  type DecisionPlan,
  type PlannedBatch,
  planDecisionBatches,
  type VerdictMapping,
} from './plan-decision-batches.js';
export { type GatewayApplyResult, pushDecisionPlan } from './push-decision-batches.js';
