import type { AcceptedCommunity } from '../accept-community.js';
import type { AccountState } from '../account-state.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import { isMachinePaced } from './conversation-pacing.js';
import { findingEligibility } from './finding-eligibility.js';
import { pooledContent } from './pooled-content.js';
import type { PopulationContext } from './population-communities.js';
import { NEW_ACCOUNT_MS } from './rarity-weight.js';

/** Machine-paced new accounts the population must hold before any of them is flagged. */
export const PACED_MIN_ACCOUNTS = 10;
/** Exchanges an account needs to be judged at all. */
const MIN_EXCHANGES = 10;
/** Most of an account's requests must continue a conversation (self-play is multi-turn by design). */
const MAX_SINGLE_TURN_SHARE = 0.5;
/** Tool-offering requests allowed: an agent's tool loop is machine-paced by nature. */
const MAX_TOOL_SHARE = 0.1;

const isNew = (state: AccountState): boolean => {
  const age = state.firstMs - state.createdMs;
  return Number.isFinite(age) && age <= NEW_ACCOUNT_MS;
};

/** Whether one account carries the swarm's traits on its own (never enough to flag it). */
export function machinePacedCandidate(
  state: AccountState,
  context: Pick<PopulationContext, 'tracker' | 'nowMs'>,
): boolean {
  if (state.exchanges < MIN_EXCHANGES || state.flaggedBy === 'reseller') return false;
  if (!isNew(state) || isEstablishedOrganisation(state, context.nowMs)) return false;
  if (state.singleTurn > MAX_SINGLE_TURN_SHARE * state.exchanges) return false;
  if (state.withTools > MAX_TOOL_SHARE * state.exchanges) return false;
  return isMachinePaced(context.tracker.pacing.counts(state.index));
}

/**
 * Self-play harvest as a population (red team C, branch self-play; **off by default**,
 * `thresholds.machinePacedSwarm`): {@link PACED_MIN_ACCOUNTS}+ new accounts that no other
 * grouping holds, each machine-paced (its next user turn arrives before the previous long answer
 * could be read, conversation after conversation: `conversation-pacing.ts`), multi-turn and
 * without tools. Threat: a student model playing the user writes its next turn in seconds whatever
 * the teacher answered; spread over many accounts with their own exits, cards and clients, nothing
 * else ties them, and their content is plain chat. Innocent carriers: a lab's scripted multi-turn
 * benchmark (MT-Bench-style second turns) is machine-paced too but runs from an established
 * organisation; an agent's tool loop offers tools; a person reads (even skimming, a few of their
 * follow-ups are fast, not 80 %); a support bot relays its end users' human pace. Families: the
 * pacing (behaviour), age (identity), conversation shape (content). A developer testing a new
 * chatbot with a script is the look-alike this cannot tell apart: hence a population, and off.
 */
export function machinePacedSwarms(
  context: PopulationContext,
  held: readonly { accounts: readonly number[] }[],
): AcceptedCommunity[] {
  const { accounts, tracker, thresholds } = context;
  const eligible = findingEligibility(context, held, 'machine_paced');
  if (eligible === null) return [];
  const members = accounts.filter(
    (state) => eligible(state) && machinePacedCandidate(state, context),
  );
  if (members.length < PACED_MIN_ACCOUNTS) return [];
  const pooled = pooledContent(members, tracker);
  let machine = 0;
  let judged = 0;
  for (const state of members) {
    const counts = tracker.pacing.counts(state.index);
    machine += counts.machine;
    judged += counts.machine + counts.read;
  }
  const evidence = {
    accounts: members.length,
    families: ['behaviour', 'age', 'content'],
    machineShare: Math.round((machine / Math.max(1, judged)) * 1000) / 1000,
    followUps: judged,
    exchanges: pooled.exchanges,
  };
  for (const state of members)
    tracker.findings.set(state.index, { code: 'machine_paced', evidence });
  return [
    {
      accounts: members.map((state) => state.index),
      hubs: [],
      families: new Set(['content']),
      meanScore: Math.max(pooled.meanScore, thresholds.minCampaignScore),
    },
  ];
}
