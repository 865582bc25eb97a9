// The DuckDB exchange store's cost per record, builds side by side: the first build's gateway
// (engine on, instant in-memory upstream) makes the records once; then each build's
// `createDuckDbExchangeSink` writes them, in rounds that alternate the builds, in batches of
// 2048 (the recorder's), each build into its own file that grows round after round as a running
// gateway's does. Prints CPU µs per record of the whole process (all threads: the writer thread
// appends, commits and checkpoints) and of the main thread alone (serialising and posting), and
// checks that every build stored the same rows.
//
//   node --expose-gc scripts/gateway-store-cpu.mjs <rounds> <records> /work/main/dist dist
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { completion } from './chat-completion-fixture.mjs';

const [rounds, count, ...dists] = process.argv.slice(2);
const load = (dist) => import(pathToFileURL(resolve(dist, 'src/gateway/index.js')).href);
// The main thread's CPU time (utime + stime, 10 ms ticks), from Linux's per-thread counters.
const mainThreadMicros = () => {
  const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
};

async function makeRecords(dist, n) {
  const m = await load(dist);
  const upstream = {
    version: 1,
    send: async () => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      text: async () => completion,
      cancel() {},
      drain() {},
    }),
    close: async () => {},
  };
  const sink = m.createMemoryExchangeSink();
  const recorder = m.createBatchingRecorder({ sink });
  const unlimited = {
    requests: { capacity: 1e9, refillPerSecond: 1e9 },
    outputTokens: { capacity: 1e12, refillPerSecond: 1e12 },
  };
  const gateway = m.createGateway({
    upstream,
    hasher: m.createApiKeyHasher({ secret: 'bench-secret-0123456789abcdef' }),
    recorder,
    scorer: m.createDetectorScorer(),
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
  for (let k = 0; k < n; k++) {
    const body = Buffer.from(
      JSON.stringify({
        model: 'm',
        stream: false,
        max_tokens: 64,
        messages: [
          {
            role: 'user',
            content: `Question ${k % 997}: what is ${k % 89} times ${k % 13}? Explain briefly.`,
          },
        ],
      }),
    );
    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${keys[k % keys.length]}`,
      'user-agent': 'bench/1.0',
    };
    await gateway.reply(
      {
        method: 'POST',
        url: 'http://127.0.0.1:1/v1/chat/completions',
        headers: { get: (name) => headers[name] ?? null },
      },
      { remoteAddress: '127.0.0.1', headerOrder: 'host,content-type,authorization', body },
    );
  }
  await recorder.flush();
  return sink.exchanges;
}

const records = await makeRecords(dists[0], Number(count));
const sinks = [];
for (const dist of dists)
  sinks.push(
    await (await load(dist)).createDuckDbExchangeSink({
      path: join(mkdtempSync(join(tmpdir(), 'gateway-store-cpu-')), 'g.duckdb'),
    }),
  );
const all = dists.map(() => []);
const main = dists.map(() => []);
for (let round = 0; round < Number(rounds); round++) {
  for (let k = 0; k < sinks.length; k++) {
    const j = (k + round) % sinks.length;
    globalThis.gc?.();
    const cpu0 = process.cpuUsage();
    const main0 = mainThreadMicros();
    for (let start = 0; start < records.length; start += 2048)
      await sinks[j].writeBatch(records.slice(start, start + 2048));
    const cpu = process.cpuUsage(cpu0);
    all[j].push((cpu.user + cpu.system) / records.length);
    main[j].push((mainThreadMicros() - main0) / records.length);
  }
}
const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const range = (v) => `[${Math.min(...v).toFixed(1)}–${Math.max(...v).toFixed(1)}]`;
const digests = [];
for (let j = 0; j < dists.length; j++) {
  console.log(
    `${dists[j].padEnd(30)} all threads ${median(all[j]).toFixed(2)} µs/record ${range(all[j])}` +
      `  main thread ${median(main[j]).toFixed(2)} ${range(main[j])}`,
  );
  console.log(`  rounds: ${all[j].map((v) => v.toFixed(1)).join(' ')}`);
  const rows = await sinks[j].query('SELECT * FROM exchanges ORDER BY rowid');
  digests.push(createHash('sha256').update(JSON.stringify(rows)).digest('hex'));
  await sinks[j].close();
}
console.log(
  digests.every((digest) => digest === digests[0])
    ? `stored rows identical (${Number(rounds) * records.length} a build)`
    : `STORED ROWS DIFFER: ${digests.join(' ')}`,
);
process.exit(0);
