import { createHash } from 'node:crypto';
import { z } from 'zod';
import { INDICATOR_TYPES } from '../../detect/verdict.js';
import type { AccountDecision, CampaignDecision } from '../../fleet/index.js';
import {
  actionRank,
  type Decision,
  type DecisionSubject,
  type EnforcementState,
  LADDER_ACTIONS,
  type LadderAction,
} from '../enforcement-state/enforcement-state.js';

const text = z.string().min(1).max(256);
const action = z.enum(LADDER_ACTIONS as [LadderAction, ...LadderAction[]]);
const indicatorType = z.enum(INDICATOR_TYPES);
const time = z.iso.datetime({ offset: true }).nullable();

/**
 * The body of `POST /admin/decisions/batch` (what `distillguard apply` sends, in chunks): ladder
 * decisions for accounts and campaigns, each already mapped from a verdict to a rung by the
 * caller, with what the gateway needs to recognise a regrown account (the campaign's hashed
 * indicators, its first flag, its members' verdicts and scores).
 */
export const decisionBatchSchema = z
  .object({
    /** Names the batch in the audit trail; defaults to a hash of the decisions. */
    batch_id: z.string().min(1).max(128).optional(),
    actor: text.optional(),
    note: z.string().max(1000).optional(),
    dry_run: z.boolean().optional(),
    accounts: z
      .array(
        z
          .object({
            account_id: text,
            action,
            verdict: z.enum(['attack', 'suspect', 'clean']),
            score: z.number().min(0).max(1),
            campaign_id: text.nullable(),
            first_flagged_at: time,
            reasons: z.array(text).max(64),
          })
          .strict(),
      )
      .max(10_000)
      .default([]),
    campaigns: z
      .array(
        z
          .object({
            campaign_id: text,
            action,
            confidence: z.number().min(0).max(1),
            first_flagged_at: time,
            accounts: z.array(text).max(100_000),
            indicators: z.array(z.object({ type: indicatorType, hash: text }).strict()).max(10_000),
          })
          .strict(),
      )
      .max(1_000)
      .default([]),
  })
  .strict();

export type DecisionBatch = z.infer<typeof decisionBatchSchema>;

/** What happened to one subject: `set` changes it; the others leave it as it was. */
export type BatchOutcome = 'set' | 'unchanged' | 'kept_stricter' | 'manual_kept';

export interface BatchItem {
  subject: DecisionSubject;
  outcome: BatchOutcome;
  before: LadderAction | null;
  after: LadderAction | null;
}

export interface BatchResult {
  batch_id: string;
  dry_run: boolean;
  at: string;
  actor: string;
  /** Subjects whose decision (or campaign membership) this batch changed, or would change. */
  changed: number;
  counts: Record<BatchOutcome, number> & { memberships_set: number; memberships_unchanged: number };
  /** Every subject not left `unchanged`, in input order. */
  items: BatchItem[];
}

/** Where regrown accounts are matched: the gateway's decision view (a `FleetDecisionView`). */
export interface AppliedDecisionSink {
  apply(accounts: readonly AccountDecision[], campaigns: readonly CampaignDecision[]): void;
}

/** The default batch id: the same decisions always get the same id. */
export function decisionBatchId(batch: Pick<DecisionBatch, 'accounts' | 'campaigns'>): string {
  return createHash('sha256')
    .update(JSON.stringify([batch.accounts, batch.campaigns]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Applies a batch of decisions to the enforcement state, idempotently: a subject already at the
 * batch's rung (or stricter) is left as it is, a manual decision is never overridden, and
 * campaign memberships are written only where they differ. Every change is audited with the
 * actor and the batch id. `dry_run` reports the same outcomes and writes nothing.
 *
 * Applied decisions have `source: 'applied'`: a floor the live engine may still escalate (a
 * batch verdict is older evidence), never lowered by a later batch (lowering is a manual act:
 * `DELETE /admin/decisions/...`).
 */
export async function applyDecisionBatch({
  state,
  batch,
  actor,
  at,
  sink,
}: {
  state: EnforcementState;
  batch: DecisionBatch;
  actor: string;
  at: string;
  sink?: AppliedDecisionSink | undefined;
}): Promise<BatchResult> {
  const batchId = batch.batch_id ?? decisionBatchId(batch);
  const dryRun = batch.dry_run === true;
  const counts = {
    set: 0,
    unchanged: 0,
    kept_stricter: 0,
    manual_kept: 0,
    memberships_set: 0,
    memberships_unchanged: 0,
  };
  const items: BatchItem[] = [];

  const decide = async (
    subject: DecisionSubject,
    wanted: LadderAction,
    reason: string,
    campaignId: string | null,
    evidence: { score?: number; reasons?: string[] },
  ): Promise<BatchItem> => {
    const current = await state.getDecision(subject);
    const before = current?.action ?? null;
    let outcome: BatchOutcome;
    if (current?.source === 'manual') outcome = 'manual_kept';
    else if (current && current.action === wanted) outcome = 'unchanged';
    else if (current && actionRank(current.action) > actionRank(wanted)) outcome = 'kept_stricter';
    else outcome = 'set';
    if (outcome === 'set' && !dryRun) {
      const decision: Decision = { action: wanted, source: 'applied', reason, at, campaignId };
      await state.setDecision(subject, decision);
      await state.appendAudit({
        at,
        actor,
        subject,
        before,
        after: wanted,
        note: batch.note ? `${batch.note} (${reason})` : reason,
        batch_id: batchId,
        ...evidence,
      });
    }
    return { subject, outcome, before, after: outcome === 'set' ? wanted : before };
  };

  const record = (item: BatchItem) => {
    counts[item.outcome] += 1;
    if (item.outcome !== 'unchanged') items.push(item);
  };
  for (const account of batch.accounts) {
    const reason = `${account.verdict} (score ${account.score.toFixed(2)}${account.reasons.length ? `: ${account.reasons.join(',')}` : ''}), batch ${batchId}`;
    record(
      await decide(
        { kind: 'account', id: account.account_id },
        account.action,
        reason,
        account.campaign_id,
        { score: account.score, reasons: account.reasons },
      ),
    );
  }
  for (const campaign of batch.campaigns) {
    const reason = `campaign of ${campaign.accounts.length} accounts (confidence ${campaign.confidence.toFixed(2)}), batch ${batchId}`;
    record(
      await decide(
        { kind: 'campaign', id: campaign.campaign_id },
        campaign.action,
        reason,
        campaign.campaign_id,
        {},
      ),
    );
    // Membership is what makes the campaign's decision reach a member the engine has not linked.
    for (const accountId of campaign.accounts) {
      if ((await state.getCampaign(accountId)) === campaign.campaign_id) {
        counts.memberships_unchanged += 1;
        continue;
      }
      counts.memberships_set += 1;
      if (!dryRun) await state.setCampaign(accountId, campaign.campaign_id);
    }
  }
  if (!dryRun && sink) {
    sink.apply(
      batch.accounts
        .filter((account) => account.verdict !== 'clean')
        .map((account) => ({
          account_id: account.account_id,
          verdict: account.verdict,
          score: account.score,
          campaign_id: account.campaign_id,
          first_flagged_at: account.first_flagged_at,
          reasons: account.reasons,
          // Below any sequence the fleet's detector publishes: its live decisions win.
          sequence: 0,
        })),
      batch.campaigns.map((campaign) => ({
        campaign_id: campaign.campaign_id,
        confidence: campaign.confidence,
        first_flagged_at: campaign.first_flagged_at,
        accounts: campaign.accounts,
        indicators: campaign.indicators,
      })),
    );
  }
  return {
    batch_id: batchId,
    dry_run: dryRun,
    at,
    actor,
    changed: counts.set + counts.memberships_set,
    counts,
    items,
  };
}
