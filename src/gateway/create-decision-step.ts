import type { Exchange } from '../log/exchange.js';
import {
  actionRank,
  type EnforcementState,
  type LadderAction,
} from './enforcement-state/enforcement-state.js';
import { GatewayError } from './gateway-error.js';
import type { Ladder, LadderOutcome, LadderPolicy } from './ladder.js';
import type { RequestAssessment, RequestScorer } from './request-scorer.js';

/**
 * What the gateway does when the engine or the enforcement state fails (Redis away or stalled).
 * `mode: open` serves at the allow rung (an outage of the defence never becomes an outage of the
 * API); `closed` refuses with 503 `enforcement_unavailable` (nothing is served unchecked).
 * `keepFromCache`: rungs that a decision this replica last read still applies while the state
 * is away, whatever the mode, so a suspended account stays refused.
 */
export interface StateErrorPolicy {
  mode: 'open' | 'closed';
  keepFromCache: LadderAction[];
}

export const DEFAULT_STATE_ERROR_POLICY: StateErrorPolicy = {
  mode: 'open',
  keepFromCache: ['suspend', 'challenge'],
};

/** The request path's decision step: the engine's score through the ladder, failing as configured. */
export interface DecisionStep {
  /**
   * `assess` replaces the scorer for this decision (a batch scores each of its lines and
   * decides once, on the worst); a failure inside it takes the `onStateError` path.
   */
  decide(
    exchange: Exchange,
    time: number,
    assess?: (exchange: Exchange) => RequestAssessment,
  ): Promise<LadderOutcome>;
  /** Decisions made without the ladder because the engine or the state failed. */
  readonly enforcementErrors: number;
}

/**
 * Scores the exchange and asks the ladder for an action. On failure it applies `onStateError`
 * and reports through `warn` (default: stderr) at most every 10 s.
 */
export function createDecisionStep({
  ladder,
  scorer,
  policy,
  now,
  state,
  onStateError = DEFAULT_STATE_ERROR_POLICY,
  warn = (message: string) => process.stderr.write(`${message}\n`),
}: {
  ladder: Ladder;
  scorer: RequestScorer;
  policy: LadderPolicy;
  now: () => number;
  state?: EnforcementState;
  onStateError?: StateErrorPolicy;
  /** Where the failure report goes (the gateway's logger when it has one). */
  warn?: (message: string) => void;
}): DecisionStep {
  let enforcementErrors = 0;
  let lastEnforcementReport = Number.NEGATIVE_INFINITY;

  function fallbackOutcome(
    error: unknown,
    exchange: Exchange,
    campaignId: string | null,
  ): LadderOutcome {
    enforcementErrors += 1;
    const time = now();
    if (time - lastEnforcementReport > 10_000) {
      lastEnforcementReport = time;
      warn(
        `gateway: enforcement unavailable (on_state_error: ${onStateError.mode}): ${String(error)}`,
      );
    }
    const { requests, outputTokens } = policy.limits.allow;
    const full = (rule: typeof requests) => ({
      rule,
      outcome: { allowed: true, remaining: rule.capacity, retryAfterMs: 0, resetMs: 0 },
    });
    const base = {
      campaignId,
      rateLimits: { requests: full(requests), tokens: full(outputTokens) },
      outputTokenBudget: null,
      maxOutputTokens: null,
      reasoning: 'pass' as const,
    };
    const cached = state?.cachedDecisions?.(exchange.account_id, campaignId) ?? [null, null];
    let kept: LadderAction | null = null;
    for (const decision of cached)
      if (
        decision &&
        onStateError.keepFromCache.includes(decision.action) &&
        (kept === null || actionRank(decision.action) > actionRank(kept))
      )
        kept = decision.action;
    if (kept === 'suspend' || kept === 'challenge') {
      const refusal =
        kept === 'suspend'
          ? new GatewayError(
              403,
              cached[0]?.action === 'suspend' ? 'account_suspended' : 'campaign_suspended',
              'This account has been suspended for violating the usage policies. Contact support to appeal.',
            )
          : new GatewayError(
              403,
              'verification_required',
              `Verification required: complete step-up verification at ${policy.stepUpUrl} and retry.`,
              { 'x-distillguard-step-up': policy.stepUpUrl },
            );
      return {
        ...base,
        action: kept,
        refusal,
        enforcement: {
          action: kept,
          reasons: ['state_unavailable', 'cached_decision'],
          source: 'fail_open',
        },
      };
    }
    if (onStateError.mode === 'closed') {
      return {
        ...base,
        action: 'allow',
        refusal: new GatewayError(
          503,
          'enforcement_unavailable',
          'The service is temporarily unable to check this request. Retry after the time in Retry-After.',
          { 'retry-after': '1' },
        ),
        enforcement: { action: 'none', reasons: ['state_unavailable'], source: 'fail_open' },
      };
    }
    return {
      ...base,
      action: 'allow',
      refusal: null,
      enforcement: { action: 'allow', reasons: ['state_unavailable'], source: 'fail_open' },
    };
  }

  return {
    async decide(exchange, time, assess) {
      let campaignId: string | null = null;
      try {
        const assessment = assess ? assess(exchange) : scorer.score(exchange);
        campaignId = assessment.campaignId;
        return await ladder.decide(assessment, time, exchange.id);
      } catch (error) {
        return fallbackOutcome(error, exchange, campaignId);
      }
    },
    get enforcementErrors() {
      return enforcementErrors;
    },
  };
}
