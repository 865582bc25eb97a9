// Past the ~400-line guide on purpose: `decide` is one ordered rule list (engine rung, sticky
// decisions, persistence to challenge, unverified challenge to suspension, tier and campaign
// buckets) whose order is the policy; split, it would be read out of order.
import type { ExchangeEnforcement } from '../log/exchange.js';
import {
  actionRank,
  type BucketRule,
  type Decision,
  type EnforcementState,
  type LadderAction,
} from './enforcement-state/enforcement-state.js';
import { GatewayError } from './gateway-error.js';
import { type RateLimitSnapshot, retryAfterHeaders } from './rate-limit-headers.js';
import type { RequestAssessment } from './request-scorer.js';

export interface TierLimits {
  requests: BucketRule;
  outputTokens: BucketRule;
}

/** How the ladder maps scores to actions and what each action costs the account. */
export interface LadderPolicy {
  /**
   * Score thresholds. `degrade`, `challenge`, `suspend` apply to accounts the engine calls
   * `attack`; `throttle` applies to any account (a `suspect` verdict is always throttled).
   */
  thresholds: { throttle: number; degrade: number; challenge: number; suspend: number };
  limits: { allow: TierLimits; throttle: TierLimits; degrade: TierLimits };
  /** Shared by every account of a campaign that is throttled or worse. */
  campaignRequests: BucketRule;
  degrade: { maxOutputTokens: number; reasoning: 'withhold' | 'summarise' };
  /** Where a challenged account completes step-up verification. */
  stepUpUrl: string;
  /** Challenged requests (per account, per day) before an account that never verifies is suspended. */
  challengeAttempts: number;
  /**
   * Degraded requests (per day) that an account, or a whole campaign, may send while the engine
   * still calls it an attack before the ladder steps up to challenge.
   */
  escalateAfter: { account: number; campaign: number };
}

export const DEFAULT_LADDER_POLICY: LadderPolicy = {
  thresholds: { throttle: 0.9, degrade: 0, challenge: 0.85, suspend: 0.95 },
  limits: {
    allow: {
      requests: { capacity: 600, refillPerSecond: 10 },
      outputTokens: { capacity: 400_000, refillPerSecond: 5_000 },
    },
    throttle: {
      requests: { capacity: 60, refillPerSecond: 1 },
      outputTokens: { capacity: 50_000, refillPerSecond: 500 },
    },
    degrade: {
      requests: { capacity: 20, refillPerSecond: 0.2 },
      outputTokens: { capacity: 4_000, refillPerSecond: 20 },
    },
  },
  campaignRequests: { capacity: 60, refillPerSecond: 0.5 },
  degrade: { maxOutputTokens: 256, reasoning: 'withhold' },
  stepUpUrl: 'https://example.com/verify',
  challengeAttempts: 3,
  escalateAfter: { account: 30, campaign: 150 },
};

/** What the ladder decided for one request. */
export interface LadderOutcome {
  action: LadderAction;
  campaignId: string | null;
  /** Set when the request is refused (429, 403). */
  refusal: GatewayError | null;
  rateLimits: RateLimitSnapshot;
  /** Output tokens this request may still produce before its stream is cut (null: no cap). */
  outputTokenBudget: number | null;
  /** Cap written into the forwarded request's max tokens (null: unchanged). */
  maxOutputTokens: number | null;
  reasoning: 'pass' | 'withhold' | 'summarise';
  /** Why: the record's `enforcement` extension (action, reason codes, score, who decided). */
  enforcement: ExchangeEnforcement;
}

export interface Ladder {
  /** `exchangeId` names the request in the audit entry of any decision it causes. */
  decide(assessment: RequestAssessment, nowMs: number, exchangeId?: string): Promise<LadderOutcome>;
  /** Charges the output tokens a served request actually produced. */
  chargeOutputTokens(
    outcome: LadderOutcome,
    accountId: string,
    tokens: number,
    nowMs: number,
  ): Promise<void>;
}

/**
 * The engine's rung for one assessment. The engine's verdict carries its calibration (a flag
 * needs linkage or enough evidence), so only an `attack` verdict is degraded or worse, by score;
 * a `suspect` verdict, or any score at the throttle threshold, is throttled.
 */
export function engineAction(assessment: RequestAssessment, policy: LadderPolicy): LadderAction {
  const { score, verdict } = assessment;
  const { thresholds } = policy;
  if (verdict === 'attack') {
    if (score >= thresholds.suspend) return 'suspend';
    if (score >= thresholds.challenge) return 'challenge';
    if (score >= thresholds.degrade) return 'degrade';
    return 'throttle';
  }
  if (verdict === 'suspect' || score >= thresholds.throttle) return 'throttle';
  return 'allow';
}

/** Whether an engine decision for `action` would change `current` (they only escalate). */
const raises = (current: Decision | null, action: LadderAction): boolean =>
  action !== 'allow' &&
  current?.source !== 'manual' &&
  !(current && actionRank(current.action) >= actionRank(action));

const maxAction = (...actions: (LadderAction | undefined)[]): LadderAction => {
  let best: LadderAction = 'allow';
  for (const action of actions) if (action && actionRank(action) > actionRank(best)) best = action;
  return best;
};

/**
 * The graduated ladder: allow → throttle → degrade → challenge → suspend. Engine decisions are
 * sticky and only escalate; they attach to the account and to its campaign, so a fresh account
 * that the engine links to a suspended campaign is suspended on its first request. A manual
 * decision (admin API) pins the action until it is cleared.
 */
export function createLadder({
  state,
  policy = DEFAULT_LADDER_POLICY,
  onDecision,
}: {
  state: EnforcementState;
  policy?: LadderPolicy;
  onDecision?: (subject: { kind: 'account' | 'campaign'; id: string }, decision: Decision) => void;
}): Ladder {
  // Skips a state write per request once membership is known (Redis round trips add up).
  const knownMembership = new Map<string, string>();
  // An account's rate and budget bucket names, built once: a name built per request is a new
  // string to flatten and hash at each lookup (~0.15 µs each, three a request; measured).
  const bucketNames = new Map<string, string[]>();
  const bucketName = (kind: 'requests' | 'tokens', accountId: string, action: LadderAction) => {
    let names = bucketNames.get(accountId);
    if (names === undefined) {
      if (bucketNames.size >= BUCKET_NAMES_KEPT) bucketNames.clear();
      names = [];
      for (const each of ['requests', 'tokens'])
        for (const tier of TIERS) names.push(`${each}:${accountId}:${tier}`);
      bucketNames.set(accountId, names);
    }
    return names[(kind === 'requests' ? 0 : TIERS.length) + tierIndex(action)] as string;
  };

  const escalate = async (
    kind: 'account' | 'campaign',
    id: string,
    current: Decision | null,
    action: LadderAction,
    assessment: RequestAssessment,
    campaignId: string | null,
    nowMs: number,
    exchangeId: string | undefined,
    actor: string,
  ): Promise<Decision | null> => {
    if (!raises(current, action)) return current;
    const decision: Decision = {
      action,
      source: 'engine',
      reason:
        assessment.reasons.map((reason) => reason.code).join(',') ||
        `score ${assessment.score.toFixed(2)}`,
      at: new Date(nowMs).toISOString(),
      campaignId,
    };
    await state.setDecision({ kind, id }, decision);
    // Automatic decisions are audited like manual ones, with what an appeal needs to be answered.
    await state.appendAudit({
      at: decision.at,
      actor,
      subject: { kind, id },
      before: current?.action ?? null,
      after: action,
      note: decision.reason,
      score: assessment.score,
      reasons: assessment.reasons.map((reason) => reason.code),
      ...(exchangeId ? { exchange_id: exchangeId } : {}),
    });
    onDecision?.({ kind, id }, decision);
    return decision;
  };

  return {
    async decide(assessment, nowMs, exchangeId) {
      let decidedBy: ExchangeEnforcement['source'] = 'engine';
      const extraReasons: string[] = [];
      const { accountId } = assessment;
      let campaignId = assessment.campaignId;
      if (campaignId !== null && knownMembership.get(accountId) !== campaignId) {
        await state.setCampaign(accountId, campaignId);
        knownMembership.set(accountId, campaignId);
      } else if (campaignId === null) {
        campaignId = knownMembership.get(accountId) ?? null;
      }
      let [accountDecision, campaignDecision] = await state.getDecisions(accountId, campaignId);
      const fromEngine = engineAction(assessment, policy);
      // Checked here first: most requests change no decision, and skip the awaits.
      if (raises(accountDecision, fromEngine))
        accountDecision = await escalate(
          'account',
          accountId,
          accountDecision,
          fromEngine,
          assessment,
          campaignId,
          nowMs,
          exchangeId,
          'engine',
        );
      if (campaignId !== null && raises(campaignDecision, fromEngine)) {
        campaignDecision = await escalate(
          'campaign',
          campaignId,
          campaignDecision,
          fromEngine,
          assessment,
          campaignId,
          nowMs,
          exchangeId,
          'engine',
        );
      }
      let action: LadderAction =
        accountDecision?.source === 'manual'
          ? accountDecision.action
          : campaignDecision?.source === 'manual'
            ? maxAction(campaignDecision.action, accountDecision?.action)
            : maxAction(fromEngine, accountDecision?.action, campaignDecision?.action);

      if (
        action === 'degrade' &&
        assessment.verdict === 'attack' &&
        accountDecision?.source !== 'manual'
      ) {
        const perDay = (limit: number) => ({ capacity: limit, refillPerSecond: limit / 86_400 });
        const own = await state.consume(
          `degraded:${accountId}`,
          1,
          perDay(policy.escalateAfter.account),
          nowMs,
        );
        const shared =
          campaignId === null
            ? null
            : await state.consume(
                `degraded-campaign:${campaignId}`,
                1,
                perDay(policy.escalateAfter.campaign),
                nowMs,
              );
        if (!own.allowed || (shared && !shared.allowed)) {
          const persistent = {
            ...assessment,
            reasons: [
              ...assessment.reasons,
              { code: 'persistent_attack', detail: 'kept sending attack traffic while degraded' },
            ],
          };
          if (!own.allowed)
            accountDecision = await escalate(
              'account',
              accountId,
              accountDecision,
              'challenge',
              persistent,
              campaignId,
              nowMs,
              exchangeId,
              'ladder:persistence',
            );
          if (
            campaignId !== null &&
            shared &&
            !shared.allowed &&
            campaignDecision?.source !== 'manual'
          ) {
            campaignDecision = await escalate(
              'campaign',
              campaignId,
              campaignDecision,
              'challenge',
              persistent,
              campaignId,
              nowMs,
              exchangeId,
              'ladder:persistence',
            );
          }
          action = 'challenge';
          decidedBy = 'persistence';
          extraReasons.push('persistent_attack');
        }
      }
      if (action === 'challenge' && accountDecision?.source !== 'manual') {
        // An operator that keeps sending instead of verifying is not a customer who lost a step.
        const attempts = await state.consume(
          `challenges:${accountId}`,
          1,
          {
            capacity: policy.challengeAttempts,
            refillPerSecond: policy.challengeAttempts / 86_400,
          },
          nowMs,
        );
        if (!attempts.allowed) {
          const unverified = {
            ...assessment,
            reasons: [
              {
                code: 'challenge_not_completed',
                detail: 'kept sending without completing step-up verification',
              },
            ],
          };
          accountDecision = await escalate(
            'account',
            accountId,
            accountDecision,
            'suspend',
            unverified,
            campaignId,
            nowMs,
            exchangeId,
            'ladder:challenge_not_completed',
          );
          if (campaignId !== null) {
            campaignDecision = await escalate(
              'campaign',
              campaignId,
              campaignDecision,
              'suspend',
              unverified,
              campaignId,
              nowMs,
              exchangeId,
              'ladder:challenge_not_completed',
            );
          }
          action = 'suspend';
          decidedBy = 'persistence';
          extraReasons.push('challenge_not_completed');
        }
      }
      const tier =
        action === 'allow'
          ? policy.limits.allow
          : action === 'throttle'
            ? policy.limits.throttle
            : policy.limits.degrade;
      const requests = await state.consume(
        bucketName('requests', accountId, action),
        1,
        tier.requests,
        nowMs,
      );
      const tokens = await state.consume(
        bucketName('tokens', accountId, action),
        0,
        tier.outputTokens,
        nowMs,
      );
      const rateLimits: RateLimitSnapshot = {
        requests: { rule: tier.requests, outcome: requests },
        tokens: { rule: tier.outputTokens, outcome: tokens },
      };
      if (accountDecision?.source === 'manual' || campaignDecision?.source === 'manual')
        decidedBy = 'manual';
      else if (
        decidedBy === 'engine' &&
        actionRank(action) > actionRank(fromEngine) &&
        [accountDecision, campaignDecision].some(
          (decision) => decision?.source === 'applied' && decision.action === action,
        )
      )
        decidedBy = 'applied';
      const reasons = assessment.reasons.map((reason) => reason.code);
      if (decidedBy === 'manual' || decidedBy === 'applied') reasons.unshift(decidedBy);
      for (const reason of extraReasons) reasons.push(reason);
      const enforcement: ExchangeEnforcement = {
        action,
        reasons,
        score: assessment.score,
        source: decidedBy,
      };
      // Every outcome is one literal of the same shape (a spread of a shared base is a slow
      // copy on each request); refusals are built by a module function, not a closure per call.
      if (action === 'suspend') {
        return refused(
          action,
          campaignId,
          rateLimits,
          enforcement,
          new GatewayError(
            403,
            campaignDecision?.action === 'suspend' && accountDecision?.action !== 'suspend'
              ? 'campaign_suspended'
              : 'account_suspended',
            'This account has been suspended for violating the usage policies. Contact support to appeal.',
          ),
        );
      }
      if (action === 'challenge') {
        return refused(
          action,
          campaignId,
          rateLimits,
          enforcement,
          new GatewayError(
            403,
            'verification_required',
            `Verification required: complete step-up verification at ${policy.stepUpUrl} and retry.`,
            { 'x-distillguard-step-up': policy.stepUpUrl },
          ),
        );
      }
      if (!requests.allowed) {
        return refused(
          action,
          campaignId,
          rateLimits,
          enforcement,
          new GatewayError(
            429,
            'rate_limit_requests',
            'Rate limit reached for requests. Retry after the time in Retry-After.',
            retryAfterHeaders(requests.retryAfterMs),
          ),
        );
      }
      if (tokens.remaining < 1) {
        const wait = Math.ceil((1 - tokens.remaining) / (tier.outputTokens.refillPerSecond / 1000));
        return refused(
          action,
          campaignId,
          rateLimits,
          enforcement,
          new GatewayError(
            429,
            'rate_limit_output_tokens',
            'Rate limit reached for output tokens. Retry after the time in Retry-After.',
            retryAfterHeaders(wait),
          ),
        );
      }
      if (
        campaignId !== null &&
        campaignDecision &&
        actionRank(campaignDecision.action) >= actionRank('throttle')
      ) {
        const shared = await state.consume(
          `campaign-requests:${campaignId}`,
          1,
          policy.campaignRequests,
          nowMs,
        );
        if (!shared.allowed) {
          return refused(
            action,
            campaignId,
            rateLimits,
            enforcement,
            new GatewayError(
              429,
              'rate_limit_campaign',
              'Rate limit reached for requests. Retry after the time in Retry-After.',
              retryAfterHeaders(shared.retryAfterMs),
            ),
          );
        }
      }
      const degraded = action === 'degrade';
      return {
        action,
        campaignId,
        refusal: null,
        rateLimits,
        outputTokenBudget: action === 'allow' ? null : Math.floor(tokens.remaining),
        maxOutputTokens: degraded ? policy.degrade.maxOutputTokens : null,
        reasoning: degraded ? policy.degrade.reasoning : 'pass',
        enforcement,
      };
    },
    // Not an async function: every served answer is charged, and the state's own promise is
    // all the caller needs.
    chargeOutputTokens(outcome, accountId, tokens, nowMs) {
      if (tokens <= 0 || !outcome.rateLimits.tokens) return CHARGED;
      try {
        return state
          .consume(
            bucketName('tokens', accountId, outcome.action),
            tokens,
            outcome.rateLimits.tokens.rule,
            nowMs,
            'debit',
          )
          .then(ignore);
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

const refused = (
  action: LadderAction,
  campaignId: string | null,
  rateLimits: RateLimitSnapshot,
  enforcement: ExchangeEnforcement,
  refusal: GatewayError,
): LadderOutcome => ({
  action,
  campaignId,
  refusal,
  rateLimits,
  outputTokenBudget: null,
  maxOutputTokens: null,
  reasoning: 'pass',
  enforcement,
});
const CHARGED: Promise<void> = Promise.resolve();
const ignore = () => {};
const TIERS = ['allow', 'throttle', 'degrade'] as const;
const tierIndex = (action: LadderAction) =>
  action === 'allow' ? 0 : action === 'throttle' ? 1 : 2;
// Accounts whose bucket names are kept; past it the cache starts over (names are rebuilt).
const BUCKET_NAMES_KEPT = 100_000;
