import type { Exchange } from '../log/exchange.js';
import { type AccountState, addCount, countOf } from './account-state.js';
import type { CampaignState } from './campaign-state.js';
import type { AccountMembership } from './create-account-membership.js';
import type { CampaignOwnership } from './create-campaign-ownership.js';
import type { CampaignRegistry } from './create-campaign-registry.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { evasive } from './evasive-account.js';
import { isHandedOver } from './handed-over.js';
import type { LinkageIndex } from './linkage-index.js';
import type { PartState, StatefulPart } from './part-state.js';
import { isOverwhelming, type PopulationTracker } from './population/index.js';
import { populationQuickJoin } from './population/population-join.js';
import { isEstablishedAccount } from './public-value.js';
import { createResellerDoors } from './reseller-doors.js';
import { isStolenKey } from './second-tenant.js';

/** The per-exchange rules that flag an account between clusterings. */
export interface FlagRules extends StatefulPart {
  /**
   * Applies the rules to the account after its exchange (`keyIds`: the values it carried;
   * `cue`: it elicits); returns the campaign the exchange is attributed to, or -1.
   */
  apply(
    state: AccountState,
    exchange: Exchange,
    keyIds: number[],
    cue: boolean,
    timeMs: number,
  ): number;
}

export interface FlagRulesOptions {
  thresholds: DetectorThresholds;
  membership: AccountMembership;
  registry: CampaignRegistry;
  ownership: CampaignOwnership;
  /** Where an overwhelming individual's finding is recorded (issue 15). */
  population: PopulationTracker;
  /** Carriers of each value (a later account's ties to a flagged population, issue 15). */
  index: LinkageIndex;
}

/**
 * Creates the flag rules: joining a campaign by affinity with the values it owns, campaign
 * traffic through an account (member or reseller's door, and a suspended door's replacement),
 * evasive operators grouped by what they harvest, and peers' indicators on a candidate.
 *
 * @example
 * const rules = createFlagRules({ thresholds, membership, registry, ownership });
 * const exchangeCampaign = rules.apply(state, exchange, keyIds, cue, timeMs);
 */
export function createFlagRules({
  thresholds,
  membership,
  registry,
  ownership,
  population,
  index,
}: FlagRulesOptions): FlagRules {
  const { campaigns } = registry;
  const resellerDoors = createResellerDoors();
  const { flag } = registry;
  const joinContext = {
    accounts: membership.accounts,
    index,
    tracker: population,
    thresholds,
  };

  return {
    exportState: () => ({ resellerDoors: resellerDoors.exportState() }),
    importState(state) {
      resellerDoors.importState(state.resellerDoors as PartState);
    },
    apply(state, exchange, keyIds, cue, timeMs) {
      const wasFlagged = !Number.isNaN(state.flaggedMs);
      let exchangeCampaign = -1;
      if (ownership.owners.length > 0) {
        exchangeCampaign = ownership.contentOwner(keyIds);
        if (!wasFlagged) {
          // The account record's values (payment, signup burst, signup IP) count with this exchange's.
          for (const keyId of state.recordKeys) keyIds.push(keyId);
          const joined = ownership.affinity(keyIds, state, cue, timeMs);
          if (joined >= 0) flag(state, timeMs, 'affinity', joined);
        }
      }
      if (!wasFlagged && Number.isNaN(state.flaggedMs)) {
        const joined = populationQuickJoin(state, cue, timeMs, joinContext);
        if (joined >= 0) flag(state, timeMs, 'cluster', joined);
      }
      if (exchangeCampaign >= 0) {
        state.contentAttributed += 1;
        state.attributed = addCount(state.attributed, exchangeCampaign, Number.POSITIVE_INFINITY);
        const attributed = countOf(state.attributed, exchangeCampaign);
        if (Number.isNaN(state.flaggedMs) && attributed >= thresholds.resellerMinExchanges) {
          // Campaign traffic through an account: nearly all of it (whichever campaigns it is
          // attributed to) makes a member of the main one; a share of it mixed with other traffic
          // makes a reseller's door.
          if (
            state.contentAttributed / state.exchanges >= thresholds.resellerMaxShare ||
            state.score >= thresholds.resellerMemberScore
          ) {
            // A stock prompt says campaign traffic, not whose: a member is placed by a value
            // only its campaign sends (or later by clustering or as an evasive operator). An
            // account of months' standing whose traffic is all the campaign's prompt is a public
            // agent's user until the next clustering has judged the prompt (isPublicValue).
            // Nor is one whose value established customers on other networks already send (a
            // public agent the last clustering had not yet judged public).
            if (
              !ownership.ownerIsStock &&
              !isEstablishedAccount(state) &&
              !ownership.ownerCirculates()
            )
              flag(state, timeMs, 'affinity', exchangeCampaign);
          } else {
            flag(state, timeMs, 'reseller', -1);
            resellerDoors.open(exchange);
          }
        } else if (
          Number.isNaN(state.flaggedMs) &&
          state.contentAttributed >= thresholds.resellerDoorMinExchanges &&
          resellerDoors.reused(exchange)
        ) {
          // A suspended reseller's replacement: same proxies, same backend, the same campaign's
          // traffic. Placed as a reseller either way; enough traffic later may make it a member.
          flag(state, timeMs, 'reseller', -1);
          state.reusedDoor = true;
        }
        if (
          state.flaggedBy === 'reseller' &&
          !ownership.ownerIsStock &&
          state.contentAttributed >= thresholds.resellerMinExchanges &&
          state.contentAttributed / state.exchanges >= thresholds.resellerMaxShare
        ) {
          // Its early mix looked like a door; nearly all its traffic since is the campaign's.
          state.flaggedBy = 'affinity';
          membership.update(state);
          flag(state, timeMs, 'affinity', exchangeCampaign);
        }
        if (state.flaggedBy === 'reseller') {
          const campaign = campaigns[exchangeCampaign] as CampaignState;
          campaign.resellers.add(state.index);
          campaign.resellerExchanges += 1;
        }
      } else if (state.campaign >= 0) {
        exchangeCampaign = state.campaign;
      } else {
        exchangeCampaign = -1;
      }
      // Each rule below flags an account on its own evidence, grouped by what it harvests: with the
      // campaign whose content it shares, else in the evasion catch-all.
      const flagOnOwn = (by: 'evasion' | 'tenant') => {
        const kin = ownership.contentKin(state);
        flag(state, timeMs, by, kin >= 0 ? kin : registry.evasionCampaign(state, timeMs));
      };
      // An operator that shares nothing (rotating residential exits, no payment, paraphrased
      // prompts) still cannot hide what it asks for.
      if (Number.isNaN(state.flaggedMs) && evasive(state, thresholds)) flagOnOwn('evasion');
      // A key a thief shares with its owner: the account is flagged (its owner warned).
      if (
        thresholds.secondTenant &&
        Number.isNaN(state.flaggedMs) &&
        isStolenKey(state, thresholds)
      )
        flagOnOwn('tenant');
      // A bought account: its first client stopped, a harvest from a proxy pool took over.
      if (thresholds.handover && Number.isNaN(state.flaggedMs) && isHandedOver(state, thresholds))
        flagOnOwn('tenant');
      // population (issue 15): an account whose own evidence is overwhelming needs no campaign.
      if (Number.isNaN(state.flaggedMs) && isOverwhelming(state, timeMs, population))
        flagOnOwn('evasion');
      if (
        !wasFlagged &&
        Number.isNaN(state.flaggedMs) &&
        state.peer &&
        state.peer.confidence >= 0.8 &&
        state.candidate
      ) {
        flag(state, timeMs, 'peer', -1);
      }
      return exchangeCampaign;
    },
  };
}
