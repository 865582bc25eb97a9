import type { AccountState } from '../account-state.js';
import { isEstablishedOrganisation } from '../established-organisation.js';
import { behaviourOf } from '../individual-score.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import type { PopulationTracker } from './population-tracker.js';

/** Exchanges before an account's own evidence can be overwhelming. */
const MIN_EXCHANGES = 30;
/** Individual score (content, behaviour and entry risk together). */
const MIN_SCORE = 0.85;
/** Share of exchanges eliciting reasoning, rubric grading or censored rewrites. */
const MIN_CUE_SHARE = 0.8;
/** Harvesting behaviour: single-turn, fixed parameters, machine cadence, long outputs. */
const MIN_BEHAVIOUR = 0.6;
/** Exits rotating across networks: distinct /24s, and at least one per dozen requests. */
const MIN_SUBNETS = 4;
const REQUESTS_PER_SUBNET = 12;

/**
 * An account whose own evidence is overwhelming, flagged without any campaign: every
 * independent individual family at its extreme at once — nearly all of its prompts elicit
 * (content), it harvests like a script (behaviour), it entered through an abused path or
 * started within a day (risk, in the score), and its exits rotate across networks. An
 * evaluation lab benchmarking reasoning has the first two but its own backends and years of
 * standing; a student has one home network and conversations.
 */
export function overwhelmingEvidence(
  state: AccountState,
  nowMs: number,
): Record<string, unknown> | undefined {
  const n = state.exchanges;
  if (n < MIN_EXCHANGES || state.score < MIN_SCORE) return undefined;
  const cueShare = state.cueExchanges / n;
  if (cueShare < MIN_CUE_SHARE) return undefined;
  const behaviour = behaviourOf(state);
  if (behaviour < MIN_BEHAVIOUR) return undefined;
  const subnets = state.keysPerType[KEY_TYPE_INDEX.subnet] as number;
  if (subnets < MIN_SUBNETS || subnets < n / REQUESTS_PER_SUBNET) return undefined;
  if (isEstablishedOrganisation(state, nowMs)) return undefined;
  return {
    score: round(state.score),
    share: round(cueShare),
    behaviour: round(behaviour),
    subnets,
    exchanges: n,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** {@link overwhelmingEvidence}, recorded as the account's `overwhelming_individual` finding. */
export function isOverwhelming(
  state: AccountState,
  nowMs: number,
  tracker: PopulationTracker,
): boolean {
  const evidence = overwhelmingEvidence(state, nowMs);
  if (evidence) tracker.findings.set(state.index, { code: 'overwhelming_individual', evidence });
  return evidence !== undefined;
}
