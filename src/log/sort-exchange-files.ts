import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { LogFormat } from './create-log-value-parser.js';
import type { AccountRecord, Exchange } from './exchange.js';
import { readExchangeBatches } from './read-exchanges.js';
import type { LineRejection } from './read-json-lines.js';

export interface SortExchangeFilesOptions {
  /** An existing empty directory for the sorted runs; the caller removes it. */
  directory: string;
  /** Exchanges held in memory and written per run (default 50,000: a few hundred MB at most). */
  runExchanges?: number;
  onReject?: (rejection: LineRejection) => void;
  onAccount?: (account: AccountRecord) => void;
  /** The inputs' format (`readExchangeBatches`), default `auto`. */
  format?: LogFormat;
}

function byTime(a: { timeMs: number; exchange: Exchange }, b: typeof a): number {
  if (a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
  return a.exchange.id < b.exchange.id ? -1 : a.exchange.id > b.exchange.id ? 1 : 0;
}

/**
 * External sort, first half: reads the exchange logs once and writes them back as sorted runs
 * (plain log-v1 JSON Lines of `runExchanges` exchanges each, sorted by `ts` then `id`) into
 * `directory`. `mergeExchangeSources` over the runs then gives the whole input in time order
 * with memory for one run plus a read buffer per run. Lines are written as `JSON.stringify`
 * gives them, so an exchange read back from a run is the one read from the input.
 *
 * @example
 * const runs = await sortExchangeFiles(['a.jsonl', 'b.jsonl.gz'], { directory });
 */
export async function sortExchangeFiles(
  inputs: readonly string[],
  {
    directory,
    runExchanges = 50_000,
    onReject,
    onAccount,
    format = 'auto',
  }: SortExchangeFilesOptions,
): Promise<string[]> {
  const runs: string[] = [];
  let pending: { timeMs: number; exchange: Exchange }[] = [];
  const spill = async () => {
    if (pending.length === 0) return;
    pending.sort(byTime);
    const path = join(directory, `run-${String(runs.length).padStart(5, '0')}.jsonl`);
    const file = createWriteStream(path, { highWaterMark: 1 << 20 });
    let chunk = '';
    for (const { exchange } of pending) {
      chunk += `${JSON.stringify(exchange)}\n`;
      if (chunk.length >= 1 << 18) {
        if (!file.write(chunk)) await once(file, 'drain');
        chunk = '';
      }
    }
    const closed = once(file, 'close');
    file.end(chunk);
    await closed;
    runs.push(path);
    pending = [];
  };
  const readOptions = {
    format,
    ...(onReject ? { onReject } : {}),
    ...(onAccount ? { onAccount } : {}),
  };
  for await (const batch of readExchangeBatches(inputs, readOptions)) {
    for (const exchange of batch) pending.push({ timeMs: Date.parse(exchange.ts), exchange });
    if (pending.length >= runExchanges) await spill();
  }
  await spill();
  return runs;
}
