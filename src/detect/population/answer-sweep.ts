import type { AcceptedCommunity } from '../accept-community.js';
import type { AccountState } from '../account-state.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import { EXIT_KIND_INDEX } from '../exit-kind.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { isPublicValue } from '../public-value.js';
import { createUnionFind } from '../union-find.js';
import { findingEligibility } from './finding-eligibility.js';
import { pooledContent } from './pooled-content.js';
import type { PopulationContext } from './population-communities.js';
import { NEW_ACCOUNT_MS, rarityWeight } from './rarity-weight.js';
import { rotatesResidentialExits } from './residential-rotation.js';

/** Exchanges before an account's turn shape and answer length mean anything (~1–2 days at ≤ 10 a day). */
export const SWEEP_MIN_EXCHANGES = 10;
/** Share of single-turn requests: a harvester asks, takes the answer and moves on. */
export const SWEEP_SINGLE_TURN = 0.9;
/** Mean answer length in output tokens (honest chat ~130; a harvester asks for long answers). */
export const SWEEP_LONG_ANSWER = 1000;
/** Share of requests offering tools that still counts as plain Q&A. */
const SWEEP_MAX_TOOL_SHARE = 0.1;
/** Distinct owners the sweep needs: at ≤ 10 requests a day, a drip is only worth it at scale. */
export const SWEEP_MIN_OWNERS = 10;
/** Profile accounts a shared question value needs, and their share of its active carriers. */
const MIN_CARRIERS = 3;
export const SWEEP_PURITY = 0.8;
/** Rarity below which a value is everyone's. */
const MIN_RARITY = 0.2;
/** Shared question values each member must carry (one chance near-duplicate ties nobody). */
export const SWEEP_MEMBER_VALUES = 2;

const RESIDENTIAL = EXIT_KIND_INDEX.residential;

/** The question itself: its template skeleton and near-duplicate bands. */
const QUESTION = new Set<number>([KEY_TYPE_INDEX.template, KEY_TYPE_INDEX.near_duplicate]);

const isNew = (state: AccountState): boolean => {
  const age = state.firstMs - state.createdMs;
  return Number.isFinite(age) && age <= NEW_ACCOUNT_MS;
};

/**
 * The harvesting shape of one account, with no cue needed: new, placed on a rotating residential
 * proxy pool ({@link rotatesResidentialExits}), enough requests, nearly all single-turn, no
 * tools, long answers. Honest single-turn long-answer traffic (an exam teacher, a benchmark or
 * reasoning lab, a homework student) comes from an established account or from one home, campus
 * or office network; a course's students whose exits rotate do so behind a consumer VPN
 * (hosting ranges) or on their phones (a carrier's mobile ranges), not across home lines.
 */
export function sweepsAnswers(state: AccountState): boolean {
  const n = state.exchanges;
  return (
    n >= SWEEP_MIN_EXCHANGES &&
    state.singleTurn / n >= SWEEP_SINGLE_TURN &&
    state.withTools / n <= SWEEP_MAX_TOOL_SHARE &&
    state.outputTokens / n >= SWEEP_LONG_ANSWER &&
    isNew(state) &&
    rotatesResidentialExits(state)
  );
}

/**
 * A slow drip of expert Q&A (red team, issue 15): accounts of {@link SWEEP_MIN_OWNERS}+ owners,
 * each harvesting on its own ({@link sweepsAnswers}), whose questions share values — template
 * skeletons or near-duplicate bands — that nearly nobody else sends ({@link SWEEP_PURITY} of the
 * value's active carriers are such accounts; rare; not public) and each member at least
 * {@link SWEEP_MEMBER_VALUES} of them. Threat: an operator distilling one domain at ≤ 10 requests
 * a day per account shares no network, card or sign-up clump, but its questions come from one
 * generator over one domain, so different accounts' questions overlap, and it must open and
 * place every account (new, exits rotating across residential networks, which it buys to look
 * like home users) and ask for long single-turn answers. Innocent carriers: students of one
 * course or an exam teacher's class share questions from their own network (no trace), and a
 * course's new students behind consumer VPNs or on mobile data rotate, but through hosting or
 * mobile ranges; a Q&A site's users asking the same popular questions are established and the
 * questions public; privacy VPN users asking expert questions rotate exits but ask their own
 * questions (no shared values); a research group or labelling vendor is one declared organisation
 * with several such accounts (left out). Needs an IP→ASN table with kinds: without one no exit
 * is residential and the finding stays silent.
 * Four families, none sufficient: shared questions (content), age (identity), rotating
 * residential exits (network), the single-turn long-answer shape (behaviour).
 */
export function answerSweeps(
  context: PopulationContext,
  held: readonly { accounts: readonly number[] }[],
): AcceptedCommunity[] {
  const { accounts, index, tracker, thresholds, nowMs } = context;
  const eligible = findingEligibility(context, held, 'answer_sweep');
  if (eligible === null) return [];
  let active = 0;
  const shaped: AccountState[] = [];
  const perOrg = new Map<string, number>();
  for (const state of accounts) {
    if (state.exchanges > 0) active += 1;
    if (state.flaggedBy === 'reseller' || !sweepsAnswers(state)) continue;
    if (!eligible(state) || isEstablishedOrganisation(state, nowMs)) continue;
    shaped.push(state);
    const org = state.record?.org_id;
    if (org !== undefined) perOrg.set(org, (perOrg.get(org) ?? 0) + 1);
  }
  // A declared organisation running several such accounts is one customer's pipeline (a
  // labelling vendor, a research group), not a pool of strangers: it is judged by other evidence.
  const profiled = shaped.filter((state) => (perOrg.get(state.record?.org_id ?? '') ?? 0) < 2);
  const byValue = new Map<number, number[]>();
  profiled.forEach((state, at) => {
    for (const keyId of state.keys) {
      if (!QUESTION.has(index.typeOf(keyId))) continue;
      const list = byValue.get(keyId) ?? [];
      list.push(at);
      byValue.set(keyId, list);
    }
  });
  if (profiled.length < SWEEP_MIN_OWNERS) return [];
  const sets = createUnionFind(profiled.length);
  const values: number[] = profiled.map(() => 0);
  for (const [keyId, list] of byValue) {
    if (list.length < MIN_CARRIERS) continue;
    const carriers = index.activeMembers(keyId);
    if (list.length < SWEEP_PURITY * carriers) continue;
    if (rarityWeight(carriers, active) < MIN_RARITY) continue;
    if (isPublicValue(index.members(keyId), accounts, index)) continue;
    for (const at of list) {
      values[at] = (values[at] as number) + 1;
      sets.union(list[0] as number, at);
    }
  }
  const components = new Map<number, number[]>();
  for (let at = 0; at < profiled.length; at += 1) {
    if ((values[at] as number) < SWEEP_MEMBER_VALUES) continue;
    const root = sets.find(at);
    const list = components.get(root) ?? [];
    list.push(at);
    components.set(root, list);
  }
  const accepted: AcceptedCommunity[] = [];
  for (const component of components.values()) {
    const members = component.map((at) => profiled[at] as AccountState);
    if (owners(members) < SWEEP_MIN_OWNERS) continue;
    const pooled = pooledContent(members, tracker);
    const evidence = {
      accounts: members.length,
      families: ['age', 'behaviour', 'content', 'network'],
      meanOutputTokens: Math.round(
        members.reduce((sum, state) => sum + state.outputTokens, 0) / Math.max(1, pooled.exchanges),
      ),
      exchanges: pooled.exchanges,
      residentialShare:
        Math.round(
          (100 *
            members.reduce((sum, state) => sum + (state.exitRequests[RESIDENTIAL] as number), 0)) /
            Math.max(
              1,
              members.reduce((sum, state) => sum + state.exchanges, 0),
            ),
        ) / 100,
    };
    for (const state of members)
      tracker.findings.set(state.index, { code: 'answer_sweep', evidence });
    accepted.push({
      accounts: members.map((state) => state.index),
      hubs: [],
      families: new Set(['content']),
      meanScore: Math.max(pooled.meanScore, thresholds.minCampaignScore),
    });
  }
  return accepted;
}

/** Distinct owners: a declared organisation counts once, an account without one is its own. */
function owners(members: readonly AccountState[]): number {
  return new Set(members.map((state) => state.record?.org_id ?? state.id)).size;
}
