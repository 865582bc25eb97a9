import type { AcceptedCommunity } from '../accept-community.js';
import type { AccountState } from '../account-state.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { findingEligibility } from './finding-eligibility.js';
import { pooledContent, TOOL_SWEEP_SHARE, TOOL_SWEEP_SWITCHES } from './pooled-content.js';
import type { PopulationContext } from './population-communities.js';
import { NEW_ACCOUNT_MS } from './rarity-weight.js';

/** Active seats an organisation needs before its pooled traffic is judged (a lab's few keys are not). */
export const ORG_MIN_SEATS = 10;
/** Share of its active seats that must be new accounts: the organisation itself is young. */
export const ORG_NEW_SHARE = 0.8;
/** Pooled share of prompts with a cue at the engine's cue score (honest seat rollout ~0). */
export const ORG_CUE_SHARE = 0.1;
/** Pooled mean answer length in output tokens (an office assistant's answers are short). */
export const ORG_LONG_ANSWER = 600;
/** Pooled share in high-value capabilities (reasoning, coding, maths, agentic work). */
export const ORG_HIGH_VALUE = 0.7;
/** Pooled share of prompts repeating a template the seat sent before (a benchmark reruns its items). */
export const ORG_MAX_REPEAT_SHARE = 0.5;
/**
 * Distinct questions (template skeletons and near-duplicate bands) the organisation asks per
 * active seat: a harvest buys breadth, so its questions grow with its seats (front company ~11);
 * a class pastes one course's problem sets, the same few dozen however many students (~1.7).
 */
export const ORG_MIN_QUESTIONS_PER_SEAT = 4;
/** Pooled exchanges before the organisation's traffic is judged. */
const ORG_MIN_EXCHANGES = 100;
/** Exchanges a seat needs to count as active. */
const MIN_SEAT_EXCHANGES = 3;

/** The question itself: its template skeleton and near-duplicate bands. */
const QUESTION = new Set<number>([KEY_TYPE_INDEX.template, KEY_TYPE_INDEX.near_duplicate]);

const isNew = (state: AccountState): boolean => {
  const age = state.firstMs - state.createdMs;
  return Number.isFinite(age) && age <= NEW_ACCOUNT_MS;
};

/**
 * A young organisation whose seats, pooled, harvest (red team B, issue 15): one declared
 * organisation (`org_id`) with {@link ORG_MIN_SEATS}+ active seats, nearly all new
 * ({@link ORG_NEW_SHARE}) and none of an established organisation, whose traffic taken together
 * elicits reasoning ({@link ORG_CUE_SHARE}) with long answers ({@link ORG_LONG_ANSWER}) in
 * high-value work ({@link ORG_HIGH_VALUE}), with little repetition ({@link ORG_MAX_REPEAT_SHARE}),
 * broad across its seats ({@link ORG_MIN_QUESTIONS_PER_SEAT}) and not through one fixed tool set. Threat: a front company buys
 * seats under one organisation, card, domain and egress, so nothing it shares links across owners
 * (`spansOwners`) and each seat's share of the harvest is modest; but it cannot give the company a
 * history, and what it came for (reasoning with long answers, broad, never rerun) shows once its
 * seats are pooled. Innocent carriers: a company rolling out seats to its staff is young too, but
 * its office assistant sends short, cue-free work; an agent platform's service accounts send
 * tools; a benchmark reruns its items and a lab benchmarks through a few keys, not ten new seats;
 * a reasoning lab, translation agency or veteran customer of standing is established.
 * Families: age (identity) and pooled content; the organisation is the operator's own declaration.
 */
export function youngOrganisationHarvests(
  context: PopulationContext,
  held: readonly { accounts: readonly number[] }[],
): AcceptedCommunity[] {
  const { accounts, index, tracker, thresholds, nowMs } = context;
  const eligible = findingEligibility(context, held, 'young_organisation');
  if (eligible === null) return [];
  const byOrg = new Map<string, AccountState[]>();
  for (const state of accounts) {
    const org = state.record?.org_id;
    if (org === undefined || state.exchanges < MIN_SEAT_EXCHANGES) continue;
    const list = byOrg.get(org) ?? [];
    list.push(state);
    byOrg.set(org, list);
  }
  const accepted: AcceptedCommunity[] = [];
  for (const seats of byOrg.values()) {
    if (seats.length < ORG_MIN_SEATS) continue;
    if (seats.some((state) => isEstablishedOrganisation(state, nowMs))) continue;
    if (seats.filter(isNew).length < ORG_NEW_SHARE * seats.length) continue;
    const pooled = pooledContent(seats, tracker);
    const meanOutput =
      seats.reduce((sum, state) => sum + state.outputTokens, 0) / Math.max(1, pooled.exchanges);
    // An application calling its own fixed tool set (an agent platform's jobs) is a product, not
    // a sweep of tool schemas.
    const ownTools =
      pooled.toolShare >= TOOL_SWEEP_SHARE && pooled.toolSwitchShare < TOOL_SWEEP_SWITCHES;
    if (
      pooled.exchanges < ORG_MIN_EXCHANGES ||
      pooled.cueShare < ORG_CUE_SHARE ||
      meanOutput < ORG_LONG_ANSWER ||
      pooled.highValueShare < ORG_HIGH_VALUE ||
      pooled.repeatShare > ORG_MAX_REPEAT_SHARE ||
      ownTools
    )
      continue;
    // A second seat asking the same question buys the harvest nothing: the class's seats share
    // one problem set, the front company's spread over other questions.
    const questions = new Set<number>();
    for (const state of seats) {
      for (const keyId of state.keys) if (QUESTION.has(index.typeOf(keyId))) questions.add(keyId);
    }
    if (questions.size < ORG_MIN_QUESTIONS_PER_SEAT * seats.length) continue;
    const members = seats.filter((state) => state.flaggedBy !== 'reseller' && eligible(state));
    if (members.length === 0) continue;
    const evidence = {
      accounts: seats.length,
      families: ['age', 'content'],
      cueShare: Math.round(pooled.cueShare * 1000) / 1000,
      meanOutputTokens: Math.round(meanOutput),
      questionsPerSeat: Math.round((questions.size / seats.length) * 10) / 10,
      exchanges: pooled.exchanges,
    };
    for (const state of members)
      tracker.findings.set(state.index, { code: 'young_organisation', evidence });
    accepted.push({
      accounts: members.map((state) => state.index),
      hubs: [],
      families: new Set(['content']),
      meanScore: Math.max(pooled.meanScore, thresholds.minCampaignScore),
    });
  }
  return accepted;
}
