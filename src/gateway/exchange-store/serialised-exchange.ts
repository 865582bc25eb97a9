import type { Exchange, ExchangeTruncation } from '../../log/exchange.js';
import { serialiseExchange, truncateExchange } from '../../log/serialise-exchange.js';

/**
 * One exchange record as a store writes it: the columns a store filters on and the full log-v1
 * line (`serialiseExchange`). The recorder builds it at the end of the event-loop turn that queued
 * the record, so the queue holds one flat string per record instead of the record's objects
 * (docs/performance.md, gateway fifth pass: queued objects outlived the young generation).
 */
export interface SerialisedExchange {
  readonly id: string;
  readonly ts: string;
  readonly account_id: string;
  readonly endpoint: string;
  readonly model: string;
  readonly status: number;
  readonly latency_ms: number;
  /** The log-v1 JSON line, without the newline; lone surrogates stored as U+FFFD. */
  readonly line: string;
}

/**
 * The stored form of a record; never throws (an unserialisable record becomes its truncated line).
 *
 * @example
 * const row = serialiseForStore(exchange); // row.line === serialiseExchange(exchange).line
 */
export function serialiseForStore(exchange: Exchange): SerialisedExchange {
  return {
    id: exchange.id,
    ts: exchange.ts,
    account_id: exchange.account_id,
    endpoint: exchange.endpoint,
    model: exchange.model,
    status: exchange.status,
    latency_ms: exchange.latency_ms ?? 0,
    line: serialiseExchange(exchange).line,
  };
}

/**
 * The row with its line replaced by that of `truncateExchange` on the record: what the recorder
 * stores when a store refuses the row alone. The record is read back from the line, which holds
 * every field as the record had it (lone surrogates already U+FFFD, which serialising would make
 * of them anyway), so the line is the one serialising the truncated record gives.
 */
export function truncateSerialised(
  row: SerialisedExchange,
  note: Omit<ExchangeTruncation, 'field'>,
): SerialisedExchange {
  const record = JSON.parse(row.line) as Exchange;
  return { ...row, line: serialiseExchange(truncateExchange(record, note)).line };
}
