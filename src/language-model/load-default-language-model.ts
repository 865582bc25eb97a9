import { builtInCorpus } from './built-in-corpus.js';
import type { LanguageModel } from './language-model.js';
import { trainLanguageModel } from './train-language-model.js';

let cached: LanguageModel | undefined;

/**
 * The demo model: a trigram Kneser-Ney model trained on the built-in English text. Trained once
 * per process on first use (well under a second) and cached; identical in every process.
 *
 * @example
 * const model = loadDefaultLanguageModel();
 * const ids = [...model.generate({ prompt: 'How do I bake bread?', maxTokens: 60, random: Math.random })];
 * model.decode(ids);
 */
export function loadDefaultLanguageModel(): LanguageModel {
  cached ??= trainLanguageModel(builtInCorpus(), { order: 3 });
  return cached;
}
