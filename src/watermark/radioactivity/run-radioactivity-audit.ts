import type { LanguageModel } from '../../language-model/index.js';
import type { WatermarkKey } from '../keys/watermark-key.js';
import type { TokenWatermarkScheme } from '../token/watermark-scheme.js';
import { AUDIT_PROMPTS } from './audit-prompts.js';
import {
  auditTextRadioactivity,
  auditTokenRadioactivity,
  type RadioactivityEvidence,
} from './audit-radioactivity.js';
import { querySuspect, type SuspectOptions } from './query-suspect.js';
import { withoutCredentials } from './without-credentials.js';

export { withoutCredentials };

export interface RunAuditOptions extends SuspectOptions {
  keys: readonly WatermarkKey[];
  /** Token scheme the provider served with; omitted = text-level audit only. */
  scheme?: TokenWatermarkScheme;
  /** The provider's own model, unwatermarked: the reference and the watermark's tokenizer. */
  referenceModel: LanguageModel;
  prompts?: readonly string[];
  /** Generations requested per prompt (default 8). */
  samplesPerPrompt?: number;
  alpha?: number;
  random: () => number;
}

/** The audit's JSON bundle: what was asked, and the token- and text-level evidence. */
export interface RadioactivityReport {
  readonly format: 'distillguard.radioactivity-report.v1';
  readonly suspect: string;
  readonly prompts: number;
  readonly generations: number;
  readonly token?: RadioactivityEvidence;
  readonly text: RadioactivityEvidence;
  readonly detected: string[];
}

/**
 * Closed-model radioactivity audit end to end: prompts the suspect, generates the same number of
 * answers from the reference model, and tests both watermark levels.
 */
export async function runRadioactivityAudit(
  options: RunAuditOptions,
): Promise<RadioactivityReport> {
  const {
    keys,
    scheme,
    referenceModel,
    prompts = AUDIT_PROMPTS,
    samplesPerPrompt = 8,
    alpha = 1e-6,
    random,
    maxTokens = 256,
  } = options;
  const requests = prompts.flatMap((prompt) => new Array<string>(samplesPerPrompt).fill(prompt));
  const suspectTexts = await querySuspect(requests, options);
  const referenceTexts = requests.map((prompt) =>
    referenceModel.decode([...referenceModel.generate({ prompt, maxTokens, random })]),
  );
  const token = scheme
    ? auditTokenRadioactivity(
        suspectTexts.map((text) => referenceModel.encode(text)),
        referenceTexts.map((text) => referenceModel.encode(text)),
        scheme,
        { keys, alpha },
      )
    : undefined;
  const text = auditTextRadioactivity(suspectTexts, referenceTexts, { keys, alpha });
  return {
    format: 'distillguard.radioactivity-report.v1',
    suspect: withoutCredentials(options.url),
    prompts: prompts.length,
    generations: requests.length,
    ...(token ? { token } : {}),
    text,
    detected: [...new Set([...(token?.detected ?? []), ...text.detected])],
  };
}
