export { createSeededRandom } from '../shared/create-seeded-random.js';
export { builtInCorpus } from './built-in-corpus.js';
export type { GenerateOptions, LanguageModel, LogitsHook } from './language-model.js';
export { loadDefaultLanguageModel } from './load-default-language-model.js';
export { sampleToken } from './sample-token.js';
export { END_OF_TEXT_TOKEN, splitPieces, UNKNOWN_TOKEN } from './tokenizer.js';
export { type TrainOptions, trainLanguageModel } from './train-language-model.js';
