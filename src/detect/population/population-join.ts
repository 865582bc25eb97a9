import type { AcceptedCommunity } from '../accept-community.js';
import type { AccountState } from '../account-state.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import type { LinkageIndex } from '../linkage-index.js';
import { type KeyFamily, LINKAGE_KEY_TYPES } from '../linkage-key-type.js';
import { hasOwnTrace, ownFamiliesNeeded } from './own-trace.js';
import type { PopulationTracker } from './population-tracker.js';
import { anomalousCohort } from './signup-cohort.js';

/** Flagged members of the population an account must be tied to, by two families each. */
const MIN_TIES = 2;
/** Families of a tie to one member (as between two members of a population). */
const TIE_FAMILIES = 2;
/** Carriers of one hub read per check: hubs are rare values, this bounds a popular one. */
const MAX_READ = 512;
/** Elicitation of its own, without a cue on this exchange or a candidate's score (as a member). */
const MIN_WEAK_CUE_SHARE = 0.5;

const FAMILY_BIT = new Map<KeyFamily, number>([
  ['network', 1],
  ['identity', 2],
  ['affiliation', 4],
  ['software', 8],
  ['content', 16],
]);
/** The population grouping's sign-up cohort family (not a key: a window against the background). */
const COHORT_BIT = 32;
/**
 * Families an operator hands its pool as values: addresses, cards, a domain (a sign-up batch
 * counts with the account's own trace, below).
 * A sign-up cohort alone is not one: a classroom or a chat user who signed up the same day as a
 * burst, sending a template the pool also sends, was tied by cohort and content (seed 1).
 */
const POOL_BITS = 1 | 2 | 4;
/**
 * A sign-up batch (identity family) kept apart from the values: it is a window in time, not a
 * value the operator hands, and an honest customer signing up in the same minute as a pool's
 * accounts carries it by chance (a homework student in a harvest pool's batch, seed 1).
 */
const BATCH_BIT = 64;
const BIT_OF = LINKAGE_KEY_TYPES.map((type) =>
  type.name === 'signup_burst' ? BATCH_BIT : (FAMILY_BIT.get(type.family) as number),
);

export interface PopulationJoinContext {
  accounts: readonly AccountState[];
  index: LinkageIndex;
  tracker: PopulationTracker;
  thresholds: DetectorThresholds;
}

/**
 * Remembers the values binding the populations just placed (their hubs: rare values, pure in
 * suspicious carriers, of the operator's pool) with the campaign each went to (kept for the
 * record: ties are read against the members' campaigns at the time of the join).
 */
export function rememberPopulationHubs(
  tracker: PopulationTracker,
  populations: readonly AcceptedCommunity[],
  accounts: readonly AccountState[],
): void {
  for (const community of populations) {
    const first = community.accounts[0];
    if (first === undefined) continue;
    const campaign = (accounts[first] as AccountState).campaign;
    if (campaign < 0) continue;
    for (const keyId of community.hubs) tracker.joinHubs.set(keyId, campaign);
  }
}

/**
 * A later account of a population already flagged, on its `populationQuickJoinExchanges`-th
 * exchange instead of the grouping's five: the campaign's evidence is established (three
 * families, pooled harvest, members with their own operator trace); what is asked of the newcomer
 * is what ties a member to the population — the population's binding values of two families of
 * its own, each tie to a flagged member by two families, to at least two of them — plus elicitation
 * of its own (a cue on this exchange, or its weak-cue share). Threat: an operator keeps opening
 * accounts from the same pool (sign-up batch, throwaway domain, harness build); each used to serve
 * ~7–10 requests before the next pass could judge it. Innocent carrier: a customer sharing one
 * of the values by chance (an ISP, a popular SDK) carries one family, not two, and the values are
 * those the grouping judged rare and pure; an established account needs a third family.
 * Returns the campaign to join, or -1.
 */
export function populationQuickJoin(
  state: AccountState,
  cue: boolean,
  nowMs: number,
  { accounts, index, tracker, thresholds }: PopulationJoinContext,
): number {
  if (tracker.joinHubs.size === 0) return -1;
  if (state.exchanges < thresholds.populationQuickJoinExchanges) return -1;
  if (!Number.isNaN(state.flaggedMs) || state.flaggedBy === 'reseller') return -1;
  const hubs = state.keys.filter((keyId) => tracker.joinHubs.has(keyId));
  if (hubs.length === 0) return -1;
  const weak = Math.max(tracker.weakCues(state.index), state.cueExchanges) / (state.exchanges + 3);
  if (!(cue || weak >= MIN_WEAK_CUE_SHARE)) return -1;
  if (isEstablishedOrganisation(state, nowMs)) return -1;
  const baseline = tracker.cohortBaseline();
  const cohort = anomalousCohort(state.createdMs, tracker.signups, baseline);
  // Ties are counted against the members where they are now (a whole clustering may renumber).
  const tiedBy = new Map<number, number>();
  const ties = new Map<number, number>();
  const own = new Map<number, number>();
  let best = -1;
  let evidence: Record<string, unknown> = {};
  for (const keyId of hubs) {
    const bit = BIT_OF[index.typeOf(keyId)] as number;
    const members = index.members(keyId);
    const read = Math.min(members.length, MAX_READ);
    for (let at = 0; at < read; at += 1) {
      const member = members[at] as number;
      if (member === state.index) continue;
      const other = accounts[member] as AccountState;
      if (other.campaign < 0 || Number.isNaN(other.flaggedMs)) continue;
      const finding = tracker.findings.get(member);
      // Placed by the grouping itself: a newcomer joined here lends no ties (no chains).
      if (finding?.code !== 'population_linkage' || finding.evidence.joinedBy !== undefined)
        continue;
      let before = tiedBy.get(member);
      if (before === undefined) {
        before =
          cohort >= 0 && anomalousCohort(other.createdMs, tracker.signups, baseline) === cohort
            ? COHORT_BIT
            : 0;
      }
      const after = before | bit;
      tiedBy.set(member, after);
      const families = (own.get(other.campaign) ?? 0) | after;
      own.set(other.campaign, families);
      // A tie is two families with that member; counted once, when it forms.
      if (familyCount(before) >= TIE_FAMILIES || familyCount(after) < TIE_FAMILIES) continue;
      const count = (ties.get(other.campaign) ?? 0) + 1;
      ties.set(other.campaign, count);
      if (count >= MIN_TIES && (best < 0 || count > (ties.get(best) as number))) {
        best = other.campaign;
        evidence = finding.evidence;
      }
    }
  }
  // The newcomer's own families toward that population: two (three for an aged account), one of
  // them what an operator hands its pool — a customer's toolchain (an SDK build, a template) is not.
  const families = best < 0 ? 0 : (own.get(best) as number);
  if (
    best >= 0 &&
    ((families & (POOL_BITS | BATCH_BIT)) === 0 || familyCount(families) < ownFamiliesNeeded(state))
  )
    best = -1;
  // A sign-up batch as the only pool family is a coincidence in time until the account shows an
  // operator's trace of its own (exits rotating across networks, a sweep across languages): the
  // pool's accounts sit on its proxy exits; the student who signed up that half hour sits at home.
  if (best >= 0 && (families & POOL_BITS) === 0 && !hasOwnTrace(state)) best = -1;
  if (best < 0) return -1;
  // The population's own evidence (the reason reads as a member's), and the newcomer's ties.
  tracker.findings.set(state.index, {
    code: 'population_linkage',
    evidence: { ...evidence, joinedBy: ties.get(best) },
  });
  return best;
}

/** Families of a tie: a sign-up batch is the identity family (counted once with a card). */
function familyCount(bits: number): number {
  return popCount((bits & ~BATCH_BIT) | ((bits & BATCH_BIT) === 0 ? 0 : 2));
}

function popCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return count;
}
