import { DistillguardError } from '../../shared/distillguard-error.js';
import type { WatermarkKey } from '../keys/watermark-key.js';
import { createTokenScorer } from '../token/detect-token-watermark.js';
import type { TokenWatermarkScheme } from '../token/watermark-scheme.js';
import { buildEvidence, type RadioactivityEvidence } from './audit-radioactivity.js';
import { postToSuspect } from './post-to-suspect.js';
import { withoutCredentials } from './without-credentials.js';

/**
 * The suspect's reading of one text: its own token pieces and, at each position `j`, the piece it
 * ranks first given `pieces[0..j)` (`undefined` where it gives none, e.g. position 0).
 */
export interface SuspectReading {
  readonly pieces: readonly string[];
  readonly predictions: readonly (string | undefined)[];
}

/** Reads a text through the suspect (in process or over HTTP). */
export type NextTokenSource = (text: string) => Promise<SuspectReading> | SuspectReading;

/** The parts of a language model an open-model source needs (e.g. the n-gram student). */
export interface OpenModel {
  encode(text: string): number[];
  decodeToken(id: number): string;
  /** Next-token log-probabilities given the context ids. */
  logits(context: readonly number[]): Float64Array;
}

/** Next-token log-probabilities of the provider's model over the watermark's token ids. */
export interface ReferenceModel {
  logits(context: readonly number[]): Float64Array;
}

/** The watermark's tokenizer: pieces are mapped to the ids the watermark hashed. */
export interface WatermarkTokenizer {
  encode(text: string): number[];
}

export interface OpenAuditOptions {
  scheme: TokenWatermarkScheme;
  keys: readonly WatermarkKey[];
  /** How the suspect predicts: `logProbabilitySource(model)` or `completionsSource({ url })`. */
  source: NextTokenSource;
  /**
   * Texts fed through the suspect. Use a neutral corpus (or unwatermarked generations of the
   * provider's model): then under H0 neither texts nor predictions depend on the key and the test
   * is exact. Watermarked texts would make a clean model that merely predicts the text look green.
   */
  texts: readonly string[];
  tokenizer: WatermarkTokenizer;
  /**
   * The provider's own model without a watermark, over the watermark's token ids. When given,
   * only positions where the suspect's top-1 differs from the reference's are scored: that is
   * where a learned watermark shows, and the filter uses no key, so the test stays exact.
   */
  reference?: ReferenceModel;
  /** Family-wise error rate across keys (default 1e-6). */
  alpha?: number;
  /** Number of random control keys (default 20). */
  controls?: number;
  onText?: (done: number) => void;
}

/**
 * Open-model radioactivity audit ("reading mode", Sander et al. 2024): feeds `texts` through the
 * suspect, takes its top-1 next-token prediction at each position, keeps each distinct (watermark
 * context window, predicted token) pair once, and scores the pairs under every key with an exact
 * binomial (green-list) or gamma (exponential) tail; Holm over keys. Nothing is selected with a
 * key, so under H0 the p-value is exact. Pieces the watermark tokenizer cannot map to exactly one
 * id end the usable context (they are counted, not scored).
 *
 * @example
 * const evidence = await auditOpenModelRadioactivity({
 *   scheme, keys, texts, tokenizer: teacher, source: logProbabilitySource(student),
 * });
 */
export async function auditOpenModelRadioactivity(
  options: OpenAuditOptions,
): Promise<RadioactivityEvidence> {
  const { scheme, keys, source, texts, tokenizer, reference, onText } = options;
  const width = scheme.contextWidth;
  const pieceIds = new Map<string, number | undefined>();
  const idOf = (piece: string): number | undefined => {
    if (!pieceIds.has(piece)) {
      const ids = tokenizer.encode(piece);
      pieceIds.set(piece, ids.length === 1 ? ids[0] : undefined);
    }
    return pieceIds.get(piece);
  };
  const distinct = new Set<string>();
  const scored = new Set<string>();
  const pairs: { window: number[]; unit: number }[] = [];
  let predictions = 0;
  let positions = 0;
  for (const [index, text] of texts.entries()) {
    const reading = await source(text);
    // `prefix`: the whole text so far in watermark ids (the reference's context); `context`: the
    // mapped ids since the last piece without a single id (a window must not straddle a gap).
    const prefix: number[] = [];
    let context: number[] = [];
    for (let position = 0; position < reading.pieces.length; position += 1) {
      positions += 1;
      const predicted = reading.predictions[position];
      const unit = predicted === undefined ? undefined : idOf(predicted);
      if (predicted !== undefined && context.length >= width) predictions += 1;
      if (unit !== undefined && context.length >= width) {
        const window = context.slice(-width);
        const pairKey = `${window.join(',')}:${unit}`;
        distinct.add(pairKey);
        const agrees = reference !== undefined && argmax(reference.logits(prefix)) === unit;
        if (!agrees && !scored.has(pairKey)) {
          scored.add(pairKey);
          pairs.push({ window, unit });
        }
      }
      const piece = reading.pieces[position]!;
      const id = idOf(piece);
      if (id === undefined) {
        context = [];
        prefix.push(...tokenizer.encode(piece));
      } else {
        context.push(id);
        prefix.push(id);
      }
    }
    onText?.(index + 1);
  }
  const testKey = (key: WatermarkKey) => {
    const scorer = createTokenScorer(scheme, key);
    const scores = pairs.map(({ window, unit }) => scorer.scorePair(window, unit));
    const detection = scorer.test({ scores });
    return { statistic: detection.statistic, logPValue: detection.logPValue };
  };
  return buildEvidence({
    watermark: scheme.kind,
    scheme,
    mode: 'open',
    test:
      (scheme.kind === 'green-list'
        ? `exact binomial tail, P(green) = γ = ${scheme.gamma} per distinct (window, top-1 prediction) pair`
        : 'exact gamma tail, sum of Exp(1) scores over distinct (window, top-1 prediction) pairs') +
      (reference ? ", scored where the suspect's top-1 differs from the reference's" : ''),
    suspectUnits: positions,
    distinctPairs: distinct.size,
    scoredPairs: pairs.length,
    predictions,
    options: { keys, ...optional(options) },
    testKey,
  });
}

function optional({ alpha, controls }: OpenAuditOptions): { alpha?: number; controls?: number } {
  return {
    ...(alpha === undefined ? {} : { alpha }),
    ...(controls === undefined ? {} : { controls }),
  };
}

/**
 * An in-process source from a model's next-token log-probabilities: the suspect tokenizes the
 * text itself and its argmax at each position is the prediction.
 */
export function logProbabilitySource(model: OpenModel): NextTokenSource {
  return (text) => {
    const ids = model.encode(text);
    const pieces = ids.map((id) => model.decodeToken(id));
    const predictions = ids.map((_, position) =>
      position === 0 ? undefined : model.decodeToken(argmax(model.logits(ids.slice(0, position)))),
    );
    return { pieces, predictions };
  };
}

/** Index of the largest value (the first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let index = 1; index < values.length; index += 1) {
    if (values[index]! > values[best]!) best = index;
  }
  return best;
}

export interface CompletionsSourceOptions {
  /** Base URL of an OpenAI-compatible API (`http://host/v1`) or its `/completions` URL. */
  url: string;
  model?: string;
  /** Bearer token; read from the environment by the CLI, never logged. */
  apiKey?: string;
  fetch?: typeof globalThis.fetch;
  /** Extra tries after a transport failure (reset, refused); default 2. HTTP errors never retry. */
  retries?: number;
}

/**
 * A source over an OpenAI-compatible `/v1/completions` endpoint that returns prompt
 * log-probabilities (vLLM style): `echo: true, logprobs: 1, max_tokens: 0`; the top-1 alternative
 * at each prompt position is the prediction.
 */
export function completionsSource({
  url,
  model = 'suspect',
  apiKey,
  fetch = globalThis.fetch,
  retries = 2,
}: CompletionsSourceOptions): NextTokenSource {
  const endpoint = url.endsWith('/completions') ? url : `${url.replace(/\/+$/, '')}/completions`;
  // Errors name the endpoint without user, password or query: they end up in logs.
  const shown = withoutCredentials(endpoint);
  return async (text) => {
    const response = await postToSuspect(
      { endpoint, shown, apiKey, fetch, retries },
      { model, prompt: text, echo: true, logprobs: 1, max_tokens: 0, temperature: 0 },
    );
    if (!response.ok) {
      throw new DistillguardError(
        'suspect_error',
        `the suspect answered HTTP ${response.status}; open mode needs /v1/completions with echo and prompt logprobs (vLLM); check --suspect, --model and the API key variable`,
        { endpoint: shown, status: response.status },
      );
    }
    const reading = readPromptLogprobs(await response.json().catch(() => undefined));
    if (reading === undefined) {
      throw new DistillguardError(
        'suspect_invalid_response',
        `the suspect's answer has no choices[0].logprobs.tokens/top_logprobs; does ${shown} return prompt logprobs with echo?`,
        { endpoint: shown },
      );
    }
    return reading;
  };
}

/** Parses `choices[0].logprobs` of a completions answer; `undefined` if absent or malformed. */
export function readPromptLogprobs(body: unknown): SuspectReading | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const choices = (body as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return undefined;
  const first: unknown = choices[0];
  if (typeof first !== 'object' || first === null) return undefined;
  const logprobs = (first as { logprobs?: unknown }).logprobs;
  if (typeof logprobs !== 'object' || logprobs === null) return undefined;
  const { tokens, top_logprobs: top } = logprobs as { tokens?: unknown; top_logprobs?: unknown };
  if (!Array.isArray(tokens) || !Array.isArray(top) || top.length !== tokens.length) {
    return undefined;
  }
  if (!tokens.every((piece): piece is string => typeof piece === 'string')) return undefined;
  const predictions = top.map((alternatives: unknown): string | undefined => {
    if (typeof alternatives !== 'object' || alternatives === null) return undefined;
    let best: string | undefined;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const [piece, value] of Object.entries(alternatives)) {
      if (typeof value === 'number' && value > bestValue) {
        best = piece;
        bestValue = value;
      }
    }
    return best;
  });
  return { pieces: tokens, predictions };
}
