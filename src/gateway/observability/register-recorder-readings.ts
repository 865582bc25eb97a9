import type { ExchangeRecorder } from '../exchange-store/exchange-recorder.js';
import type { GatewayMetrics } from '../gateway-metrics.js';

/**
 * The recorder's numbers on `/metrics`. `ownsStore`: this recorder writes the store (a single
 * process, or a cluster's primary); a cluster worker's recorder only hands records to the
 * primary, so its writes are not counted (the primary's are), while its queue and its drops
 * are, and the cluster scrape sums both.
 */
export function registerRecorderReadings(
  metrics: GatewayMetrics,
  recorder: ExchangeRecorder,
  { ownsStore }: { ownsStore: boolean },
): void {
  metrics.addGauges(() =>
    ownsStore
      ? {
          exchanges_pending: recorder.pending,
          exchanges_quarantined: recorder.health().quarantined,
        }
      : { exchanges_pending: recorder.pending },
  );
  metrics.addCounters(() =>
    ownsStore
      ? {
          exchanges_dropped: recorder.dropped,
          exchanges_written: recorder.written,
          exchange_write_failures: recorder.failed,
        }
      : { exchanges_dropped: recorder.dropped },
  );
}
