import type { AccountState } from '../account-state.js';
import { highValueShare } from '../individual-score.js';

/** What a group asks for, pooled over all its exchanges (per-account windows are tiny at ~26/day). */
export interface PooledContent {
  exchanges: number;
  /** Share of exchanges with a cue at the engine's cue score. */
  cueShare: number;
  /** Share with any cue at all ({@link WEAK_CUE}). */
  weakCueShare: number;
  /** Share in high-value capabilities (coding, maths, agentic, …). */
  highValueShare: number;
  /** Share of exchanges repeating a template the same account sent before. */
  repeatShare: number;
  meanScore: number;
  /** Share of exchanges that offered tools. */
  toolShare: number;
  /** Of those, the share offering another tool set than the account's previous request. */
  toolSwitchShare: number;
}

/** What pooling reads from the population tracker. */
export interface PooledCounts {
  weakCues(account: number): number;
  toolExchanges(account: number): number;
  toolSwitches(account: number): number;
}

export function pooledContent(
  members: readonly AccountState[],
  counts: PooledCounts,
): PooledContent {
  let tools = 0;
  let switches = 0;
  let exchanges = 0;
  let cues = 0;
  let weak = 0;
  let highValue = 0;
  let repeats = 0;
  let score = 0;
  for (const state of members) {
    exchanges += state.exchanges;
    cues += state.cueExchanges;
    weak += Math.max(counts.weakCues(state.index), state.cueExchanges);
    tools += counts.toolExchanges(state.index);
    switches += counts.toolSwitches(state.index);
    highValue += highValueShare(state) * state.exchanges;
    repeats += state.templateRepeats;
    score += state.score;
  }
  const n = Math.max(1, exchanges);
  return {
    exchanges,
    cueShare: cues / n,
    weakCueShare: weak / n,
    highValueShare: highValue / n,
    repeatShare: repeats / n,
    meanScore: score / Math.max(1, members.length),
    toolShare: tools / n,
    toolSwitchShare: switches / Math.max(1, tools),
  };
}

/** Pooled weak-cue share of a group that harvests reasoning. */
const GROUP_WEAK_CUES = 0.6;
/** Pooled share at the engine's cue score. */
const GROUP_CUES = 0.3;
/** A sweep: nearly all high-value, nearly no repeats (a CI job repeats its tasks). */
const GROUP_SWEEP = 0.85;
const GROUP_SWEEP_REPEATS = 0.1;
/** A tool-use sweep: most requests offer tools, and the tool set keeps changing. */
export const TOOL_SWEEP_SHARE = 0.5;
export const TOOL_SWEEP_SWITCHES = 0.5;

/**
 * Whether requests sweep tool schemas: most offer tools, and most offer another set than the
 * request before. Distilling function calling needs many schemas (the student must learn tool use
 * in general); an application, an agent platform's job or an open-source agent offers its own
 * fixed set on every request.
 */
export function sweepsTools(toolShare: number, toolSwitchShare: number): boolean {
  return toolShare >= TOOL_SWEEP_SHARE && toolSwitchShare >= TOOL_SWEEP_SWITCHES;
}

/**
 * Does the group, taken together, harvest? Reasoning elicitation throughout its traffic, a sweep
 * of tool schemas ({@link sweepsTools}), or a near-duplicate-free sweep of high-value tasks by
 * accounts whose own scores are suspicious.
 * Either way it is one family of evidence: the group must also be bound by others.
 */
export function harvests(pooled: PooledContent, minCampaignScore: number): boolean {
  if (pooled.weakCueShare >= GROUP_WEAK_CUES || pooled.cueShare >= GROUP_CUES) return true;
  if (sweepsTools(pooled.toolShare, pooled.toolSwitchShare)) return true;
  return (
    pooled.highValueShare >= GROUP_SWEEP &&
    pooled.repeatShare <= GROUP_SWEEP_REPEATS &&
    pooled.meanScore >= minCampaignScore
  );
}
