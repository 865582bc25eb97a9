// Enforcement state: the ladder's memory (token buckets, decisions, audit) behind one interface,
// in process or in Redis; both pass the conformance suite in `enforcement-state.case.ts`.
export {
  type AuditEntry,
  actionRank,
  type BucketOutcome,
  type BucketRule,
  type Decision,
  type DecisionSubject,
  type EnforcementState,
  LADDER_ACTIONS,
  type LadderAction,
} from './enforcement-state.js';
export { createInMemoryEnforcementState } from './in-memory-enforcement-state.js';
export {
  createRedisEnforcementState,
  type RedisEnforcementStateOptions,
} from './redis-enforcement-state.js';
