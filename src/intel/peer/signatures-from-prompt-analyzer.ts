import type { PromptAnalyzer } from '../../detect/prompt/index.js';
import type { Exchange } from '../../log/exchange.js';
import type { ExchangeSignatures } from './create-peer-indicator-matcher.js';

/**
 * Exchange signatures (template skeleton, system prompt, tool set) computed by the engine's own
 * prompt analyser, so peers' keyed `template` / `system_prompt` / `tool_set` indicators can
 * match. Remembers the last exchange, so a caller that analyses it again pays once.
 *
 * @example
 * createPeerIndicatorMatcher(bundles, { communityKey, signaturesOf: signaturesFromPromptAnalyzer(createPromptAnalyzer()) });
 */
export function signaturesFromPromptAnalyzer(
  analyzer: PromptAnalyzer,
): (exchange: Exchange) => ExchangeSignatures {
  let lastExchange: Exchange | undefined;
  let lastSignatures: ExchangeSignatures = {};
  return (exchange) => {
    if (exchange === lastExchange) return lastSignatures;
    const features = analyzer.analyze(exchange.request, exchange.endpoint);
    lastExchange = exchange;
    lastSignatures = {
      // An empty skeleton ("hi", "continue") is shared by everyone: never a template match.
      ...(features.templateHash === '' ? {} : { template: features.templateHash }),
      ...(features.systemPromptHash === null ? {} : { system_prompt: features.systemPromptHash }),
      ...(features.toolSetHash === null ? {} : { tool_set: features.toolSetHash }),
    };
    return lastSignatures;
  };
}
