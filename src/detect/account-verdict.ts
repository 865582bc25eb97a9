import type { ReasonContext } from './account-reasons.js';
import { accountReasons } from './account-reasons.js';
import { type AccountState, forEachCount } from './account-state.js';
import type { CampaignState } from './campaign-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { Assessment } from './detector-types.js';
import type { Reason } from './verdict.js';

/** An assessment whose reasons are built only when read (the hot path never reads them). */
export class LazyAssessment implements Assessment {
  readonly accountId: string;
  readonly flaggedAt: string | null;
  constructor(
    private readonly state: AccountState,
    readonly score: number,
    readonly verdict: 'attack' | 'suspect' | 'clean',
    readonly campaignId: string | null,
    readonly newlyFlagged: boolean,
    readonly exchangeCampaignId: string | null,
    private readonly context: ReasonContext,
  ) {
    this.accountId = state.id;
    this.flaggedAt = state.flaggedAt;
  }

  get reasons(): Reason[] {
    return accountReasons(this.state, this.context);
  }
}

/** `attack` once flagged; `suspect` for strong individual evidence without linkage; else `clean`. */
export function verdictLabel(
  state: AccountState,
  thresholds: DetectorThresholds,
): 'attack' | 'suspect' | 'clean' {
  if (!Number.isNaN(state.flaggedMs)) return 'attack';
  if (state.score >= thresholds.suspectScore && state.exchanges >= thresholds.suspectMinExchanges)
    return 'suspect';
  return 'clean';
}

/** Campaign ids whose traffic passes through an account that is not itself a campaign member. */
export function resellerCampaigns(
  state: AccountState,
  campaigns: readonly CampaignState[],
  thresholds: DetectorThresholds,
): string[] {
  const result: string[] = [];
  if (state.flaggedBy !== 'reseller') return result;
  forEachCount(state.attributed, (number, exchanges) => {
    if (number === state.campaign) return;
    if (exchanges / state.exchanges < thresholds.resellerMaxShare)
      result.push((campaigns[number] as CampaignState).id);
  });
  return result;
}
