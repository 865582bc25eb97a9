import { glasswallyAccount } from './adapters/glasswally.js';
import { readGatewayStoreBatches } from './adapters/read-gateway-store.js';
import { readJsonDocumentBatches } from './adapters/read-json-document.js';
import { resolveLogInput } from './adapters/resolve-log-input.js';
import { createLogValueParser, type LogFormat } from './create-log-value-parser.js';
import type { AccountRecord, Exchange } from './exchange.js';
import { readParquetExchanges } from './parquet.js';
import { parseAccountRecord } from './parse-exchange.js';
import { type LineRejection, readJsonLineBatches, readJsonLines } from './read-json-lines.js';

export interface ReadExchangesOptions {
  onReject?: (rejection: LineRejection) => void;
  /**
   * `auto` (default): each file's format is sniffed from its first records (log v1 and
   * Glasswally events are then accepted line by line); a name forces one for every file
   * (docs/log-adapters.md).
   */
  format?: LogFormat;
  /**
   * Account facts carried by the input itself (Glasswally's payment hash, country, ASN), emitted
   * once per account before its first exchange, with `created_at` = that exchange's time.
   */
  onAccount?: (account: AccountRecord) => void;
}

/**
 * Streams exchanges from `.jsonl`, `.jsonl.gz`, JSON documents, `.parquet` and the gateway's
 * DuckDB store, file after file, in batches. Bad lines are reported through `onReject` with file
 * and line and skipped.
 */
export async function* readExchangeBatches(
  paths: readonly string[],
  { onReject, format = 'auto', onAccount }: ReadExchangesOptions = {},
): AsyncGenerator<Exchange[]> {
  const seenAccounts = new Set<string>();
  const onGlasswally =
    onAccount &&
    ((event: Parameters<typeof glasswallyAccount>[0], exchange: Exchange) => {
      if (seenAccounts.has(exchange.account_id)) return;
      seenAccounts.add(exchange.account_id);
      onAccount({
        ...glasswallyAccount(event),
        account_id: exchange.account_id,
        created_at: exchange.ts,
      });
    });
  for (const path of paths) {
    const input = await resolveLogInput(path, format);
    const rejectOptions = onReject ? { onReject } : {};
    if (input.container === 'parquet') {
      yield* readParquetExchanges(path, rejectOptions);
    } else if (input.container === 'duckdb') {
      yield* readGatewayStoreBatches(path, rejectOptions);
    } else if (input.container === 'document') {
      yield* readJsonDocumentBatches(path, input.format, { onReject, onGlasswally });
    } else {
      const parse = createLogValueParser(input.format, onGlasswally);
      for await (const batch of readJsonLineBatches(path, parse, rejectOptions)) {
        yield flatten(batch);
      }
    }
  }
}

/** One exchange per record, or the several an OTLP record carries, in order. */
function flatten(batch: readonly (Exchange | readonly Exchange[])[]): Exchange[] {
  let nested = false;
  for (const item of batch) if (Array.isArray(item)) nested = true;
  if (!nested) return batch as Exchange[];
  const flat: Exchange[] = [];
  for (const item of batch) {
    if (Array.isArray(item)) flat.push(...item);
    else flat.push(item as Exchange);
  }
  return flat;
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
