// Decision latency and the gateway's publishing cost, on a real NATS JetStream (`NATS_URL`,
// default 127.0.0.1:4222): `node --expose-gc dist/bench/fleet/decision-latency.js`.
//
// 1. Gateway CPU per request, publishing on vs off, interleaved in one run: the same gateway
//    (`createGateway`, the fleet scorer reading a decision view, a canned in-process upstream so
//    the process's CPU is the gateway's own) with and without the exchange publisher. Requests go
//    through `gateway.handle`, not a socket: the HTTP server's own cost is left out of the
//    denominator, so the ratio is an upper bound of the real one.
// 2. Decision latency: gateway A serves background traffic (BENCH_RATE requests/s) and, every
//    50 ms, a request from an account never seen (its first exchange always produces a decision);
//    the clock starts when A is handed the request and stops when gateway B's view (its own NATS
//    connection, a KV watch) holds the decision, for several reorder windows. The detect service
//    runs in this process (one event loop for A, B and the engine: a pessimistic setting).

import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { buildTraffic } from '../../src/detect/testing/build-traffic.js';
import {
  type AccountDecision,
  type CampaignDecision,
  connectNats,
  createExchangePublisher,
  createFleetDecisionView,
  createMemoryCheckpointStore,
  type ExchangePublisher,
  openDetectService,
  openJetStreamExchangeBus,
  openKvDecisionBoard,
  watchKvDecisions,
} from '../../src/fleet/index.js';
import { createFleetScorer } from '../../src/gateway/fleet/index.js';
import {
  createApiKeyHasher,
  createBatchingRecorder,
  createGateway,
  createMemoryExchangeSink,
  createNullScorer,
  DEFAULT_LADDER_POLICY,
  type Gateway,
} from '../../src/gateway/index.js';
import type { UpstreamClient } from '../../src/gateway/upstream-client.js';
import type { Exchange } from '../../src/log/index.js';
import { median, report } from '../shared/measure.js';

const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const rate = Number(process.env.BENCH_RATE ?? 200);
const cpuRequests = Number(process.env.BENCH_CPU_REQUESTS ?? 10_000);
const windows = (process.env.BENCH_WINDOWS ?? '0,250,1000,5000').split(',').map(Number);
const probesPerWindow = Number(process.env.BENCH_PROBES ?? 100);

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
const completionBytes = new TextEncoder().encode(completion);
const upstream: UpstreamClient = {
  version: 1,
  async send() {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: (async function* () {
        yield completionBytes;
      })(),
      text: async () => completion,
      cancel() {},
      drain() {},
    };
  },
  async close() {},
};
const unlimited = {
  requests: { capacity: 1e9, refillPerSecond: 1e9 },
  outputTokens: { capacity: 1e12, refillPerSecond: 1e12 },
};
const policy = {
  ...DEFAULT_LADDER_POLICY,
  limits: { allow: unlimited, throttle: unlimited, degrade: unlimited },
};

const traffic = buildTraffic();
const suffix = `${process.pid}_${Date.now().toString(36)}`;
const stream = `DG_BENCH_LATENCY_${suffix}`;
const subject = `distillguard.bench.latency.${suffix}`;
const bucket = `dg-bench-latency-${suffix}`;

interface Replica {
  gateway: Gateway;
  keys: Map<string, string>;
  send(exchange: Exchange): Promise<number>;
}

function replica(publisher: ExchangePublisher | undefined): Replica {
  const view = createFleetDecisionView();
  const gateway = createGateway({
    upstream,
    hasher: createApiKeyHasher({ secret: 'bench-latency-secret' }),
    recorder: createBatchingRecorder({ sink: createMemoryExchangeSink() }),
    ...(publisher ? { publisher } : {}),
    scorer: createFleetScorer(view, createNullScorer()),
    policy,
    perIpLimit: null,
    invalidKeyLimit: null,
  });
  const keys = new Map<string, string>();
  for (const account of traffic.accounts) {
    gateway.provisionAccount(account);
    keys.set(account.account_id, gateway.createApiKey(account.account_id).apiKey);
  }
  return {
    gateway,
    keys,
    async send(exchange) {
      const headers = new Map<string, string>([
        ['authorization', `Bearer ${keys.get(exchange.account_id)}`],
        ['content-type', 'application/json'],
        ['user-agent', exchange.user_agent ?? 'client'],
      ]);
      const response = await gateway.handle(
        {
          method: 'POST',
          url: 'http://gateway/v1/chat/completions',
          headers: { get: (name) => headers.get(name) ?? null },
        },
        {
          remoteAddress: exchange.ip,
          body: Buffer.from(JSON.stringify({ ...exchange.request, model: exchange.model })),
        },
      );
      await response.text();
      return response.status;
    },
  };
}

const percentile = (values: number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] as number;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const gatewayConnection = await connectNats({ servers, name: 'bench-gateway-a' });
const viewConnection = await connectNats({ servers, name: 'bench-gateway-b' });
const detectorConnection = await connectNats({ servers, name: 'bench-detector' });
const gatewayBus = await openJetStreamExchangeBus({
  connection: gatewayConnection,
  stream,
  subject,
  storage: 'memory',
});
const detectorBus = await openJetStreamExchangeBus({
  connection: detectorConnection,
  stream,
  subject,
  storage: 'memory',
});
const board = await openKvDecisionBoard({
  connection: detectorConnection,
  bucket,
  storage: 'memory',
});
try {
  // 1. Gateway CPU per request, publishing off vs on (interleaved rounds, medians).
  const publisher = createExchangePublisher({ bus: gatewayBus });
  const off = replica(undefined);
  const on = replica(publisher);
  const cpu = { off: [] as number[], on: [] as number[] };
  for (let round = 0; round < 4; round += 1) {
    for (const [name, target] of [
      ['off', off],
      ['on', on],
    ] as const) {
      globalThis.gc?.();
      const start = process.cpuUsage();
      for (let index = 0; index < cpuRequests; index += 16)
        await Promise.all(
          Array.from({ length: 16 }, (_, offset) =>
            target.send(traffic.exchanges[(index + offset) % traffic.exchanges.length] as Exchange),
          ),
        );
      if (name === 'on') await publisher.flush();
      const used = process.cpuUsage(start);
      cpu[name].push((used.user + used.system) / cpuRequests);
    }
  }
  await publisher.close();
  report('gateway CPU, publishing off', median(cpu.off), 'µs/request', 'gateway.handle, no socket');
  report('gateway CPU, publishing on', median(cpu.on), 'µs/request');
  report('publishing on / off', median(cpu.on) / median(cpu.off), 'x', 'target ≤ 1.10');

  // 2. Decision latency: A publishes, the detector decides, B's view sees it.
  const seenAt = new Map<string, number>();
  const view = createFleetDecisionView();
  const watch = await watchKvDecisions({
    connection: viewConnection,
    bucket,
    apply(accounts: readonly AccountDecision[], campaigns: readonly CampaignDecision[]) {
      const at = performance.now();
      for (const decision of accounts)
        if (!seenAt.has(decision.account_id)) seenAt.set(decision.account_id, at);
      view.apply(accounts, campaigns);
    },
  });
  await watch.ready;
  let consumerRound = 0;
  for (const windowMs of windows) {
    consumerRound += 1;
    // Each round reads only its own records.
    await jetstreamManager(gatewayConnection).then((manager) => manager.streams.purge(stream));
    const livePublisher = createExchangePublisher({ bus: gatewayBus });
    // A second gateway with no traffic: only its heartbeats, which the window must wait on.
    const idlePublisher = createExchangePublisher({ bus: gatewayBus });
    const a = replica(livePublisher);
    // It served one request (so it stamps watermarks), then stays quiet: heartbeats only.
    await replica(idlePublisher).send(traffic.exchanges[0] as Exchange);
    const service = await openDetectService({
      bus: detectorBus,
      stream,
      board,
      checkpoints: createMemoryCheckpointStore(),
      consumer: `bench-latency-${consumerRound}`,
      reorderWindowMs: windowMs,
      checkpointEveryMs: Number.POSITIVE_INFINITY,
    });
    const stop = new AbortController();
    const running = service.run(stop.signal);
    let background = true;
    const backgroundLoop = (async () => {
      let index = 0;
      const every = 1000 / rate;
      let next = performance.now();
      while (background) {
        void a.send(traffic.exchanges[index % traffic.exchanges.length] as Exchange);
        index += 1;
        next += every;
        const wait = next - performance.now();
        if (wait > 0) await sleep(wait);
      }
    })();
    const sentAt = new Map<string, number>();
    const template = traffic.exchanges[0] as Exchange;
    for (let probe = 0; probe < probesPerWindow; probe += 1) {
      const accountId = `probe-${windowMs}-${probe}-${suffix}`;
      a.gateway.provisionAccount({ account_id: accountId, created_at: new Date().toISOString() });
      a.keys.set(accountId, a.gateway.createApiKey(accountId).apiKey);
      sentAt.set(accountId, performance.now());
      void a.send({ ...template, account_id: accountId });
      await sleep(50);
    }
    const deadline = performance.now() + windowMs + 10_000;
    while (
      [...sentAt.keys()].some((accountId) => !seenAt.has(accountId)) &&
      performance.now() < deadline
    )
      await sleep(20);
    background = false;
    await backgroundLoop;
    stop.abort();
    await running;
    const latencies = [...sentAt].flatMap(([accountId, sent]) => {
      const seen = seenAt.get(accountId);
      return seen === undefined ? [] : [seen - sent];
    });
    await service.stop({ checkpoint: false });
    await livePublisher.close();
    await idlePublisher.close();
    const note = `reorder window ${windowMs} ms, ${latencies.length}/${sentAt.size} probes seen, ${rate} req/s background`;
    report(`decision latency p50 (window ${windowMs} ms)`, percentile(latencies, 0.5), 'ms', note);
    report(`decision latency p99 (window ${windowMs} ms)`, percentile(latencies, 0.99), 'ms');
  }
  await watch.stop();
} finally {
  await (await jetstreamManager(detectorConnection)).streams.delete(stream).catch(() => false);
  await (await new Kvm(detectorConnection).open(bucket)).destroy().catch(() => false);
  await gatewayConnection.close();
  await viewConnection.close();
  await detectorConnection.close();
}
