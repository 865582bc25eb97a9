import type { Random } from './random.js';

/** Quantiles at 0, 5, 10, 25, 50, 75, 90, 95, 99, 100 % of a length distribution. */
export type LengthQuantiles = readonly [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

const LEVELS = [0, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

// Baked from ../shared/corpora: the Azure LLM inference trace (2023, conversation and code
// services) and the Mooncake/Kimi conversation trace, so the built-in path needs no data.
export const OUTPUT_LENGTHS = {
  /** Azure conversation: generated tokens. */
  chat: [4, 41, 54, 85, 129, 395, 424, 451, 601, 1600],
  /** Azure code: generated tokens (completions are short). */
  code: [2, 6, 7, 9, 13, 24, 55, 90, 249, 900],
  /** Mooncake: output tokens of long-context agent/chat sessions. */
  agent: [2, 10, 24, 156, 350, 472, 597, 698, 1115, 2000],
  /** Reasoning-trace elicitation: long answers that spell out every step. */
  reasoning: [300, 650, 800, 1100, 1600, 2300, 3200, 3900, 6000, 8000],
  /** Long-form generation asked for at length (a whole chapter, a full solution set). */
  longform: [900, 2500, 3500, 5500, 8000, 11000, 14000, 16000, 24000, 32000],
  /** Structured extraction / classification. */
  extraction: [1, 3, 5, 12, 40, 85, 130, 160, 240, 400],
} as const satisfies Record<string, LengthQuantiles>;

/** Reasoning tokens a reasoning model spends per answer, by how hard the prompt pushes for it. */
export const REASONING_LENGTHS: LengthQuantiles = [
  0, 60, 120, 300, 700, 1500, 3000, 4500, 9000, 16000,
];

/** Draws a length by linear interpolation of the inverse CDF. */
export function sampleLength(random: Random, quantiles: LengthQuantiles): number {
  const u = random.next();
  let index = 1;
  while (index < LEVELS.length - 1 && u > (LEVELS[index] as number)) index++;
  const lowLevel = LEVELS[index - 1] as number;
  const highLevel = LEVELS[index] as number;
  const low = quantiles[index - 1] as number;
  const high = quantiles[index] as number;
  return Math.max(1, Math.round(low + ((u - lowLevel) / (highLevel - lowLevel)) * (high - low)));
}

/** Rough token count of a text (≈ 4 characters per token for Latin scripts, 1.5 for CJK). */
export function estimateTokens(characters: number): number {
  return Math.max(1, Math.ceil(characters / 3.6));
}
