/** The ladder's rungs, from least to most severe. */
export type LadderAction = 'allow' | 'throttle' | 'degrade' | 'challenge' | 'suspend';

export const LADDER_ACTIONS: readonly LadderAction[] = [
  'allow',
  'throttle',
  'degrade',
  'challenge',
  'suspend',
];

/** Severity rank of an action (allow = 0 … suspend = 4). */
export function actionRank(action: LadderAction): number {
  return LADDER_ACTIONS.indexOf(action);
}

/** Whose decision it is: one account, or every account of a campaign. */
export type DecisionSubject = { kind: 'account' | 'campaign'; id: string };

/** A decision attached to an account or a campaign. */
export interface Decision {
  action: LadderAction;
  /**
   * `engine` decisions only ever escalate; a `manual` one pins the action until cleared; an
   * `applied` one (a batch `analyze` verdict pushed by `distillguard apply`) is a floor the live
   * engine may escalate but never lowers.
   */
  source: 'engine' | 'manual' | 'applied';
  reason: string;
  /** RFC 3339. */
  at: string;
  campaignId: string | null;
}

/** One entry of the audit trail of decision changes. */
export interface AuditEntry {
  at: string;
  actor: string;
  subject: DecisionSubject;
  before: LadderAction | null;
  after: LadderAction | null;
  note: string;
  /** Automatic decisions: the engine's score and reason codes when the decision was made. */
  score?: number;
  reasons?: string[];
  /** The exchange (request) that caused an automatic decision. */
  exchange_id?: string;
  /** Decisions applied in bulk (`POST /admin/decisions/batch`): the batch they came in. */
  batch_id?: string;
}

/** A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`. */
export interface BucketRule {
  capacity: number;
  refillPerSecond: number;
}

export interface BucketOutcome {
  allowed: boolean;
  /** Tokens left after this call (may be negative after a debit). */
  remaining: number;
  /** Milliseconds until `cost` tokens are available again (0 when allowed). */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

/**
 * Enforcement state, version 1: rate-limit counters, decisions, campaign membership and the audit
 * trail. In-process by default; Redis when several gateway replicas share it. Every
 * implementation passes the one conformance suite (`enforcement-state.case.ts`).
 */
export interface EnforcementState {
  readonly version: 1;
  /**
   * Takes `cost` tokens from bucket `key` at `nowMs`. `strict` refuses (and takes nothing) when
   * fewer are left; `debit` always takes them (post-hoc charging of output tokens).
   */
  consume(
    key: string,
    cost: number,
    rule: BucketRule,
    nowMs: number,
    mode?: 'strict' | 'debit',
  ): Promise<BucketOutcome>;
  getDecision(subject: DecisionSubject): Promise<Decision | null>;
  /** Decisions of an account and of its campaign in one round trip (the hot path). */
  getDecisions(
    accountId: string,
    campaignId: string | null,
  ): Promise<[Decision | null, Decision | null]>;
  setDecision(subject: DecisionSubject, decision: Decision | null): Promise<void>;
  setCampaign(accountId: string, campaignId: string): Promise<void>;
  getCampaign(accountId: string): Promise<string | null>;
  campaignMembers(campaignId: string): Promise<string[]>;
  listCampaigns(): Promise<string[]>;
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(limit: number): Promise<AuditEntry[]>;
  /**
   * Optional (stores that can become unreachable): the decisions of an account and of its
   * campaign as last read or written by this replica, without a round trip; what the gateway
   * applies while the store is away (`on_state_error.keep_from_cache`).
   */
  cachedDecisions?(
    accountId: string,
    campaignId: string | null,
  ): [Decision | null, Decision | null];
  /** Optional: whether the store answers now, for `/readyz`. */
  health?(): DependencyHealth;
  close(): Promise<void>;
}

/** One dependency's state as `/readyz` reports it. */
export interface DependencyHealth {
  ok: boolean;
  /** The last error, when not ok. */
  error?: string;
}

/** Pure token-bucket arithmetic, shared by the in-process store (and mirrored in Redis Lua). */
export function refillBucket(
  bucket: { tokens: number; updatedMs: number },
  rule: BucketRule,
  nowMs: number,
): number {
  const elapsed = Math.max(0, nowMs - bucket.updatedMs) / 1000;
  return Math.min(rule.capacity, bucket.tokens + elapsed * rule.refillPerSecond);
}

export function bucketOutcome(
  tokens: number,
  cost: number,
  rule: BucketRule,
  allowed: boolean,
): BucketOutcome {
  const remaining = allowed ? tokens - cost : tokens;
  const perMs = rule.refillPerSecond / 1000;
  const missing = allowed ? 0 : cost - tokens;
  return {
    allowed,
    remaining,
    retryAfterMs: perMs > 0 ? Math.ceil(missing / perMs) : Number.POSITIVE_INFINITY,
    resetMs: perMs > 0 ? Math.ceil(Math.max(0, rule.capacity - remaining) / perMs) : 0,
  };
}
