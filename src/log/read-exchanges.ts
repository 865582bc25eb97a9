import type { Result } from '../shared/distillguard-error.js';
import type { AccountRecord, Exchange } from './exchange.js';
import {
  fromGlasswallyEvent,
  type GlasswallyEvent,
  glasswallyAccount,
  isGlasswallyEvent,
} from './glasswally.js';
import { readParquetExchanges } from './parquet.js';
import { parseAccountRecord, parseExchange } from './parse-exchange.js';
import { type LineRejection, readJsonLineBatches, readJsonLines } from './read-json-lines.js';

export type LogFormat = 'auto' | 'v1' | 'glasswally';

export interface ReadExchangesOptions {
  onReject?: (rejection: LineRejection) => void;
  /** `auto` (default) accepts log v1 and Glasswally events line by line. */
  format?: LogFormat;
  /**
   * Account facts carried by the input itself (Glasswally's payment hash, country, ASN), emitted
   * once per account before its first exchange, with `created_at` = that exchange's time.
   */
  onAccount?: (account: AccountRecord) => void;
}

/**
 * Streams exchanges from `.jsonl`, `.jsonl.gz` and `.parquet` files, file after file, in batches.
 * Bad lines are reported through `onReject` with file and line and skipped.
 */
export async function* readExchangeBatches(
  paths: readonly string[],
  { onReject, format = 'auto', onAccount }: ReadExchangesOptions = {},
): AsyncGenerator<Exchange[]> {
  const seenAccounts = new Set<string>();
  const parse = (value: unknown): Result<Exchange, string> => {
    if (format === 'v1' || (format === 'auto' && !isGlasswallyEvent(value))) {
      return parseExchange(value);
    }
    const converted = fromGlasswallyEvent(value);
    if (converted.success && onAccount && !seenAccounts.has(converted.value.account_id)) {
      seenAccounts.add(converted.value.account_id);
      onAccount({
        ...glasswallyAccount(value as GlasswallyEvent),
        account_id: converted.value.account_id,
        created_at: converted.value.ts,
      });
    }
    return converted;
  };
  for (const path of paths) {
    if (path.endsWith('.parquet')) {
      yield* readParquetExchanges(path, onReject ? { onReject } : {});
    } else {
      yield* readJsonLineBatches(path, parse, onReject ? { onReject } : {});
    }
  }
}

/** Streams exchanges one by one (see {@link readExchangeBatches}). */
export async function* readExchanges(
  paths: readonly string[],
  options: ReadExchangesOptions = {},
): AsyncGenerator<Exchange> {
  for await (const batch of readExchangeBatches(paths, options)) yield* batch;
}

/** Streams account records (`accounts.jsonl[.gz]`). */
export function readAccounts(
  path: string,
  options: { onReject?: (rejection: LineRejection) => void } = {},
): AsyncGenerator<AccountRecord> {
  return readJsonLines(path, parseAccountRecord, options);
}
