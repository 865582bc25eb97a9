import type { Exchange } from '../log/exchange.js';
import type { Ladder, LadderOutcome, LadderPolicy } from './ladder.js';
import type { RequestScorer } from './request-scorer.js';

/** The request path's decision step: the engine's score through the ladder, failing open. */
export interface DecisionStep {
  decide(exchange: Exchange, time: number): Promise<LadderOutcome>;
  /** Decisions served as `allow` because the engine or the state failed. */
  readonly enforcementErrors: number;
}

/**
 * Scores the exchange and asks the ladder for an action. Fails open: an engine bug or a lost
 * Redis must not take honest customers down, so a failure serves the `allow` tier's limits in
 * full and is reported on stderr at most every 10 s.
 */
export function createDecisionStep({
  ladder,
  scorer,
  policy,
  now,
}: {
  ladder: Ladder;
  scorer: RequestScorer;
  policy: LadderPolicy;
  now: () => number;
}): DecisionStep {
  let enforcementErrors = 0;
  let lastEnforcementReport = Number.NEGATIVE_INFINITY;

  function openOutcome(error: unknown): LadderOutcome {
    enforcementErrors += 1;
    const time = now();
    if (time - lastEnforcementReport > 10_000) {
      lastEnforcementReport = time;
      process.stderr.write(
        `gateway: enforcement unavailable, serving without it: ${String(error)}\n`,
      );
    }
    const { requests, outputTokens } = policy.limits.allow;
    const full = (rule: typeof requests) => ({
      rule,
      outcome: { allowed: true, remaining: rule.capacity, retryAfterMs: 0, resetMs: 0 },
    });
    return {
      action: 'allow',
      campaignId: null,
      refusal: null,
      rateLimits: { requests: full(requests), tokens: full(outputTokens) },
      outputTokenBudget: null,
      maxOutputTokens: null,
      reasoning: 'pass',
    };
  }

  return {
    async decide(exchange, time) {
      try {
        return await ladder.decide(scorer.score(exchange), time);
      } catch (error) {
        return openOutcome(error);
      }
    },
    get enforcementErrors() {
      return enforcementErrors;
    },
  };
}
