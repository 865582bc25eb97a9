import cluster, { type Worker } from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type InProcessFleetEngine, openInProcessFleetEngine } from '../../fleet/index.js';
import type { Exchange } from '../../log/exchange.js';
import { readAccounts } from '../../log/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createLogger } from '../../shared/telemetry/index.js';
import type { DirectoryChange } from '../control-plane/account-directory.js';
import { openControlPlaneStore, resolveControlPlane } from '../control-plane/open-control-plane.js';
import { createDemoUpstream } from '../demo/create-demo-upstream.js';
import {
  createBatchingRecorder,
  type ExchangeRecorder,
  type ExchangeSink,
} from '../exchange-store/exchange-recorder.js';
import { openExchangeStore } from '../exchange-store/open-exchange-store.js';
import type { GatewayConfig } from '../gateway-config.js';
import { createGatewayMetrics } from '../gateway-metrics.js';
import { createClusterMetricsAggregator } from '../observability/aggregate-cluster-metrics.js';
import { registerRecorderReadings } from '../observability/register-recorder-readings.js';
import {
  type ClusterMessage,
  type PrimaryMessage,
  primaryRunsEngine,
  WORKER_CONFIG_ENV,
} from './cluster-message.js';
import { type ServedHandler, serveFetchHandler } from './serve-gateway.js';

export interface GatewayCluster {
  /** `http://host:port`, shared by every worker. */
  url: string;
  workers: number;
  demoUpstreamUrl: string | null;
  adminToken: string;
  /** The primary's recorder: every worker's records end up here, in the configured store. */
  recorder: ExchangeRecorder;
  /**
   * The one engine every worker's records feed (`engine: detector` without `fleet:`); its
   * decisions reach every worker. Null when the fleet's detector decides or the engine is off.
   */
  engine: InProcessFleetEngine | null;
  /** Drains: every worker stops accepting and finishes its responses, then the store is written. */
  close(): Promise<void>;
}

/** The default worker count: one per core this process may use. */
export const defaultWorkerCount = (): number => availableParallelism();

/**
 * Runs the gateway as one `node:cluster` worker per core on one shared port. The primary owns
 * the exchange store (every worker sends it its records, so there is one DuckDB file as with a
 * single process), the demo upstream when configured, and the secrets (made once, so keys and
 * the admin token hold across workers). Account and key changes made through one worker's admin
 * API reach the others through the primary. The primary runs the one engine over every
 * worker's records and sends its decisions to every worker (docs/fleet.md). Counters and manual
 * decisions are shared only with `state: { kind: redis }`; with the in-process state each worker
 * keeps its own (see docs/gateway.md).
 *
 * @example
 * const gatewayCluster = await startGatewayCluster(config, { workers: 4 });
 * process.once('SIGTERM', () => void gatewayCluster.close());
 */
export async function startGatewayCluster(
  config: GatewayConfig,
  {
    workers = defaultWorkerCount(),
    env = process.env,
    warn: givenWarn,
  }: {
    workers?: number;
    env?: NodeJS.ProcessEnv;
    warn?: (message: string) => void;
  } = {},
): Promise<GatewayCluster> {
  if (!cluster.isPrimary) throw new Error('startGatewayCluster runs in the primary process only');
  // The primary's own warnings are log lines like the workers' (observability.logs).
  const logger = givenWarn
    ? null
    : createLogger({
        name: 'distillguard-gateway',
        level: config.observability.logs.level,
        ...(config.observability.logs.destination === 'stderr'
          ? { destination: process.stderr }
          : {}),
      });
  const warn = givenWarn ?? ((message: string) => logger?.warn(message));
  if (!Number.isInteger(workers) || workers < 1) {
    throw new DistillguardError(
      'gateway_workers_invalid',
      `--workers must be a whole number from 1 (got ${workers}).`,
    );
  }
  const secrets: Record<string, string> = {};
  if (!env[config.secret_env]) {
    warn(
      `${config.secret_env} is not set: API keys are hashed with a random secret for this run only.`,
    );
    secrets[config.secret_env] = randomBytes(32).toString('hex');
  }
  const adminToken = env[config.admin_token_env] ?? randomBytes(24).toString('base64url');
  if (!env[config.admin_token_env]) {
    secrets[config.admin_token_env] = adminToken;
    warn(
      `${config.admin_token_env} is not set: the admin API token for this run was generated (printed once by the CLI).`,
    );
  }
  if (workers > 1 && config.state.kind === 'memory') {
    warn(
      `state is in-process: each of the ${workers} workers keeps its own rate limits and decisions; use state: { kind: redis } to share them.`,
    );
  }

  let demo: ServedHandler | null = null;
  let workerConfig: GatewayConfig = config;
  if (!config.upstreams && 'demo' in config.upstream) {
    demo = await serveFetchHandler(
      createDemoUpstream({
        tokenDelayMs: config.upstream.token_delay_ms,
        maxTokensCap: config.upstream.max_tokens_cap,
      }),
      { port: config.upstream.port },
    );
    workerConfig = {
      ...config,
      upstream: {
        url: demo.url,
        connections: 128,
        headers_timeout_ms: 60_000,
        body_timeout_ms: 60_000,
      },
    };
  }
  // A DuckDB control plane is one file only one process may open: the primary owns it, stores
  // every change a worker publishes and hands each new worker the whole directory. With Postgres,
  // each worker follows the shared store itself.
  const controlPlane = resolveControlPlane(config);
  const controlStore =
    controlPlane.kind === 'duckdb' ? await openControlPlaneStore(controlPlane) : null;
  const changes: DirectoryChange[] = [];
  if (controlStore) {
    const snapshot = await controlStore.snapshot();
    for (const account of snapshot.accounts) changes.push({ kind: 'account', account });
    for (const key of snapshot.keys) changes.push({ kind: 'key', key });
    workerConfig = { ...workerConfig, control_plane: { kind: 'memory' } };
  }
  let storing: Promise<void> = Promise.resolve();
  const store = (change: DirectoryChange) => {
    if (!controlStore) return;
    storing = storing
      .then(() => controlStore.apply([change]))
      .catch((error: unknown) =>
        warn(`gateway: control plane: ${error instanceof Error ? error.message : String(error)}`),
      );
  };
  const sink: ExchangeSink = await openExchangeStore(config.store);
  const recorder = createBatchingRecorder({
    sink,
    maxPendingRecords: config.limits.max_pending_records,
    maxPendingBytes: config.limits.max_pending_bytes,
  });
  // issue 17: one engine in the primary over every worker's records, not one per worker.
  const running = new Set<Worker>();
  const engine = primaryRunsEngine(config)
    ? await openInProcessFleetEngine({
        onDecisions: (accounts, campaigns) => {
          const message: PrimaryMessage = {
            type: 'decisions',
            accounts: [...accounts],
            campaigns: [...campaigns],
          };
          for (const worker of running) if (worker.isConnected()) worker.send(message);
        },
      })
    : null;
  if (engine && config.accounts_file)
    for await (const account of readAccounts(config.accounts_file)) engine.observeAccount(account);
  for (const change of changes)
    if (change.kind === 'account') engine?.observeAccount(change.account);

  // The primary's own metrics (its recorder writes the store) join every worker's at a scrape.
  const primaryMetrics = createGatewayMetrics({
    processMetrics: config.observability.process_metrics,
  });
  registerRecorderReadings(primaryMetrics, recorder, { ownsStore: true });
  const clusterMetrics = createClusterMetricsAggregator({
    workers: () => running,
    registry: primaryMetrics.registry,
  });

  cluster.setupPrimary({
    exec: fileURLToPath(new URL('./gateway-cluster-worker.js', import.meta.url)),
    // The primary's own flags (`--input-type`, profilers) are not for the workers.
    execArgv: [],
  });
  const workerEnv = { ...env, ...secrets, [WORKER_CONFIG_ENV]: JSON.stringify(workerConfig) };
  // `changes`: the stored directory and admin changes so far, replayed to every worker that
  // starts (a replacement for a crashed one included).
  let draining = false;
  let url = '';

  const fork = (onListening?: (url: string) => void, onFailed?: (error: Error) => void) => {
    const worker = cluster.fork(workerEnv);
    running.add(worker);
    let listening = false;
    worker.on('message', (message: ClusterMessage) => {
      if (message.type === 'exchanges') {
        const exchanges = message.lines.map((line) => JSON.parse(line) as Exchange);
        for (const [index, exchange] of exchanges.entries())
          recorder.record(exchange, (message.lines[index] as string).length);
        engine?.publish(exchanges);
        worker.send({ type: 'ack', id: message.id } satisfies PrimaryMessage);
      } else if (message.type === 'directory') {
        changes.push(message.change);
        store(message.change);
        if (message.change.kind === 'account') engine?.observeAccount(message.change.account);
        for (const other of running)
          if (other !== worker && other.isConnected())
            other.send({ type: 'directory', change: message.change } satisfies PrimaryMessage);
      } else if (message.type === 'metrics-snapshot') {
        clusterMetrics.accept(message.id, message.metrics);
      } else if (message.type === 'metrics-request') {
        const answer = (reply: PrimaryMessage) => {
          if (worker.isConnected()) worker.send(reply);
        };
        void clusterMetrics.scrape().then(
          (text) => answer({ type: 'metrics', id: message.id, text }),
          (error: unknown) =>
            answer({ type: 'metrics', id: message.id, text: null, error: String(error) }),
        );
      } else if (message.type === 'listening') {
        listening = true;
        for (const change of changes)
          worker.send({ type: 'directory', change } satisfies PrimaryMessage);
        if (engine)
          worker.send({ type: 'decisions', ...engine.current() } satisfies PrimaryMessage);
        onListening?.(message.url);
      }
    });
    worker.once('exit', (code, signal) => {
      running.delete(worker);
      if (!listening) {
        onFailed?.(new Error(`gateway worker ${worker.process.pid} exited before listening`));
        return;
      }
      if (draining) return;
      warn(
        `gateway: worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement (its queued records are lost).`,
      );
      fork();
    });
  };

  try {
    await Promise.all(
      Array.from(
        { length: workers },
        () =>
          new Promise<void>((resolve, reject) =>
            fork((workerUrl) => {
              url = workerUrl;
              resolve();
            }, reject),
          ),
      ),
    );
  } catch (error) {
    draining = true;
    for (const worker of running) worker.kill();
    await controlStore?.close();
    await recorder.close();
    await engine?.close();
    await demo?.close(1_000);
    throw new DistillguardError(
      'gateway_worker_failed',
      `${error instanceof Error ? error.message : String(error)}; its error is above.`,
    );
  }

  let closing: Promise<void> | null = null;
  return {
    url,
    workers,
    demoUpstreamUrl: demo?.url ?? null,
    adminToken,
    recorder,
    engine,
    close() {
      closing ??= (async () => {
        draining = true;
        await Promise.all(
          [...running].map(
            (worker) =>
              new Promise<void>((resolve) => {
                worker.once('exit', () => resolve());
                if (worker.isConnected()) worker.send({ type: 'drain' } satisfies PrimaryMessage);
                else worker.kill('SIGTERM');
              }),
          ),
        );
        await storing;
        await controlStore?.close();
        await recorder.close();
        await engine?.close();
        await demo?.close(1_000);
      })();
      return closing;
    },
  };
}
