import type { Exchange } from '../log/exchange.js';
import { type AccountState, addCount, indexOfKey } from './account-state.js';
import { CAPABILITIES } from './prompt/capability.js';
import type { PromptFeatures } from './prompt/prompt-features.js';

const CAPABILITY_INDEX = new Map<string, number>(CAPABILITIES.map((name, index) => [name, index]));

/** Does this exchange carry a distillation cue (elicitation, rubric, censorship) at the threshold? */
export function hasCue(features: PromptFeatures, cueScore: number): boolean {
  return (
    features.reasoningElicitation >= cueScore ||
    features.rubricGrading >= cueScore ||
    features.censorshipRewrite >= cueScore
  );
}

/**
 * Folds one exchange into the account's behaviour counters. O(1) amortised. The template is
 * counted apart ({@link countTemplate}) once the engine has its key id.
 */
export function updateAccount(
  state: AccountState,
  exchange: Exchange,
  features: PromptFeatures,
  timeMs: number,
  cueScore: number,
): void {
  if (state.exchanges > 0) {
    const gap = Math.max(0, (timeMs - state.lastMs) / 1000);
    state.gapCount += 1;
    const delta = gap - state.gapMean;
    state.gapMean += delta / state.gapCount;
    state.gapM2 += delta * (gap - state.gapMean);
  } else {
    state.firstMs = timeMs;
  }
  state.lastMs = timeMs;
  state.exchanges += 1;
  let cue = false;
  if (features.reasoningElicitation >= cueScore) {
    state.elicitation += 1;
    cue = true;
  }
  if (features.rubricGrading >= cueScore) {
    state.rubric += 1;
    cue = true;
  }
  if (features.censorshipRewrite >= cueScore) {
    state.censorship += 1;
    cue = true;
  }
  if (cue) {
    state.cueExchanges += 1;
    if (state.cues.length < 12) {
      for (const code of features.cues) {
        if (!state.cues.includes(code)) state.cues = [...state.cues, code];
      }
    }
  }
  if (features.language !== 'und')
    state.languages = addCount(state.languages, features.language, 12);
  if (features.userTurns <= 1) state.singleTurn += 1;
  if (features.hasTools) state.withTools += 1;
  if (features.hasImage) state.withImage += 1;
  const capability = CAPABILITY_INDEX.get(features.capability);
  if (capability !== undefined)
    state.capabilities[capability] = (state.capabilities[capability] as number) + 1;
  const request = exchange.request;
  const maxTokens = request.max_tokens ?? request.max_completion_tokens;
  state.maxTokens = addCount(state.maxTokens, typeof maxTokens === 'number' ? maxTokens : -1, 8);
  state.temperatures = addCount(
    state.temperatures,
    typeof request.temperature === 'number' ? request.temperature : -1,
    8,
  );
  const response = exchange.response;
  if (response) {
    state.inputTokens += response.input_tokens;
    state.outputTokens += response.output_tokens + (response.reasoning_tokens ?? 0);
  }
  const hour = Math.floor(timeMs / 3600_000) % 24;
  state.hours[hour] = (state.hours[hour] as number) + 1;
  state.models = addCount(state.models, exchange.model, 8);
}

/** Templates an account's map remembers; later new ones are not counted as distinct. */
const MAX_TEMPLATES = 32;

/**
 * Counts the exchange's template for its account by key id (-1: a prompt with no template, ''),
 * so accounts hold small integers instead of a copy of each 16-digit hash.
 */
export function countTemplate(state: AccountState, templateKey: number): void {
  const position = indexOfKey(state.templates, templateKey);
  if (position < 0) {
    state.templates = addCount(state.templates, templateKey, MAX_TEMPLATES);
    return;
  }
  // Present already: a repeat (templates beyond the cap are never present, so never repeats).
  state.templateRepeats += 1;
  (state.templates as number[])[position + 1] = (state.templates[position + 1] as number) + 1;
}
