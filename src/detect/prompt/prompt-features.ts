import type { Endpoint, ExchangeRequest } from '../../log/exchange.js';
import type { Capability } from './capability.js';

/** What the prompt analysers see in one request (no raw text: codes, scores, hashes). */
export interface PromptFeatures {
  /** ISO 639-1 guess of the last user turn (`en`, `zh`, `es`, `ru`, `ko`, `ja`, …) or `und`. */
  language: string;
  /** 0–1: asks for step-by-step reasoning, the reasoning behind a given answer, thoughts in tags, a full chain of thought. */
  reasoningElicitation: number;
  /** 0–1: asks to grade or score a response against a rubric, reward-model style output. */
  rubricGrading: number;
  /** 0–1: asks for a "safe", neutral or censorship-compliant rewrite of a politically sensitive text. */
  censorshipRewrite: number;
  /** Stable codes of what matched (`reasoning.step_by_step`, `rubric.score_scale`, …), sorted. */
  cues: string[];
  /** Primary capability category. */
  capability: Capability;
  /** Number of user messages. */
  userTurns: number;
  /** Image content parts (OpenAI `image_url` / `input_image`, Anthropic `image`). */
  hasImage: boolean;
  /** Tools defined in the request. */
  hasTools: boolean;
  /**
   * 16 hex digits: hash of the prompt skeleton; equal for prompts made from one template.
   * '' (falsy) when the prompt has fewer than 3 literal words: a greeting is no shared template.
   */
  templateHash: string;
  /** MinHash signature of the skeleton shingles (one-permutation hashing, `minhashSize` slots). */
  minhash: Uint32Array;
  /** LSH band keys (`<band>:<hex>`); two prompts sharing a key are near-duplicates w.h.p. Empty for tiny prompts. */
  lshKeys: string[];
  /** 16 hex digits: fingerprint of the normalised system prompt, or null without one. */
  systemPromptHash: string | null;
  /** 16 hex digits: order-insensitive fingerprint of the tool definitions, or null without tools. */
  toolSetHash: string | null;
  /** Characters of user text (all user turns). */
  promptChars: number;
}

/** Turns one request into {@link PromptFeatures}; never throws on odd input. */
export interface PromptAnalyzer {
  analyze(request: ExchangeRequest, endpoint: Endpoint): PromptFeatures;
}
