import type { AcceptedCommunity } from './accept-community.js';
import type { AccountState, FlagSource } from './account-state.js';
import { type CampaignState, createCampaignState } from './campaign-state.js';
import type { AccountMembership } from './create-account-membership.js';
import { refill, type StatefulPart } from './part-state.js';

/** The campaigns found so far, and the one act that places an account: flagging it. */
export interface CampaignRegistry extends StatefulPart {
  /** By internal number; a campaign is never removed (an emptied one is not exported). */
  readonly campaigns: readonly CampaignState[];
  /** The catch-all campaign of evasive lone accounts, or -1 before the first. */
  readonly evasionNumber: number;
  /** A new campaign described by `community`; returns its number. */
  create(community: AcceptedCommunity, tickMs: number): number;
  /** Re-describes campaign `number` from its community at this clustering. */
  describe(number: number, community: AcceptedCommunity): void;
  /** The catch-all campaign's number, created on first use. */
  evasionCampaign(state: AccountState, timeMs: number): number;
  /**
   * Flags the account (first time only: time and source) and, `campaign` ≥ 0, moves it into that
   * campaign with its history so far.
   */
  flag(state: AccountState, timeMs: number, by: FlagSource, campaign: number): void;
  /** Counts one exchange attributed to campaign `number` (timeline, models). */
  countExchange(number: number, model: string, timeMs: number): void;
}

/** Models a campaign's timeline keeps apart. */
const MAX_CAMPAIGN_MODELS = 16;

/**
 * Creates the campaign registry.
 *
 * @example
 * const registry = createCampaignRegistry({ membership });
 * registry.flag(state, timeMs, 'cluster', registry.create(community, timeMs));
 */
export function createCampaignRegistry({
  membership,
}: {
  membership: AccountMembership;
}): CampaignRegistry {
  const campaigns: CampaignState[] = [];
  /** Evasive lone accounts share no infrastructure to tell operators apart: one campaign holds them. */
  let evasionNumber = -1;

  const describe = (number: number, community: AcceptedCommunity): void => {
    const campaign = campaigns[number] as CampaignState;
    campaign.hubs = community.hubs;
    campaign.families = community.families;
    campaign.meanScore = community.meanScore;
  };

  const exportState = () => ({ campaigns, evasionNumber });
  return {
    exportState,
    importState(state) {
      const restored = state as ReturnType<typeof exportState>;
      refill(campaigns, restored.campaigns);
      evasionNumber = restored.evasionNumber;
    },
    campaigns,
    get evasionNumber() {
      return evasionNumber;
    },
    create(community, tickMs) {
      const number = campaigns.length;
      campaigns.push(createCampaignState(number, tickMs));
      describe(number, community);
      return number;
    },
    describe,
    evasionCampaign(state, timeMs) {
      if (evasionNumber < 0) {
        evasionNumber = campaigns.length;
        const campaign = createCampaignState(evasionNumber, timeMs);
        campaign.families = new Set(['content']);
        campaign.meanScore = state.score;
        campaigns.push(campaign);
      }
      return evasionNumber;
    },
    flag(state, timeMs, by, campaign) {
      if (Number.isNaN(state.flaggedMs)) {
        state.flaggedMs = timeMs;
        state.flaggedAt = new Date(timeMs).toISOString();
        state.flaggedBy = by;
        membership.update(state);
      }
      if (campaign >= 0 && state.campaign !== campaign) {
        const previous = campaigns[state.campaign];
        previous?.accounts.delete(state.index);
        state.campaign = campaign;
        const joined = campaigns[campaign] as CampaignState;
        joined.accounts.add(state.index);
        // Its history so far, lumped at its first hour, so the campaign timeline starts where it did.
        const hour = Math.floor(state.firstMs / 3600_000);
        joined.hourly.set(hour, (joined.hourly.get(hour) ?? 0) + state.exchanges);
      }
    },
    countExchange(number, model, timeMs) {
      const campaign = campaigns[number] as CampaignState;
      const hour = Math.floor(timeMs / 3600_000);
      campaign.hourly.set(hour, (campaign.hourly.get(hour) ?? 0) + 1);
      if (timeMs < campaign.firstExchangeMs) campaign.firstExchangeMs = timeMs;
      const used = campaign.models.get(model);
      if (used) used.exchanges += 1;
      else if (campaign.models.size < MAX_CAMPAIGN_MODELS)
        campaign.models.set(model, { exchanges: 1, firstMs: timeMs });
    },
  };
}
