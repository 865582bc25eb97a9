// Gateway overhead: added latency (p50/p99, concurrency 1) and sustained requests/s (concurrency
// 32) of a request through the gateway — auth, live scoring by the detection engine, the ladder,
// the undici pool and batched DuckDB recording — against a direct call to the same instant
// upstream, measured in the same run; plus added time to first token for SSE streams.
// Client, gateway and upstream share this process (and its cores): figures are conservative.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Pool } from 'undici';
import {
  createApiKeyHasher,
  createBatchingRecorder,
  createDetectorScorer,
  createDuckDbExchangeSink,
  createGateway,
  createMemoryExchangeSink,
  createNullScorer,
  createUndiciUpstream,
  DEFAULT_LADDER_POLICY,
  defaultWorkerCount,
  parseGatewayConfig,
  serveFetchHandler,
  startGatewayCluster,
} from '../../src/gateway/index.js';
import { report } from '../shared/measure.js';

const samples = Number(process.env.BENCH_SAMPLES ?? 3000);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const accounts = 200;
const workers = Number(process.env.BENCH_WORKERS ?? Math.max(2, defaultWorkerCount()));

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

// The instant upstream: a bare node:http server with canned answers.
const upstreamServer = createServer((request, response) => {
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
await new Promise<void>((resolve) => upstreamServer.listen(0, '127.0.0.1', resolve));
const upstreamUrl = `http://127.0.0.1:${(upstreamServer.address() as AddressInfo).port}`;

const directory = await mkdtemp(join(tmpdir(), 'distillguard-bench-gateway-'));
// BENCH_SCORER=none and BENCH_STORE=memory isolate the cost of the engine and of DuckDB.
const sink =
  process.env.BENCH_STORE === 'memory'
    ? createMemoryExchangeSink()
    : await createDuckDbExchangeSink({ path: join(directory, 'gateway.duckdb') });
const recorder = createBatchingRecorder({ sink });
const unlimited = {
  requests: { capacity: 1e9, refillPerSecond: 1e9 },
  outputTokens: { capacity: 1e12, refillPerSecond: 1e12 },
};
const gateway = createGateway({
  upstream: createUndiciUpstream({ baseUrl: upstreamUrl, connections: 64 }),
  hasher: createApiKeyHasher({ secret: 'bench-secret-0123456789abcdef' }),
  recorder,
  scorer: process.env.BENCH_SCORER === 'none' ? createNullScorer() : createDetectorScorer(),
  policy: {
    ...DEFAULT_LADDER_POLICY,
    limits: { allow: unlimited, throttle: unlimited, degrade: unlimited },
  },
});
const keys: string[] = [];
for (let index = 0; index < accounts; index += 1) {
  gateway.provisionAccount({ account_id: `acct-${index}`, created_at: '2026-01-01T00:00:00.000Z' });
  keys.push(gateway.createApiKey(`acct-${index}`).apiKey);
}
const served = await serveFetchHandler(gateway);

// The floor: a bare node:http → undici passthrough proxy with no logic at all. What any Node
// proxy pays for the extra hop on this machine, to read the gateway's own cost against.
const barePool = new Pool(upstreamUrl, { connections: 64 });
const bareProxy = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (part: Buffer) => chunks.push(part));
  request.on('end', () => {
    barePool
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
await new Promise<void>((resolve) => bareProxy.listen(0, '127.0.0.1', resolve));
const bareUrl = `http://127.0.0.1:${(bareProxy.address() as AddressInfo).port}`;

const body = (index: number, streamed: boolean) =>
  JSON.stringify({
    model: 'm',
    stream: streamed,
    max_tokens: 64,
    messages: [
      {
        role: 'user',
        content: `Question ${index % 997}: what is ${index % 89} times ${index % 13}? Explain briefly.`,
      },
    ],
  });

async function call(
  pool: Pool,
  index: number,
  streamed: boolean,
  keyList: string[] = keys,
): Promise<{ total: number; firstByte: number }> {
  const started = performance.now();
  const response = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${keyList[index % accounts]}`,
    },
    body: body(index, streamed),
  });
  let firstByte = 0;
  for await (const _part of response.body)
    if (firstByte === 0) firstByte = performance.now() - started;
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  return { total: performance.now() - started, firstByte };
}

const percentile = (values: number[], fraction: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
};

// Alternating direct and gateway calls sample the same machine conditions.
async function latency(streamed: boolean, pick: 'total' | 'firstByte') {
  const direct = new Pool(upstreamUrl, { connections: 1 });
  const viaGateway = new Pool(served.url, { connections: 1 });
  for (let index = 0; index < 500; index += 1) {
    await call(direct, index, streamed);
    await call(viaGateway, index, streamed);
  }
  const directTimes: number[] = [];
  const gatewayTimes: number[] = [];
  for (let index = 0; index < samples; index += 1) {
    directTimes.push((await call(direct, index, streamed))[pick]);
    gatewayTimes.push((await call(viaGateway, index, streamed))[pick]);
  }
  await direct.close();
  await viaGateway.close();
  return {
    p50: [percentile(directTimes, 0.5), percentile(gatewayTimes, 0.5)],
    p99: [percentile(directTimes, 0.99), percentile(gatewayTimes, 0.99)],
  };
}

async function throughput(url: string, keyList: string[] = keys): Promise<number> {
  const pool = new Pool(url, { connections: 32, pipelining: 1 });
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let index = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < deadline) {
        await call(pool, index++, false, keyList);
        done += 1;
      }
    }),
  );
  await pool.close();
  return done / seconds;
}

// CPU time is far less sensitive than wall time to other load on a shared machine: the gateway's
// own CPU cost per request is the loop through it minus the same loop straight to the upstream.
async function cpuMicroseconds(url: string, count: number): Promise<number> {
  const pool = new Pool(url, { connections: 8 });
  const before = process.cpuUsage();
  let index = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (index < count) await call(pool, index++, false);
    }),
  );
  const used = process.cpuUsage(before);
  await pool.close();
  return (used.user + used.system) / count;
}

await cpuMicroseconds(served.url, 1000);
const directCpu = await cpuMicroseconds(upstreamUrl, samples);
const gatewayCpu = await cpuMicroseconds(served.url, samples);
report('CPU per request, direct (client + upstream)', directCpu, 'µs');
report('CPU per request, through the gateway', gatewayCpu, 'µs');
const bareCpu = await cpuMicroseconds(bareUrl, samples);
report('CPU per request, bare passthrough proxy', bareCpu, 'µs', 'the floor of any Node proxy');
report('gateway CPU per request (added)', gatewayCpu - directCpu, 'µs');
report(
  'gateway CPU beyond the bare proxy',
  gatewayCpu - bareCpu,
  'µs',
  'auth, scoring, ladder, records',
);
report(
  'projected gateway requests/s per core',
  1e6 / (gatewayCpu - directCpu),
  'req/s',
  'target ≥ 5k',
);

// Stalls of the one event loop that client, gateway and upstream share: a synchronous store
// write on the request path shows here as a long tail, whatever the machine's load.
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
const plain = await latency(false, 'total');
loopDelay.disable();
report('event-loop delay p99 during the c=1 run', loopDelay.percentile(99) / 1e6, 'ms');
report('event-loop delay max during the c=1 run', loopDelay.max / 1e6, 'ms');
report('direct p50 (non-streaming, c=1)', plain.p50[0] ?? 0, 'ms');
report('gateway p50 (non-streaming, c=1)', plain.p50[1] ?? 0, 'ms');
report(
  'added p50 (non-streaming)',
  (plain.p50[1] ?? 0) - (plain.p50[0] ?? 0),
  'ms',
  'target ≤ 0.5',
);
report(
  'added p99 (non-streaming)',
  (plain.p99[1] ?? 0) - (plain.p99[0] ?? 0),
  'ms',
  'target ≤ 1.5',
);
const sse = await latency(true, 'firstByte');
report('added p50 time to first token (SSE)', (sse.p50[1] ?? 0) - (sse.p50[0] ?? 0), 'ms');
report('added p99 time to first token (SSE)', (sse.p99[1] ?? 0) - (sse.p99[0] ?? 0), 'ms');
await throughput(upstreamUrl);
const directRate = await throughput(upstreamUrl);
const bareRate = await throughput(bareUrl);
const gatewayRate = await throughput(served.url);
report('bare passthrough proxy requests/s (c=32)', bareRate, 'req/s');
report('direct requests/s (c=32)', directRate, 'req/s');
report(
  'gateway requests/s (c=32)',
  gatewayRate,
  'req/s',
  `${(gatewayRate / directRate).toFixed(2)}x of direct; target ≥ 5k/core`,
);

await served.close(1_000);
await recorder.close();
report('exchange records written', recorder.written, 'records', `accepted ${gateway.accepted}`);

// The same gateway as `gateway --workers N`: node:cluster workers on one port, records sent to
// the primary's store. Client and upstream still share the same cores here.
const accountsPath = join(directory, 'accounts.jsonl');
await writeFile(
  accountsPath,
  Array.from(
    { length: accounts },
    (_, index) =>
      `${JSON.stringify({ account_id: `acct-${index}`, created_at: '2026-01-01T00:00:00.000Z' })}\n`,
  ).join(''),
);
const unlimitedConfig = {
  requests: { capacity: 1e9, refill_per_second: 1e9 },
  output_tokens: { capacity: 1e12, refill_per_second: 1e12 },
};
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
    policy: {
      limits: { allow: unlimitedConfig, throttle: unlimitedConfig, degrade: unlimitedConfig },
    },
  }),
  {
    workers,
    env: {
      ...process.env,
      DISTILLGUARD_SECRET: 'bench-secret-0123456789abcdef',
      DISTILLGUARD_ADMIN_TOKEN: 'bench-admin',
    },
    warn: () => {},
  },
);
const clusterKeys: string[] = [];
const adminPool = new Pool(gatewayCluster.url, { connections: 1 });
for (let index = 0; index < accounts; index += 1) {
  const response = await adminPool.request({
    path: `/admin/accounts/acct-${index}/keys`,
    method: 'POST',
    headers: { authorization: 'Bearer bench-admin', 'content-type': 'application/json' },
    body: '{}',
  });
  clusterKeys.push(((await response.body.json()) as { api_key: string }).api_key);
}
await adminPool.close();
// Keys made through one worker reach the others through the primary.
await new Promise((resolve) => setTimeout(resolve, 500));
await throughput(gatewayCluster.url, clusterKeys);
const clusterRate = await throughput(gatewayCluster.url, clusterKeys);
report(
  `gateway --workers ${workers} requests/s (c=32)`,
  clusterRate,
  'req/s',
  `${(clusterRate / gatewayRate).toFixed(2)}x of one process; client and upstream share the cores`,
);
await gatewayCluster.close();
report('cluster exchange records written', gatewayCluster.recorder.written, 'records');
upstreamServer.close();
bareProxy.close();
await barePool.close();
await rm(directory, { recursive: true, force: true });
