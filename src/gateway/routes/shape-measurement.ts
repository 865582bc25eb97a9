import type { ExchangeOperation, ExchangeResponse } from '../../log/exchange.js';
import { isRecord } from '../../shared/is-record.js';

/**
 * What the exchange log keeps of an answer that generates no text: the input tokens the upstream
 * counted (`usage.prompt_tokens` for embeddings, `input_tokens` for count_tokens), no output, and
 * the operation as the stop reason. The vectors of an embeddings answer are not kept (they are
 * large and carry nothing the engine reads).
 *
 * @example
 * shapeMeasurement({ input_tokens: 12 }, 'count_tokens');
 * // { input_tokens: 12, output_tokens: 0, stop_reason: 'count_tokens' }
 */
export function shapeMeasurement(body: unknown, operation: ExchangeOperation): ExchangeResponse {
  const record = isRecord(body) ? body : {};
  const usage = isRecord(record.usage) ? record.usage : {};
  const counted = operation === 'embeddings' ? usage.prompt_tokens : record.input_tokens;
  return {
    input_tokens: typeof counted === 'number' ? counted : 0,
    output_tokens: 0,
    stop_reason: operation,
  };
}
