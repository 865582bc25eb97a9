import type { AcceptedCommunity } from '../accept-community.js';
import type { AccountState } from '../account-state.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import { createKeyTally } from '../key-tally.js';
import type { LinkageIndex } from '../linkage-index.js';
import { KEY_TYPE_INDEX, type KeyFamily, LINKAGE_KEY_TYPES } from '../linkage-key-type.js';
import { isPublicValue } from '../public-value.js';
import { createUnionFind } from '../union-find.js';
import { coActivePairs } from './co-activity.js';
import { hasOperatorTrace } from './operator-trace.js';
import { ownFamiliesNeeded } from './own-trace.js';
import { harvests, pooledContent, sweepsTools } from './pooled-content.js';
import type { PopulationTracker } from './population-tracker.js';
import { newCarrierShare, rarityWeight } from './rarity-weight.js';
import { anomalousCohort } from './signup-cohort.js';
import { unexplainedPurity } from './unexplained-purity.js';

/** Families of population evidence: the key families plus timing and sign-up cohort. */
export type PopulationFamily = KeyFamily | 'timing' | 'cohort';

/** Smallest population campaign: weaker ties than an operator's card, so more accounts. */
const MIN_ACCOUNTS = 5;
/** Distinct evidence families a population campaign needs (no single one is necessary). */
const MIN_FAMILIES = 3;
/** Families each member must carry itself. */
const MIN_MEMBER_FAMILIES = 2;
/**
 * A shared value binds when this share of its active carriers no campaign holds are suspicious
 * ({@link unexplainedPurity}).
 */
const MIN_PURITY = 0.6;
/** Carriers a value needs among population candidates. */
const MIN_CARRIERS = 3;
/** Rarity below which a value is everyone's (a popular SDK, a big ISP). */
const MIN_RARITY = 0.2;
/** An e-mail domain binds only when its carriers are nearly all new accounts (a throwaway domain). */
const MIN_NEW_CARRIERS = 0.8;
/** Lists up to this size are tied pair by pair; larger ones by a ring of neighbours. */
const FULL_PAIRS = 64;
const RING = 16;
/** A population candidate: enough traffic, and its own score or its weak cues suspicious. */
const MIN_EXCHANGES = 5;
const MIN_WEAK_CUE_SHARE = 0.5;
/** Members (two families each) an account new to a population placed before must be tied to. */
const MIN_JOIN_TIES = 2;
/** An account below the candidate bar joins an accepted population with this weak-cue share. */
const MIN_JOIN_WEAK_CUE_SHARE = 0.25;

const FAMILY_OF = LINKAGE_KEY_TYPES.map((type) => type.family);
const EMAIL_DOMAIN = KEY_TYPE_INDEX.email_domain;
const ASN = KEY_TYPE_INDEX.asn;
/**
 * Content anyone can send (a problem from a public dataset, a public agent's prompt): such a
 * value binds a population only while no established accounts elsewhere send it too
 * ({@link isPublicValue}); a student and an operator both drawing GSM8K are not thereby linked.
 */
const PUBLIC_FAMILIES: ReadonlySet<KeyFamily> = new Set(['content']);
/**
 * Carrier counts per key, reused by every grouping (one runs per tick, synchronously): counting
 * into a fresh map per round was most of the grouping's cost and allocation (docs/performance.md).
 */
const suspiciousCarriers = createKeyTally();
const heldCarriers = createKeyTally();

export interface PopulationContext {
  accounts: readonly AccountState[];
  index: LinkageIndex;
  tracker: PopulationTracker;
  thresholds: DetectorThresholds;
  nowMs: number;
  /** Whether the account may be considered (not held by this round's other communities). */
  eligible: (state: AccountState) => boolean;
  /** A pass over the unattached only (frequent at scale): paced to {@link UNATTACHED_EVERY_MS}. */
  unattachedOnly?: boolean;
  /**
   * A second pass over the unattached, on the tick the first ran: the members of populations
   * placed before are eligible, and only groups that hold some of them are kept (accounts new to
   * such a group join its campaign). Without it, later accounts of a placed population wait for
   * the next whole clustering, hours at scale.
   */
  continuing?: boolean;
}

/**
 * Between whole clusterings, the population grouping runs at most this often (it reads every
 * account; the schedule offers it every tick). A third of the hour a campaign's first flag is
 * allowed: a grouping held back an hour would spend it all.
 */
const UNATTACHED_EVERY_MS = 20 * 60_000;

/**
 * Campaigns visible only as populations: accounts that share no operator-controlled value
 * (per-account residential exits, one card each) but are bound by at least
 * {@link MIN_FAMILIES} families of statistically judged evidence — rare values weighted by how
 * rare and how pure they are among the population (a throwaway domain only new accounts carry,
 * a harness's system prompt or client nobody else sends), sign-up cohorts against the
 * background rate, activity synchronised beyond chance — and that, pooled, harvest. Each
 * member carries {@link MIN_MEMBER_FAMILIES} families itself. Honest look-alikes carry one or
 * two: a popular agent's users share its prompt with thousands of non-suspicious users (impure),
 * students share a campus network and public homework (no rare harness value, no cohort, no
 * synchrony beyond the evening curve), a startup cohort shares a week, not a window.
 */
export function populationCommunities(context: PopulationContext): AcceptedCommunity[] {
  const { accounts, index, tracker, thresholds, nowMs } = context;
  if (context.continuing) {
    if (tracker.lastUnattachedRunMs !== nowMs) return [];
  } else if (context.unattachedOnly) {
    if (nowMs - tracker.lastUnattachedRunMs < UNATTACHED_EVERY_MS) return [];
    tracker.lastUnattachedRunMs = nowMs;
  }
  // An account new to a population placed before is judged by its ties to the members (two
  // families each, to several of them) and its own trace, so it is considered on fewer requests.
  const minExchanges = context.continuing
    ? Math.min(MIN_EXCHANGES, thresholds.populationJoinMinExchanges)
    : MIN_EXCHANGES;
  const sweepMinimum = thresholds.toolSweepMinExchanges;
  let active = 0;
  const candidates: AccountState[] = [];
  suspiciousCarriers.begin(index.size);
  /** Active carriers a campaign already holds (this round's other communities, earlier flags). */
  heldCarriers.begin(index.size);
  for (const state of accounts) {
    if (state.exchanges > 0) active += 1;
    if (state.flaggedBy === 'reseller' || isEstablishedOrganisation(state, nowMs)) continue;
    if (!context.eligible(state)) {
      if (thresholds.explainHeldCarriers && state.exchanges > 0)
        for (const keyId of state.keys) heldCarriers.add(keyId);
      continue;
    }
    // A young account walking tool schemas shows it in its first requests: its own sweep (every
    // request offers tools, the set changing each time) is what it needs, not five exchanges.
    const sweeping = ownToolSweep(state, tracker, sweepMinimum);
    if (state.exchanges < minExchanges && !sweeping) continue;
    const weakShare =
      Math.max(tracker.weakCues(state.index), state.cueExchanges) / (state.exchanges + 3);
    if (!(state.candidate || weakShare >= MIN_WEAK_CUE_SHARE || sweeping)) continue;
    // Purity asks whether a value's carriers are suspicious; membership also asks for a trace.
    for (const keyId of state.keys) suspiciousCarriers.add(keyId);
    if (hasOperatorTrace(state, tracker, sweepMinimum)) candidates.push(state);
  }
  if (candidates.length < MIN_ACCOUNTS) return [];
  const position = new Map<number, number>();
  candidates.forEach((state, at) => {
    position.set(state.index, at);
  });
  const sets = createUnionFind(candidates.length);
  // Each link is corroborated: two accounts are tied only by two or more families of their own
  // (a shared template and a chance user-agent collision tie a student to nobody).
  const pairFamilies = new Map<number, Set<PopulationFamily>>();
  const stride = candidates.length;
  const tie = (a: number, b: number, family: PopulationFamily): void => {
    if (a === b) return;
    const key = a < b ? a * stride + b : b * stride + a;
    const set = pairFamilies.get(key) ?? new Set<PopulationFamily>();
    set.add(family);
    pairFamilies.set(key, set);
  };
  /** Ties every pair of a small list; a large one by a ring of {@link RING} neighbours each. */
  const tieAll = (list: readonly number[], family: PopulationFamily): void => {
    const ordered = [...list].sort((x, y) => x - y);
    const reach = ordered.length <= FULL_PAIRS ? ordered.length : RING + 1;
    for (let i = 0; i < ordered.length; i += 1)
      for (let step = 1; step < reach && step < ordered.length; step += 1)
        tie(ordered[i] as number, ordered[(i + step) % ordered.length] as number, family);
  };
  /** Per candidate position: families it carries, and the real key hubs binding it. */
  const families: Set<PopulationFamily>[] = candidates.map(() => new Set());
  const hubsOf: number[][] = candidates.map(() => []);

  const carriers = new Map<number, number[]>();
  candidates.forEach((state, at) => {
    for (const keyId of state.keys) {
      let list = carriers.get(keyId);
      if (!list) {
        list = [];
        carriers.set(keyId, list);
      }
      list.push(at);
    }
  });
  for (const [keyId, list] of carriers) {
    if (list.length < MIN_CARRIERS) continue;
    const typeIndex = index.typeOf(keyId);
    // An ASN is a whole ISP or cloud: it says where an account sits, not who runs it.
    if (typeIndex === ASN) continue;
    const population = index.activeMembers(keyId);
    const purity = unexplainedPurity(
      suspiciousCarriers.get(keyId),
      population,
      heldCarriers.get(keyId),
    );
    if (purity < MIN_PURITY) continue;
    if (rarityWeight(population, active) < MIN_RARITY) continue;
    if (!spansOwners(list.map((at) => candidates[at] as AccountState))) continue;
    const family = FAMILY_OF[typeIndex] as KeyFamily;
    if (PUBLIC_FAMILIES.has(family) && isPublicValue(index.members(keyId), accounts, index))
      continue;
    if (
      typeIndex === EMAIL_DOMAIN &&
      newCarrierShare(list.map((at) => candidates[at] as AccountState)) < MIN_NEW_CARRIERS
    )
      continue;
    tieAll(list, family);
    for (const at of list) (hubsOf[at] as number[]).push(keyId);
  }
  // Sign-up cohorts against the background sign-up rate.
  const cohorts = new Map<number, number[]>();
  const baseline = tracker.cohortBaseline();
  candidates.forEach((state, at) => {
    const cohort = anomalousCohort(state.createdMs, tracker.signups, baseline);
    if (cohort < 0) return;
    const list = cohorts.get(cohort) ?? [];
    list.push(at);
    cohorts.set(cohort, list);
  });
  for (const list of cohorts.values()) {
    // An organisation creating its service accounts together is a customer's shape, not a cohort.
    if (
      list.length < MIN_CARRIERS ||
      !spansOwners(list.map((at) => candidates[at] as AccountState))
    )
      continue;
    tieAll(list, 'cohort');
  }
  // Activity synchronised beyond what the background predicts.
  const pairs = coActivePairs({
    members: candidates.map((state) => state.index),
    buckets: tracker.buckets,
    activeIn: tracker.activeIn,
    totalActivity: tracker.totalActivity(),
  });
  for (const pair of pairs) {
    const a = position.get(pair.a) as number;
    const b = position.get(pair.b) as number;
    // One organisation's scheduled jobs run together by design.
    if (!spansOwners([candidates[a] as AccountState, candidates[b] as AccountState])) continue;
    tie(a, b, 'timing');
  }
  const strongTies = new Array<number>(candidates.length).fill(0);
  for (const [key, set] of pairFamilies) {
    if (set.size < MIN_MEMBER_FAMILIES) continue;
    const a = Math.floor(key / stride);
    const b = key % stride;
    strongTies[a] = (strongTies[a] as number) + 1;
    strongTies[b] = (strongTies[b] as number) + 1;
    sets.union(a, b);
    for (const family of set) {
      (families[a] as Set<PopulationFamily>).add(family);
      (families[b] as Set<PopulationFamily>).add(family);
    }
  }

  const components = new Map<number, number[]>();
  for (let at = 0; at < candidates.length; at += 1) {
    if ((families[at] as Set<PopulationFamily>).size === 0) continue;
    const root = sets.find(at);
    const list = components.get(root) ?? [];
    list.push(at);
    components.set(root, list);
  }
  const accepted: AcceptedCommunity[] = [];
  for (const component of components.values()) {
    // Between whole clusterings, a population placed before is found again with its members: an
    // account new to it joins only when tied to several of them. A later account of the pool shares its cohort, windows
    // or domain with many fellows; a customer one member happens to resemble (a teacher's
    // multilingual worksheets, in a member's hours) is tied to that one.
    const continued =
      context.continuing === true &&
      component.some((at) => placedBefore(candidates[at] as AccountState, tracker));
    if (context.continuing && !continued) continue;
    const members = component.filter(
      (at) =>
        (families[at] as Set<PopulationFamily>).size >=
          ownFamiliesNeeded(candidates[at] as AccountState) &&
        (!continued ||
          placedBefore(candidates[at] as AccountState, tracker) ||
          (strongTies[at] as number) >= MIN_JOIN_TIES),
    );
    if (members.length < MIN_ACCOUNTS) continue;
    const states = members.map((at) => candidates[at] as AccountState);
    if (!spansOwners(states)) continue;
    const held = new Map<PopulationFamily, number>();
    for (const at of members) {
      for (const family of families[at] as Set<PopulationFamily>)
        held.set(family, (held.get(family) ?? 0) + 1);
    }
    const groupFamilies = [...held]
      .filter(([, count]) => count * 2 >= members.length)
      .map(([family]) => family);
    if (groupFamilies.length < MIN_FAMILIES) continue;
    const pooled = pooledContent(states, tracker);
    if (!harvests(pooled, thresholds.minCampaignScore)) continue;
    const hubCarriers = new Map<number, number>();
    for (const at of members)
      for (const keyId of hubsOf[at] as number[])
        hubCarriers.set(keyId, (hubCarriers.get(keyId) ?? 0) + 1);
    const hubs = [...hubCarriers].filter(([, count]) => count >= 2).map(([keyId]) => keyId);
    states.push(...joiners(hubs, states, context));
    const keyFamilies = new Set<KeyFamily>();
    for (const keyId of hubs) keyFamilies.add(FAMILY_OF[index.typeOf(keyId)] as KeyFamily);
    const evidence = {
      accounts: states.length,
      families: groupFamilies.sort(),
      weakCueShare: round(pooled.weakCueShare),
      exchanges: pooled.exchanges,
    };
    for (const state of states)
      tracker.findings.set(state.index, { code: 'population_linkage', evidence });
    accepted.push({
      accounts: states.map((state) => state.index),
      hubs,
      families: keyFamilies,
      meanScore: Math.max(pooled.meanScore, thresholds.minCampaignScore),
    });
  }
  return accepted;
}

/**
 * Accounts below the candidate bar that carry the population's binding values of at least
 * {@link MIN_MEMBER_FAMILIES} families and show some of its content themselves: the same
 * operator's accounts that drew fewer eliciting prompts this time. Only values the group
 * holds as hubs count (rare and pure), so a chance carrier of one value is not pulled in.
 */
function joiners(
  hubs: readonly number[],
  members: readonly AccountState[],
  { accounts, index, tracker, nowMs, eligible }: PopulationContext,
): AccountState[] {
  const inGroup = new Set(members.map((state) => state.index));
  const familiesOf = new Map<number, Set<KeyFamily>>();
  for (const keyId of hubs) {
    const family = FAMILY_OF[index.typeOf(keyId)] as KeyFamily;
    for (const account of index.members(keyId)) {
      if (inGroup.has(account)) continue;
      const set = familiesOf.get(account) ?? new Set<KeyFamily>();
      set.add(family);
      familiesOf.set(account, set);
    }
  }
  const joined: AccountState[] = [];
  for (const [account, families] of familiesOf) {
    const state = accounts[account] as AccountState;
    if (families.size < ownFamiliesNeeded(state)) continue;
    if (state.exchanges < MIN_EXCHANGES || state.flaggedBy === 'reseller') continue;
    if (!eligible(state) || isEstablishedOrganisation(state, nowMs)) continue;
    const weak = Math.max(tracker.weakCues(account), state.cueExchanges) / (state.exchanges + 3);
    if (
      (weak >= MIN_JOIN_WEAK_CUE_SHARE || ownToolSweep(state, tracker, MIN_EXCHANGES)) &&
      hasOperatorTrace(state, tracker)
    )
      joined.push(state);
  }
  return joined;
}

/** Placed in a population campaign by an earlier grouping (the fitted model's flags aside). */
function placedBefore(state: AccountState, tracker: PopulationTracker): boolean {
  return (
    !Number.isNaN(state.flaggedMs) &&
    state.flaggedBy !== 'model' &&
    tracker.findings.get(state.index)?.code === 'population_linkage'
  );
}

/** The account's own requests sweep tool schemas ({@link sweepsTools}). */
function ownToolSweep(state: AccountState, tracker: PopulationTracker, minimum: number): boolean {
  const tools = tracker.toolExchanges(state.index);
  return (
    tools >= minimum &&
    sweepsTools(tools / state.exchanges, tracker.toolSwitches(state.index) / tools)
  );
}

/** Accounts of one declared organisation are a customer's service accounts, not a population. */
function spansOwners(members: readonly AccountState[]): boolean {
  let first: string | undefined;
  for (const state of members) {
    const owner = state.record?.org_id ?? state.id;
    if (first === undefined) first = owner;
    else if (owner !== first) return true;
  }
  return false;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
