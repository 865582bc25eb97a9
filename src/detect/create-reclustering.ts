import { type AcceptedCommunity, acceptCommunity } from './accept-community.js';
import type { AccountState } from './account-state.js';
import type { ActivityTracker } from './activity-tracker.js';
import type { CampaignState } from './campaign-state.js';
import { clusterAccounts, type LinkageHub } from './cluster-accounts.js';
import type { AccountMembership } from './create-account-membership.js';
import type { CampaignOwnership } from './create-campaign-ownership.js';
import type { CampaignRegistry } from './create-campaign-registry.js';
import type { OperatorLabels } from './create-operator-labels.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import { matchCampaigns } from './match-campaigns.js';
import { mergeOperatorFragments } from './merge-operator-fragments.js';
import { answerSweeps } from './population/answer-sweep.js';
import { harnessSwarms } from './population/harness-swarm.js';
import { type PopulationTracker, populationCommunities } from './population/index.js';
import { joinRemnants } from './population/join-remnants.js';
import { machinePacedSwarms } from './population/machine-paced-swarm.js';
import { rememberPopulationHubs } from './population/population-join.js';
import { youngOrganisationHarvests } from './population/young-organisation.js';
import { successorCampaigns } from './successor-campaigns.js';

/** Every population finding has the harness swarm's signature: a context and what is already held. */
type PopulationFinder = typeof harnessSwarms;

/** The clustering of the linkage graph into campaigns; each call returns the graph's memberships. */
export interface Reclustering {
  /**
   * Clusters the whole graph; communities continue the campaigns they match (else new ones),
   * ownership of values is assigned afresh.
   */
  whole(tickMs: number): number;
  /** Clusters only the candidates no campaign holds yet (see `createReclusterSchedule`). */
  unattached(tickMs: number): number;
  /**
   * The population grouping alone, over the accounts no campaign holds yet (paced inside it):
   * no linkage graph to wait for, so a campaign visible only as a population is found on the
   * next tick its evidence holds, not when the graph's clustering quota next allows.
   */
  population(tickMs: number): void;
}

export interface ReclusteringOptions {
  index: LinkageIndex;
  thresholds: DetectorThresholds;
  membership: AccountMembership;
  registry: CampaignRegistry;
  ownership: CampaignOwnership;
  activity: ActivityTracker;
  /** Population evidence (issue 15): campaigns seen only as populations. */
  population: PopulationTracker;
  /** Operator labels among the flagged, renewed after whole clusterings. */
  labels?: OperatorLabels;
}

const WEIGHT_OF = LINKAGE_KEY_TYPES.map((type) => type.weight);
const PAYMENT = KEY_TYPE_INDEX.payment_fingerprint;
/** Pseudo-carriers added to every value's population before measuring purity. */
const PURITY_PRIOR = 2;
const MIN_HUB_MEMBERS = LINKAGE_KEY_TYPES.map((type) => (type.name === 'signup_burst' ? 3 : 2));

/**
 * Creates the clustering step: hubs (shared values pure enough in candidates) → Louvain →
 * each community vetted (`acceptCommunity`) → fragments of one operator merged → campaigns.
 *
 * @example
 * const reclustering = createReclustering({ index, thresholds, membership, registry, ownership, activity });
 * const memberships = reclustering.whole(tickMs);
 */
export function createReclustering({
  index,
  thresholds,
  membership,
  registry,
  ownership,
  activity,
  population,
  labels,
}: ReclusteringOptions): Reclustering {
  const { accounts } = membership;
  const { campaigns } = registry;

  /**
   * Accounts of one declared organisation (`org_id`) sharing an office NAT, a company card or a
   * domain is the expected shape of a customer, not evidence: a value links only across owners.
   */
  const spansOwners = (members: readonly number[]): boolean => {
    let first: string | undefined;
    for (const member of members) {
      const state = accounts[member] as AccountState;
      const owner = state.record?.org_id ?? state.id;
      if (first === undefined) first = owner;
      else if (owner !== first) return true;
    }
    return false;
  };

  /**
   * The linkage graph's hubs: shared values pure enough in candidates, with their graph members —
   * or, `unattachedOnly`, with only the members no campaign holds yet. `size`: memberships.
   */
  const linkageHubs = (unattachedOnly: boolean): { hubs: LinkageHub[]; size: number } => {
    const hubs: LinkageHub[] = [];
    let size = 0;
    for (const keyId of unattachedOnly ? index.unattachedKeys() : index.activeKeys()) {
      const typeIndex = index.typeOf(keyId);
      const graphMembers = index.graphMembers(keyId);
      if (graphMembers < (MIN_HUB_MEMBERS[typeIndex] as number)) continue;
      // Smoothed, so two candidates out of three carriers of a NAT address are not "pure".
      // Among accounts that have sent traffic: a fresh sign-up that has not yet is no evidence of innocence.
      const purity = graphMembers / (index.activeMembers(keyId) + PURITY_PRIOR);
      if (purity < thresholds.keyPurity) continue;
      // Stored members are the first `maxKeyMembers` carriers: a sample when the value is huge.
      const members = index.members(keyId).filter((member) => {
        const state = accounts[member] as AccountState;
        return unattachedOnly ? state.unattached : state.inGraph;
      });
      if (members.length < 2 || !spansOwners(members)) continue;
      hubs.push({ key: keyId, weight: (WEIGHT_OF[typeIndex] as number) * purity, members });
      size += members.length;
    }
    return { hubs, size };
  };

  /** Louvain over the hubs, each community vetted, fragments of one operator merged. */
  const acceptedCommunities = (
    hubs: readonly LinkageHub[],
    tickMs: number,
    unattachedOnly: boolean,
  ): {
    accepted: AcceptedCommunity[];
    hubWeight: Map<number, number>;
    populations: AcceptedCommunity[];
  } => {
    const communities =
      hubs.length === 0 ? [] : clusterAccounts(hubs, { resolution: thresholds.clusterResolution });
    const hubWeight = new Map(hubs.map((hub) => [hub.key, hub.weight]));
    const fragments: AcceptedCommunity[] = [];
    for (const community of communities) {
      const campaign = acceptCommunity(community, {
        accounts,
        index,
        hubWeight,
        thresholds,
        nowMs: tickMs,
      });
      if (campaign) fragments.push(campaign);
    }
    // population (issue 15): campaigns seen only as populations, among accounts no fragment holds.
    const populationContext = { accounts, index, tracker: population, thresholds, nowMs: tickMs };
    const populations = populationCommunities({
      ...populationContext,
      unattachedOnly,
      eligible: population.eligible(fragments, !unattachedOnly),
    });
    fragments.push(...populations);
    // Between whole clusterings, later accounts of the populations placed before join them.
    if (unattachedOnly) {
      const continued = populationCommunities({
        ...populationContext,
        unattachedOnly,
        continuing: true,
        eligible: population.eligible(fragments, true),
      });
      fragments.push(...continued);
      populations.push(...continued);
    }
    // Population findings, each judged after the ones above it (its `eligible` excludes what they
    // hold); the flag says whether already placed accounts may be taken (answer sweeps: only on an
    // unattached pass).
    const findings: readonly (readonly [boolean, PopulationFinder, boolean])[] = [
      // red team (issue 15): a private harness run by a swarm of new accounts, among the rest.
      [thresholds.harnessSwarm, harnessSwarms, !unattachedOnly],
      // red team (issue 15): a slow drip of long answers to overlapping questions, among the rest.
      [thresholds.answerSweep, answerSweeps, unattachedOnly],
      // red team B (issue 15): a young organisation's seats that, pooled, harvest.
      [thresholds.youngOrganisation, youngOrganisationHarvests, !unattachedOnly],
      // red team C (branch self-play): new accounts whose conversations nobody reads, off by default.
      [thresholds.machinePacedSwarm, machinePacedSwarms, !unattachedOnly],
    ];
    for (const [enabled, find, withPlaced] of findings) {
      if (!enabled) continue;
      const context = {
        accounts,
        index,
        tracker: population,
        thresholds,
        nowMs: tickMs,
        unattachedOnly,
        eligible: population.eligible(fragments, withPlaced),
      };
      fragments.push(...find(context, fragments));
    }
    const accepted = mergeOperatorFragments(
      fragments,
      (account) => (accounts[account] as AccountState).keys,
      (keyId) => index.typeOf(keyId) === PAYMENT && hubWeight.has(keyId),
    );
    return { accepted, hubWeight, populations };
  };

  /** The values binding the populations just placed, for later accounts' quick join (if on). */
  const rememberHubs = (populations: readonly AcceptedCommunity[]): void => {
    if (Number.isFinite(thresholds.populationQuickJoinExchanges))
      rememberPopulationHubs(population, populations, accounts);
  };

  /** Flags a community's members into campaign `number` and lends it the hubs it holds most strongly. */
  const adopt = (
    community: AcceptedCommunity,
    number: number,
    hubWeight: ReadonlyMap<number, number>,
    tickMs: number,
  ): void => {
    for (const account of community.accounts)
      registry.flag(accounts[account] as AccountState, tickMs, 'cluster', number);
    activity.assess(community.accounts, accounts);
    ownership.lend(community.hubs, number, hubWeight);
  };

  /**
   * Leftover members of a campaign no community continued, whose other members went elsewhere (a
   * fragment found by clustering the unattached, now inside its whole operator's community),
   * follow them: otherwise the fragment lives on, and its operator's own system prompt, carried
   * by two campaigns, reads as stock.
   */
  const followSuccessors = (
    before: ReadonlyMap<number, readonly number[]>,
    continued: ReadonlySet<number>,
    tickMs: number,
  ): void => {
    const successors = successorCampaigns(
      before,
      continued,
      (account) => (accounts[account] as AccountState).campaign,
    );
    for (const [number, successor] of successors) {
      for (const account of [...(campaigns[number] as CampaignState).accounts])
        registry.flag(accounts[account] as AccountState, tickMs, 'cluster', successor);
    }
  };

  /**
   * An evasive account flagged before any campaign shared its wording went to the catch-all
   * campaign; once one does (it formed since, or absorbed its fellows), the account is placed there.
   */
  const placeEvasive = (tickMs: number): void => {
    const catchAll = campaigns[registry.evasionNumber];
    if (!catchAll) return;
    for (const account of [...catchAll.accounts]) {
      const state = accounts[account] as AccountState;
      const kin = ownership.contentKin(state);
      if (kin >= 0 && kin !== registry.evasionNumber) registry.flag(state, tickMs, 'evasion', kin);
    }
  };

  /**
   * A population found again with members it placed before (they stay eligible on every pass):
   * the campaign most of those members are in continues, and only the accounts not yet flagged
   * join it; the earlier members stay where they are. -1 when it holds none.
   */
  const continuedPopulation = (community: AcceptedCommunity): number => {
    const votes = new Map<number, number>();
    let best = -1;
    let bestVotes = 0;
    const fresh: number[] = [];
    for (const account of community.accounts) {
      const state = accounts[account] as AccountState;
      if (Number.isNaN(state.flaggedMs) || state.flaggedBy === 'model' || state.campaign < 0) {
        fresh.push(account);
        continue;
      }
      const count = (votes.get(state.campaign) ?? 0) + 1;
      votes.set(state.campaign, count);
      if (count > bestVotes) {
        best = state.campaign;
        bestVotes = count;
      }
    }
    if (best >= 0) community.accounts = fresh;
    return best;
  };

  const remnantContext = (nowMs: number) => ({
    accounts,
    index,
    thresholds,
    owners: ownership.owners,
    catchAll: registry.evasionNumber,
    nowMs,
  });

  /** Communities found among the unattached: a campaign's cards make them its own, else new. */
  const adoptUnattached = (
    accepted: readonly AcceptedCommunity[],
    hubWeight: ReadonlyMap<number, number>,
    tickMs: number,
  ): void => {
    if (accepted.length === 0) return;
    ownership.widen();
    for (const community of accepted) {
      const cardOwner = ownership.cardOwner(community);
      const continued = continuedPopulation(community);
      let number = cardOwner >= 0 ? cardOwner : continued;
      if (number < 0) number = registry.create(community, tickMs);
      adopt(community, number, hubWeight, tickMs);
    }
    ownership.markSharedAuthored(accepted);
    placeEvasive(tickMs);
  };

  return {
    whole(tickMs) {
      const { hubs, size } = linkageHubs(false);
      const { accepted, hubWeight, populations } = acceptedCommunities(hubs, tickMs, false);
      const matched = matchCampaigns(
        accepted.map((community) => community.accounts),
        (account) => (accounts[account] as AccountState).campaign,
      );
      const before = new Map<number, number[]>();
      for (const campaign of campaigns) {
        if (campaign.accounts.size > 0 && campaign.number !== registry.evasionNumber)
          before.set(campaign.number, [...campaign.accounts]);
      }
      ownership.reset();
      accepted.forEach((community, position) => {
        let number = matched[position] as number;
        if (number < 0) number = registry.create(community, tickMs);
        else registry.describe(number, community);
        adopt(community, number, hubWeight, tickMs);
      });
      followSuccessors(before, new Set(matched), tickMs);
      rememberHubs(populations);
      ownership.markSharedAuthored(accepted);
      placeEvasive(tickMs);
      joinRemnants(remnantContext(tickMs), registry);
      labels?.relabel(false);
      return size;
    },

    // On a large graph the whole clustering waits for its work quota (hours at seed scale, where
    // it costs seconds), while a campaign that began since is small: its own graph is cheap, so it
    // is found within a tick or two. A community whose members pay with a campaign's cards is that
    // campaign's; the next whole clustering reconciles the rest.
    unattached(tickMs) {
      const { hubs, size } = linkageHubs(true);
      const { accepted, hubWeight, populations } = acceptedCommunities(hubs, tickMs, true);
      adoptUnattached(accepted, hubWeight, tickMs);
      rememberHubs(populations);
      joinRemnants(remnantContext(tickMs), registry);
      return size;
    },

    population(tickMs) {
      const { accepted, hubWeight, populations } = acceptedCommunities([], tickMs, true);
      adoptUnattached(accepted, hubWeight, tickMs);
      rememberHubs(populations);
    },
  };
}
