import type { Verdict } from '../detect/verdict.js';
import type { TruthExchange, TruthRecord } from '../log/exchange.js';
import { createAttackExchangeTally } from './attack-exchange-tally.js';
import { buildEvaluation, flagTimes } from './build-evaluation.js';
import type { EvaluationReport, FlaggedVerdict } from './evaluation-report.js';
import type { ExchangeStamp } from './parse-records.js';
import { targetProfileName } from './targets.js';
import { attackCampaignOf, indexTruth } from './truth-index.js';

export interface EvaluateInput {
  truth: Iterable<TruthRecord>;
  truthExchanges: Iterable<TruthExchange>;
  verdicts: Iterable<Verdict>;
  /** The exchange log, for leakage and time to detect; absent → those metrics are null. */
  exchanges?: AsyncIterable<ExchangeStamp> | Iterable<ExchangeStamp> | null;
  /** Which verdicts count as a flag; default `['attack']`. */
  flaggedVerdicts?: readonly FlaggedVerdict[];
  /** Scenario whose targets to check (`seed-scale`, `low-and-slow`, `adaptive`); default `seed-scale`. */
  scenario?: string;
  /** Called every 65,536 exchanges with the count so far. */
  onProgress?: (exchanges: number) => void;
}

/**
 * Scores verdicts against the simulator's ground truth: recall, precision, false positives per
 * hard-negative group, exchange leakage, time to detect, campaign ARI, and the targets.
 * Streams the exchange log once; memory grows with accounts, not exchanges.
 *
 * @example
 * const { truth, truthExchanges, exchangesPath } = await loadTruth('runs/quickstart');
 * const report = await evaluate({
 *   truth, truthExchanges, verdicts: await loadVerdicts('out/verdicts.jsonl'),
 *   exchanges: exchangesPath ? readExchanges([exchangesPath]) : null,
 * });
 * console.log(formatEvaluation(report));
 */
export async function evaluate(input: EvaluateInput): Promise<EvaluationReport> {
  const flaggedVerdicts = input.flaggedVerdicts ?? ['attack'];
  const verdicts = [...input.verdicts];
  const index = indexTruth(input.truth, input.truthExchanges);
  const flags = flagTimes(verdicts, flaggedVerdicts);
  const targetProfile = targetProfileName(input.scenario);
  if (input.exchanges === undefined || input.exchanges === null) {
    return buildEvaluation({
      index,
      verdicts,
      flaggedVerdicts,
      tally: null,
      exchanges: null,
      activeAccounts: null,
      targetProfile,
    });
  }
  const tally = createAttackExchangeTally();
  let total = 0;
  let unknownAccount = 0;
  const activeAccounts = new Set<string>();
  for await (const exchange of input.exchanges) {
    total++;
    if ((total & 0xffff) === 0) input.onProgress?.(total);
    if (!index.byAccount.has(exchange.account_id)) {
      unknownAccount++;
      continue;
    }
    activeAccounts.add(exchange.account_id);
    const campaignId = attackCampaignOf(index, exchange.id, exchange.account_id);
    if (campaignId === null) continue;
    const time = Date.parse(exchange.ts);
    const flaggedAt = flags.get(exchange.account_id) ?? Number.POSITIVE_INFINITY;
    tally.add(exchange.account_id, campaignId, time, time < flaggedAt);
  }
  input.onProgress?.(total);
  return buildEvaluation({
    index,
    verdicts,
    flaggedVerdicts,
    tally,
    exchanges: { total, unknownAccount },
    activeAccounts,
    targetProfile,
  });
}
