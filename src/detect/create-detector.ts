import type { AccountRecord, Exchange } from '../log/exchange.js';
import { type AcceptedCommunity, acceptCommunity } from './accept-community.js';
import {
  type AccountState,
  addCount,
  countOf,
  createAccountState,
  type FlagSource,
} from './account-state.js';
import { LazyAssessment, resellerCampaigns, verdictLabel } from './account-verdict.js';
import { createActivityTracker } from './activity-tracker.js';
import { buildCampaign } from './build-campaign.js';
import { type CampaignState, createCampaignState } from './campaign-state.js';
import { clusterAccounts, type LinkageHub } from './cluster-accounts.js';
import { DEFAULT_THRESHOLDS, type DetectorThresholds } from './detector-thresholds.js';
import { isEstablishedOrganisation } from './established-organisation.js';
import { evasive } from './evasive-account.js';
import { accountKeys, CLIENT_KEY_TYPES, networkKeys } from './exchange-keys.js';
import { scoreIndividual } from './individual-score.js';
import type { IpAsnTable } from './ip-asn-table.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, type KeyFamily, LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import { matchCampaigns } from './match-campaigns.js';
import { mergeOperatorFragments } from './merge-operator-fragments.js';
import type { PeerIndicatorMatcher } from './peer-indicator-matcher.js';
// population (issue 15)
import {
  createPopulationTracker,
  isOverwhelming,
  populationCommunities,
} from './population/index.js';
import { createPromptAnalyzer } from './prompt/index.js';
import type { PromptAnalyzer, PromptFeatures } from './prompt/prompt-features.js';
import { createResellerDoors } from './reseller-doors.js';
import { successorCampaigns } from './successor-campaigns.js';
import { countTemplate, hasCue, updateAccount } from './update-account.js';
import type { Campaign, Reason, Verdict } from './verdict.js';

export interface DetectorOptions {
  /** Overrides of {@link DEFAULT_THRESHOLDS}. */
  thresholds?: Partial<DetectorThresholds>;
  /** Operator-provided IP→ASN table (`loadIpAsnTable`); without it ASNs come only from account records. */
  ipAsn?: IpAsnTable;
  /** Peers' shared indicators (`src/intel`); a match adds reason `peer_indicator`. */
  peerIndicators?: PeerIndicatorMatcher;
  /** Event-time cadence of the clustering step (default 10 minutes). */
  clusterEveryMs?: number;
  /** Extension: a shared prompt analyser (the gateway reuses one); default `createPromptAnalyzer()`. */
  promptAnalyzer?: PromptAnalyzer;
  /**
   * Memory over exactness of indicator counts (default false): a value an account carries beyond
   * its per-type cap (a rotating proxy's hundredth exit, its hundredth near-duplicate band) is
   * only looked up, not indexed. Verdicts and campaign membership are unchanged (such a value has
   * no carrier, so it links nothing; joins look it up); a campaign indicator's `count`,
   * `first_seen` and `last_seen` then start at the first account that keeps the value. At
   * seed-scale most keys are such values (see docs/detection.md, Memory).
   */
  compactKeys?: boolean;
}

/** The engine's current judgement of an account, returned for every exchange. */
export interface Assessment {
  accountId: string;
  score: number;
  verdict: 'attack' | 'suspect' | 'clean';
  campaignId: string | null;
  flaggedAt: string | null;
  /** True on the exchange at which the account was first flagged. */
  newlyFlagged: boolean;
  reasons: Reason[];
  /** This exchange attributed to a campaign (reseller accounts mixing traffic). */
  exchangeCampaignId: string | null;
}

/** The streaming detection engine: the same object serves `analyze` (replay) and the gateway (live). */
export interface Detector {
  /** Account records may arrive before or interleaved with exchanges. */
  observeAccount(account: AccountRecord): void;
  /**
   * Exchanges in non-decreasing `ts`; the answer uses only the past. `features`: the exchange's
   * prompt features when already computed (batch `analyze` runs the prompt analysers in worker
   * threads); they must be what the detector's own prompt analyser returns for this exchange
   * (`minhash` and the LSH bands after the first may be dropped: the engine does not read them).
   * The analyser is then not called, so `exchange.request` may lack the message text.
   */
  observe(exchange: Exchange, features?: PromptFeatures): Assessment;
  assessment(accountId: string): Assessment | undefined;
  /** One verdict per account seen. */
  verdicts(): Verdict[];
  campaigns(): Campaign[];
  /**
   * End of input (batch `analyze`): clusters once more at the last exchange's time, so a short
   * log is never silently clean. Flags it raises are stamped with that time: causal.
   */
  flush(): void;
}

const FAMILY_OF = LINKAGE_KEY_TYPES.map((type) => type.family);
const WEIGHT_OF = LINKAGE_KEY_TYPES.map((type) => type.weight);
const TEMPLATE = KEY_TYPE_INDEX.template;
const NEAR_DUPLICATE = KEY_TYPE_INDEX.near_duplicate;
const SYSTEM_PROMPT = KEY_TYPE_INDEX.system_prompt;
const TOOL_SET = KEY_TYPE_INDEX.tool_set;
const PAYMENT = KEY_TYPE_INDEX.payment_fingerprint;
const PER_ACCOUNT = LINKAGE_KEY_TYPES.map((type) => type.perAccount);
const OPERATOR = LINKAGE_KEY_TYPES.map((type) => type.operator);
/** Exchanges observed per graph membership before the next clustering may run. */
const RECLUSTER_WORK_RATIO = 1;
/** Pseudo-carriers added to every value's population before measuring purity. */
const PURITY_PRIOR = 2;
const AUTHORED = LINKAGE_KEY_TYPES.map(
  (type) => type.name === 'system_prompt' || type.name === 'tool_set',
);
const MIN_HUB_MEMBERS = LINKAGE_KEY_TYPES.map((type) => (type.name === 'signup_burst' ? 3 : 2));

/**
 * Creates the causal streaming detector. Each exchange updates its account's behaviour counters
 * and the cross-account index; an unflagged account whose values are owned by a known campaign
 * (shared infrastructure plus shared templates or identity) joins it at once; on event-time
 * ticks the linkage graph over suspicious accounts is clustered into campaigns (Louvain plus a
 * connectivity refinement). Every decision at time t uses only exchanges before t, so a log cut
 * at T yields the same flags before T.
 *
 * @example
 * const detector = createDetector();
 * for await (const exchange of readExchanges(['log.jsonl.gz'])) detector.observe(exchange);
 * const verdicts = detector.verdicts();
 */
export function createDetector({
  thresholds: overrides = {},
  ipAsn,
  peerIndicators,
  clusterEveryMs = 10 * 60_000,
  promptAnalyzer = createPromptAnalyzer(),
  compactKeys = false,
}: DetectorOptions = {}): Detector {
  const thresholds: DetectorThresholds = { ...DEFAULT_THRESHOLDS, ...overrides };
  const index = createLinkageIndex({ maxMembers: thresholds.maxKeyMembers });
  const accounts: AccountState[] = [];
  const accountsById = new Map<string, AccountState>();
  const campaigns: CampaignState[] = [];
  const resellerDoors = createResellerDoors();
  /** Per key id: the campaign that owns it (-1 none) and the weight it lends to a join. */
  let ownerCampaign: Int32Array = new Int32Array(0);
  let ownerWeight: Float64Array = new Float64Array(0);
  /** Per key id: 1 when an operator-authored value is shared by two campaigns (a stock prompt). */
  let ownerShared: Uint8Array = new Uint8Array(0);
  const asnCache = new Map<string, string | undefined>();
  /** Burst rings and model first-use of graph accounts: synchronized cadence, model pivots. */
  const activity = createActivityTracker();
  const population = createPopulationTracker(); // population (issue 15)
  const exchangeKeyIds: number[] = [];
  const pushKey = (keyId: number): void => {
    if (keyId >= 0) exchangeKeyIds.push(keyId);
  };
  let nextTickMs = Number.NaN;
  let lastClusterMs = Number.NEGATIVE_INFINITY;
  let candidateCount = 0;
  let candidatesAtLastCluster = 0;
  let candidateChanges = 0;
  let latestMs = Number.NEGATIVE_INFINITY;
  let exchangesSinceCluster = 0;
  let lastGraphSize = 0;
  let exchangesSinceUnattached = 0;
  let lastUnattachedSize = 0;

  const asnOf = (ip: string): string | undefined => {
    if (!ipAsn) return undefined;
    if (asnCache.has(ip)) return asnCache.get(ip);
    const found = ipAsn.lookup(ip);
    const value = found ? `${found.asn}` : undefined;
    if (asnCache.size > 200_000) asnCache.clear();
    asnCache.set(ip, value);
    return value;
  };

  const stateOf = (accountId: string): AccountState => {
    let state = accountsById.get(accountId);
    if (!state) {
      state = createAccountState(accounts.length, accountId);
      accounts.push(state);
      accountsById.set(accountId, state);
    }
    return state;
  };

  /** The value's key id, interned unless `compactKeys` and the account cannot keep it (then -1 when new). */
  const keyFor = (state: AccountState, typeIndex: number, value: string): number =>
    compactKeys &&
    typeIndex !== TEMPLATE &&
    (state.keysPerType[typeIndex] as number) >= (PER_ACCOUNT[typeIndex] as number)
      ? index.find(typeIndex, value)
      : index.intern(typeIndex, value);

  const remember = (
    state: AccountState,
    typeIndex: number,
    value: string,
    timeMs: number,
  ): number => {
    const keyId = keyFor(state, typeIndex, value);
    return keyId < 0 ? -1 : rememberKey(state, keyId, typeIndex, timeMs);
  };

  const rememberKey = (
    state: AccountState,
    keyId: number,
    typeIndex: number,
    timeMs: number,
  ): number => {
    index.touch(keyId, timeMs);
    if (
      (state.keysPerType[typeIndex] as number) < (PER_ACCOUNT[typeIndex] as number) &&
      !state.keys.includes(keyId)
    ) {
      state.keys.push(keyId);
      state.keysPerType[typeIndex] = (state.keysPerType[typeIndex] as number) + 1;
      index.addMember(keyId, state.index, timeMs);
      if (state.inGraph) index.adjustGraphMembers(keyId, 1);
      if (state.unattached) index.adjustUnattachedMembers(keyId, 1);
      if (state.exchanges > 0) index.addActiveMember(keyId);
    }
    return keyId;
  };

  const setCandidate = (state: AccountState): void => {
    state.candidate = state.score >= thresholds.candidateScore;
    updateGraphMembership(state);
  };

  /** Keeps per-key counts of graph accounts current, so a recluster never rescans all keys. */
  const updateGraphMembership = (state: AccountState): void => {
    // Resellers stay out of the graph: their customers' traffic would tie unrelated users in.
    const inGraph =
      state.flaggedBy !== 'reseller' && (state.candidate || !Number.isNaN(state.flaggedMs));
    const unattached = inGraph && Number.isNaN(state.flaggedMs);
    if (unattached !== state.unattached) {
      state.unattached = unattached;
      const delta = unattached ? 1 : -1;
      for (const keyId of state.keys) index.adjustUnattachedMembers(keyId, delta);
    }
    if (inGraph === state.inGraph) return;
    state.inGraph = inGraph;
    const delta = inGraph ? 1 : -1;
    for (const keyId of state.keys) index.adjustGraphMembers(keyId, delta);
    candidateCount += delta;
    candidateChanges += 1;
  };

  const flag = (state: AccountState, timeMs: number, by: FlagSource, campaign: number): void => {
    if (Number.isNaN(state.flaggedMs)) {
      state.flaggedMs = timeMs;
      state.flaggedAt = new Date(timeMs).toISOString();
      state.flaggedBy = by;
      updateGraphMembership(state);
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
  };

  /** Sums the weights of campaign-owned values among `keyIds`; returns the best campaign or -1. */
  /** Evasive lone accounts share no infrastructure to tell operators apart: one campaign holds them. */
  let evasionCampaignNumber = -1;
  const evasionCampaign = (state: AccountState, timeMs: number): number => {
    if (evasionCampaignNumber < 0) {
      evasionCampaignNumber = campaigns.length;
      const campaign = createCampaignState(evasionCampaignNumber, timeMs);
      campaign.families = new Set(['content']);
      campaign.meanScore = state.score;
      campaigns.push(campaign);
    }
    return evasionCampaignNumber;
  };

  /**
   * The campaign whose templates, prompts and domain an evasive account shares (weight at least
   * `minMemberLinkage`), or -1: an operator that rotates every exit still reuses its own wording.
   * Placement only — the account is flagged as evasive either way.
   */
  const contentKin = (state: AccountState): number => {
    let best = -1;
    let bestWeight = thresholds.minMemberLinkage;
    const weights = new Map<number, number>();
    for (const keyId of state.keys) {
      if (keyId >= ownerCampaign.length || OPERATOR[index.typeOf(keyId)]) continue;
      const campaign = ownerCampaign[keyId] as number;
      if (campaign < 0 || ownerShared[keyId] === 1) continue;
      const weight = (weights.get(campaign) ?? 0) + (ownerWeight[keyId] as number);
      weights.set(campaign, weight);
      if (weight >= bestWeight) {
        best = campaign;
        bestWeight = weight;
      }
    }
    return best;
  };

  /** Whether the last {@link contentOwner} answer came from a stock value only. */
  let ownerIsStock = false;
  /**
   * The campaign whose operator-authored content (a system prompt or tool set only its accounts
   * send) this exchange carries, preferring a value no other campaign carries. Public templates
   * do not count: honest users draw from the same datasets.
   */
  const contentOwner = (keyIds: readonly number[]): number => {
    let stock = -1;
    for (const keyId of keyIds) {
      if (
        keyId < ownerCampaign.length &&
        ownerCampaign[keyId] !== -1 &&
        AUTHORED[index.typeOf(keyId)]
      ) {
        if (ownerShared[keyId] === 0) {
          ownerIsStock = false;
          return ownerCampaign[keyId] as number;
        }
        if (stock < 0) stock = ownerCampaign[keyId] as number;
      }
    }
    ownerIsStock = stock >= 0;
    return stock;
  };

  const affinity = (
    keyIds: readonly number[],
    state: AccountState,
    cue: boolean,
    timeMs: number,
  ): number => {
    let best = -1;
    let bestWeight = 0;
    let weights:
      | Map<number, { weight: number; families: number; content: boolean; operator: boolean }>
      | undefined;
    for (const keyId of keyIds) {
      if (keyId >= ownerCampaign.length) continue;
      const campaign = ownerCampaign[keyId] as number;
      if (campaign < 0) continue;
      weights ??= new Map();
      const entry = weights.get(campaign) ?? {
        weight: 0,
        families: 0,
        content: false,
        operator: false,
      };
      const typeIndex = index.typeOf(keyId);
      const family = FAMILY_OF[typeIndex] as KeyFamily;
      entry.weight += ownerWeight[keyId] as number;
      entry.families |= familyBit(family);
      if (family === 'content') entry.content = true;
      if (OPERATOR[typeIndex]) entry.operator = true;
      weights.set(campaign, entry);
    }
    if (!weights) return -1;
    const candidate = state.score >= thresholds.candidateScore;
    const established = isEstablishedOrganisation(state, timeMs);
    for (const [campaign, entry] of weights) {
      // As in a community: without the operator's identity, no join for an established organisation.
      if (established && (entry.families & IDENTITY_BIT) === 0) continue;
      const families = popCount(entry.families);
      // Without the operator's identity (card, sign-up batch) or its client fingerprint, an
      // address and a public template are a household in the proxy's residential block: this
      // exchange must elicit, from an account whose own score makes it a candidate.
      const suspicious =
        (entry.families & IDENTITY_BIT) !== 0 || families >= 3
          ? entry.content || cue || candidate
          : cue && candidate;
      if (
        entry.weight >= thresholds.joinAffinity &&
        families >= 2 &&
        entry.operator &&
        suspicious &&
        entry.weight > bestWeight
      ) {
        best = campaign;
        bestWeight = entry.weight;
      }
    }
    return best;
  };

  const tick = (tickMs: number): void => {
    if (candidateChanges === 0) return;
    const grown = Math.abs(candidateCount - candidatesAtLastCluster);
    const dueByGrowth = grown >= Math.max(1, thresholds.reclusterGrowth * candidatesAtLastCluster);
    const dueByDelay = tickMs - lastClusterMs >= thresholds.reclusterMaxDelayMs;
    if (!dueByGrowth && !dueByDelay && candidatesAtLastCluster >= 50) return;
    // Pacing by work, not wall time (decisions must depend on the data only): clustering a graph of
    // m memberships costs about as much as observing m exchanges, so it waits for that many; the
    // candidates no campaign holds yet form a far smaller graph, clustered meanwhile on its own quota.
    if (exchangesSinceCluster < RECLUSTER_WORK_RATIO * lastGraphSize) {
      if (exchangesSinceUnattached >= RECLUSTER_WORK_RATIO * lastUnattachedSize) {
        clusterUnattached(tickMs);
        exchangesSinceUnattached = 0;
      }
      return;
    }
    recluster(tickMs);
    exchangesSinceCluster = 0;
    exchangesSinceUnattached = 0;
    lastClusterMs = tickMs;
    candidatesAtLastCluster = candidateCount;
    candidateChanges = 0;
  };

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
    unattachedOnly = false,
  ): { accepted: AcceptedCommunity[]; hubWeight: Map<number, number> } => {
    const communities = clusterAccounts(hubs, { resolution: thresholds.clusterResolution });
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
    fragments.push(
      ...populationCommunities({
        accounts,
        index,
        tracker: population,
        thresholds,
        nowMs: tickMs,
        unattachedOnly,
        eligible: population.eligible(fragments, unattachedOnly),
      }),
    );
    const accepted = mergeOperatorFragments(
      fragments,
      (account) => (accounts[account] as AccountState).keys,
      (keyId) => index.typeOf(keyId) === PAYMENT && hubWeight.has(keyId),
    );
    return { accepted, hubWeight };
  };

  /** Flags a community's members into campaign `number` and lends it the hubs it holds most strongly. */
  const adopt = (
    community: AcceptedCommunity,
    number: number,
    hubWeight: ReadonlyMap<number, number>,
    tickMs: number,
  ): void => {
    for (const account of community.accounts)
      flag(accounts[account] as AccountState, tickMs, 'cluster', number);
    activity.assess(community.accounts, accounts);
    for (const keyId of community.hubs) {
      const weight = hubWeight.get(keyId) ?? 0;
      if (weight > (ownerWeight[keyId] as number)) {
        ownerCampaign[keyId] = number;
        ownerWeight[keyId] = weight;
      }
    }
  };

  const newCampaign = (community: AcceptedCommunity, tickMs: number): number => {
    const number = campaigns.length;
    campaigns.push(createCampaignState(number, tickMs));
    describe(campaigns[number] as CampaignState, community);
    return number;
  };

  const describe = (campaign: CampaignState, community: AcceptedCommunity): void => {
    campaign.hubs = community.hubs;
    campaign.families = community.families;
    campaign.meanScore = community.meanScore;
  };

  // Two operators drawing the same stock system prompt or tool set: a hub sits in one community
  // only, so look at who else carries it; such a value attributes traffic to neither campaign.
  const markSharedAuthored = (communities: readonly AcceptedCommunity[]): void => {
    for (const community of communities) {
      for (const keyId of community.hubs) {
        if (!AUTHORED[index.typeOf(keyId)]) continue;
        if (carriedByOtherCampaigns(keyId, ownerCampaign[keyId] as number)) ownerShared[keyId] = 1;
      }
    }
  };

  const recluster = (tickMs: number): void => {
    const { hubs, size } = linkageHubs(false);
    lastGraphSize = size;
    const { accepted, hubWeight } = acceptedCommunities(hubs, tickMs);
    const matched = matchCampaigns(
      accepted.map((community) => community.accounts),
      (account) => (accounts[account] as AccountState).campaign,
    );
    const before = new Map<number, number[]>();
    for (const campaign of campaigns) {
      if (campaign.accounts.size > 0 && campaign.number !== evasionCampaignNumber)
        before.set(campaign.number, [...campaign.accounts]);
    }
    ownerCampaign = new Int32Array(index.size).fill(-1);
    ownerWeight = new Float64Array(index.size);
    ownerShared = new Uint8Array(index.size);
    accepted.forEach((community, position) => {
      let number = matched[position] as number;
      if (number < 0) number = newCampaign(community, tickMs);
      else describe(campaigns[number] as CampaignState, community);
      adopt(community, number, hubWeight, tickMs);
    });
    followSuccessors(before, new Set(matched), tickMs);
    markSharedAuthored(accepted);
    placeEvasive(tickMs);
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
        flag(accounts[account] as AccountState, tickMs, 'cluster', successor);
    }
  };

  /**
   * An evasive account flagged before any campaign shared its wording went to the catch-all
   * campaign; once one does (it formed since, or absorbed its fellows), the account is placed there.
   */
  const placeEvasive = (tickMs: number): void => {
    const catchAll = campaigns[evasionCampaignNumber];
    if (!catchAll) return;
    for (const account of [...catchAll.accounts]) {
      const state = accounts[account] as AccountState;
      const kin = contentKin(state);
      if (kin >= 0 && kin !== evasionCampaignNumber) flag(state, tickMs, 'evasion', kin);
    }
  };

  /**
   * Clusters only the candidates no campaign holds yet. On a large graph the whole clustering waits
   * for its work quota (hours at seed scale, where it costs seconds), while a campaign that began
   * since is small: its own graph is cheap, so it is found within a tick or two. A community whose
   * members pay with a campaign's cards is that campaign's; the next whole clustering reconciles
   * the rest.
   */
  const clusterUnattached = (tickMs: number): void => {
    const { hubs, size } = linkageHubs(true);
    lastUnattachedSize = size;
    const { accepted, hubWeight } = acceptedCommunities(hubs, tickMs, true);
    if (accepted.length === 0) return;
    widenOwnership();
    for (const community of accepted) {
      let number = cardOwner(community);
      if (number < 0) number = newCampaign(community, tickMs);
      adopt(community, number, hubWeight, tickMs);
    }
    markSharedAuthored(accepted);
    placeEvasive(tickMs);
  };

  /** The campaign owning a payment card that two of the community's members carry, or -1. */
  const cardOwner = (community: AcceptedCommunity): number => {
    const carriers = new Map<number, number>();
    for (const account of community.accounts) {
      for (const keyId of (accounts[account] as AccountState).keys) {
        if (keyId >= ownerCampaign.length || index.typeOf(keyId) !== PAYMENT) continue;
        const owner = ownerCampaign[keyId] as number;
        if (owner < 0) continue;
        const count = (carriers.get(keyId) ?? 0) + 1;
        carriers.set(keyId, count);
        if (count >= 2) return owner;
      }
    }
    return -1;
  };

  /** Keys interned since the last whole clustering have no owner yet. */
  const widenOwnership = (): void => {
    if (ownerCampaign.length >= index.size) return;
    const campaign = new Int32Array(index.size).fill(-1);
    campaign.set(ownerCampaign);
    ownerCampaign = campaign;
    const weight = new Float64Array(index.size);
    weight.set(ownerWeight);
    ownerWeight = weight;
    const shared = new Uint8Array(index.size);
    shared.set(ownerShared);
    ownerShared = shared;
  };

  /** Whether at least two members of campaigns other than `owner` carry the value. */
  const carriedByOtherCampaigns = (keyId: number, owner: number): boolean => {
    let others = 0;
    for (const member of index.members(keyId)) {
      const campaign = (accounts[member] as AccountState).campaign;
      if (campaign >= 0 && campaign !== owner && campaign !== evasionCampaignNumber) others += 1;
      if (others >= 2) return true;
    }
    return false;
  };

  const reasonContext = {
    index,
    population, // population (issue 15)
    activity,
    campaigns,
    get ownerCampaign() {
      return ownerCampaign;
    },
    thresholds,
  };

  const assessmentOf = (
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
      campaign?.id ?? null,
      newlyFlagged,
      campaigns[exchangeCampaign]?.id ?? null,
      reasonContext,
    );
  };

  return {
    observeAccount(record) {
      const state = stateOf(record.account_id);
      state.record = record;
      const created = Date.parse(record.created_at);
      state.createdMs = created;
      population.observeAccount(state); // population (issue 15)
      const timeMs = Number.isFinite(created) ? created : latestMs;
      for (const [typeIndex, value] of accountKeys(record, ipAsn)) {
        const keyId = remember(state, typeIndex, value, timeMs);
        if (keyId >= 0 && !state.recordKeys.includes(keyId)) state.recordKeys.push(keyId);
      }
      const peer = peerIndicators?.matchAccount(record);
      if (peer) state.peer = peer;
    },

    observe(exchange, precomputed) {
      const timeMs = Date.parse(exchange.ts);
      if (Number.isNaN(nextTickMs))
        nextTickMs = Math.floor(timeMs / clusterEveryMs) * clusterEveryMs + clusterEveryMs;
      if (timeMs >= nextTickMs) {
        const tickMs = Math.floor(timeMs / clusterEveryMs) * clusterEveryMs;
        tick(tickMs);
        nextTickMs = tickMs + clusterEveryMs;
      }
      if (timeMs > latestMs) latestMs = timeMs;
      exchangesSinceCluster += 1;
      exchangesSinceUnattached += 1;
      const state = stateOf(exchange.account_id);
      const features: PromptFeatures =
        precomputed ?? promptAnalyzer.analyze(exchange.request, exchange.endpoint);
      const cue = hasCue(features, thresholds.cueScore);
      updateAccount(state, exchange, features, timeMs, thresholds.cueScore);
      population.observe(state, features, timeMs); // population (issue 15)
      if (state.exchanges === 1) for (const keyId of state.keys) index.addActiveMember(keyId);
      exchangeKeyIds.length = 0;
      if (exchange.ip !== state.lastIp) {
        state.lastIp = exchange.ip;
        const keyIds: number[] = [];
        for (const [typeIndex, value] of networkKeys(exchange.ip, asnOf)) {
          const keyId = remember(state, typeIndex, value, timeMs);
          if (keyId >= 0) keyIds.push(keyId);
        }
        state.lastIpKeys = keyIds;
      } else {
        // Remembered when cached (or refused at the per-type cap, which only fills): count only.
        for (const keyId of state.lastIpKeys) index.touch(keyId, timeMs);
      }
      for (const keyId of state.lastIpKeys) exchangeKeyIds.push(keyId);
      for (let slot = 0; slot < CLIENT_KEY_TYPES.length; slot += 1) {
        const value =
          slot === 0
            ? exchange.tls_fingerprint
            : slot === 1
              ? exchange.header_order
              : exchange.user_agent;
        if (value === undefined || value === '') continue;
        const typeIndex = CLIENT_KEY_TYPES[slot] as number;
        if (value !== state.lastClient[slot]) {
          state.lastClient[slot] = value;
          state.lastClientKeys[slot] = remember(state, typeIndex, value, timeMs);
        } else if ((state.lastClientKeys[slot] as number) >= 0) {
          index.touch(state.lastClientKeys[slot] as number, timeMs);
        }
        if ((state.lastClientKeys[slot] as number) >= 0)
          exchangeKeyIds.push(state.lastClientKeys[slot] as number);
      }
      let templateKey = -1;
      if (features.templateHash) {
        // An evaluation loop or a CI job repeats its template: no hashing then (see lastIp).
        if (features.templateHash === state.lastTemplate) {
          templateKey = state.lastTemplateKey;
          index.touch(templateKey, timeMs);
        } else {
          templateKey = remember(state, TEMPLATE, features.templateHash, timeMs);
          state.lastTemplate = features.templateHash;
          state.lastTemplateKey = templateKey;
        }
        exchangeKeyIds.push(templateKey);
      }
      countTemplate(state, templateKey);
      const band = features.lshKeys[0];
      if (band !== undefined) pushKey(remember(state, NEAR_DUPLICATE, band, timeMs));
      if (features.systemPromptHash)
        pushKey(remember(state, SYSTEM_PROMPT, features.systemPromptHash, timeMs));
      if (features.toolSetHash) pushKey(remember(state, TOOL_SET, features.toolSetHash, timeMs));
      const peer = peerIndicators?.matchExchange(exchange);
      if (peer) state.peer = peer;
      const individual = scoreIndividual(state);
      state.score = individual.score;
      state.content = individual.content;
      setCandidate(state);
      activity.observe(state, exchange.model, timeMs);

      const wasFlagged = !Number.isNaN(state.flaggedMs);
      let exchangeCampaign = -1;
      if (ownerCampaign.length > 0) {
        exchangeCampaign = contentOwner(exchangeKeyIds);
        if (!wasFlagged) {
          // The account record's values (payment, signup burst, signup IP) count with this exchange's.
          for (const keyId of state.recordKeys) exchangeKeyIds.push(keyId);
          const joined = affinity(exchangeKeyIds, state, cue, timeMs);
          if (joined >= 0) flag(state, timeMs, 'affinity', joined);
        }
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
            // only its campaign sends (or later by clustering or as an evasive operator).
            if (!ownerIsStock) flag(state, timeMs, 'affinity', exchangeCampaign);
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
          !ownerIsStock &&
          state.contentAttributed >= thresholds.resellerMinExchanges &&
          state.contentAttributed / state.exchanges >= thresholds.resellerMaxShare
        ) {
          // Its early mix looked like a door; nearly all its traffic since is the campaign's.
          state.flaggedBy = 'affinity';
          updateGraphMembership(state);
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
      if (Number.isNaN(state.flaggedMs) && evasive(state, thresholds)) {
        // An operator that shares nothing (rotating residential exits, no payment, paraphrased
        // prompts) still cannot hide what it asks for; grouped by what it harvests.
        const kin = contentKin(state);
        flag(state, timeMs, 'evasion', kin >= 0 ? kin : evasionCampaign(state, timeMs));
      }
      // population (issue 15): an account whose own evidence is overwhelming needs no campaign.
      if (Number.isNaN(state.flaggedMs) && isOverwhelming(state, timeMs, population)) {
        const kin = contentKin(state);
        flag(state, timeMs, 'evasion', kin >= 0 ? kin : evasionCampaign(state, timeMs));
      }
      if (
        !wasFlagged &&
        Number.isNaN(state.flaggedMs) &&
        state.peer &&
        state.peer.confidence >= 0.8 &&
        state.candidate
      ) {
        flag(state, timeMs, 'peer', -1);
      }
      if (exchangeCampaign >= 0) {
        const campaign = campaigns[exchangeCampaign] as CampaignState;
        const hour = Math.floor(timeMs / 3600_000);
        campaign.hourly.set(hour, (campaign.hourly.get(hour) ?? 0) + 1);
        if (timeMs < campaign.firstExchangeMs) campaign.firstExchangeMs = timeMs;
        const model = campaign.models.get(exchange.model);
        if (model) model.exchanges += 1;
        else if (campaign.models.size < 16)
          campaign.models.set(exchange.model, { exchanges: 1, firstMs: timeMs });
      }
      return assessmentOf(state, !wasFlagged && !Number.isNaN(state.flaggedMs), exchangeCampaign);
    },

    assessment(accountId) {
      const state = accountsById.get(accountId);
      return state ? assessmentOf(state, false, -1) : undefined;
    },

    verdicts() {
      return accounts.map((state) => {
        const assessment = assessmentOf(state, false, -1);
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

    // population (issue 15): end-of-input clustering, stamped at the last exchange seen.
    flush() {
      if (Number.isFinite(latestMs)) recluster(latestMs);
    },

    campaigns() {
      return campaigns
        .filter((campaign) => campaign.accounts.size > 0)
        .map((campaign) =>
          buildCampaign(campaign, { accounts, campaigns, index, ownerCampaign, thresholds }),
        );
    },
  };
}

const IDENTITY_BIT = familyBit('identity');

function familyBit(family: KeyFamily): number {
  return family === 'network'
    ? 1
    : family === 'identity'
      ? 2
      : family === 'software'
        ? 4
        : family === 'content'
          ? 8
          : 16;
}

function popCount(bits: number): number {
  let count = 0;
  for (let value = bits; value > 0; value >>= 1) count += value & 1;
  return count;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
