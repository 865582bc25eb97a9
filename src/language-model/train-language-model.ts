import type { GenerateOptions, LanguageModel } from './language-model.js';
import { sampleToken } from './sample-token.js';
import { createTokenizer, END_OF_TEXT_TOKEN, splitPieces } from './tokenizer.js';

export interface TrainOptions {
  /** N-gram order (default 3: two tokens of context). */
  order?: number;
  /** Vocabulary size cap, ASCII fallback pieces included (default 4096). */
  maxVocabulary?: number;
}

/** Followers of one context, ready for interpolation: `probabilities[i]` is for `followers[i]`. */
interface ContextEntry {
  followers: Int32Array;
  probabilities: Float64Array;
  /** Mass handed to the lower order (Kneser-Ney interpolation weight). */
  backoff: number;
}

const DISCOUNT = 0.75;

/**
 * Trains an interpolated Kneser-Ney n-gram model (deterministic: same texts, same model).
 * Each text is one document, padded with the end-of-text token on both sides.
 *
 * @example
 * const model = trainLanguageModel(['the cat sat on the mat.', 'the dog sat on the rug.']);
 * model.decode([...model.generate({ prompt: 'the', maxTokens: 5, random: Math.random })]);
 */
export function trainLanguageModel(
  texts: Iterable<string>,
  { order = 3, maxVocabulary = 4096 }: TrainOptions = {},
): LanguageModel {
  if (!Number.isInteger(order) || order < 1) throw new RangeError('order must be an integer ≥ 1');
  const documents = [...texts];
  const pieceCounts = new Map<string, number>();
  for (const text of documents) {
    for (const piece of splitPieces(text))
      pieceCounts.set(piece, (pieceCounts.get(piece) ?? 0) + 1);
  }
  const tokenizer = createTokenizer(pieceCounts, maxVocabulary);
  const vocabularySize = tokenizer.pieces.length;

  // counts[k] maps a context of k tokens (ids joined by ',') to follower counts; the top order
  // uses raw counts, lower orders Kneser-Ney continuation counts (distinct left extensions).
  const raw: Map<string, Map<number, number>>[] = Array.from({ length: order }, () => new Map());
  const padding = new Array<number>(order - 1).fill(END_OF_TEXT_TOKEN);
  for (const text of documents) {
    const ids = [...padding, ...tokenizer.encode(text), END_OF_TEXT_TOKEN];
    for (let position = order - 1; position < ids.length; position += 1) {
      const context = ids.slice(position - order + 1, position).join(',');
      increment(raw[order - 1]!, context, ids[position]!, 1);
    }
  }
  for (let length = order - 1; length >= 1; length -= 1) {
    // Each distinct (longer context, token) adds one continuation to its shorter suffix.
    for (const [context, followers] of raw[length]!) {
      const shorter = context.split(',').slice(1).join(',');
      for (const token of followers.keys()) increment(raw[length - 1]!, shorter, token, 1);
    }
  }

  const tables = raw.map((table) => {
    const entries = new Map<string, ContextEntry>();
    for (const [context, followers] of table) {
      let total = 0;
      for (const count of followers.values()) total += count;
      const ids = Int32Array.from(followers.keys());
      const probabilities = Float64Array.from(
        followers.values(),
        (count) => Math.max(count - DISCOUNT, 0) / total,
      );
      entries.set(context, {
        followers: ids,
        probabilities,
        backoff: (DISCOUNT * followers.size) / total,
      });
    }
    return entries;
  });
  const unigram = new Float64Array(vocabularySize).fill(1 / vocabularySize);
  const rootEntry = tables[0]!.get('');
  if (rootEntry) mix(unigram, rootEntry);
  const logUnigram = unigram.map(Math.log);

  const probabilities = (context: readonly number[]): Float64Array => {
    const vector = unigram.slice();
    for (let length = 1; length < order; length += 1) {
      const ids: number[] = [];
      for (let offset = length; offset >= 1; offset -= 1) {
        ids.push(context[context.length - offset] ?? END_OF_TEXT_TOKEN);
      }
      const entry = tables[length]!.get(ids.join(','));
      if (entry) mix(vector, entry);
    }
    return vector;
  };

  const logits = (context: readonly number[]): Float64Array => {
    if (order === 1) return logUnigram.slice();
    const vector = probabilities(context);
    for (let id = 0; id < vector.length; id += 1) vector[id] = Math.log(vector[id]!);
    return vector;
  };

  return {
    vocabularySize,
    encode: tokenizer.encode,
    decode: tokenizer.decode,
    decodeToken: tokenizer.decodeToken,
    logits,
    *generate({ prompt, maxTokens, random, logitsHook, temperature = 1 }: GenerateOptions) {
      const context = [...padding, ...tokenizer.encode(prompt)];
      // The prompt is a user turn: the answer starts on a new line.
      if (prompt !== '' && !/\s$/.test(prompt)) context.push(...tokenizer.encode('\n'));
      for (let step = 0; step < maxTokens; step += 1) {
        const next = logits(context);
        // An answer has at least one token.
        if (step === 0) next[END_OF_TEXT_TOKEN] = Number.NEGATIVE_INFINITY;
        let token: number;
        if (logitsHook) {
          const adjusted = logitsHook(context, next);
          token =
            typeof adjusted === 'number' ? adjusted : sampleToken(adjusted, temperature, random);
        } else {
          token = sampleToken(next, temperature, random);
        }
        if (token === END_OF_TEXT_TOKEN) return;
        context.push(token);
        yield token;
      }
    },
  };
}

function increment(
  table: Map<string, Map<number, number>>,
  context: string,
  token: number,
  amount: number,
): void {
  let followers = table.get(context);
  if (!followers) {
    followers = new Map();
    table.set(context, followers);
  }
  followers.set(token, (followers.get(token) ?? 0) + amount);
}

function mix(vector: Float64Array, entry: ContextEntry): void {
  const { backoff, followers, probabilities } = entry;
  for (let id = 0; id < vector.length; id += 1) vector[id]! *= backoff;
  for (let index = 0; index < followers.length; index += 1) {
    vector[followers[index]!]! += probabilities[index]!;
  }
}
