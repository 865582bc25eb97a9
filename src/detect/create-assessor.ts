import type { ReasonContext } from './account-reasons.js';
import type { AccountState } from './account-state.js';
import { LazyAssessment, resellerCampaigns, verdictLabel } from './account-verdict.js';
import type { ActivityTracker } from './activity-tracker.js';
import { buildCampaign } from './build-campaign.js';
import type { AccountMembership } from './create-account-membership.js';
import type { CampaignOwnership } from './create-campaign-ownership.js';
import type { CampaignRegistry } from './create-campaign-registry.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { Assessment } from './detector-types.js';
import type { LinkageIndex } from './linkage-index.js';
import type { ModelFinding } from './model/index.js';
import { operatorCampaigns } from './operator-campaigns.js';
import type { PopulationTracker } from './population/index.js';
import type { Campaign, Verdict } from './verdict.js';

/** The engine's judgements, read from its state: per exchange, per account, and the outputs. */
export interface Assessor {
  /** `exchangeCampaign`: the campaign this exchange is attributed to, or -1. */
  assess(state: AccountState, newlyFlagged: boolean, exchangeCampaign: number): Assessment;
  /** One verdict per account seen. */
  verdicts(): Verdict[];
  /** The campaigns with members. */
  campaigns(): Campaign[];
}

export interface AssessorOptions {
  thresholds: DetectorThresholds;
  index: LinkageIndex;
  activity: ActivityTracker;
  membership: AccountMembership;
  registry: CampaignRegistry;
  ownership: CampaignOwnership;
  /** Population findings (issue 15), rendered as reasons. */
  population: PopulationTracker;
  /** The fitted model's findings (reason `model_score`), when the model runs. */
  model?: ReadonlyMap<number, ModelFinding>;
  /** The operator campaign an account is labelled with (`createOperatorLabels`); default: its campaign's id. */
  labelOf?: (state: AccountState) => string | null;
}

/**
 * Creates the assessor. A flagged account scores at least its campaign's mean score; reasons
 * are built only when read (the hot path never reads them).
 *
 * @example
 * const assessor = createAssessor({ thresholds, index, activity, membership, registry, ownership });
 * const verdicts = assessor.verdicts();
 */
export function createAssessor({
  thresholds,
  index,
  activity,
  membership,
  registry,
  ownership,
  population,
  model,
  labelOf = (state) => registry.campaigns[state.campaign]?.id ?? null,
}: AssessorOptions): Assessor {
  const { accounts } = membership;
  const { campaigns } = registry;
  const reasonContext: ReasonContext = {
    index,
    population, // population (issue 15)
    ...(model ? { model } : {}),
    activity,
    campaigns,
    get ownerCampaign() {
      return ownership.owners;
    },
    thresholds,
  };

  const assess = (
    state: AccountState,
    newlyFlagged: boolean,
    exchangeCampaign: number,
  ): Assessment => {
    const campaign = campaigns[state.campaign];
    const score = Number.isNaN(state.flaggedMs)
      ? state.score
      : Math.max(state.score, campaign?.meanScore ?? 0.9);
    return new LazyAssessment(
      state,
      score,
      verdictLabel(state, thresholds),
      labelOf(state),
      newlyFlagged,
      campaigns[exchangeCampaign]?.id ?? null,
      reasonContext,
    );
  };

  return {
    assess,
    verdicts() {
      return accounts.map((state) => {
        const assessment = assess(state, false, -1);
        const verdict: Verdict = {
          account_id: state.id,
          verdict: assessment.verdict,
          score: round(assessment.score),
          first_flagged_at: assessment.flaggedAt,
          campaign_id: assessment.campaignId,
          reasons: assessment.verdict === 'clean' ? [] : assessment.reasons,
        };
        const resold = resellerCampaigns(state, campaigns, thresholds);
        if (resold.length > 0) verdict.reseller_of = resold;
        return verdict;
      });
    },
    campaigns() {
      return operatorCampaigns(campaigns, accounts, labelOf).map((campaign) =>
        buildCampaign(campaign, {
          accounts,
          campaigns,
          index,
          ownerCampaign: ownership.owners,
          thresholds,
        }),
      );
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
