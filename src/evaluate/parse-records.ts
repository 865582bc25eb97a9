import type { Reason, Verdict } from '../detect/verdict.js';
import type { Exchange, TruthExchange, TruthRecord } from '../log/exchange.js';
import type { Result } from '../shared/distillguard-error.js';
import { isRecord } from '../shared/is-record.js';

/** The three fields of an exchange the evaluation reads. */
export type ExchangeStamp = Pick<Exchange, 'id' | 'ts' | 'account_id'>;

const TRUTH_LABELS = new Set(['attack', 'legit', 'mixed']);
const VERDICT_LABELS = new Set(['attack', 'suspect', 'clean']);

function nullableString(value: unknown): value is string | null | undefined {
  return value === undefined || value === null || typeof value === 'string';
}

/** Validates one line of `truth.jsonl`. */
export function parseTruthRecord(value: unknown): Result<TruthRecord, string> {
  if (!isRecord(value)) return failure('expected a JSON object');
  const { account_id, label, campaign_id, operator, persona, group } = value;
  if (typeof account_id !== 'string' || account_id === '') {
    return failure('account_id must be a non-empty string');
  }
  if (typeof label !== 'string' || !TRUTH_LABELS.has(label)) {
    return failure('label must be one of attack, legit, mixed');
  }
  if (!nullableString(campaign_id)) return failure('campaign_id must be a string or null');
  if (!nullableString(operator)) return failure('operator must be a string or null');
  if (!nullableString(group)) return failure('group must be a string or null');
  const record: TruthRecord = {
    account_id,
    label: label as TruthRecord['label'],
    campaign_id: campaign_id ?? null,
    operator: operator ?? null,
    group: group ?? null,
  };
  if (typeof persona === 'string') record.persona = persona;
  return { success: true, value: record };
}

/** Validates one line of `truth-exchanges.jsonl`. */
export function parseTruthExchange(value: unknown): Result<TruthExchange, string> {
  if (!isRecord(value)) return failure('expected a JSON object');
  const { id, campaign_id } = value;
  if (typeof id !== 'string' || id === '') return failure('id must be a non-empty string');
  if (typeof campaign_id !== 'string') return failure('campaign_id must be a string');
  return { success: true, value: { id, campaign_id } };
}

/** Validates one line of `verdicts.jsonl` (contract: docs/verdicts.md). */
export function parseVerdict(value: unknown): Result<Verdict, string> {
  if (!isRecord(value)) return failure('expected a JSON object');
  const { account_id, verdict, score, first_flagged_at, campaign_id, reasons, reseller_of } = value;
  if (typeof account_id !== 'string' || account_id === '') {
    return failure('account_id must be a non-empty string');
  }
  if (typeof verdict !== 'string' || !VERDICT_LABELS.has(verdict)) {
    return failure('verdict must be one of attack, suspect, clean');
  }
  if (typeof score !== 'number' || !Number.isFinite(score))
    return failure('score must be a number');
  if (!nullableString(first_flagged_at)) {
    return failure('first_flagged_at must be an RFC 3339 string or null');
  }
  if (typeof first_flagged_at === 'string' && Number.isNaN(Date.parse(first_flagged_at))) {
    return failure(`first_flagged_at is not a time: ${JSON.stringify(first_flagged_at)}`);
  }
  if (!nullableString(campaign_id)) return failure('campaign_id must be a string or null');
  const parsedReasons: Reason[] = [];
  if (reasons !== undefined) {
    if (!Array.isArray(reasons)) return failure('reasons must be an array');
    for (const reason of reasons) {
      if (!isRecord(reason) || typeof reason.code !== 'string') {
        return failure('each reason must be an object with a string code');
      }
      const parsed: Reason = {
        code: reason.code,
        detail: typeof reason.detail === 'string' ? reason.detail : '',
      };
      if (isRecord(reason.evidence)) parsed.evidence = reason.evidence;
      parsedReasons.push(parsed);
    }
  }
  const parsed: Verdict = {
    account_id,
    verdict: verdict as Verdict['verdict'],
    score,
    first_flagged_at: first_flagged_at ?? null,
    campaign_id: campaign_id ?? null,
    reasons: parsedReasons,
  };
  if (Array.isArray(reseller_of) && reseller_of.every((item) => typeof item === 'string')) {
    parsed.reseller_of = reseller_of;
  }
  return { success: true, value: parsed };
}

/** Reads only what leakage and time to detect need from an exchange line (cheaper than a full parse). */
export function parseExchangeStamp(value: unknown): Result<ExchangeStamp, string> {
  if (!isRecord(value)) return failure('expected a JSON object');
  const { id, ts, account_id } = value;
  if (typeof id !== 'string') return failure('id must be a string');
  if (typeof ts !== 'string' || Number.isNaN(Date.parse(ts))) return failure('ts must be RFC 3339');
  if (typeof account_id !== 'string') return failure('account_id must be a string');
  return { success: true, value: { id, ts, account_id } };
}

function failure(error: string): { success: false; error: string } {
  return { success: false, error };
}
