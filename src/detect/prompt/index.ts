/**
 * Prompt-level analysers of the detection engine: reasoning-trace elicitation, rubric grading
 * and censorship-rewrite cues in ten languages, capability category, template skeletons with
 * MinHash/LSH, and system-prompt / tool-set fingerprints. See README.md in this folder.
 */
export { CAPABILITIES, type Capability } from './capability.js';
export {
  createPromptAnalyzer,
  type PromptAnalyzerOptions,
} from './create-prompt-analyzer.js';
export { estimateSimilarity } from './min-hash.js';
export type { PromptAnalyzer, PromptFeatures } from './prompt-features.js';
export {
  type StoredPromptFeatures,
  storedPromptFeatures,
  toStoredPromptFeatures,
} from './stored-prompt-features.js';
