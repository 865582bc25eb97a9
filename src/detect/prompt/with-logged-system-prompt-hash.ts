import type { ExchangeRequest } from '../../log/exchange.js';
import type { PromptFeatures } from './prompt-features.js';
import { fingerprintString } from './string-hash.js';

/**
 * Uses a logged system-prompt hash as the fingerprint when the log has no system-prompt text.
 * Some logs keep only a hash of the system prompt (Glasswally's `system_prompt_hash`, read into
 * `request.x_system_prompt_hash`); an operator who drives many accounts with one system prompt
 * leaves the same hash on all of them, as he would leave the same text. The logged value is
 * fingerprinted in its own domain (16 hex digits like a text's fingerprint, never equal to one):
 * the same logged hash gives the same fingerprint. With text, the text's fingerprint stands.
 *
 * @example
 * withLoggedSystemPromptHash(analyzer.analyze(request, endpoint), request).systemPromptHash;
 */
export function withLoggedSystemPromptHash(
  features: PromptFeatures,
  request: ExchangeRequest,
): PromptFeatures {
  if (features.systemPromptHash !== null) return features;
  // Odd input (a null or non-object request) is analysed as empty, never thrown on.
  const logged = (request as Partial<ExchangeRequest> | null)?.x_system_prompt_hash;
  if (typeof logged !== 'string' || logged === '') {
    return features;
  }
  return {
    ...features,
    systemPromptHash: fingerprintString(`logged-system-prompt\u0000${logged}`),
  };
}
