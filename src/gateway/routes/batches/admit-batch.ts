import type { Exchange } from '../../../log/exchange.js';
import type { DecisionStep } from '../../create-decision-step.js';
import type { ExchangeTracker, TrackedExchange } from '../../create-exchange-tracker.js';
import { actionRank } from '../../enforcement-state/enforcement-state.js';
import { GatewayError } from '../../gateway-error.js';
import type { GatewayContext, GatewayRequest } from '../../gateway-types.js';
import { engineAction, type LadderOutcome, type LadderPolicy } from '../../ladder.js';
import type { RequestAssessment, RequestScorer } from '../../request-scorer.js';
import type { BatchLine } from './batch-lines.js';

/** The submitting account, as authentication found it. */
export interface BatchSubmitter {
  accountId: string;
  keyId: string;
  orgId?: string | undefined;
  /** Headers every upstream call for this caller carries (identity, pass-through credentials). */
  upstreamHeaders?: Record<string, string>;
}

/** A batch that passed the ladder (or the refusal to send), with its lines' open records. */
export interface BatchAdmission {
  outcome: LadderOutcome;
  /** Set when the batch must not reach the upstream. */
  refusal: GatewayError | null;
  /** Ends every line's record with the batch's status (and the upstream's batch id). */
  finish(status: number, reason: string, batchId?: string): void;
  /** The first line's exchange id, which names the submission in `x-request-id`. */
  requestId: string;
}

/**
 * Scores every line of a batch as an exchange of the submitting account, in order, then asks the
 * ladder once with the worst line's assessment. A batch is bulk by nature and its answers are
 * produced later, out of reach of the degrade step's cap and watermark, so only an account the
 * ladder allows may submit one: throttle and degrade refuse it with 403 `batch_not_permitted`,
 * challenge and suspend with their own refusals, a spent request bucket with 429. A refused
 * batch is refused whole: no line reaches the upstream, and every line is recorded with the
 * refusal's status, so the evidence is kept.
 */
export async function admitBatch({
  request,
  context,
  lines,
  submitter,
  tracker,
  decision,
  scorer,
  policy,
}: {
  request: GatewayRequest;
  context: GatewayContext;
  lines: readonly BatchLine[];
  submitter: BatchSubmitter;
  tracker: ExchangeTracker;
  decision: DecisionStep;
  scorer: RequestScorer;
  policy: LadderPolicy;
}): Promise<BatchAdmission> {
  const tracked: TrackedExchange[] = lines.map((line, index) => {
    const entry = tracker.begin(request, context, line.endpoint);
    const { exchange } = entry;
    exchange.account_id = submitter.accountId;
    exchange.api_key_id = submitter.keyId;
    if (submitter.orgId) exchange.org_id = submitter.orgId;
    if (typeof line.body.model === 'string') exchange.model = line.body.model;
    exchange.request = line.body;
    if (line.operation) exchange.operation = line.operation;
    exchange.batch = { custom_id: line.customId, line: index + 1 };
    entry.noteBody(JSON.stringify(line.body));
    return entry;
  });
  const first = tracked[0] as TrackedExchange;
  const last = tracked.at(-1) as TrackedExchange;
  const assessWorst = (): RequestAssessment => {
    let worst: RequestAssessment | null = null;
    for (const { exchange } of tracked) {
      const assessment = scorer.score(exchange);
      if (worst === null || isWorse(assessment, worst, policy)) worst = assessment;
    }
    return worst as RequestAssessment;
  };
  const outcome = await decision.decide(last.exchange, first.started, assessWorst);
  const refusal =
    outcome.refusal ??
    (outcome.action === 'allow'
      ? null
      : new GatewayError(
          403,
          'batch_not_permitted',
          'Batches are not available to this account while its requests are limited; send them to the interactive API.',
        ));
  const enforcement = refusal
    ? { ...outcome.enforcement, reasons: [...outcome.enforcement.reasons, refusal.code] }
    : outcome.enforcement;
  for (const entry of tracked) {
    entry.action = outcome.action;
    entry.exchange.enforcement = enforcement;
  }
  return {
    outcome,
    refusal,
    requestId: first.exchange.id,
    finish(status, reason, batchId) {
      for (const entry of tracked) {
        const exchange: Exchange = entry.exchange;
        if (batchId && exchange.batch) exchange.batch = { id: batchId, ...exchange.batch };
        entry.finish(status, null, reason);
      }
    },
  };
}

function isWorse(a: RequestAssessment, b: RequestAssessment, policy: LadderPolicy): boolean {
  const rankA = actionRank(engineAction(a, policy));
  const rankB = actionRank(engineAction(b, policy));
  return rankA > rankB || (rankA === rankB && a.score > b.score);
}
