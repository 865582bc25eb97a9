import { join } from 'node:path';
import { createJsonLinesWriter } from '../log/index.js';
import { createSimulation } from './create-simulation.js';
import { EXCHANGE_GZIP_LEVEL } from './exchange-gzip-level.js';
import { networkPrefixes } from './network-registry.js';
import type { Scenario } from './scenario.js';
import type { SimulationSummary } from './simulation-types.js';

export interface SimulateToDirectoryOptions {
  out: string;
  seed?: number;
  corpora?: string | null;
  scale?: number;
  /** gzip level of `exchanges.jsonl.gz` (1–9); default `EXCHANGE_GZIP_LEVEL` (3). */
  gzipLevel?: number;
  /** Called every few thousand events with the exchanges written so far. */
  onProgress?: (exchanges: number, at: number) => void;
}

/** The files `simulateToDirectory` writes (the four contract files and the IP→ASN table). */
export const OUTPUT_FILES = {
  exchanges: 'exchanges.jsonl.gz',
  accounts: 'accounts.jsonl',
  truth: 'truth.jsonl',
  truthExchanges: 'truth-exchanges.jsonl',
  ipAsn: 'ip-asn.jsonl',
} as const;

/**
 * Runs a scenario to completion and writes `exchanges.jsonl.gz` (time order), `accounts.jsonl`,
 * `truth.jsonl`, `truth-exchanges.jsonl` and `ip-asn.jsonl` into `out`. Same seed ⇒ same bytes.
 *
 * @example
 * const summary = await simulateToDirectory(await loadScenario('quickstart'), { out: 'runs/qs', seed: 1 });
 */
export async function simulateToDirectory(
  scenario: Scenario,
  {
    out,
    seed = 1,
    corpora = null,
    scale = 1,
    gzipLevel = EXCHANGE_GZIP_LEVEL,
    onProgress,
  }: SimulateToDirectoryOptions,
): Promise<SimulationSummary> {
  const simulation = createSimulation(scenario, { seed, corpora, scale });
  const writers: Array<{ close(): Promise<void> }> = [];
  const open = async (name: string) => {
    const writer = await createJsonLinesWriter(join(out, name));
    writers.push(writer);
    return writer;
  };
  try {
    const exchanges = await createJsonLinesWriter(join(out, OUTPUT_FILES.exchanges), {
      gzipLevel,
    });
    writers.push(exchanges);
    const accounts = await open(OUTPUT_FILES.accounts);
    const truth = await open(OUTPUT_FILES.truth);
    const truthExchanges = await open(OUTPUT_FILES.truthExchanges);
    const ipAsn = await open(OUTPUT_FILES.ipAsn);
    for (const { prefix, asn, asn_org, kind } of networkPrefixes()) {
      ipAsn.write({ prefix, asn, asn_org, kind });
    }
    const mixed = new Set<string>();
    let count = 0;
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') {
        if (event.truth.label === 'mixed') mixed.add(event.account.account_id);
        await accounts.write(event.account);
        await truth.write(event.truth);
        continue;
      }
      const pending = exchanges.write(event.exchange);
      if (pending) await pending;
      if (event.campaignId !== null && mixed.has(event.exchange.account_id)) {
        await truthExchanges.write({ id: event.exchange.id, campaign_id: event.campaignId });
      }
      count += 1;
      if (onProgress && (count & 0x3fff) === 0) onProgress(count, event.at);
    }
    onProgress?.(count, Date.parse(simulation.summary().end));
  } finally {
    for (const writer of writers) await writer.close();
  }
  return simulation.summary();
}
