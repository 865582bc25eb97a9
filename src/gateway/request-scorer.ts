import type { Reason } from '../detect/verdict.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';

/** What the engine says about the account behind one request. */
export interface RequestAssessment {
  accountId: string;
  /** 0–1. */
  score: number;
  verdict: 'attack' | 'suspect' | 'clean';
  campaignId: string | null;
  reasons: Reason[];
}

/**
 * The port between the gateway and the detection engine, version 1. The default wiring
 * (`createDetectorScorer`) feeds every request, as a log-v1 exchange, to the same engine that
 * `analyze` replays; tests inject a scripted scorer.
 */
export interface RequestScorer {
  readonly version: 1;
  observeAccount(account: AccountRecord): void;
  /** Called once per request, before forwarding (the response is not known yet). */
  score(exchange: Exchange): RequestAssessment;
}

/** A scorer that calls every account clean; used when no engine is configured. */
export function createNullScorer(): RequestScorer {
  return {
    version: 1,
    observeAccount() {},
    score: (exchange) => ({
      accountId: exchange.account_id,
      score: 0,
      verdict: 'clean',
      campaignId: null,
      reasons: [],
    }),
  };
}

/**
 * A scorer that answers from a table keyed by account id, for tests and demos of the ladder.
 *
 * @example
 * const scorer = createScriptedScorer({ acct_bad: { score: 0.99, verdict: 'attack', campaignId: 'c1' } });
 */
export function createScriptedScorer(
  table: Record<string, Partial<Omit<RequestAssessment, 'accountId'>>>,
): RequestScorer & {
  set(accountId: string, entry: Partial<Omit<RequestAssessment, 'accountId'>>): void;
  seen: Exchange[];
} {
  const seen: Exchange[] = [];
  return {
    version: 1,
    seen,
    observeAccount() {},
    set(accountId, entry) {
      table[accountId] = entry;
    },
    score(exchange) {
      seen.push(exchange);
      const entry = table[exchange.account_id] ?? {};
      return {
        accountId: exchange.account_id,
        score: entry.score ?? 0,
        verdict: entry.verdict ?? 'clean',
        campaignId: entry.campaignId ?? null,
        reasons: entry.reasons ?? [],
      };
    },
  };
}
