export {
  type DetectFileOptions,
  detectWatermarksInFile,
  type FileDetection,
  type RecordDetection,
} from './detect-file.js';
export { contextSeed, mix32, SCHEME_TAG, tokenValue } from './keyed-random.js';
export { deriveAccountKey, keyEpochAt } from './keys/derive-account-key.js';
export {
  loadWatermarkKeys,
  MASTER_KEY_VARIABLE,
  readMasterKey,
} from './keys/load-watermark-keys.js';
export { parseSecret } from './keys/parse-secret.js';
export {
  createWatermarkKey,
  toWatermarkKey,
  type WatermarkKey,
  type WatermarkKeyInput,
} from './keys/watermark-key.js';
export {
  argmax,
  auditOpenModelRadioactivity,
  type CompletionsSourceOptions,
  completionsSource,
  logProbabilitySource,
  type NextTokenSource,
  type OpenAuditOptions,
  type OpenModel,
  type ReferenceModel,
  readPromptLogprobs,
  type SuspectReading,
  type WatermarkTokenizer,
} from './radioactivity/audit-open-model.js';
export { AUDIT_PROMPTS } from './radioactivity/audit-prompts.js';
export {
  type AuditOptions,
  auditTextRadioactivity,
  auditTokenRadioactivity,
  type RadioactivityEvidence,
  type RadioactivityKeyResult,
} from './radioactivity/audit-radioactivity.js';
export { querySuspect, type SuspectOptions } from './radioactivity/query-suspect.js';
export {
  type OpenRadioactivityReport,
  type RunOpenAuditOptions,
  runOpenRadioactivityAudit,
} from './radioactivity/run-open-radioactivity-audit.js';
export {
  type RadioactivityReport,
  type RunAuditOptions,
  runRadioactivityAudit,
} from './radioactivity/run-radioactivity-audit.js';
export {
  type ContextCounts,
  countContexts,
  selectOverrepresented,
} from './radioactivity/select-overrepresented.js';
export { type SchemeSettings, schemeFromSettings } from './scheme-from-options.js';
export { holmAdjust, logBinomialUpperTail, logGammaUpperTail } from './statistics/index.js';
export {
  createTextWatermarkStage,
  type TextWatermarkStage,
  type TextWatermarkStats,
} from './text/create-text-watermark-stage.js';
export {
  collectTextVotes,
  detectTextWatermark,
  type TextDetection,
} from './text/detect-text-watermark.js';
export { LEXICAL_VARIANTS } from './text/lexical-variants.js';
export { createWatermarkHook, type WatermarkHookOptions } from './token/create-watermark-hook.js';
export {
  createTokenScorer,
  detectTokenWatermark,
  type TokenDetection,
  type TokenScorer,
  type TokenScores,
} from './token/detect-token-watermark.js';
export {
  detectWithKeys,
  type KeyVerdict,
  type MultiKeyDetection,
  type MultiKeyOptions,
} from './token/detect-with-keys.js';
export {
  type ExponentialScheme,
  exponentialScheme,
  type GreenListScheme,
  greenListScheme,
  type TokenWatermarkScheme,
} from './token/watermark-scheme.js';
export { windowedTest } from './windowed-test.js';
