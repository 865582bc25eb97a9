import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CampaignsFile,
  createDetector,
  type DetectorOptions,
  loadIpAsnTable,
} from '../detect/index.js';
import { createPromptAnalyzer, type PromptFeatures } from '../detect/prompt/index.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import {
  checkExchangeInputs,
  createJsonLinesWriter,
  DEFAULT_REORDER_WINDOW_MS,
  type ExchangeSource,
  guardInputErrors,
  type LineRejection,
  type LogFormat,
  mergeExchangeSources,
  readAccounts,
  readExchangeBatches,
  resolveLogInput,
  sortExchangeFiles,
} from '../log/index.js';
import { renderReport } from '../report/index.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import { readAnalyzedBatches, WORKER_BACKLOG } from './read-analyzed-batches.js';
import { inputBytes, resolveWorkers } from './resolve-workers.js';

export interface AnalyzeOptions {
  /**
   * Exchange logs (`.jsonl`, `.jsonl.gz`, `.parquet`), merged by time (`ts`, then `id`) whatever
   * their order: each file may lag by up to `reorderWindowMs`; further disorder is sorted (an
   * external sort in a temp directory) or refused (`onDisorder`). Repeated exchanges (same `id`
   * and `ts`) are dropped and counted.
   */
  inputs: string[];
  /** Disorder a file may have and still be streamed (default 5 s, `DEFAULT_REORDER_WINDOW_MS`). */
  reorderWindowMs?: number;
  /** Beyond the window: `sort` (default) replays the sorted input, `refuse` throws `log_out_of_order`. */
  onDisorder?: 'sort' | 'refuse';
  /** Temp directory for the sorted runs (default the system's). */
  tempDirectory?: string;
  /**
   * The inputs' format: `auto` (default) sniffs each file's first records, so one run may mix
   * log v1, Glasswally, LiteLLM, Portkey, Helicone, Langfuse, OpenTelemetry and the gateway's
   * DuckDB store; a name forces one for every file (docs/log-adapters.md).
   */
  format?: LogFormat;
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
   * stays on the calling thread and analyses a batch itself whenever the workers are behind
   * (docs/performance.md, analyze). Default `'auto'`: one fewer than the cores, at most
   * `MAX_AUTO_WORKERS`, and none on one core or below 4 MiB of input
   * (`AUTO_WORKERS_MIN_INPUT_BYTES`: a worker's start does not pay there); 0: everything on the calling thread. Parquet
   * inputs and a custom `detector.promptAnalyzer` run on the calling thread whatever this says.
   * Verdicts, campaigns and rejections do not depend on it.
   */
  workers?: number | 'auto';
  /** Extension: the clock for `generated_at` (tests). */
  now?: () => Date;
}

export interface AnalyzeSummary {
  exchanges: number;
  /** Account records read from `--accounts`. */
  accountRecords: number;
  /** Accounts seen (verdict lines written). */
  accounts: number;
  rejectedLines: number;
  /** Exchanges dropped because the same `id` at the same `ts` was read before. */
  duplicateExchanges: number;
  /** Whether the input had to be sorted (disorder beyond the reorder window). */
  sorted: boolean;
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
  // issue 16 (input order): merged by time, sorted when out of order, input errors as codes.
  const started = performance.now();
  await checkExchangeInputs(options.inputs);
  const accountFacts = new Map<string, AccountRecord>();
  const reported = new Map<string, number>();
  let rejectedLines = 0;
  const onReject = (rejection: LineRejection) => {
    // A replay after sorting reads the inputs again: each line is reported once.
    if (rejection.line <= (reported.get(rejection.file) ?? 0)) return;
    reported.set(rejection.file, rejection.line);
    rejectedLines += 1;
    options.onReject?.(rejection);
  };
  const onAccount = (record: AccountRecord) => {
    if (!accountFacts.has(record.account_id)) accountFacts.set(record.account_id, record);
  };
  let summary: AnalyzeSummary;
  try {
    summary = await replay(options, {
      files: options.inputs,
      onReject,
      onAccount,
      accountFacts,
      rejectedLines: () => rejectedLines,
    });
  } catch (error) {
    if (!(DistillguardError.is(error) && error.code === 'log_out_of_order')) throw error;
    if (options.onDisorder === 'refuse') throw error;
    const directory = await mkdtemp(join(options.tempDirectory ?? tmpdir(), 'distillguard-sort-'));
    try {
      const runs = await sortExchangeFiles(options.inputs, {
        directory,
        onReject,
        onAccount,
        format: options.format ?? 'auto',
      });
      summary = await replay(
        { ...options, workers: 0 },
        {
          files: runs,
          onReject,
          onAccount,
          accountFacts,
          rejectedLines: () => rejectedLines,
          sorted: true,
        },
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
  if (summary.exchanges === 0) {
    throw new DistillguardError(
      'no_exchanges',
      rejectedLines > 0
        ? `none of the ${rejectedLines} lines read is a valid exchange (see the rejections above); outputs written to ${options.out} are empty`
        : `${options.inputs.join(', ')} hold no exchanges`,
      { rejectedLines },
    );
  }
  return {
    ...summary,
    rejectedLines,
    elapsedMs: Math.round(performance.now() - started),
  };
}

interface ReplayInput {
  /** The inputs, or the sorted runs that replace them. */
  files: readonly string[];
  onReject: (rejection: LineRejection) => void;
  onAccount: (record: AccountRecord) => void;
  accountFacts: Map<string, AccountRecord>;
  /** Lines rejected so far, sorting included. */
  rejectedLines: () => number;
  sorted?: boolean;
}

async function replay(options: AnalyzeOptions, input: ReplayInput): Promise<AnalyzeSummary> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const { onReject } = input;
  const detectorOptions: DetectorOptions = { ...options.detector };
  // The engine reads no MinHash signature and one LSH band: the lean analyser skips the rest.
  detectorOptions.promptAnalyzer ??= createPromptAnalyzer({ lean: true });
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
  const { onAccount } = input;
  const workers = resolveWorkers(options.workers ?? 'auto', {
    cores: availableParallelism(),
    inputBytes:
      options.workers === undefined || options.workers === 'auto'
        ? await inputBytes(input.files)
        : 0,
  });
  const parallel = workers > 0 && options.detector?.promptAnalyzer === undefined;
  const compact = options.detector?.peerIndicators === undefined;
  const perFile = Math.max(1, Math.floor(workers / input.files.length));
  // Sorted runs are log v1 whatever the inputs were.
  const format = input.sorted ? 'v1' : (options.format ?? 'auto');
  const resolved = await Promise.all(input.files.map((file) => resolveLogInput(file, format)));
  const sources: ExchangeSource<PromptFeatures>[] = resolved.map(
    ({ path: file, container, format: fileFormat }) => ({
      file,
      batches: guardInputErrors(
        file,
        // Workers split JSON Lines; Parquet, documents and the DuckDB store are read here.
        parallel && container === 'lines'
          ? (async function* () {
              for await (const batch of readAnalyzedBatches([file], {
                onReject,
                onAccount,
                format: fileFormat,
                workers: perFile,
                compact,
                shareAfter: WORKER_BACKLOG,
              })) {
                yield { exchanges: batch.exchanges, extras: batch.features };
              }
            })()
          : (async function* () {
              for await (const exchanges of readExchangeBatches([file], {
                onReject,
                onAccount,
                format: fileFormat,
              })) {
                yield { exchanges };
              }
            })(),
      ),
    }),
  );
  let duplicateExchanges = 0;
  for await (const batch of mergeExchangeSources(sources, {
    reorderWindowMs: options.reorderWindowMs ?? DEFAULT_REORDER_WINDOW_MS,
    onDuplicate: () => {
      duplicateExchanges += 1;
    },
    accountFacts: input.accountFacts,
    onAccount: (record) => detector.observeAccount(record),
  })) {
    const { exchanges: merged, extras } = batch;
    for (let position = 0; position < merged.length; position += 1) {
      observe(merged[position] as Exchange, extras?.[position]);
    }
    progress();
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
    inputs: {
      files: options.inputs,
      exchanges,
      accounts: records.length,
      rejectedLines: input.rejectedLines(),
    },
  });
  await writeFile(outputs.report, html);

  const counts = { attack: 0, suspect: 0, clean: 0 };
  for (const verdict of verdicts) counts[verdict.verdict] += 1;
  return {
    exchanges,
    accountRecords: records.length,
    accounts: verdicts.length,
    rejectedLines: input.rejectedLines(),
    duplicateExchanges,
    sorted: input.sorted === true,
    verdicts: counts,
    campaigns: campaigns.length,
    elapsedMs: Math.round(performance.now() - started),
    outputs,
  };
}
