import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { createEndpointHistogram } from './create-endpoint-histogram.js';
import { createLabelledCounter } from './create-labelled-counter.js';

// Seconds: from a fast refusal (1 ms) to a long stream (60 s).
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
// The gateway's own share of a request: sub-millisecond when healthy.
const OVERHEAD_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

/** One finished request on a proxied route, as the metrics count it. */
export interface RequestMetrics {
  endpoint: string;
  status: number;
  /** The ladder's rung (`allow` … `suspend`, `none` before a decision). */
  action: string;
  reason: string;
  /** The requested model, already bounded (`createBoundedLabel`): a label must not be open-ended. */
  model: string;
  inputTokens: number;
  outputTokens: number;
  seconds: number;
  /** Time spent waiting on the upstream (send to end of body); null when it was not called. */
  upstreamSeconds: number | null;
  /** Streams only: request start to the upstream's first body chunk. */
  timeToFirstTokenSeconds: number | null;
}

/** Numbers read at each scrape from a part that keeps its own (recorder, fleet publisher). */
export type MetricReadings = () => Record<string, number>;

/**
 * The gateway's Prometheus metrics (prom-client), in a registry of its own (never the global
 * one): counters typed as counters, latency histograms split into upstream and gateway time,
 * and, when asked, the process's and event loop's default metrics.
 */
export interface GatewayMetrics {
  readonly registry: Registry;
  observeRequest(request: RequestMetrics): void;
  observeDecision(kind: 'account' | 'campaign', action: string): void;
  /** Gauges read at each scrape, named `distillguard_gateway_<name>`. */
  addGauges(source: MetricReadings): void;
  /**
   * Monotonic counts read at each scrape, named `distillguard_gateway_<name>_total` and typed as
   * counters. The source's names are read once, here.
   */
  addCounters(source: MetricReadings): void;
  /** The exposition text of this registry. */
  render(): Promise<string>;
}

export interface GatewayMetricsOptions {
  /** Process and event-loop metrics (`collectDefaultMetrics`); off in tests, on in servers. */
  processMetrics?: boolean;
  registry?: Registry;
}

const PREFIX = 'distillguard_gateway_';

/**
 * Builds the gateway's metrics. Names `docs/observability.md` lists are the contract; the
 * Grafana dashboard in `docs/grafana-dashboard.json` reads them.
 *
 * @example
 * const metrics = createGatewayMetrics({ processMetrics: true });
 * const text = await metrics.render();
 */
export function createGatewayMetrics({
  processMetrics = false,
  registry = new Registry(),
}: GatewayMetricsOptions = {}): GatewayMetrics {
  const registers = [registry];
  // The two counters of every request: sums kept by label values, handed over at scrape.
  const requests = createLabelledCounter({
    registry,
    name: `${PREFIX}requests_total`,
    help: 'Requests on the proxied routes, by endpoint, model, status, ladder rung (action) and reason.',
    labelNames: ['endpoint', 'model', 'status', 'action', 'reason'],
  });
  const tokens = createLabelledCounter({
    registry,
    name: `${PREFIX}tokens_total`,
    help: 'Tokens served, by endpoint, model and type (input, output), from the upstream usage.',
    labelNames: ['endpoint', 'model', 'type'],
  });
  const decisions = new Counter({
    name: `${PREFIX}decisions_total`,
    help: 'Engine decisions attached, by subject kind and action.',
    labelNames: ['kind', 'action'] as const,
    registers,
  });
  const duration = createEndpointHistogram({
    registry,
    name: `${PREFIX}request_duration_seconds`,
    help: 'Time from request to the end of the response.',
    buckets: BUCKETS,
  });
  const upstream = createEndpointHistogram({
    registry,
    name: `${PREFIX}upstream_duration_seconds`,
    help: 'Time waiting on the upstream: from sending the request to the end of its body.',
    buckets: BUCKETS,
  });
  const overhead = createEndpointHistogram({
    registry,
    name: `${PREFIX}overhead_duration_seconds`,
    help: "The gateway's own time: the request's duration less the upstream's.",
    buckets: OVERHEAD_BUCKETS,
  });
  const firstToken = createEndpointHistogram({
    registry,
    name: `${PREFIX}time_to_first_token_seconds`,
    help: "Streams: from the request to the upstream's first body chunk.",
    buckets: BUCKETS,
  });
  if (processMetrics) collectDefaultMetrics({ register: registry });

  return {
    registry,
    observeRequest(request) {
      const { endpoint, model } = request;
      requests.inc(1, endpoint, model, request.status, request.action, request.reason);
      tokens.inc(request.inputTokens, endpoint, model, 'input');
      tokens.inc(request.outputTokens, endpoint, model, 'output');
      duration.observe(endpoint, request.seconds);
      if (request.upstreamSeconds !== null) {
        upstream.observe(endpoint, request.upstreamSeconds);
        overhead.observe(endpoint, Math.max(0, request.seconds - request.upstreamSeconds));
      } else overhead.observe(endpoint, request.seconds);
      if (request.timeToFirstTokenSeconds !== null)
        firstToken.observe(endpoint, request.timeToFirstTokenSeconds);
    },
    observeDecision(kind, action) {
      decisions.inc({ kind, action });
    },
    addGauges(source) {
      for (const name of Object.keys(source())) {
        new Gauge({
          name: `${PREFIX}${name}`,
          help: `${name.replaceAll('_', ' ')} (read at scrape).`,
          registers,
          collect() {
            this.set(source()[name] ?? 0);
          },
        });
      }
    },
    addCounters(source) {
      for (const name of Object.keys(source())) {
        new Counter({
          name: `${PREFIX}${name}_total`,
          help: `${name.replaceAll('_', ' ')} since start (read at scrape).`,
          registers,
          collect() {
            // The part keeps the count; the counter mirrors it.
            this.reset();
            this.inc(source()[name] ?? 0);
          },
        });
      }
    },
    render: () => registry.metrics(),
  };
}
