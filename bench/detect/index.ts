// Detection throughput end to end from `.jsonl.gz` (read + prompt analysers + engine + outputs),
// against a baseline of plain gunzip + split + JSON.parse of the same file, measured in the same
// run; plus the split between the prompt analysers and the engine on pre-parsed exchanges.
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { analyze, MAX_AUTO_WORKERS } from '../../src/analyze/index.js';
import { createDetector } from '../../src/detect/index.js';
import type { PromptFeatures } from '../../src/detect/prompt/index.js';
import { createPromptAnalyzer } from '../../src/detect/prompt/index.js';
import { type AccountRecord, createJsonLinesWriter, type Exchange } from '../../src/log/index.js';
import { createSimulation, loadScenario } from '../../src/simulate/index.js';
import { medianMilliseconds, report } from '../shared/measure.js';
import { freshenPrompts, readCorpusPrompts } from './fresh-prompt-log.js';

const scale = Number(process.env.BENCH_SCALE ?? 0.5);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const directory = await mkdtemp(join(tmpdir(), 'distillguard-bench-detect-'));

interface BenchLog {
  readonly name: string;
  readonly path: string;
  readonly accountsPath: string;
  readonly exchanges: Exchange[];
  readonly accounts: AccountRecord[];
  /** Share of exchanges whose request repeats an earlier one byte for byte. */
  readonly repeatShare: number;
}

/**
 * Writes one simulated log (.jsonl.gz) and its accounts; `fresh` rewrites repeated prompts
 * (./fresh-prompt-log.ts) from the given corpus prompts, or from the log's own without them.
 */
async function buildLog(name: string, fresh?: readonly string[]): Promise<BenchLog> {
  const path = join(directory, `${name}.jsonl.gz`);
  const accountsPath = join(directory, `${name}-accounts.jsonl`);
  const exchanges: Exchange[] = [];
  const accounts: AccountRecord[] = [];
  const simulation = createSimulation(await loadScenario('quickstart'), { seed: 1, scale });
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type === 'account') accounts.push(event.account);
    else exchanges.push(event.exchange);
  }
  const summary = fresh ? freshenPrompts(exchanges, fresh) : undefined;
  const writer = await createJsonLinesWriter(path);
  const accountWriter = await createJsonLinesWriter(accountsPath);
  for (const account of accounts) await accountWriter.write(account);
  const seen = new Set<string>();
  let repeats = 0;
  for (const exchange of exchanges) {
    await writer.write(exchange);
    const request = JSON.stringify(exchange.request);
    if (seen.has(request)) repeats += 1;
    else seen.add(request);
  }
  await writer.close();
  await accountWriter.close();
  const promptRepeats =
    summary?.repeatShare ?? freshenPrompts(structuredClone(exchanges), []).repeatShareBefore;
  console.log(
    `${name} log: ${exchanges.length} exchanges, ${(100 * promptRepeats).toFixed(1)}% repeated user texts, ${((100 * repeats) / Math.max(1, exchanges.length)).toFixed(1)}% repeated requests${summary ? ` (${summary.rewritten} prompts rewritten from ${summary.source} prompts; ${(100 * summary.repeatShareBefore).toFixed(1)}% repeated before)` : ''}`,
  );
  return { name, path, accountsPath, exchanges, accounts, repeatShare: promptRepeats };
}

// The simulator's built-in prompt generators repeat prompts often (the prompt cache hits); the
// second log rewrites the repeats with fresh prompts from the real corpora (../shared/corpora,
// or $DISTILLGUARD_CORPORA), or from the log's own prompts joined in pairs without them.
const corporaDirectory = [
  process.env.DISTILLGUARD_CORPORA,
  join(process.cwd(), '..', 'shared', 'corpora'),
  join(process.cwd(), '..', '..', 'shared', 'corpora'),
].find((candidate) => candidate && existsSync(join(candidate, 'README.md')));
const repetitive = await buildLog('repetitive');
const logs = [repetitive, await buildLog('fresh-prompt', readCorpusPrompts(corporaDirectory))];
const { path, exchanges, accounts } = repetitive;
const count = exchanges.length;

async function baseline(path: string): Promise<number> {
  const source = createReadStream(path).pipe(createGunzip());
  source.setEncoding('utf8');
  let carry = '';
  let parsed = 0;
  for await (const chunk of source as AsyncIterable<string>) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop() ?? '';
    for (const line of lines) if (line) parsed += JSON.parse(line) ? 1 : 0;
  }
  return parsed;
}

const workers = Math.max(1, Math.min(availableParallelism() - 1, MAX_AUTO_WORKERS));
const endToEnd =
  (threads: number, log: Pick<BenchLog, 'path' | 'accountsPath'> = repetitive) =>
  () =>
    analyze({
      inputs: [log.path],
      accounts: log.accountsPath,
      out: join(directory, 'out'),
      workers: threads,
    });
/**
 * CPU time of this process's main thread in µs (Linux: /proc clock ticks, 10 ms), NaN elsewhere:
 * unlike the event loop's busy time it does not grow while other processes hold the cores.
 */
function mainThreadCpuMicroseconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}
/** What bounds throughput once workers have cores: the main thread's share of each run. */
const mainThread = { busyMs: [] as number[], cpuUs: [] as number[] };
const endToEndParallel = async () => {
  const before = performance.eventLoopUtilization();
  const cpuBefore = mainThreadCpuMicroseconds();
  await endToEnd(workers)();
  mainThread.busyMs.push(performance.eventLoopUtilization(before).active);
  mainThread.cpuUs.push(mainThreadCpuMicroseconds() - cpuBefore);
};
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

// A fresh analyser per run: its result cache then helps only with repeats within the log.
const analyse = () => {
  const analyzer = createPromptAnalyzer();
  for (const exchange of exchanges) analyzer.analyze(exchange.request, exchange.endpoint);
};
const analyzer = createPromptAnalyzer();
const features: PromptFeatures[] = exchanges.map((exchange) =>
  analyzer.analyze(exchange.request, exchange.endpoint),
);
const engineOnly = () => {
  let position = 0;
  const detector = createDetector({
    promptAnalyzer: { analyze: () => features[position] as PromptFeatures },
  });
  const records = [...accounts].sort((a, b) => a.created_at.localeCompare(b.created_at));
  let next = 0;
  for (position = 0; position < exchanges.length; position += 1) {
    const exchange = exchanges[position] as Exchange;
    while (next < records.length && (records[next] as AccountRecord).created_at < exchange.ts) {
      detector.observeAccount(records[next++] as AccountRecord);
    }
    detector.observe(exchange);
  }
  return detector.verdicts().length;
};

// analyze end to end (default settings) over a plain gunzip + JSON.parse of the same file, per
// log, interleaved in this run: median [range] of the per-run ratios, of wall time and of this
// process's CPU time (all threads; steadier than wall time on a shared machine).
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};
for (const log of logs) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const baselineStarted = performance.now();
    const baselineCpu = process.cpuUsage();
    await baseline(log.path);
    const baselineMs = performance.now() - baselineStarted;
    const baselineCpuSeconds = cpuSeconds(baselineCpu);
    const analyzeStarted = performance.now();
    const analyzeCpu = process.cpuUsage();
    await analyze({ inputs: [log.path], accounts: log.accountsPath, out: join(directory, 'out') });
    wall.push((performance.now() - analyzeStarted) / baselineMs);
    cpu.push(cpuSeconds(analyzeCpu) / baselineCpuSeconds);
  }
  for (const [kind, ratios] of [
    ['wall', wall],
    ['CPU', cpu],
  ] as const) {
    const sorted = [...ratios].sort((a, b) => a - b);
    report(
      `analyze / gunzip+JSON.parse, ${log.name} log, ${kind}`,
      median(ratios),
      'x',
      `range ${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)}, ${runs} runs, ${log.exchanges.length} exchanges, ${(100 * log.repeatShare).toFixed(1)}% repeated user texts`,
    );
  }
}

const baselineMs = await medianMilliseconds(() => baseline(path));
const serialMs = await medianMilliseconds(endToEnd(0));
const endToEndMs = await medianMilliseconds(endToEndParallel);
const analyserMs = await medianMilliseconds(analyse);
const engineMs = await medianMilliseconds(engineOnly);
const rss = process.memoryUsage().rss;
report('baseline gunzip + JSON.parse', (count / baselineMs) * 1000, 'exchanges/s');
report('analyze, one thread (--workers 0)', (count / serialMs) * 1000, 'exchanges/s');
report(`analyze, workers: ${workers}`, (count / endToEndMs) * 1000, 'exchanges/s');
report(
  'analyze time / baseline time',
  serialMs / baselineMs,
  'x',
  `${count} exchanges, median of 3`,
);
const busyMs = median(mainThread.busyMs);
report('analyze with workers, main-thread busy', (busyMs * 1000) / count, 'µs/exchange');
report('analyze with workers, main-thread CPU', median(mainThread.cpuUs) / count, 'µs/exchange');
report(
  'analyze bound by the main thread',
  (count / busyMs) * 1000,
  'exchanges/s',
  'given idle cores for the workers',
);
report('prompt analysers alone', (count / analyserMs) * 1000, 'exchanges/s');
report('engine alone (features precomputed)', (count / engineMs) * 1000, 'exchanges/s');
report('engine alone per exchange', (engineMs * 1000) / count, 'µs/exchange', 'wall, one thread');
report('resident memory after the runs', rss / 2 ** 20, 'MiB');
report('load average (1 min) at the end', loadavg()[0] ?? 0, '', `${availableParallelism()} cores`);
await rm(directory, { recursive: true, force: true });
