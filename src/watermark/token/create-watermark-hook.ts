import type { LogitsHook } from '../../language-model/index.js';
import { createSeedCache, greenThreshold, SCHEME_TAG, tokenValue } from '../keyed-random.js';
import { toWatermarkKey, type WatermarkKeyInput } from '../keys/watermark-key.js';
import type { TokenWatermarkScheme } from './watermark-scheme.js';

export interface WatermarkHookOptions {
  /** Self-hash only: how many top candidates get a keyed check (each costs one HMAC). */
  selfHashCandidates?: number;
  /**
   * Leave a context unwatermarked when it already occurred in the same generation (default true):
   * keyed choices repeat in repeated contexts, which would loop the text and add no evidence.
   */
  skipRepeatedContexts?: boolean;
}

/**
 * A logits hook that embeds a token-level watermark under `key`. Green-list: returns logits with
 * δ added to green tokens. Exponential: returns the chosen token id (argmax r_t^(1/p_t)).
 * A call whose context is shorter than the scheme's width is left unwatermarked. Create one hook
 * per generation (cheap): it remembers the contexts already seen in that generation.
 *
 * @example
 * const hook = createWatermarkHook(greenListScheme(), key);
 * model.generate({ prompt, maxTokens: 200, random, logitsHook: hook });
 */
export function createWatermarkHook(
  scheme: TokenWatermarkScheme,
  key: WatermarkKeyInput,
  { selfHashCandidates = 32, skipRepeatedContexts = true }: WatermarkHookOptions = {},
): LogitsHook {
  const width = scheme.contextWidth;
  const selfHash = scheme.kind === 'green-list' && scheme.selfHash;
  const tag =
    scheme.kind === 'exponential'
      ? SCHEME_TAG.exponential
      : selfHash
        ? SCHEME_TAG.greenListSelfHash
        : SCHEME_TAG.greenList;
  const seeds = createSeedCache(toWatermarkKey(key).secret, tag);
  let seenContexts = new Set<string>();
  let previousLength = Number.POSITIVE_INFINITY;

  return (context, logits) => {
    if (context.length < width) return logits;
    const window = context.slice(context.length - width);
    if (skipRepeatedContexts) {
      // A context that does not grow by one token starts a new generation.
      if (context.length !== previousLength + 1) seenContexts = new Set();
      previousLength = context.length;
      const windowKey = window.join(',');
      if (seenContexts.has(windowKey)) return logits;
      seenContexts.add(windowKey);
    }
    if (scheme.kind === 'exponential') {
      const [seed0, seed1] = seeds.seed(window);
      // Any positive scale of p gives the same argmax, so unnormalised logits are fine.
      let maximum = Number.NEGATIVE_INFINITY;
      for (const value of logits) if (value > maximum) maximum = value;
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let token = 0; token < logits.length; token += 1) {
        const probability = Math.exp(logits[token]! - maximum);
        if (probability <= 0) continue;
        const uniform = (tokenValue(seed0, seed1, token) + 0.5) / 4294967296;
        const score = Math.log(uniform) / probability;
        if (score > bestScore) {
          bestScore = score;
          best = token;
        }
      }
      return best;
    }
    const threshold = greenThreshold(scheme.gamma);
    const adjusted = Float64Array.from(logits);
    if (selfHash) {
      for (const token of topCandidates(logits, selfHashCandidates)) {
        const [seed0, seed1] = seeds.seed([...window, token]);
        if (tokenValue(seed0, seed1, token) < threshold) adjusted[token]! += scheme.delta;
      }
      return adjusted;
    }
    const [seed0, seed1] = seeds.seed(window);
    for (let token = 0; token < adjusted.length; token += 1) {
      if (tokenValue(seed0, seed1, token) < threshold) adjusted[token]! += scheme.delta;
    }
    return adjusted;
  };
}

function topCandidates(logits: Float64Array, count: number): number[] {
  const order = Array.from(logits.keys());
  order.sort((a, b) => logits[b]! - logits[a]!);
  return order.slice(0, count);
}
