// The gateway's own work per request, without sockets: `gateway.reply()` in this process against
// an instant in-memory upstream, 8 requests in flight, CPU µs per request (all threads) for each
// build, in rounds that alternate the builds. Steadier than the socket bench on a loaded machine;
// it leaves out node:http, undici and the kernel, which a bare proxy pays too.
//
//   node --expose-gc scripts/gateway-request-cpu.mjs <rounds> <requests> /work/main/dist dist
//   SCORER=detector: the detection engine on (default: none); STORE=duckdb: DuckDB recording
//   (default: records dropped after each batch). HEAP=1: bytes allocated per request instead
//   (V8's sampling heap profiler, collected objects included; 128-byte sampling interval), and
//   the allocation sites that account for most of them.
import { mkdtempSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { completion } from './chat-completion-fixture.mjs';

const [rounds, count, ...dists] = process.argv.slice(2);
const fakeUpstream = {
  version: 1,
  send() {
    return Promise.resolve({
      status: 200,
      headers: { 'content-type': 'application/json', 'content-length': String(completion.length) },
      body: {
        [Symbol.asyncIterator]: async function* () {
          yield Buffer.from(completion);
        },
      },
      text: () => Promise.resolve(completion),
      cancel() {},
      drain() {},
    });
  },
  close: async () => {},
};
const unlimited = {
  requests: { capacity: 1e9, refillPerSecond: 1e9 },
  outputTokens: { capacity: 1e12, refillPerSecond: 1e12 },
};
async function make(dist) {
  const m = await import(pathToFileURL(resolve(dist, 'src/gateway/index.js')).href);
  const sink =
    process.env.STORE === 'duckdb'
      ? await m.createDuckDbExchangeSink({
          path: join(mkdtempSync(join(tmpdir(), 'sgm-')), 'g.duckdb'),
        })
      : m.createMemoryExchangeSink();
  // Records are dropped once written: a memory store that keeps them grows the heap per round.
  if (sink.exchanges)
    sink.writeBatch = async () => {
      sink.exchanges.length = 0;
    };
  const recorder = m.createBatchingRecorder({ sink });
  const gateway = m.createGateway({
    upstream: fakeUpstream,
    hasher: m.createApiKeyHasher({ secret: 'bench-secret-0123456789abcdef' }),
    recorder,
    scorer: process.env.SCORER === 'detector' ? m.createDetectorScorer() : m.createNullScorer(),
    perIpLimit: null,
    policy: {
      ...m.DEFAULT_LADDER_POLICY,
      limits: { allow: unlimited, throttle: unlimited, degrade: unlimited },
    },
  });
  const keys = [];
  for (let i = 0; i < 200; i++) {
    gateway.provisionAccount({ account_id: `acct-${i}`, created_at: '2026-01-01T00:00:00.000Z' });
    keys.push(gateway.createApiKey(`acct-${i}`).apiKey);
  }
  return { gateway, keys, recorder };
}
const body = (i) =>
  Buffer.from(
    JSON.stringify({
      model: 'm',
      stream: false,
      max_tokens: 64,
      messages: [
        {
          role: 'user',
          content: `Question ${i % 997}: what is ${i % 89} times ${i % 13}? Explain briefly.`,
        },
      ],
    }),
  );
const bodies = Array.from({ length: 2000 }, (_, i) => body(i));
class H {
  constructor(o) {
    this.o = o;
  }
  get(n) {
    return this.o[n] ?? null;
  }
}
async function run({ gateway, keys, recorder }, n) {
  let i = 0;
  const worker = async () => {
    while (i < n) {
      const k = i++;
      const headers = new H({
        'content-type': 'application/json',
        authorization: `Bearer ${keys[k % keys.length]}`,
        'content-length': String(bodies[k % 2000].length),
        'user-agent': 'bench/1.0',
        host: '127.0.0.1:1',
        accept: 'application/json',
      });
      const r = await gateway.reply(
        { method: 'POST', url: 'http://127.0.0.1:1/v1/chat/completions', headers },
        {
          remoteAddress: '127.0.0.1',
          headerOrder: 'host,content-type,authorization,content-length,user-agent,accept',
          body: bodies[k % 2000],
        },
      );
      if (r.status !== 200) throw new Error(`status ${r.status} ${r.body}`);
      if (typeof r.body === 'string')
        r.headers['content-length'] = String(Buffer.byteLength(r.body));
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  await recorder.flush();
}
const gws = [];
for (const d of dists) gws.push(await make(d));
for (const g of gws) await run(g, 5000);
if (process.env.HEAP) {
  const session = new Session();
  session.connect();
  for (let j = 0; j < gws.length; j++) {
    const perRound = [];
    const sites = new Map();
    for (let r = 0; r < Number(rounds); r++) {
      globalThis.gc?.();
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 128,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
      await run(gws[j], Number(count));
      const { profile } = await session.post('HeapProfiler.stopSampling');
      let bytes = 0;
      const walk = (node) => {
        bytes += node.selfSize;
        const f = node.callFrame;
        const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
        sites.set(key, (sites.get(key) ?? 0) + node.selfSize);
        for (const child of node.children) walk(child);
      };
      walk(profile.head);
      perRound.push(bytes / Number(count));
    }
    const sorted = [...perRound].sort((a, b) => a - b);
    console.log(
      `${dists[j].padEnd(40)} ${(sorted[Math.floor(sorted.length / 2)] / 1024).toFixed(2)} KB allocated per request [${(sorted[0] / 1024).toFixed(2)}–${(sorted.at(-1) / 1024).toFixed(2)}]`,
    );
    const total = [...sites.values()].reduce((a, b) => a + b, 0);
    for (const [key, b] of [...sites]
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(process.env.HEAP_TOP ?? 0)))
      console.log(
        `  ${((100 * b) / total).toFixed(1).padStart(5)}% ${(b / Number(count) / Number(rounds)).toFixed(0).padStart(5)} B  ${key}`,
      );
  }
  process.exit(0);
}
const res = gws.map(() => []);
for (let r = 0; r < Number(rounds); r++) {
  for (let k = 0; k < gws.length; k++) {
    const j = (k + r) % gws.length;
    globalThis.gc?.();
    const c0 = process.cpuUsage();
    await run(gws[j], Number(count));
    const c = process.cpuUsage(c0);
    res[j].push((c.user + c.system) / Number(count));
  }
}
const med = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
for (let j = 0; j < gws.length; j++)
  console.log(
    `${dists[j].padEnd(40)} ${med(res[j]).toFixed(2)} µs [${Math.min(...res[j]).toFixed(2)}–${Math.max(...res[j]).toFixed(2)}]`,
  );
if (gws.length > 1)
  console.log(
    'ratio B/A per round',
    med(res[1].map((v, r) => v / res[0][r])).toFixed(3),
    res[1].map((v, r) => (v / res[0][r]).toFixed(2)).join(' '),
  );
process.exit(0);
