// Speed of the watermark: per streamed chunk (text level), per generated token (logits hook) and
// detection throughput, each with a baseline measured in the same run. `npm run bench -- watermark`
import { createStreamShaper } from '../../src/gateway/stream-shaper/index.js';
import { createSeededRandom, loadDefaultLanguageModel } from '../../src/language-model/index.js';
import {
  createTextWatermarkStage,
  createTokenScorer,
  createWatermarkHook,
  createWatermarkKey,
  detectTextWatermark,
  exponentialScheme,
  greenListScheme,
} from '../../src/watermark/index.js';

const model = loadDefaultLanguageModel();
const key = createWatermarkKey('bench', Buffer.alloc(32, 1));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
function time(run: () => void, repeats = 5): number {
  const times: number[] = [];
  for (let index = 0; index < repeats; index += 1) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return median(times);
}

// Text: ~2,000 answers streamed as the tokens' pieces (the chunks an SSE upstream sends).
const random = createSeededRandom(1);
const answers: number[][] = [];
let tokenCount = 0;
while (tokenCount < 300_000) {
  const ids = [...model.generate({ prompt: '', maxTokens: 300, random })];
  answers.push(ids);
  tokenCount += ids.length;
}
const chunks = answers.map((ids) => ids.map((id) => model.decodeToken(id)));
const chunkCount = chunks.reduce((total, list) => total + list.length, 0);

const passThrough = time(() => {
  for (const list of chunks) {
    let output = '';
    for (const chunk of list) output += chunk;
    if (output.length < 0) throw new Error('unreachable');
  }
});
const staged = time(() => {
  for (const list of chunks) {
    const stage = createTextWatermarkStage({ key });
    let output = '';
    for (const chunk of list) output += stage.push(chunk);
    output += stage.flush();
    if (output.length < 0) throw new Error('unreachable');
  }
});
console.log('text watermark stage (per streamed chunk, median of 5 runs)');
console.log(`  chunks                     ${chunkCount}`);
console.log(
  `  pass-through (baseline)    ${((1000 * passThrough) / chunkCount).toFixed(4)} µs/chunk`,
);
console.log(
  `  watermark stage            ${((1000 * staged) / chunkCount).toFixed(4)} µs/chunk  (${(staged / passThrough).toFixed(1)}× baseline; target ≤ 100 µs)`,
);

// The gateway's degrade step: the SSE stream shaper per chunk (one chat.completion.chunk per
// token), without and with the watermark stage. With it, every content chunk is re-serialised.
const sseStreams = chunks
  .slice(0, 400)
  .map(
    (list) =>
      list
        .map(
          (content) =>
            `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`,
        )
        .join('') +
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
  );
const sseChunks = sseStreams.reduce((total, stream) => total + stream.split('\n\n').length - 1, 0);
const shape = (watermarked: boolean) => () => {
  for (const stream of sseStreams) {
    const shaper = createStreamShaper({
      endpoint: 'chat.completions',
      reasoning: 'withhold',
      outputTokenBudget: null,
      ...(watermarked ? { createWatermarkStage: () => createTextWatermarkStage({ key }) } : {}),
    });
    // The upstream's network chunks: one event each.
    let output = '';
    for (const event of stream.split(/(?<=\n\n)/)) output += shaper.push(event);
    if (output.length < 0) throw new Error('unreachable');
  }
};
const shaperAlone = time(shape(false));
const shaperMarked = time(shape(true));
console.log('gateway degrade step: SSE stream shaper (per chat chunk, median of 5 runs)');
console.log(`  chunks                     ${sseChunks}`);
console.log(
  `  shaper (baseline)          ${((1000 * shaperAlone) / sseChunks).toFixed(4)} µs/chunk`,
);
console.log(
  `  shaper + watermark stage   ${((1000 * shaperMarked) / sseChunks).toFixed(4)} µs/chunk  (+${((1000 * (shaperMarked - shaperAlone)) / sseChunks).toFixed(2)} µs; target ≤ 100 µs)`,
);

// Token hook: generation speed with and without the hook.
const generation = (hook?: ReturnType<typeof createWatermarkHook>) => {
  const seeded = createSeededRandom(2);
  let produced = 0;
  const started = performance.now();
  while (produced < 40_000) {
    for (const _ of model.generate({
      prompt: '',
      maxTokens: 300,
      random: seeded,
      ...(hook ? { logitsHook: hook } : {}),
    })) {
      produced += 1;
    }
  }
  return produced / ((performance.now() - started) / 1000);
};
const plain = median([generation(), generation(), generation()]);
console.log('\ntoken generation with the logits hook (tokens/s, median of 3)');
console.log(`  no watermark (baseline)    ${plain.toFixed(0)}`);
for (const [name, scheme] of [
  ['green-list h=1', greenListScheme({ contextWidth: 1 })],
  ['green-list h=2 (default)', greenListScheme()],
  ['green-list h=2 self-hash', greenListScheme({ selfHash: true })],
  ['exponential h=4 (default)', exponentialScheme()],
] as const) {
  const rate = median([0, 1, 2].map(() => generation(createWatermarkHook(scheme, key))));
  console.log(`  ${name.padEnd(26)} ${rate.toFixed(0)}  (${(rate / plain).toFixed(2)}× baseline)`);
}

// Detection throughput over the 300k tokens (repeats and all), per scheme and context width.
// "New key": a fresh key for every run (one HMAC per distinct context); "warm": the same scorer
// again (seeds cached). Rates are per wall second and per CPU second of this process (the CPU
// figure is steadier on a shared machine); each as the median [min–max] of the runs.
const flat = answers.flat();
const RUNS = 7;
const rate = (milliseconds: number) => flat.length / (milliseconds / 1000);
const millions = (rates: number[]) => {
  const sorted = [...rates].sort((a, b) => a - b);
  const format = (value: number) => (value / 1e6).toFixed(2);
  return `${format(median(sorted))}M [${format(sorted[0]!)}–${format(sorted.at(-1)!)}]`;
};
const measure = (run: () => void) => {
  const wallStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  run();
  const cpu = process.cpuUsage(cpuStarted);
  return { wall: rate(performance.now() - wallStarted), cpu: rate((cpu.user + cpu.system) / 1000) };
};
const sumBaseline = time(() => {
  let total = 0;
  for (const id of flat) total += id;
  if (total < 0) throw new Error('unreachable');
});
console.log(
  `\ndetection (tokens/s over ${flat.length} tokens, median [range] of ${RUNS} runs; target ≥ 1M with a new key)`,
);
console.log(`  summing ids (baseline)          ${(rate(sumBaseline) / 1e6).toFixed(0)}M wall`);
let keyNumber = 0;
for (const [name, scheme] of [
  ['green-list h=1', greenListScheme({ contextWidth: 1 })],
  ['green-list h=2 (default)', greenListScheme()],
  ['green-list h=2 self-hash', greenListScheme({ selfHash: true })],
  ['exponential h=1', exponentialScheme({ contextWidth: 1 })],
  ['exponential h=2', exponentialScheme({ contextWidth: 2 })],
  ['exponential h=4 (default)', exponentialScheme()],
] as const) {
  const fresh = Array.from({ length: RUNS }, () =>
    measure(() => {
      keyNumber += 1;
      const scorer = createTokenScorer(
        scheme,
        createWatermarkKey(`bench-${keyNumber}`, Buffer.alloc(32, keyNumber % 256)),
      );
      scorer.test(scorer.score(flat));
    }),
  );
  const scorer = createTokenScorer(scheme, key);
  scorer.score(flat);
  const warm = Array.from({ length: RUNS }, () => measure(() => scorer.test(scorer.score(flat))));
  console.log(`  ${name}`);
  console.log(
    `    new key    ${millions(fresh.map((run) => run.wall))} wall, ${millions(fresh.map((run) => run.cpu))} CPU`,
  );
  console.log(
    `    warm       ${millions(warm.map((run) => run.wall))} wall, ${millions(warm.map((run) => run.cpu))} CPU`,
  );
}
const texts = answers.map((ids) => model.decode(ids));
const textTime = time(() => detectTextWatermark(texts, key), 3);
console.log(
  `  text level                 ${(flat.length / (textTime / 1000)).toExponential(2)} tokens/s`,
);
