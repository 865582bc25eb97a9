import type { Worker } from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { PrimaryMessage } from '../node/cluster-message.js';

/** The cluster primary's side of a scrape: asks every worker, sums with prom-client. */
export interface ClusterMetricsAggregator {
  /** The whole process's metrics: each worker's registry and the primary's, aggregated. */
  scrape(): Promise<string>;
  /** A worker's answer to `metrics-collect`. */
  accept(id: number, metrics: unknown[]): void;
}

/**
 * A scrape lands on one worker (they share the port); that worker asks the primary, which
 * collects every worker's registry as JSON over IPC and sums them with prom-client's
 * `AggregatorRegistry.aggregate` (counters and histograms summed, the default metrics as
 * prom-client aggregates each). A worker that does not answer within `timeoutMs` is left out of
 * that scrape (`distillguard_gateway_cluster_scrape_missing_workers` says how many).
 */
export function createClusterMetricsAggregator({
  workers,
  registry,
  timeoutMs = 2_000,
}: {
  workers: () => Iterable<Worker>;
  /** The primary's own metrics (its recorder owns the store). */
  registry: Registry;
  timeoutMs?: number;
}): ClusterMetricsAggregator {
  let nextId = 1;
  const pending = new Map<number, { answers: unknown[][]; expected: number; done: () => void }>();
  return {
    async scrape() {
      const id = nextId++;
      const asked = [...workers()].filter((worker) => worker.isConnected());
      const answers: unknown[][] = [];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(finish, timeoutMs);
        function finish() {
          clearTimeout(timer);
          pending.delete(id);
          resolve();
        }
        pending.set(id, { answers, expected: asked.length, done: finish });
        if (asked.length === 0) finish();
        for (const worker of asked)
          worker.send({ type: 'metrics-collect', id } satisfies PrimaryMessage);
      });
      const own = (await registry.getMetricsAsJSON()) as unknown[];
      const missing = {
        name: 'distillguard_gateway_cluster_scrape_missing_workers',
        help: 'Workers that did not answer this scrape in time (their counts are missing).',
        type: 'gauge',
        aggregator: 'sum',
        values: [{ value: asked.length - answers.length, labels: {} }],
      };
      return AggregatorRegistry.aggregate([own, ...answers, [missing]]).metrics();
    },
    accept(id, metrics) {
      const waiting = pending.get(id);
      if (!waiting) return;
      waiting.answers.push(metrics);
      if (waiting.answers.length >= waiting.expected) waiting.done();
    },
  };
}
