// One server of the gateway benchmark in its own process, so its CPU time is its own and it can
// be pinned to a core: `node server-process.js <role> [upstream-url]`, spoken to over IPC.
//   upstream  the instant upstream: a bare node:http server with canned answers
//   gateway   the gateway (auth, live scoring, ladder, undici pool, recording) on that upstream
//   bare      the floor: a node:http → undici passthrough proxy with no logic at all
//   cluster   `gateway --workers N` (node:cluster workers on one port), not pinned
// BENCH_OBSERVE (gateway role): `tracing` exports every span over OTLP/HTTP (to the upstream
// process, which answers 200), `logs` writes a JSON line per request to /dev/null, `all` both.
// The parent sends `{ type: 'sample' }` and gets this process's CPU time and the event-loop
// delay since the previous sample; `{ type: 'close' }` drains and reports the records written.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { Pool } from 'undici';
import {
  createApiKeyHasher,
  createBatchingRecorder,
  createDetectorScorer,
  createDuckDbExchangeSink,
  createGateway,
  createGatewayTracing,
  createMemoryExchangeSink,
  createNullScorer,
  createUndiciUpstream,
  DEFAULT_LADDER_POLICY,
  parseGatewayConfig,
  serveFetchHandler,
  startGatewayCluster,
} from '../../src/gateway/index.js';
import { createLogger } from '../../src/shared/telemetry/index.js';

/** Parent → server. */
export type BenchCommand = { type: 'sample' } | { type: 'close' };

/** Server → parent. */
export type BenchReply =
  | { type: 'ready'; url: string; keys: string[] }
  | {
      type: 'sample';
      cpuMicroseconds: number;
      loopDelay: { p50: number; p99: number; max: number };
    }
  | { type: 'closed'; written: number; accepted: number };

const BENCH_ACCOUNTS = 200;

const role = process.argv[2];
const upstreamUrl = process.argv[3] ?? '';
const send = (reply: BenchReply) => process.send?.(reply);
const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const completion = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'The answer is 42.' },
      finish_reason: 'stop',
    },
  ],
  usage: { prompt_tokens: 12, completion_tokens: 6, total_tokens: 18 },
});
const chunk = (content: string) =>
  `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const stream = `${['The', ' answer', ' is', ' 42', '.'].map(chunk).join('')}data: [DONE]\n\n`;

const unlimited = {
  requests: { capacity: 1e9, refillPerSecond: 1e9 },
  outputTokens: { capacity: 1e12, refillPerSecond: 1e12 },
};
const unlimitedConfig = {
  requests: { capacity: 1e9, refill_per_second: 1e9 },
  output_tokens: { capacity: 1e12, refill_per_second: 1e12 },
};

let close: () => Promise<{ written: number; accepted: number }> = async () => ({
  written: 0,
  accepted: 0,
});
let url = '';
const keys: string[] = [];
const directory = await mkdtemp(join(tmpdir(), `distillguard-bench-${role}-`));

if (role === 'upstream') {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (part: Buffer) => {
      body += part.toString();
    });
    request.on('end', () => {
      if (body.includes('"stream":true')) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(stream);
      } else {
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(completion),
        });
        response.end(completion);
      }
    });
  });
  url = await listen(server);
  close = async () => {
    server.closeAllConnections();
    server.close();
    return { written: 0, accepted: 0 };
  };
} else if (role === 'bare') {
  const pool = new Pool(upstreamUrl, { connections: 64 });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (part: Buffer) => chunks.push(part));
    request.on('end', () => {
      pool
        .request({
          path: request.url ?? '/',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        })
        .then(async (upstream) => {
          const body = Buffer.from(await upstream.body.arrayBuffer());
          response.writeHead(upstream.statusCode, {
            'content-type': 'application/json',
            'content-length': body.length,
          });
          response.end(body);
        })
        .catch(() => response.destroy());
    });
  });
  url = await listen(server);
  close = async () => {
    server.closeAllConnections();
    server.close();
    await pool.close();
    return { written: 0, accepted: 0 };
  };
} else if (role === 'gateway') {
  // BENCH_SCORER=none and BENCH_STORE=memory isolate the cost of the engine and of DuckDB.
  const sink =
    process.env.BENCH_STORE === 'memory'
      ? createMemoryExchangeSink()
      : await createDuckDbExchangeSink({ path: join(directory, 'gateway.duckdb') });
  // BENCH_FLUSH_MS / BENCH_MAX_BATCH: the recorder's batching (default: the gateway's own).
  const recorder = createBatchingRecorder({
    sink,
    ...(process.env.BENCH_FLUSH_MS ? { flushIntervalMs: Number(process.env.BENCH_FLUSH_MS) } : {}),
    ...(process.env.BENCH_MAX_BATCH ? { maxBatch: Number(process.env.BENCH_MAX_BATCH) } : {}),
  });
  const observe = process.env.BENCH_OBSERVE ?? 'off';
  const tracing =
    observe === 'tracing' || observe === 'all'
      ? createGatewayTracing({ endpoint: `${upstreamUrl}/v1/traces` })
      : null;
  const logger =
    observe === 'logs' || observe === 'all'
      ? createLogger({
          name: 'distillguard-gateway',
          destination: pino.destination({ dest: '/dev/null', sync: false }),
        })
      : undefined;
  const gateway = createGateway({
    observability: { tracing, ...(logger ? { logger } : {}) },
    upstream: createUndiciUpstream({ baseUrl: upstreamUrl, connections: 64 }),
    hasher: createApiKeyHasher({ secret: 'bench-secret-0123456789abcdef' }),
    recorder,
    scorer: process.env.BENCH_SCORER === 'none' ? createNullScorer() : createDetectorScorer(),
    // One load generator is one IP: the per-IP limit is the bench's own bottleneck otherwise.
    perIpLimit: null,
    policy: {
      ...DEFAULT_LADDER_POLICY,
      limits: { allow: unlimited, throttle: unlimited, degrade: unlimited },
    },
  });
  for (let index = 0; index < BENCH_ACCOUNTS; index += 1) {
    gateway.provisionAccount({
      account_id: `acct-${index}`,
      created_at: '2026-01-01T00:00:00.000Z',
    });
    keys.push(gateway.createApiKey(`acct-${index}`).apiKey);
  }
  const served = await serveFetchHandler(gateway);
  url = served.url;
  close = async () => {
    await served.close(1_000);
    await recorder.close();
    await tracing?.shutdown();
    return { written: recorder.written, accepted: gateway.accepted };
  };
} else if (role === 'cluster') {
  const accountsPath = join(directory, 'accounts.jsonl');
  await writeFile(
    accountsPath,
    Array.from(
      { length: BENCH_ACCOUNTS },
      (_, index) =>
        `${JSON.stringify({ account_id: `acct-${index}`, created_at: '2026-01-01T00:00:00.000Z' })}\n`,
    ).join(''),
  );
  const gatewayCluster = await startGatewayCluster(
    parseGatewayConfig({
      listen: { port: 0 },
      upstream: { url: upstreamUrl, connections: 64 },
      store:
        process.env.BENCH_STORE === 'memory'
          ? { kind: 'memory' }
          : { kind: 'duckdb', path: join(directory, 'cluster.duckdb') },
      engine: process.env.BENCH_SCORER === 'none' ? 'none' : 'detector',
      accounts_file: accountsPath,
      limits: { per_ip: null },
      policy: {
        limits: { allow: unlimitedConfig, throttle: unlimitedConfig, degrade: unlimitedConfig },
      },
    }),
    {
      workers: Number(process.env.BENCH_WORKERS),
      env: {
        ...process.env,
        DISTILLGUARD_SECRET: 'bench-secret-0123456789abcdef',
        DISTILLGUARD_ADMIN_TOKEN: 'bench-admin',
      },
      warn: () => {},
    },
  );
  url = gatewayCluster.url;
  const adminPool = new Pool(url, { connections: 1 });
  for (let index = 0; index < BENCH_ACCOUNTS; index += 1) {
    const response = await adminPool.request({
      path: `/admin/accounts/acct-${index}/keys`,
      method: 'POST',
      headers: { authorization: 'Bearer bench-admin', 'content-type': 'application/json' },
      body: '{}',
    });
    keys.push(((await response.body.json()) as { api_key: string }).api_key);
  }
  await adminPool.close();
  // Keys made through one worker reach the others through the primary.
  await new Promise((resolve) => setTimeout(resolve, 500));
  close = async () => {
    await gatewayCluster.close();
    return { written: gatewayCluster.recorder.written, accepted: gatewayCluster.recorder.written };
  };
} else throw new Error(`unknown role ${role}`);

// Resolution 1 ms: a stall of a few ms on the request path must show.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
let lastCpu = process.cpuUsage();
process.on('message', (command: BenchCommand) => {
  if (command.type === 'sample') {
    const used = process.cpuUsage(lastCpu);
    lastCpu = process.cpuUsage();
    send({
      type: 'sample',
      cpuMicroseconds: used.user + used.system,
      loopDelay: {
        p50: loopDelay.percentile(50) / 1e6,
        p99: loopDelay.percentile(99) / 1e6,
        max: loopDelay.max / 1e6,
      },
    });
    loopDelay.reset();
  } else if (command.type === 'close') {
    loopDelay.disable();
    void close().then(async (counts) => {
      await rm(directory, { recursive: true, force: true });
      // The upstream pool's keep-alive sockets would hold the process open for no reason.
      process.send?.({ type: 'closed', ...counts } satisfies BenchReply, () => process.exit(0));
    });
  }
});
send({ type: 'ready', url, keys });
