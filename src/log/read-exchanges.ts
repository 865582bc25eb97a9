import { createLogValueParser, type LogFormat } from './create-log-value-parser.js';
import type { AccountRecord, Exchange } from './exchange.js';
import { glasswallyAccount } from './glasswally.js';
import { readParquetExchanges } from './parquet.js';
import { parseAccountRecord } from './parse-exchange.js';
import { type LineRejection, readJsonLineBatches, readJsonLines } from './read-json-lines.js';

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
  const parse = createLogValueParser(
    format,
    onAccount &&
      ((event, exchange) => {
        if (seenAccounts.has(exchange.account_id)) return;
        seenAccounts.add(exchange.account_id);
        onAccount({
          ...glasswallyAccount(event),
          account_id: exchange.account_id,
          created_at: exchange.ts,
        });
      }),
  );
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
