/**
 * Called once per generated token with the context ids and the next-token log-probabilities;
 * returns adjusted logits (e.g. a green-list bias) or directly the chosen token id
 * (e.g. a distortion-free watermark that samples itself).
 */
export type LogitsHook = (
  context: readonly number[],
  logits: Float64Array,
) => Float64Array | number;

export interface GenerateOptions {
  prompt: string;
  maxTokens: number;
  /** Source of uniform numbers in [0, 1); inject a seeded one for reproducible output. */
  random: () => number;
  logitsHook?: LogitsHook;
  /** Softmax temperature (default 1); 0 means greedy. */
  temperature?: number;
}

/** A next-token language model over a fixed vocabulary of token ids. */
export interface LanguageModel {
  readonly vocabularySize: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** The text piece of one token, with its leading space if any (for streaming). */
  decodeToken(id: number): string;
  /** Next-token log-probabilities over the vocabulary (natural log; they sum to 1 in exp). */
  logits(context: readonly number[]): Float64Array;
  /**
   * Yields generated token ids (the prompt excluded); stops at end of text or `maxTokens`.
   * A non-empty prompt is read as a user turn: the answer starts on a new line after it.
   */
  generate(options: GenerateOptions): Iterable<number>;
}
