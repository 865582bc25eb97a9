import type { Exchange, ExchangeTruncation } from './exchange.js';
import { stringifyWellFormed } from './stringify-well-formed.js';

/**
 * The record with its request replaced by a minimal one (`model` kept when it is a string) and
 * a `truncated` note saying why: still a valid log-v1 line, and always serialisable, since
 * everything left is a scalar the gateway itself set.
 */
export function truncateExchange(
  exchange: Exchange,
  note: Omit<ExchangeTruncation, 'field'>,
): Exchange {
  const model = exchange.request?.model;
  return {
    ...exchange,
    request: typeof model === 'string' ? { model } : {},
    truncated: { field: 'request', ...note },
  };
}

/**
 * One record as one JSON line (without the newline); never throws. A record that cannot be
 * serialised is written in its truncated form instead, so one hostile body (nested ~6,000 deep,
 * 12 KB, overflows `JSON.stringify`'s stack) can never fail its batch or block the queue. Lone
 * surrogates are stored as U+FFFD ({@link stringifyWellFormed}).
 */
export function serialiseExchange(exchange: Exchange): { line: string; truncated: boolean } {
  try {
    return { line: stringifyWellFormed(exchange), truncated: false };
  } catch {
    return {
      line: stringifyWellFormed(truncateExchange(exchange, { reason: 'unserialisable' })),
      truncated: true,
    };
  }
}
