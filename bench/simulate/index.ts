// Simulator throughput and memory: `npm run bench -- simulate`.
// Figures: exchanges per CPU-second to a null sink (median of 3, setup excluded), the same with JSON
// serialisation and with gzip (what `simulate` does), as ratios to the null sink measured in the
// same run; peak RSS on the full seed-scale population; the extrapolated seed-scale write time.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGzip } from 'node:zlib';
import { createSimulation, loadScenario, type Scenario } from '../../src/simulate/index.js';

const seedScaleEvents = Number(process.env.BENCH_SEED_EVENTS ?? 3_000_000);

interface Figure {
  exchanges: number;
  wallSeconds: number;
  cpuSeconds: number;
}

async function measure(scenario: Scenario, sink: 'null' | 'json' | 'gzip'): Promise<Figure> {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-bench-'));
  const gzip = sink === 'gzip' ? createGzip() : undefined;
  const file = gzip ? createWriteStream(join(directory, 'exchanges.jsonl.gz')) : undefined;
  if (gzip && file) gzip.pipe(file);
  const simulation = createSimulation(scenario, { seed: 1 });
  // Setup (prompt pools, populations) is timed separately: it is paid once per run.
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  let exchanges = 0;
  let batch: string[] = [];
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type !== 'exchange') continue;
    exchanges += 1;
    if (sink === 'null') continue;
    const line = `${JSON.stringify(event.exchange)}\n`;
    if (!gzip) continue;
    batch.push(line);
    if (batch.length === 2000) {
      if (!gzip.write(batch.join('')))
        await new Promise<void>((resolve) => gzip.once('drain', () => resolve()));
      batch = [];
    }
  }
  if (gzip && file) {
    gzip.end(batch.join(''));
    await new Promise<void>((resolve) => file.once('close', () => resolve()));
  }
  const cpu = process.cpuUsage(cpuStart);
  const figure = {
    exchanges,
    wallSeconds: (performance.now() - wallStart) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  await rm(directory, { recursive: true, force: true });
  return figure;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function medianRate(scenario: Scenario, sink: 'null' | 'json' | 'gzip') {
  const figures: Figure[] = [];
  for (let round = 0; round < 3; round++) figures.push(await measure(scenario, sink));
  return {
    perCpuSecond: median(figures.map((figure) => figure.exchanges / figure.cpuSeconds)),
    perWallSecond: median(figures.map((figure) => figure.exchanges / figure.wallSeconds)),
    exchanges: figures[0]?.exchanges ?? 0,
  };
}

function seedScaleMemory(scenario: Scenario) {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().rss;
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
    before,
    peak,
    setupSeconds,
    events,
    exchanges,
    accounts,
    simulatedHours: (lastAt - Date.parse(scenario.start)) / 3_600_000,
  };
}

const quickstart = await loadScenario('quickstart');
const seedScale = await loadScenario('seed-scale');
console.log(`node ${process.version}, workload: quickstart (seed 1), medians of 3 runs`);
const none = await medianRate(quickstart, 'null');
const json = await medianRate(quickstart, 'json');
const gzip = await medianRate(quickstart, 'gzip');
const row = (label: string, rate: { perCpuSecond: number; perWallSecond: number }) =>
  console.log(
    `${label.padEnd(30)} ${Math.round(rate.perCpuSecond).toLocaleString('en-US').padStart(10)} exch/CPU-s  ${Math.round(rate.perWallSecond).toLocaleString('en-US').padStart(10)} exch/wall-s  ×${(rate.perCpuSecond / none.perCpuSecond).toFixed(2)} of null sink`,
  );
console.log(`exchanges per run: ${none.exchanges.toLocaleString('en-US')}`);
row('generate → null sink', none);
row('generate + JSON.stringify', json);
row('generate + JSON + gzip (file)', gzip);

const memory = seedScaleMemory(seedScale);
console.log(
  `seed-scale, full population: setup ${memory.setupSeconds.toFixed(1)} s, ${memory.accounts.toLocaleString('en-US')} accounts + ${memory.exchanges.toLocaleString('en-US')} exchanges (first ${memory.simulatedHours.toFixed(1)} simulated hours), peak RSS ${(memory.peak / 1e6).toFixed(0)} MB`,
);
const totalAttack = seedScale.campaigns.reduce((sum, campaign) => sum + campaign.exchanges, 0);
const customers = seedScale.personas.reduce(
  (sum, persona) => sum + persona.accounts * (persona.exchangesPerDay ?? 1) * seedScale.days,
  0,
);
const estimated = totalAttack + customers;
console.log(
  `seed-scale gzip write, extrapolated: ~${(estimated / 1e6).toFixed(1)}M exchanges / ${Math.round(gzip.perCpuSecond).toLocaleString('en-US')} per CPU-s ≈ ${(estimated / gzip.perCpuSecond / 60).toFixed(1)} CPU-minutes`,
);
