// The request-path cost of observability: the gateway with its metrics only (the default:
// tracing off, no logger), with OpenTelemetry tracing on (every request sampled, spans batched
// and exported over OTLP/HTTP to a sink), with a JSON log line per request, and with both. Each
// variant is its own process (bench/gateway/server-process.js, BENCH_OBSERVE) in front of the
// same instant upstream; figures are medians over rounds that alternate the variants, and each
// is reported as a ratio to the metrics-only gateway measured in the same run.
//   CPU per request: the gateway process's own CPU time (all threads) at concurrency 8.
//   p50 latency: concurrency 1, the variants called in turn.
// BENCH_COMPARE_DIST=<another build's dist/> adds that build's gateway as a fifth variant
// (`before`: e.g. the main branch, to see what the metrics themselves cost).

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { Pool } from 'undici';
import { createGatewayMetrics, createGatewayTracing } from '../../src/gateway/index.js';
import { createRequestObserver } from '../../src/gateway/observability/index.js';
import type { UpstreamResponse } from '../../src/gateway/upstream-client.js';
import type { Exchange } from '../../src/log/exchange.js';
import {
  createLogger,
  PROMPT_LOG_PATHS,
  SECRET_LOG_PATHS,
} from '../../src/shared/telemetry/index.js';
import type { BenchCommand, BenchReply } from '../gateway/server-process.js';
import { cpuMicros, median, report } from '../shared/measure.js';

const samples = Number(process.env.BENCH_SAMPLES ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const cores = availableParallelism();
const pinned =
  process.env.BENCH_PIN !== '0' &&
  cores >= 2 &&
  spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
const gatewayCores = process.env.BENCH_GATEWAY_CPU ?? '0';
const clientCores = process.env.BENCH_CLIENT_CPUS ?? (cores > 2 ? `1-${cores - 1}` : '1');
if (pinned) spawnSync('taskset', ['-a', '-p', '-c', clientCores, String(process.pid)]);

interface Server {
  url: string;
  keys: string[];
  cpu(): Promise<number>;
  close(): Promise<unknown>;
}
const entry = fileURLToPath(new URL('../gateway/server-process.js', import.meta.url));
const compareDist = process.env.BENCH_COMPARE_DIST;
async function start(role: string, observe: string, upstream = ''): Promise<Server> {
  const cpus = pinned ? (role === 'upstream' ? clientCores : gatewayCores) : null;
  const script =
    observe === 'before' && compareDist
      ? fileURLToPath(
          new URL('bench/gateway/server-process.js', `file://${compareDist.replace(/\/*$/, '/')}`),
        )
      : entry;
  const argv = [script, role, upstream];
  const options = {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[],
    // The in-memory store and no engine: what is left is the request path and observability.
    env: { ...process.env, BENCH_OBSERVE: observe, BENCH_STORE: 'memory', BENCH_SCORER: 'none' },
  };
  const child: ChildProcess = cpus
    ? spawn('taskset', ['-c', cpus, process.execPath, ...argv], options)
    : spawn(process.execPath, argv, options);
  const waiting: ((reply: BenchReply) => void)[] = [];
  child.on('message', (reply: BenchReply) => waiting.shift()?.(reply));
  const ask = (command: BenchCommand | null) =>
    new Promise<BenchReply>((resolve) => {
      waiting.push(resolve);
      if (command) child.send(command);
    });
  const ready = (await ask(null)) as Extract<BenchReply, { type: 'ready' }>;
  return {
    url: ready.url,
    keys: ready.keys,
    cpu: async () =>
      ((await ask({ type: 'sample' })) as Extract<BenchReply, { type: 'sample' }>).cpuMicroseconds,
    close: () => ask({ type: 'close' }),
  };
}

const body = (index: number) =>
  JSON.stringify({
    model: 'm',
    max_tokens: 64,
    messages: [
      { role: 'user', content: `Question ${index % 997}: what is ${index % 89} squared?` },
    ],
  });
async function call(pool: Pool, keys: string[], index: number): Promise<number> {
  const started = performance.now();
  const response = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${keys[index % keys.length]}`,
    },
    body: body(index),
  });
  await response.body.arrayBuffer();
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  return performance.now() - started;
}
async function load(server: Server, count: number, concurrency: number) {
  const pool = new Pool(server.url, { connections: concurrency });
  let index = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (index < count) await call(pool, server.keys, index++);
    }),
  );
  await pool.close();
}

const upstream = await start('upstream', 'off');
const variants = ['off', 'tracing', 'logs', 'all', ...(compareDist ? ['before'] : [])];
const servers = new Map<string, Server>();
for (const variant of variants) servers.set(variant, await start('gateway', variant, upstream.url));
console.log(
  pinned
    ? `pinned: each gateway on cpu ${gatewayCores} (one at a time), client and upstream on ${clientCores}`
    : 'not pinned',
);
for (const server of servers.values()) await load(server, 1000, 8);

const cpu = new Map<string, number[]>(variants.map((variant) => [variant, []]));
const latency = new Map<string, number[]>(variants.map((variant) => [variant, []]));
for (let round = 0; round < rounds; round += 1) {
  for (const variant of variants) {
    const server = servers.get(variant) as Server;
    await server.cpu();
    await load(server, samples, 8);
    cpu.get(variant)?.push((await server.cpu()) / samples);
  }
  const pools = variants.map(
    (variant) => new Pool((servers.get(variant) as Server).url, { connections: 1 }),
  );
  for (let index = 0; index < samples / 4; index += 1)
    for (const [position, variant] of variants.entries())
      latency
        .get(variant)
        ?.push(await call(pools[position] as Pool, (servers.get(variant) as Server).keys, index));
  await Promise.all(pools.map((pool) => pool.close()));
}

const baseCpu = median(cpu.get('off') ?? []);
const baseLatency = median(latency.get('off') ?? []);
const names: Record<string, string> = {
  off: 'metrics only (tracing off, no logger)',
  tracing: 'tracing on (OTLP/HTTP, all sampled)',
  logs: 'request log lines (pino)',
  all: 'tracing and log lines',
  before: `the build in ${compareDist}`,
};
for (const variant of variants) {
  const perRequest = median(cpu.get(variant) ?? []);
  report(
    `CPU per request, ${names[variant]}`,
    perRequest,
    'µs',
    variant === 'off'
      ? `runs ${(cpu.get(variant) ?? []).map((value) => value.toFixed(0)).join(' / ')}`
      : `${(perRequest / baseCpu).toFixed(2)}x of metrics only`,
  );
}
for (const variant of variants) {
  const p50 = median(latency.get(variant) ?? []);
  report(
    `p50 latency (c=1), ${names[variant]}`,
    p50,
    'ms',
    variant === 'off' ? '' : `${(p50 / baseLatency).toFixed(2)}x of metrics only`,
  );
}
for (const server of servers.values()) await server.close();
await upstream.close();

// One request line to /dev/null: the logger as configured (named redaction paths) against the
// same paths each also as a `*.` wildcard, which is what redacting at any depth would cost.
const requestLine = {
  event: 'request',
  request_id: 'ex_8dd25bc8-95f2-4e8c-8679-236fe6e071bd',
  method: 'POST',
  route: '/v1/chat/completions',
  status: 200,
  account_id: 'acct-1',
  action: 'allow',
  reason: 'ok',
  model: 'm',
  input_tokens: 12,
  output_tokens: 6,
  duration_ms: 1.2,
  upstream_ms: 0.8,
  gateway_ms: 0.4,
  ip: '127.0.0.1',
};
const sink = () => pino.destination({ dest: '/dev/null', sync: true });
const topLevel = [...SECRET_LOG_PATHS, ...PROMPT_LOG_PATHS].filter((path) => !path.includes('.'));
const loggers = {
  named: createLogger({ name: 'bench', destination: sink() }),
  wildcard: pino(
    { redact: { paths: [...topLevel, ...topLevel.map((path) => `*.${path}`)] } },
    sink(),
  ),
  none: pino({}, sink()),
};
const lineCost: Record<string, number[]> = { named: [], wildcard: [], none: [] };
for (let round = 0; round < rounds; round += 1)
  for (const [name, logger] of Object.entries(loggers))
    lineCost[name]?.push(
      cpuMicros(20_000, () => {
        for (let index = 0; index < 20_000; index += 1) logger.info(requestLine, 'request');
      }),
    );
report('log line CPU, no redaction', median(lineCost.none ?? []), 'µs');
report('log line CPU, named redaction paths (shipped)', median(lineCost.named ?? []), 'µs');
report(
  'log line CPU, the same paths also as *. wildcards',
  median(lineCost.wildcard ?? []),
  'µs',
  'why the shipped paths are named',
);

// The request observer alone, in this process (CPU time, so the machine's other load counts
// less): begin, two phases, the upstream call, end — metrics only, and with every span created
// and batched to an exporter that discards them (the SDK's share of the tracing cost, without
// the OTLP encoding and the HTTP export measured above). With BENCH_COMPARE_DIST, that build's
// `metrics.observeRequest`, which was all the request path reported before.
const discard = {
  export: (_spans: unknown, done: (result: { code: number }) => void) => done({ code: 0 }),
  shutdown: async () => {},
};
const request = {
  method: 'POST',
  url: 'http://gateway/v1/chat/completions',
  headers: { get: () => null },
};
const answer: UpstreamResponse = {
  status: 200,
  headers: {},
  body: {
    [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }),
  },
  text: async () => '',
  cancel() {},
};
const tracing = createGatewayTracing({ exporter: discard });
const observers = {
  'metrics only': createRequestObserver({ metrics: createGatewayMetrics() }),
  'spans too': createRequestObserver({
    metrics: createGatewayMetrics(),
    observability: { tracing },
  }),
};
const observerCost: Record<string, number[]> = { 'metrics only': [], 'spans too': [], before: [] };
const before = compareDist
  ? (
      (await import(
        new URL('src/gateway/gateway-metrics.js', `file://${compareDist.replace(/\/*$/, '/')}`).href
      )) as {
        createGatewayMetrics(): { observeRequest(labels: object, seconds: number): void };
      }
    ).createGatewayMetrics()
  : null;
for (let round = 0; round < rounds; round += 1) {
  for (const [name, observer] of Object.entries(observers))
    observerCost[name]?.push(
      cpuMicros(20_000, () => {
        for (let index = 0; index < 20_000; index += 1) {
          const exchange = {
            id: `ex_${index}`,
            ts: '',
            endpoint: 'chat.completions',
            account_id: 'acct-1',
            model: 'm',
            ip: '127.0.0.1',
            request: {},
            status: 200,
            response: { input_tokens: 12, output_tokens: 6, stop_reason: 'stop' },
          } as Exchange;
          const observation = observer.begin(request, exchange);
          observation.phase('auth')();
          observation.phase('score')();
          observation.upstream({}).received(answer);
          observation.end(200, 'ok', 'allow');
        }
      }),
    );
  if (before)
    observerCost.before?.push(
      cpuMicros(20_000, () => {
        for (let index = 0; index < 20_000; index += 1)
          before.observeRequest(
            { endpoint: 'chat.completions', status: 200, action: 'allow', reason: 'ok' },
            0.002,
          );
      }),
    );
}
report('request observer CPU, metrics only', median(observerCost['metrics only'] ?? []), 'µs');
report(
  'request observer CPU, spans too (discarded)',
  median(observerCost['spans too'] ?? []),
  'µs',
  'four spans a request',
);
if (before)
  report('metrics CPU per request, the compared build', median(observerCost.before ?? []), 'µs');
await tracing.shutdown();
