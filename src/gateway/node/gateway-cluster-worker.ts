// The entry of one `gateway --workers N` worker process, forked by `startGatewayCluster`: a full
// gateway on the shared port whose exchange records go to the primary (which owns the store)
// and whose account/key changes are replicated to the other workers through the primary.
import cluster from 'node:cluster';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { createFleetDecisionView } from '../../fleet/index.js';
import type { Exchange } from '../../log/exchange.js';
import { serialiseExchange } from '../../log/serialise-exchange.js';
import {
  createAccountDirectory,
  createReplicatedDirectory,
  type DirectoryChange,
} from '../control-plane/account-directory.js';
import type { ExchangeSink } from '../exchange-store/exchange-recorder.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { createClusterMetricsRequester } from '../observability/request-cluster-metrics.js';
import {
  type ClusterMessage,
  type PrimaryMessage,
  primaryRunsEngine,
  WORKER_CONFIG_ENV,
} from './cluster-message.js';
import { type GatewayServer, startGatewayServer } from './start-gateway-server.js';

// Records per IPC message: serialising a whole batch at once would stall responses for ms.
const RECORDS_PER_MESSAGE = 64;

const send = (message: ClusterMessage) =>
  new Promise<void>((resolve, reject) => {
    process.send?.(message, undefined, undefined, (error: Error | null) =>
      error ? reject(error) : resolve(),
    );
  });

/** A sink that hands records to the primary; a batch is done once the primary has queued it. */
function createPrimaryExchangeSink(
  acknowledged: Map<number, () => void>,
): ExchangeSink & { readonly sent: number } {
  let nextId = 1;
  let sent = 0;
  const sendLines = async <T>(records: T[], line: (record: T) => string) => {
    const acks: Promise<void>[] = [];
    for (let start = 0; start < records.length; start += RECORDS_PER_MESSAGE) {
      if (start > 0) await yieldToEventLoop();
      const id = nextId++;
      acks.push(new Promise<void>((resolve) => acknowledged.set(id, resolve)));
      const lines: string[] = [];
      const end = Math.min(records.length, start + RECORDS_PER_MESSAGE);
      for (let index = start; index < end; index += 1) lines.push(line(records[index] as T));
      await send({ type: 'exchanges', id, lines });
    }
    await Promise.all(acks);
    sent += records.length;
  };
  return {
    version: 1,
    // Serialised one record at a time (here or when queued): IPC's own JSON.stringify of a whole
    // message would throw on one hostile body and fail the batch forever.
    writeBatch: (exchanges: Exchange[]) =>
      sendLines(exchanges, (exchange) => serialiseExchange(exchange).line),
    writeSerialised: (rows) => sendLines(rows, (row) => row.line),
    count: async () => sent,
    async close() {},
    get sent() {
      return sent;
    },
  };
}

async function runWorker(serialisedConfig: string): Promise<void> {
  const config = parseGatewayConfig(JSON.parse(serialisedConfig) as unknown, WORKER_CONFIG_ENV);
  const acknowledged = new Map<number, () => void>();
  // The primary's one engine decides; this worker reads its decisions from memory.
  const decisions = primaryRunsEngine(config) ? createFleetDecisionView() : undefined;
  // Changes from the primary are applied without being published again; the accounts file is
  // loaded by every worker itself, so its accounts are not published either.
  let replaying = true;
  const directory = createReplicatedDirectory(createAccountDirectory(), (change) => {
    if (!replaying) void send({ type: 'directory', change });
  });
  const early: DirectoryChange[] = [];
  let server: GatewayServer | null = null;
  const apply = (change: DirectoryChange) => {
    if (!server) {
      early.push(change);
      return;
    }
    replaying = true;
    try {
      if (change.kind === 'account') server.gateway.provisionAccount(change.account);
      else if (change.kind === 'key') directory.addKey(change.key);
      else directory.revokeKey(change.keyId, change.at);
    } finally {
      replaying = false;
    }
  };
  // A scrape of any worker answers for the whole process: the primary sums every registry.
  const clusterMetrics = createClusterMetricsRequester(send);
  let draining = false;
  const drain = () => {
    if (draining) return;
    draining = true;
    void (async () => {
      await server?.close();
      process.disconnect?.();
      process.exit(0);
    })();
  };
  process.on('message', (message: PrimaryMessage) => {
    if (message.type === 'ack') {
      acknowledged.get(message.id)?.();
      acknowledged.delete(message.id);
    } else if (message.type === 'decisions') decisions?.apply(message.accounts, message.campaigns);
    else if (message.type === 'directory') apply(message.change);
    else if (message.type === 'drain') drain();
    else if (message.type === 'metrics')
      clusterMetrics.answer(message.id, message.text, message.error);
    else if (message.type === 'metrics-collect')
      // A worker still starting answers with nothing rather than hold the scrape up.
      void (server ? server.gateway.metrics.registry.getMetricsAsJSON() : Promise.resolve([]))
        .then((metrics) => send({ type: 'metrics-snapshot', id: message.id, metrics }))
        .catch(() => {});
  });
  // The primary decides when to drain; a signal sent to the whole group (Ctrl-C) drains too.
  process.on('SIGTERM', drain);
  process.on('SIGINT', drain);
  server = await startGatewayServer(config, {
    sink: createPrimaryExchangeSink(acknowledged),
    directory,
    warn: () => {},
    scrapeMetrics: () => clusterMetrics.scrape(),
    ...(decisions ? { decisions } : {}),
  });
  // Summed over the workers by the cluster scrape: how many answered it.
  server.gateway.metrics.addGauges(() => ({ workers: 1 }));
  for (const change of early.splice(0)) apply(change);
  replaying = false;
  await send({ type: 'listening', url: server.url });
}

const serialised = process.env[WORKER_CONFIG_ENV];
if (cluster.isWorker && serialised) {
  runWorker(serialised).catch((error: unknown) => {
    process.stderr.write(
      `gateway worker ${process.pid}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
}
