import type { Metric, MetricValueWithName, Registry } from 'prom-client';

/** A latency histogram labelled by endpoint only, as cheap to observe as a bucket increment. */
export interface EndpointHistogram {
  observe(endpoint: string, value: number): void;
}

interface Series {
  labels: { endpoint: string };
  /** Observations per bucket (not cumulative); the last slot is past the largest bound. */
  counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * A Prometheus histogram with one label, `endpoint`, registered in `registry`. prom-client's own
 * `Histogram#observe` validates and hashes its label object on every call (a few µs of the
 * gateway's request path, per histogram); this keeps plain per-endpoint arrays and hands
 * prom-client the same series (`_bucket` with cumulative `le`, `_sum`, `_count`) at scrape time,
 * so the exposition text and the cluster aggregation (`aggregator: sum`) are prom-client's.
 *
 * @example
 * const duration = createEndpointHistogram({ registry, name, help, buckets: [0.01, 0.1, 1] });
 * duration.observe('chat.completions', 0.042);
 */
export function createEndpointHistogram({
  registry,
  name,
  help,
  buckets,
}: {
  registry: Registry;
  name: string;
  help: string;
  /** Upper bounds, ascending (`+Inf` is added). */
  buckets: readonly number[];
}): EndpointHistogram {
  const bounds = [...buckets].sort((a, b) => a - b);
  let series = new Map<string, Series>();
  const snapshot = () => {
    const values: MetricValueWithName<string>[] = [];
    for (const { labels, counts, sum, count } of series.values()) {
      let cumulative = 0;
      for (const [index, bound] of bounds.entries()) {
        cumulative += counts[index] ?? 0;
        values.push({
          labels: { le: bound, ...labels },
          value: cumulative,
          metricName: `${name}_bucket`,
        });
      }
      values.push(
        { labels: { le: '+Inf', ...labels }, value: count, metricName: `${name}_bucket` },
        { labels: { ...labels }, value: sum, metricName: `${name}_sum` },
        { labels: { ...labels }, value: count, metricName: `${name}_count` },
      );
    }
    return { name, help, type: 'histogram', values, aggregator: 'sum' };
  };
  // The registry reads `name`, `help`, `type`, `aggregator`, `get()` and `reset()`.
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get: async () => snapshot(),
    reset() {
      series = new Map();
    },
  };
  registry.registerMetric(metric as unknown as Metric);
  return {
    observe(endpoint, value) {
      if (!Number.isFinite(value)) return;
      let entry = series.get(endpoint);
      if (entry === undefined) {
        entry = {
          labels: { endpoint },
          counts: new Float64Array(bounds.length + 1),
          sum: 0,
          count: 0,
        };
        series.set(endpoint, entry);
      }
      let index = 0;
      while (index < bounds.length && value > (bounds[index] as number)) index += 1;
      entry.counts[index] = (entry.counts[index] ?? 0) + 1;
      entry.sum += value;
      entry.count += 1;
    },
  };
}
