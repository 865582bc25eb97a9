import type { AcceptedCommunity } from '../accept-community.js';
import type { AccountState } from '../account-state.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { findingEligibility } from './finding-eligibility.js';
import { hasOwnTrace } from './own-trace.js';
import { harvests, pooledContent } from './pooled-content.js';
import type { PopulationContext } from './population-communities.js';
import { NEW_ACCOUNT_MS } from './rarity-weight.js';

/** Distinct owners (accounts, or declared organisations) that must run the harness. */
export const SWARM_MIN_OWNERS = 5;
/** Share of the harness value's active carriers that must be new accounts. */
export const SWARM_NEW_SHARE = 0.9;
/** Share of the value's active carriers that must be the swarm's own members (the harness is theirs alone). */
export const SWARM_MEMBER_SHARE = 0.8;
/** Exchanges a member needs before its own trace and content mean anything. */
const MIN_EXCHANGES = 5;
/** Pooled share of high-value capability requests (agentic tool use, coding, maths, …). */
export const SWARM_HIGH_VALUE = 0.8;

const AUTHORED = new Set<number>([KEY_TYPE_INDEX.tool_set, KEY_TYPE_INDEX.system_prompt]);

const isNew = (state: AccountState): boolean => {
  const age = state.firstMs - state.createdMs;
  return Number.isFinite(age) && age <= NEW_ACCOUNT_MS;
};

/**
 * A private harness run by a swarm (red team, issue 15): an authored value (a tool set or system
 * prompt) carried by accounts of {@link SWARM_MIN_OWNERS}+ different owners, nearly all of them
 * new ({@link SWARM_NEW_SHARE}), each with its own operator trace (rotating exits or a language
 * sweep) and together nearly all who run it ({@link SWARM_MEMBER_SHARE}: a harness other
 * campaigns or customers also run is left to the other groupings), that together send high-value
 * work. Threat: an operator harvesting agent trajectories
 * runs its own agent harness on every account; it can give each account a new card, exit and
 * schedule, but the harness is its product and stays the same, and it cannot make a private
 * harness look like a public one (years-old users on many networks) for a fresh pool. Innocent
 * carriers: an open-source agent's users are mostly established accounts (the share of new
 * carriers stays low); an agent platform's or a startup's service accounts are one owner; a
 * hackathon's or a classroom's new accounts share a starter kit from their homes', the venue's or
 * the campus network (no own trace).
 * Four families, none sufficient: the authored value (content), age (identity), rotating exits or
 * languages (network), pooled high-value work (content of the traffic).
 */
export function harnessSwarms(
  context: PopulationContext,
  held: readonly { accounts: readonly number[] }[],
): AcceptedCommunity[] {
  const { accounts, index, tracker, thresholds, nowMs } = context;
  const eligible = findingEligibility(context, held, 'harness_swarm');
  if (eligible === null) return [];
  const byValue = new Map<number, AccountState[]>();
  for (const state of accounts) {
    if (state.exchanges < MIN_EXCHANGES || state.flaggedBy === 'reseller') continue;
    if (!eligible(state) || !isNew(state) || isEstablishedOrganisation(state, nowMs)) continue;
    if (!hasOwnTrace(state)) continue;
    for (const keyId of state.keys) {
      if (!AUTHORED.has(index.typeOf(keyId))) continue;
      const list = byValue.get(keyId) ?? [];
      list.push(state);
      byValue.set(keyId, list);
    }
  }
  const accepted: AcceptedCommunity[] = [];
  // Accounts an earlier value's swarm took on this pass (`held` ones are not eligible).
  const taken = new Set<number>();
  for (const [keyId, list] of byValue) {
    const members = list.filter((state) => !taken.has(state.index));
    if (owners(members) < SWARM_MIN_OWNERS) continue;
    const carriers = index.members(keyId);
    if (newShare(carriers, accounts) < SWARM_NEW_SHARE) continue;
    // Carriers already in a swarm run this harness as its members do: an operator that rotates
    // several system prompts over one pool leaves each prompt's remainder to the next value
    // (Glasswally's sample: five prompts over 30 accounts, 24 taken by the first).
    const inSwarm = swarmCarriers(carriers, tracker, members);
    if (members.length + inSwarm < SWARM_MEMBER_SHARE * activeCount(carriers, accounts)) continue;
    const pooled = pooledContent(members, tracker);
    if (
      !(harvests(pooled, thresholds.minCampaignScore) || pooled.highValueShare >= SWARM_HIGH_VALUE)
    )
      continue;
    const evidence = {
      accounts: members.length,
      families: ['age', 'content', 'network'],
      highValueShare: Math.round(pooled.highValueShare * 1000) / 1000,
      exchanges: pooled.exchanges,
    };
    for (const state of members) {
      taken.add(state.index);
      tracker.findings.set(state.index, { code: 'harness_swarm', evidence });
    }
    accepted.push({
      accounts: members.map((state) => state.index),
      hubs: [keyId],
      families: new Set(['content']),
      meanScore: Math.max(pooled.meanScore, thresholds.minCampaignScore),
    });
  }
  return accepted;
}

/** Active carriers outside `members` that a harness swarm already holds. */
function swarmCarriers(
  carriers: readonly number[],
  tracker: PopulationContext['tracker'],
  members: readonly AccountState[],
): number {
  const own = new Set(members.map((state) => state.index));
  let count = 0;
  for (const account of carriers)
    if (!own.has(account) && tracker.findings.get(account)?.code === 'harness_swarm') count += 1;
  return count;
}

/** Distinct owners: a declared organisation counts once, an account without one is its own. */
function owners(members: readonly AccountState[]): number {
  return new Set(members.map((state) => state.record?.org_id ?? state.id)).size;
}

function activeCount(carriers: readonly number[], accounts: readonly AccountState[]): number {
  let active = 0;
  for (const account of carriers)
    if ((accounts[account] as AccountState).exchanges > 0) active += 1;
  return active;
}

/** Share of a value's carriers (those that sent traffic) that are new accounts. */
function newShare(carriers: readonly number[], accounts: readonly AccountState[]): number {
  let active = 0;
  let young = 0;
  for (const account of carriers) {
    const state = accounts[account] as AccountState;
    if (state.exchanges === 0) continue;
    active += 1;
    if (isNew(state)) young += 1;
  }
  return active === 0 ? 0 : young / active;
}
