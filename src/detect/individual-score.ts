import { type AccountState, topCount } from './account-state.js';
import { CAPABILITIES } from './prompt/capability.js';

/** Capabilities a distilled student gains most from; concentration on one of them is content evidence. */
const HIGH_VALUE = new Set([
  'coding',
  'math_reasoning',
  'agentic_tool_use',
  'computer_use',
  'vision',
  'rubric_grading',
]);
const HIGH_VALUE_INDEX = CAPABILITIES.map((capability) => HIGH_VALUE.has(capability));

export interface IndividualScore {
  /** 0–1: what the prompts ask for (elicitation, rubric, censorship cues, capability concentration). */
  content: number;
  /** 0–1: how the account behaves (single-turn harvest, fixed parameters, regular cadence, long outputs). */
  behaviour: number;
  /** 0–1: the combination (with entry-path risk); behaviour without content stays low, so volume alone never flags. */
  score: number;
}

/**
 * The account's own evidence, before any cross-account linkage. O(capabilities + small maps).
 * Content is smoothed (`cues / (n + 1)`) so one cue on a first exchange counts, but a single
 * cue in a long honest history does not.
 */
export function scoreIndividual(state: AccountState): IndividualScore {
  const n = state.exchanges;
  if (n === 0) return { content: 0, behaviour: 0, score: 0 };
  const cueRate = state.cueExchanges / (n + 1);
  // High-value capabilities count as content when the prompts keep changing (a dataset sweep),
  // not when a CI job or an evaluation loop repeats the same few tasks.
  const coverage = highValueShare(state) * (1 - state.templateRepeats / n);
  const content = Math.min(1, Math.max(1.2 * cueRate, 0.45 * coverage));
  const behaviour = behaviourOf(state);
  const risk = accountRisk(state);
  const score = content >= 0.1 ? 0.5 * content + 0.3 * behaviour + 0.2 * risk : 0.25 * behaviour;
  return { content, behaviour, score };
}

/** Share of exchanges in high-value capabilities. */
export function highValueShare(state: AccountState): number {
  let total = 0;
  for (let index = 0; index < state.capabilities.length; index += 1) {
    if (HIGH_VALUE_INDEX[index]) total += state.capabilities[index] as number;
  }
  return total / Math.max(1, state.exchanges);
}

/** Share of the top capability, discounted unless it is a high-value one. */
export function capabilityConcentration(state: AccountState): number {
  let top = 0;
  let topIndex = 0;
  for (let index = 0; index < state.capabilities.length; index += 1) {
    const count = state.capabilities[index] as number;
    if (count > top) {
      top = count;
      topIndex = index;
    }
  }
  const share = top / Math.max(1, state.exchanges);
  return HIGH_VALUE_INDEX[topIndex] ? share : 0.3 * share;
}

/**
 * Entry-path risk: the programs abused most (education, research, startup credits) and an account
 * that starts harvesting within a day of signing up.
 */
export function accountRisk(state: AccountState): number {
  const record = state.record;
  if (!record) return 0;
  const program = record.program ? 0.5 : 0;
  const young = state.firstMs - state.createdMs < 24 * 3600_000 ? 0.5 : 0;
  return program + young;
}

export function behaviourOf(state: AccountState): number {
  const n = state.exchanges;
  const single = state.singleTurn / n;
  const fixed = fixedParameterShare(state);
  const cadence = cadenceRegularity(state);
  const harvest = Math.min(1, state.outputTokens / n / 800);
  return 0.35 * single + 0.2 * fixed + 0.2 * cadence + 0.25 * harvest;
}

/** Mean share of the most common max_tokens and temperature values. */
export function fixedParameterShare(state: AccountState): number {
  const n = Math.max(1, state.exchanges);
  return (topCount(state.maxTokens) / n + topCount(state.temperatures) / n) / 2;
}

/** 1 − coefficient of variation of inter-arrival gaps (needs five gaps); 1 = metronome. */
export function cadenceRegularity(state: AccountState): number {
  if (state.gapCount < 5 || state.gapMean <= 0) return 0;
  const deviation = Math.sqrt(state.gapM2 / (state.gapCount - 1));
  return Math.max(0, Math.min(1, 1 - deviation / state.gapMean));
}
