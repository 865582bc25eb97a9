import type { PromptAnalyzer } from '../../../detect/prompt/index.js';
import { DistillguardError } from '../../../shared/distillguard-error.js';
import type { ExchangeSink } from '../exchange-recorder.js';
import { createExchangeGovernor } from './govern-exchange.js';
import type { StoreGovernance } from './governance-config.js';

const DAY_MS = 86_400_000;

export interface GovernedSinkOptions {
  /** The clock retention measures age against (tests pass a fixed one). */
  now?: () => Date;
  /** How often old records are deleted (default hourly; also once at start). */
  retentionIntervalMs?: number;
  onError?: (error: unknown) => void;
  promptAnalyzer?: PromptAnalyzer;
}

/** A sink with the store's governance applied, and retention's handle. */
export interface GovernedSink extends ExchangeSink {
  /** Deletes the records older than `retention_days` now; resolves to how many (0 without retention). */
  applyRetention(): Promise<number>;
}

/**
 * Wraps a sink with the store's data governance (docs/gateway.md#data-governance): each batch
 * passes the bodies policy (sampling, redaction) before it is written, and with `retention_days`
 * records older than that are deleted at start and then every `retentionIntervalMs`, by the
 * sink's own `deleteBefore`.
 *
 * @example
 * const sink = governExchangeSink(await createDuckDbExchangeSink({ path }), { retention_days: 30 });
 */
export function governExchangeSink(
  sink: ExchangeSink,
  governance: StoreGovernance,
  {
    now = () => new Date(),
    retentionIntervalMs = 3_600_000,
    onError = (error) => process.stderr.write(`exchange store retention: ${String(error)}\n`),
    promptAnalyzer,
  }: GovernedSinkOptions = {},
): GovernedSink {
  const days = governance.retention_days;
  const { deleteBefore } = sink;
  if (days !== undefined && !deleteBefore) {
    throw new DistillguardError(
      'store_retention_unsupported',
      'store.retention_days: this exchange store cannot delete records; use the duckdb or jsonl store',
    );
  }
  const govern = governance.bodies
    ? createExchangeGovernor(governance.bodies, promptAnalyzer ? { promptAnalyzer } : {})
    : undefined;
  const applyRetention = async () => {
    if (days === undefined || !deleteBefore) return 0;
    const cutoff = new Date(now().getTime() - days * DAY_MS).toISOString();
    return deleteBefore.call(sink, cutoff);
  };
  let timer: NodeJS.Timeout | undefined;
  if (days !== undefined) {
    const run = () => void applyRetention().catch(onError);
    run();
    timer = setInterval(run, retentionIntervalMs);
    timer.unref();
  }
  const governed: GovernedSink = {
    version: 1,
    writeBatch: (exchanges) => sink.writeBatch(govern ? exchanges.map(govern) : exchanges),
    count: () => sink.count(),
    async close() {
      if (timer) clearInterval(timer);
      await sink.close();
    },
    applyRetention,
  };
  // Without a bodies policy the records pass unchanged, so they may come serialised.
  const { writeSerialised } = sink;
  if (!govern && writeSerialised)
    governed.writeSerialised = (rows) => writeSerialised.call(sink, rows);
  if (deleteBefore) governed.deleteBefore = (before) => deleteBefore.call(sink, before);
  return governed;
}
