import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import {
  createJsonLinesWriter,
  type LineRejection,
  readAccounts,
  readExchangeBatches,
} from '../log/index.js';
import { renderReport } from '../report/index.js';
import { createDetector, type DetectorOptions } from './create-detector.js';
import { loadIpAsnTable } from './ip-asn-table.js';
import type { PromptFeatures } from './prompt/prompt-features.js';
import { readAnalyzedBatches } from './read-analyzed-batches.js';
import type { CampaignsFile } from './verdict.js';

export interface AnalyzeOptions {
  /** Exchange logs (`.jsonl`, `.jsonl.gz`, `.parquet`), in time order file after file. */
  inputs: string[];
  /** Optional `accounts.jsonl[.gz]`. */
  accounts?: string;
  /** Optional IP→ASN table (JSONL `{ prefix, asn, asn_org, kind? }`). */
  ipAsn?: string;
  /** Output directory: `verdicts.jsonl`, `campaigns.json`, `report.html`. */
  out: string;
  /** Called every few thousand exchanges with the count so far. */
  onProgress?: (exchanges: number) => void;
  /** Called for each malformed line (file, 1-based line, reason); the rest is still analysed. */
  onReject?: (rejection: LineRejection) => void;
  /** Extension: detector options (thresholds, peer indicators, clustering cadence). */
  detector?: Omit<DetectorOptions, 'ipAsn'>;
  /**
   * Worker threads that parse lines and run the prompt analysers ahead of the engine, which
   * stays on the calling thread. Default 0: everything on the calling thread, measured faster on
   * an idle 2-core machine (docs/detection.md, Performance). `'auto'`: one fewer than the cores,
   * at most {@link MAX_AUTO_WORKERS}, and none on one core. Parquet inputs and a custom
   * `detector.promptAnalyzer` run on the calling thread whatever this says. Verdicts,
   * campaigns and rejections do not depend on it.
   */
  workers?: number | 'auto';
  /** Extension: the clock for `generated_at` (tests). */
  now?: () => Date;
}

/**
 * Past this, more workers only wait on the engine's thread: a worker parses and analyses an
 * exchange in about twice the engine's time (docs/detection.md, Performance).
 */
export const MAX_AUTO_WORKERS = 3;

function resolveWorkers(workers: number | 'auto'): number {
  return workers === 'auto' ? Math.min(availableParallelism() - 1, MAX_AUTO_WORKERS) : workers;
}

export interface AnalyzeSummary {
  exchanges: number;
  /** Account records read from `--accounts`. */
  accountRecords: number;
  /** Accounts seen (verdict lines written). */
  accounts: number;
  rejectedLines: number;
  verdicts: { attack: number; suspect: number; clean: number };
  campaigns: number;
  elapsedMs: number;
  outputs: { verdicts: string; campaigns: string; report: string };
}

/**
 * Batch analysis = a replay of the stream through {@link createDetector}: account records are
 * merged by time (each fed before the first exchange later than its `created_at`), exchanges
 * are observed in order, and the verdicts, campaigns and report are written at the end.
 *
 * @example
 * const summary = await analyze({ inputs: ['sim/exchanges.jsonl.gz'], accounts: 'sim/accounts.jsonl', out: 'analysis' });
 */
export async function analyze(options: AnalyzeOptions): Promise<AnalyzeSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  let rejectedLines = 0;
  const onReject = (rejection: LineRejection) => {
    rejectedLines += 1;
    options.onReject?.(rejection);
  };
  const detectorOptions: DetectorOptions = { ...options.detector };
  if (options.ipAsn) detectorOptions.ipAsn = await loadIpAsnTable(options.ipAsn);
  const detector = createDetector(detectorOptions);

  const records: AccountRecord[] = [];
  if (options.accounts) {
    for await (const record of readAccounts(options.accounts, { onReject })) records.push(record);
    records.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  }
  const recordTimes = records.map((record) => Date.parse(record.created_at));
  let nextRecord = 0;

  let exchanges = 0;
  let nextProgress = 0;
  const observe = (exchange: Exchange, features?: PromptFeatures) => {
    if (nextRecord < records.length) {
      const timeMs = Date.parse(exchange.ts);
      while (nextRecord < records.length && (recordTimes[nextRecord] as number) < timeMs) {
        detector.observeAccount(records[nextRecord] as AccountRecord);
        nextRecord += 1;
      }
    }
    detector.observe(exchange, features);
    exchanges += 1;
  };
  const progress = () => {
    if (exchanges >= nextProgress) {
      options.onProgress?.(exchanges);
      nextProgress = exchanges + 10_000;
    }
  };
  const onAccount = (record: AccountRecord) => detector.observeAccount(record);
  const workers = resolveWorkers(options.workers ?? 0);
  const parallel =
    workers > 0 &&
    options.detector?.promptAnalyzer === undefined &&
    !options.inputs.some((input) => input.endsWith('.parquet'));
  if (parallel) {
    const compact = options.detector?.peerIndicators === undefined;
    for await (const batch of readAnalyzedBatches(options.inputs, {
      onReject,
      onAccount,
      workers,
      compact,
    })) {
      const { exchanges: parsed, features } = batch;
      for (let position = 0; position < parsed.length; position += 1) {
        observe(parsed[position] as Exchange, features[position]);
      }
      progress();
    }
  } else {
    for await (const batch of readExchangeBatches(options.inputs, { onReject, onAccount })) {
      for (const exchange of batch) observe(exchange);
      progress();
    }
  }
  while (nextRecord < records.length)
    detector.observeAccount(records[nextRecord++] as AccountRecord);
  options.onProgress?.(exchanges);

  await mkdir(options.out, { recursive: true });
  detector.flush(); // population (issue 15): end-of-input clustering, causally stamped
  const verdicts = detector.verdicts();
  const campaigns = detector.campaigns();
  const outputs = {
    verdicts: join(options.out, 'verdicts.jsonl'),
    campaigns: join(options.out, 'campaigns.json'),
    report: join(options.out, 'report.html'),
  };
  const writer = await createJsonLinesWriter(outputs.verdicts);
  for (const verdict of verdicts) await writer.write(verdict);
  await writer.close();
  const generatedAt = now().toISOString();
  const campaignsFile: CampaignsFile = { generated_at: generatedAt, campaigns };
  await writeFile(outputs.campaigns, `${JSON.stringify(campaignsFile, null, 2)}\n`);
  const html = renderReport({
    generatedAt,
    verdicts,
    campaigns,
    inputs: { files: options.inputs, exchanges, accounts: records.length, rejectedLines },
  });
  await writeFile(outputs.report, html);

  const counts = { attack: 0, suspect: 0, clean: 0 };
  for (const verdict of verdicts) counts[verdict.verdict] += 1;
  return {
    exchanges,
    accountRecords: records.length,
    accounts: verdicts.length,
    rejectedLines,
    verdicts: counts,
    campaigns: campaigns.length,
    elapsedMs: Math.round(performance.now() - started),
    outputs,
  };
}
