// Gateway overhead: added latency (p50/p99, concurrency 1) and sustained requests/s (concurrency
// 32) of a request through the gateway — auth, live scoring by the detection engine, the ladder,
// the undici pool and batched DuckDB recording — against a direct call to the same instant
// upstream, measured in the same run; plus added time to first token for SSE streams.
//
// The load generator (this process), the upstream, the gateway and a bare node:http + undici
// passthrough proxy (the floor of any Node proxy) each run in their own process. With `taskset`
// and 2+ cores, the gateway and the bare proxy are pinned to one core (BENCH_GATEWAY_CPU,
// default 0) and the client and the upstream to the others (BENCH_CLIENT_CPUS), so "per core"
// means what it says: requests per CPU-second of the gateway's own process (all its threads,
// DuckDB's included), read from its `process.cpuUsage`, beside the bare proxy's in the same run.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { report } from '../shared/measure.js';
import type { BenchCommand, BenchReply } from './server-process.js';

const samples = Number(process.env.BENCH_SAMPLES ?? 3000);
const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
// BENCH_ONLY=cpu: the CPU-per-request rounds alone (quick A/B runs on a loaded machine).
const cores = availableParallelism();
const workers = Number(process.env.BENCH_WORKERS ?? Math.max(2, cores));
const pinned =
  process.env.BENCH_PIN !== '0' &&
  cores >= 2 &&
  spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
const gatewayCores = process.env.BENCH_GATEWAY_CPU ?? '0';
const clientCores = process.env.BENCH_CLIENT_CPUS ?? (cores > 2 ? `1-${cores - 1}` : '1');
if (pinned) spawnSync('taskset', ['-a', '-p', '-c', clientCores, String(process.pid)]);
console.log(
  pinned
    ? `pinned: gateway and bare proxy on cpu ${gatewayCores}; client and upstream on cpu ${clientCores}`
    : 'not pinned (taskset missing, one core, or BENCH_PIN=0): every process shares every core',
);

type Sample = Extract<BenchReply, { type: 'sample' }>;
interface BenchServer {
  url: string;
  keys: string[];
  /** This server's CPU time and event-loop delay since the previous sample. */
  sample(): Promise<Sample>;
  close(): Promise<Extract<BenchReply, { type: 'closed' }>>;
}

const entry = fileURLToPath(new URL('./server-process.js', import.meta.url));
async function start(role: string, cpus: string | null, upstream = ''): Promise<BenchServer> {
  // BENCH_GATEWAY_FLAGS: Node flags for the gateway process only (`--cpu-prof`, `--trace-gc`).
  const flags = role === 'gateway' ? (process.env.BENCH_GATEWAY_FLAGS ?? '').split(' ') : [];
  const argv = [...flags.filter(Boolean), entry, role, upstream];
  const options = {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'] as ('ignore' | 'inherit' | 'ipc')[],
    env: { ...process.env, BENCH_WORKERS: String(workers) },
  };
  const child: ChildProcess = cpus
    ? spawn('taskset', ['-c', cpus, process.execPath, ...argv], options)
    : spawn(process.execPath, argv, options);
  const waiting: { resolve(reply: BenchReply): void; reject(error: Error): void }[] = [];
  child.on('message', (reply: BenchReply) => waiting.shift()?.resolve(reply));
  child.once('exit', (code) => {
    for (const pending of waiting.splice(0)) pending.reject(new Error(`${role} exited (${code})`));
  });
  const ask = <T extends BenchReply>(command: BenchCommand | null): Promise<T> =>
    new Promise((resolve, reject) => {
      waiting.push({ resolve: (reply) => resolve(reply as T), reject });
      if (command) child.send(command);
    });
  const ready = await ask<Extract<BenchReply, { type: 'ready' }>>(null);
  return {
    url: ready.url,
    keys: ready.keys,
    sample: () => ask({ type: 'sample' }),
    close: () => ask({ type: 'close' }),
  };
}

const upstream = await start('upstream', pinned ? clientCores : null);
const gateway = await start('gateway', pinned ? gatewayCores : null, upstream.url);
const bare = await start('bare', pinned ? gatewayCores : null, upstream.url);
const keys = gateway.keys;

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
      authorization: `Bearer ${keyList[index % keyList.length]}`,
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
const median = (values: number[]) => percentile(values, 0.5);

/** `count` requests at concurrency `concurrency`; returns the wall time in seconds. */
async function load(
  url: string,
  count: number,
  concurrency: number,
  keyList = keys,
): Promise<number> {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 });
  const started = performance.now();
  let index = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (index < count) await call(pool, index++, false, keyList);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return elapsed;
}

// CPU time of each server's own process per request: robust to the machine's other load, and
// the real "per core" figure (1e6 / µs per request = requests per CPU-second).
async function cpuPerRequest(server: BenchServer, target: string, count: number) {
  await server.sample();
  await load(target, count, 8);
  return (await server.sample()).cpuMicroseconds / count;
}
// BENCH_WARMUP: requests per server before the rounds. The gateway's first round still costs
// more than the later ones with 6,000 (676 / 487 / 386 / 540 / 271 µs): take the median of rounds.
const warmup = Number(process.env.BENCH_WARMUP ?? 1000);
await load(gateway.url, warmup, 8);
await load(bare.url, warmup, 8);
const cpu = { upstream: [] as number[], bare: [] as number[], gateway: [] as number[] };
for (let round = 0; round < rounds; round += 1) {
  cpu.upstream.push(await cpuPerRequest(upstream, upstream.url, samples));
  cpu.bare.push(await cpuPerRequest(bare, bare.url, samples));
  cpu.gateway.push(await cpuPerRequest(gateway, gateway.url, samples));
}
const gatewayCpu = median(cpu.gateway);
const bareCpu = median(cpu.bare);
report('upstream CPU per request (direct, c=8)', median(cpu.upstream), 'µs');
report('bare proxy CPU per request (c=8)', bareCpu, 'µs', 'the floor of any Node proxy');
report(
  'gateway CPU per request (c=8)',
  gatewayCpu,
  'µs',
  `its process, all threads; runs ${cpu.gateway.map((value) => value.toFixed(0)).join(' / ')}`,
);
report(
  'gateway CPU beyond the bare proxy',
  gatewayCpu - bareCpu,
  'µs',
  'auth, scoring, ladder, records',
);
report('bare proxy requests per CPU-second', 1e6 / bareCpu, 'req/s');
report('gateway requests per CPU-second', 1e6 / gatewayCpu, 'req/s', 'per core; target ≥ 10k');
// On a loaded machine a core's speed drifts between rounds; the ratio within a round does not.
const ratios = cpu.gateway.map((value, round) => value / (cpu.bare[round] ?? Number.NaN));
report(
  'gateway / bare CPU per request, median of rounds',
  median(ratios),
  'x',
  `rounds ${ratios.map((value) => value.toFixed(2)).join(' / ')}; target ≤ 1.5`,
);
if (process.env.BENCH_ONLY === 'cpu') {
  await Promise.all([gateway.close(), bare.close(), upstream.close()]);
  process.exit(0);
}

// Alternating direct, bare-proxy and gateway calls sample the same machine conditions.
async function latency(streamed: boolean, pick: 'total' | 'firstByte', viaBare: boolean) {
  const targets = [upstream.url, gateway.url, ...(viaBare ? [bare.url] : [])];
  const pools = targets.map((url) => new Pool(url, { connections: 1 }));
  const times = targets.map(() => [] as number[]);
  for (let index = 0; index < 500; index += 1)
    for (const pool of pools) await call(pool, index, streamed);
  for (let index = 0; index < samples; index += 1)
    for (const [position, pool] of pools.entries())
      times[position]?.push((await call(pool, index, streamed))[pick]);
  await Promise.all(pools.map((pool) => pool.close()));
  const at = (position: number, fraction: number) => percentile(times[position] ?? [], fraction);
  return {
    direct: { p50: at(0, 0.5), p99: at(0, 0.99) },
    gateway: { p50: at(1, 0.5), p99: at(1, 0.99) },
    bare: { p50: at(2, 0.5), p99: at(2, 0.99) },
  };
}

await gateway.sample();
const plain = await latency(false, 'total', true);
const loopDelay = (await gateway.sample()).loopDelay;
report('gateway event-loop delay p99, c=1 run', loopDelay.p99, 'ms', 'its own process');
report('gateway event-loop delay max, c=1 run', loopDelay.max, 'ms');
report('direct p50 (non-streaming, c=1)', plain.direct.p50, 'ms');
report('gateway p50 (non-streaming, c=1)', plain.gateway.p50, 'ms');
report('added p50 (non-streaming)', plain.gateway.p50 - plain.direct.p50, 'ms', 'target ≤ 0.3');
report(
  'added p99 (non-streaming)',
  plain.gateway.p99 - plain.direct.p99,
  'ms',
  `${((plain.gateway.p99 - plain.direct.p99) / (plain.bare.p99 - plain.direct.p99)).toFixed(2)}x the bare proxy's; target ≤ 1.2x`,
);
report(
  'bare proxy added p50 / p99',
  plain.bare.p50 - plain.direct.p50,
  'ms',
  `p99 ${(plain.bare.p99 - plain.direct.p99).toFixed(3)} ms`,
);
const sse = await latency(true, 'firstByte', false);
report('added p50 time to first token (SSE)', sse.gateway.p50 - sse.direct.p50, 'ms');
report('added p99 time to first token (SSE)', sse.gateway.p99 - sse.direct.p99, 'ms');

/** Requests/s at c=32 for `seconds`, and the serving process's requests per CPU-second. */
async function throughput(server: BenchServer, target: string, keyList = keys) {
  const count = { value: 0 };
  const pool = new Pool(target, { connections: 32, pipelining: 1 });
  await server.sample();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let index = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < deadline) {
        await call(pool, index++, false, keyList);
        count.value += 1;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const used = (await server.sample()).cpuMicroseconds / 1e6;
  await pool.close();
  return { rate: count.value / elapsed, perCpuSecond: count.value / used, busy: used / elapsed };
}
await throughput(upstream, upstream.url);
const direct = await throughput(upstream, upstream.url);
const bareRate = await throughput(bare, bare.url);
const gatewayRate = await throughput(gateway, gateway.url);
report('direct requests/s (c=32)', direct.rate, 'req/s');
report(
  'bare proxy requests/s (c=32)',
  bareRate.rate,
  'req/s',
  `${bareRate.perCpuSecond.toFixed(0)} per CPU-second, its core ${(bareRate.busy * 100).toFixed(0)}% busy`,
);
report(
  'gateway requests/s (c=32)',
  gatewayRate.rate,
  'req/s',
  `${(gatewayRate.rate / direct.rate).toFixed(2)}x of direct; its core ${(gatewayRate.busy * 100).toFixed(0)}% busy`,
);
report(
  'gateway requests per CPU-second (c=32)',
  gatewayRate.perCpuSecond,
  'req/s',
  'per core; target ≥ 10k',
);

const closed = await gateway.close();
report('exchange records written', closed.written, 'records', `accepted ${closed.accepted}`);
await bare.close();

// `gateway --workers N`: node:cluster workers on one port, records sent to the primary's store.
// Not pinned: the workers, the client and the upstream share every core.
if (workers > 0) {
  const gatewayCluster = await start('cluster', pinned ? `0-${cores - 1}` : null, upstream.url);
  await load(gatewayCluster.url, 1000, 8, gatewayCluster.keys);
  const clusterRate = await throughput(upstream, gatewayCluster.url, gatewayCluster.keys);
  report(
    `gateway --workers ${workers} requests/s (c=32)`,
    clusterRate.rate,
    'req/s',
    `${(clusterRate.rate / gatewayRate.rate).toFixed(2)}x of one pinned process; not pinned`,
  );
  const clusterClosed = await gatewayCluster.close();
  report('cluster exchange records written', clusterClosed.written, 'records');
}
await upstream.close();
