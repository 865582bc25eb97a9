import { createHash } from 'node:crypto';
import type { Campaign, Verdict } from '../detect/index.js';
import { createIndicatorHasher, hashIndicators } from '../fleet/indicator-hash.js';
import type { DecisionBatch } from '../gateway/control-plane/apply-decision-batch.js';
import type { LadderAction } from '../gateway/enforcement-state/enforcement-state.js';
import { DistillguardError } from '../shared/distillguard-error.js';

/**
 * Which ladder rung each verdict label gets (docs/gateway.md, "Applying verdicts in bulk").
 * `null` applies nothing for that label.
 */
export interface VerdictMapping {
  /** An `attack` account: flagged by the engine's calibrated rules. */
  attack: LadderAction | null;
  /** A `suspect` account: its own score passed the suspect threshold, unlinked: never a flag. */
  suspect: LadderAction | null;
  /** A campaign: attached to its id, so a member or a regrown account inherits it. */
  campaign: LadderAction | null;
}

/** Suspend what the engine flags, throttle what it only suspects. */
export const DEFAULT_VERDICT_MAPPING: VerdictMapping = {
  attack: 'suspend',
  suspect: 'throttle',
  campaign: 'suspend',
};

/** A request body of `POST /admin/decisions/batch`, without who sends it and how. */
export type PlannedBatch = Pick<DecisionBatch, 'accounts' | 'campaigns'>;

export interface DecisionPlan {
  /** The same files and options always give the same id: the audit trail names it. */
  batchId: string;
  batches: PlannedBatch[];
  accounts: { attack: number; suspect: number; skipped: number };
  campaigns: number;
}

/**
 * Turns `analyze`'s verdicts and campaigns into admin-API batches: each account's verdict label
 * mapped to a rung, each campaign's rung with its members and its indicators hashed the way the
 * gateway's decision view hashes a request's values (so no address or card fingerprint travels
 * in clear). Campaign ids get `campaignPrefix`, so they never collide with the ids the gateway's
 * own engine gives its live campaigns (`campaign-0001` in both).
 */
export function planDecisionBatches({
  verdicts,
  campaigns,
  mapping = DEFAULT_VERDICT_MAPPING,
  campaignPrefix = 'applied:',
  indicatorKey,
  accountsPerBatch = 2_000,
  membersPerBatch = 20_000,
}: {
  verdicts: readonly Verdict[];
  campaigns: readonly Campaign[];
  mapping?: VerdictMapping;
  campaignPrefix?: string;
  indicatorKey?: string;
  accountsPerBatch?: number;
  membersPerBatch?: number;
}): DecisionPlan {
  const known = new Set(campaigns.map((campaign) => campaign.campaign_id));
  const stray = verdicts.find((verdict) => verdict.campaign_id && !known.has(verdict.campaign_id));
  if (stray)
    throw new DistillguardError(
      'apply_files_mismatch',
      `account ${stray.account_id} names campaign ${stray.campaign_id}, which campaigns.json does not list: pass the verdicts.jsonl and campaigns.json of the same analyze run.`,
    );
  const prefixed = (id: string | null) => (id === null ? null : `${campaignPrefix}${id}`);
  const accounts: PlannedBatch['accounts'] = [];
  const counts = { attack: 0, suspect: 0, skipped: 0 };
  for (const verdict of verdicts) {
    const action = verdict.verdict === 'clean' ? null : mapping[verdict.verdict];
    if (action === null || action === 'allow') {
      counts.skipped += 1;
      continue;
    }
    counts[verdict.verdict as 'attack' | 'suspect'] += 1;
    accounts.push({
      account_id: verdict.account_id,
      action,
      verdict: verdict.verdict,
      score: verdict.score,
      campaign_id: prefixed(verdict.campaign_id),
      first_flagged_at: verdict.first_flagged_at,
      reasons: verdict.reasons.map((reason) => reason.code).slice(0, 64),
    });
  }
  const hash = createIndicatorHasher(indicatorKey);
  const planned: PlannedBatch['campaigns'] =
    mapping.campaign === null || mapping.campaign === 'allow'
      ? []
      : campaigns.map((campaign) => ({
          campaign_id: prefixed(campaign.campaign_id) as string,
          action: mapping.campaign as LadderAction,
          confidence: campaign.confidence,
          first_flagged_at: campaign.first_flagged_at,
          // Resellers carry customers' traffic too: they keep their own verdict, not membership.
          accounts: campaign.accounts,
          indicators: hashIndicators(campaign.indicators, hash),
        }));

  const batches: PlannedBatch[] = [];
  for (let start = 0; start < accounts.length; start += accountsPerBatch)
    batches.push({ accounts: accounts.slice(start, start + accountsPerBatch), campaigns: [] });
  let members = Number.POSITIVE_INFINITY;
  for (const campaign of planned) {
    if (members + campaign.accounts.length > membersPerBatch) {
      batches.push({ accounts: [], campaigns: [] });
      members = 0;
    }
    batches.at(-1)?.campaigns.push(campaign);
    members += campaign.accounts.length;
  }
  const batchId = createHash('sha256').update(JSON.stringify(batches)).digest('hex').slice(0, 16);
  return { batchId, batches, accounts: counts, campaigns: planned.length };
}
