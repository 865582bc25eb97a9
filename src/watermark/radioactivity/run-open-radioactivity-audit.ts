import type { LanguageModel } from '../../language-model/index.js';
import type { WatermarkKey } from '../keys/watermark-key.js';
import type { TokenWatermarkScheme } from '../token/watermark-scheme.js';
import { auditOpenModelRadioactivity, completionsSource } from './audit-open-model.js';
import { AUDIT_PROMPTS } from './audit-prompts.js';
import type { RadioactivityEvidence } from './audit-radioactivity.js';
import { withoutCredentials } from './run-radioactivity-audit.js';

export interface RunOpenAuditOptions {
  /** Base URL of an OpenAI-compatible API serving `/completions` with prompt logprobs. */
  url: string;
  model?: string;
  apiKey?: string;
  fetch?: typeof globalThis.fetch;
  keys: readonly WatermarkKey[];
  scheme: TokenWatermarkScheme;
  /** The provider's own model, unwatermarked: reference, tokenizer and default text source. */
  referenceModel: LanguageModel;
  /** Texts to read through the suspect; default: unwatermarked reference answers to the prompts. */
  texts?: readonly string[];
  prompts?: readonly string[];
  /** Default texts per prompt (default 8). */
  samplesPerPrompt?: number;
  maxTokens?: number;
  alpha?: number;
  random: () => number;
  onText?: (done: number) => void;
}

/** The open-mode JSON bundle: what was read, and the token-level evidence. */
export interface OpenRadioactivityReport {
  readonly format: 'distillguard.radioactivity-report.v1';
  readonly mode: 'open';
  readonly suspect: string;
  readonly texts: number;
  readonly token: RadioactivityEvidence;
  readonly detected: string[];
}

/**
 * Open-model radioactivity audit end to end: reads neutral texts (by default unwatermarked
 * answers of the reference model, which depend on no key) through the suspect's
 * `/v1/completions` prompt log-probabilities and tests its top-1 predictions under every key.
 */
export async function runOpenRadioactivityAudit(
  options: RunOpenAuditOptions,
): Promise<OpenRadioactivityReport> {
  const {
    url,
    keys,
    scheme,
    referenceModel,
    prompts = AUDIT_PROMPTS,
    samplesPerPrompt = 8,
    maxTokens = 256,
    alpha = 1e-6,
    random,
  } = options;
  const texts =
    options.texts ??
    prompts.flatMap((prompt) =>
      Array.from({ length: samplesPerPrompt }, () =>
        referenceModel.decode([...referenceModel.generate({ prompt, maxTokens, random })]),
      ),
    );
  const token = await auditOpenModelRadioactivity({
    scheme,
    keys,
    texts,
    tokenizer: referenceModel,
    reference: referenceModel,
    alpha,
    source: completionsSource({
      url,
      ...(options.model === undefined ? {} : { model: options.model }),
      ...(options.apiKey === undefined ? {} : { apiKey: options.apiKey }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    }),
    ...(options.onText ? { onText: options.onText } : {}),
  });
  return {
    format: 'distillguard.radioactivity-report.v1',
    mode: 'open',
    suspect: withoutCredentials(url),
    texts: texts.length,
    token,
    detected: token.detected,
  };
}
