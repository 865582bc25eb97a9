// Simulator throughput and memory: `npm run bench -- simulate`.
// Figures (medians of 3, setup excluded, CPU time from process.cpuUsage so it includes zlib's
// thread-pool work and machine load matters less): exchanges per CPU-second to a null sink, with
// JSON serialisation, and written as gzip by the one JSON Lines writer at zlib's default level
// (the baseline) and at the simulator's level — as ratios measured in the same run; the time the main thread spent waiting for `drain`; peak RSS on the
// full seed-scale population; and the extrapolated seed-scale write time.
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants } from 'node:zlib';
import { createJsonLinesWriter } from '../../src/log/index.js';
import {
  createSimulation,
  EXCHANGE_GZIP_LEVEL,
  loadScenario,
  type Scenario,
} from '../../src/simulate/index.js';

const seedScaleEvents = Number(process.env.BENCH_SEED_EVENTS ?? 3_000_000);
// The seed-scale mix (mostly agentic coding and tool use) at 5 % scale, cut after this many.
const mixExchanges = Number(process.env.BENCH_MIX_EXCHANGES ?? 300_000);

type Sink = 'null' | 'json' | 'writer-default' | 'writer';

interface Figure {
  exchanges: number;
  wallSeconds: number;
  cpuSeconds: number;
  waitSeconds: number;
  bytes: number;
}

async function measure(scenario: Scenario, scale: number, limit: number, sink: Sink) {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-bench-'));
  const path = join(directory, 'exchanges.jsonl.gz');
  const simulation = createSimulation(scenario, { seed: 1, scale, corpora: null });
  const writer =
    sink === 'writer-default'
      ? await createJsonLinesWriter(path, { gzipLevel: constants.Z_DEFAULT_COMPRESSION })
      : sink === 'writer'
        ? await createJsonLinesWriter(path, { gzipLevel: EXCHANGE_GZIP_LEVEL })
        : undefined;
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  let exchanges = 0;
  let waitMs = 0;
  let characters = 0;
  for (let event = simulation.next(); event && exchanges < limit; event = simulation.next()) {
    if (event.type !== 'exchange') continue;
    exchanges += 1;
    if (sink === 'json') characters += JSON.stringify(event.exchange).length;
    else if (writer) {
      const pending = writer.write(event.exchange);
      if (pending) {
        const waitStart = performance.now();
        await pending;
        waitMs += performance.now() - waitStart;
      }
    }
  }
  await writer?.close();
  const cpu = process.cpuUsage(cpuStart);
  const figure: Figure = {
    exchanges,
    wallSeconds: (performance.now() - wallStart) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    waitSeconds: waitMs / 1000,
    bytes: writer ? statSync(path).size : characters,
  };
  await rm(directory, { recursive: true, force: true });
  return figure;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function medianRate(scenario: Scenario, scale: number, limit: number, sink: Sink) {
  const figures: Figure[] = [];
  for (let round = 0; round < 3; round++) figures.push(await measure(scenario, scale, limit, sink));
  const exchanges = figures[0]?.exchanges ?? 0;
  return {
    perCpuSecond: median(figures.map((figure) => figure.exchanges / figure.cpuSeconds)),
    perWallSecond: median(figures.map((figure) => figure.exchanges / figure.wallSeconds)),
    waitShare: median(figures.map((figure) => figure.waitSeconds / figure.wallSeconds)),
    bytesPerExchange: (figures[0]?.bytes ?? 0) / Math.max(1, exchanges),
    exchanges,
  };
}

function seedScaleMemory(scenario: Scenario) {
  const start = performance.now();
  const simulation = createSimulation(scenario, { seed: 1 });
  const setupSeconds = (performance.now() - start) / 1000;
  let peak = process.memoryUsage().rss;
  let events = 0;
  let exchanges = 0;
  let accounts = 0;
  let lastAt = 0;
  for (
    let event = simulation.next();
    event && events < seedScaleEvents;
    event = simulation.next()
  ) {
    events += 1;
    lastAt = event.at;
    if (event.type === 'exchange') exchanges += 1;
    else accounts += 1;
    if ((events & 0xffff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  peak = Math.max(peak, process.memoryUsage().rss);
  return {
    peak,
    setupSeconds,
    exchanges,
    accounts,
    simulatedHours: (lastAt - Date.parse(scenario.start)) / 3_600_000,
  };
}

const format = (value: number) => Math.round(value).toLocaleString('en-US');
const quickstart = await loadScenario('quickstart');
const seedScale = await loadScenario('seed-scale');
console.log(
  `node ${process.version}, seed 1, built-in prompts, medians of 3 runs; gzip level ${EXCHANGE_GZIP_LEVEL} (simulate) vs zlib default 6 (baseline)`,
);
const workloads = [
  { name: 'quickstart mix', scenario: quickstart, scale: 1, limit: Number.POSITIVE_INFINITY },
  { name: 'seed-scale mix', scenario: seedScale, scale: 0.05, limit: mixExchanges },
];
let seedMixGzip = 0;
for (const workload of workloads) {
  const rate = (sink: Sink) => medianRate(workload.scenario, workload.scale, workload.limit, sink);
  const none = await rate('null');
  const rows: [string, Awaited<ReturnType<typeof rate>>][] = [
    ['generate → null sink', none],
    ['+ JSON.stringify', await rate('json')],
    ['+ gzip (lvl 6, zlib default)', await rate('writer-default')],
    [`+ gzip (lvl ${EXCHANGE_GZIP_LEVEL}, simulate)`, await rate('writer')],
  ];
  console.log(`\n${workload.name}: ${format(none.exchanges)} exchanges per run`);
  for (const [label, figure] of rows) {
    console.log(
      `${label.padEnd(34)} ${format(figure.perCpuSecond).padStart(9)} exch/CPU-s ×${(figure.perCpuSecond / none.perCpuSecond).toFixed(2)}  ${format(figure.perWallSecond).padStart(9)} exch/wall-s  drain wait ${(100 * figure.waitShare).toFixed(0).padStart(2)} %  ${figure.bytesPerExchange.toFixed(0).padStart(5)} B/exch`,
    );
  }
  seedMixGzip = (rows[3] as (typeof rows)[number])[1].perCpuSecond;
}

const memory = seedScaleMemory(seedScale);
console.log(
  `\nseed-scale, full population: setup ${memory.setupSeconds.toFixed(1)} s, ${format(memory.accounts)} accounts + ${format(memory.exchanges)} exchanges (first ${memory.simulatedHours.toFixed(1)} simulated hours), peak RSS ${(memory.peak / 1e6).toFixed(0)} MB`,
);
const totalAttack = seedScale.campaigns.reduce((sum, campaign) => sum + campaign.exchanges, 0);
const customers = seedScale.personas.reduce(
  (sum, persona) => sum + persona.accounts * (persona.exchangesPerDay ?? 1) * seedScale.days,
  0,
);
const estimated = totalAttack + customers;
console.log(
  `seed-scale gzip write, extrapolated from the seed-scale mix: ~${(estimated / 1e6).toFixed(1)}M exchanges / ${format(seedMixGzip)} per CPU-s ≈ ${(estimated / seedMixGzip / 60).toFixed(1)} CPU-minutes`,
);
