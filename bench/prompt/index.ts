/**
 * Prompt analyser speed: µs per prompt (median of runs) over real prompts from
 * ../shared/corpora when present (gpteacher, code_alpaca, gsm8k, sharegpt), built-in ones
 * otherwise, against JSON.stringify + JSON.parse of the same request measured in the same run.
 *
 * Then the worker side of `analyze` on a simulated log (see exchange-log.ts).
 *
 * Run: npm run build && npm run bench -- prompt
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPromptAnalyzer } from '../../src/detect/prompt/index.js';
import type { ExchangeRequest } from '../../src/log/exchange.js';
import { cpuMicros, median } from '../shared/measure.js';
import { benchExchangeLog } from './exchange-log.js';

const CORPORA = join(process.cwd(), '..', 'shared', 'corpora');
const FILES = [
  'gpteacher_gpt4_instruct.jsonl',
  'code_alpaca.jsonl',
  'gsm8k.jsonl',
  'sharegpt_sample.jsonl',
];
const PER_FILE = 2000;
const RUNS = 9;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function loadPrompts(): { source: string; texts: string[] } {
  const texts: string[] = [];
  for (const file of FILES) {
    const path = join(CORPORA, file);
    if (!existsSync(path)) continue;
    const lines = readFileSync(path, 'utf8').split('\n');
    let taken = 0;
    for (const line of lines) {
      if (taken >= PER_FILE || line === '') continue;
      const row: unknown = JSON.parse(line);
      if (isRecord(row) && typeof row.text === 'string' && row.text.length > 0) {
        texts.push(row.text);
        taken += 1;
      }
    }
  }
  if (texts.length > 0) return { source: `../shared/corpora (${FILES.join(', ')})`, texts };
  const builtIn = [
    'Solve the following problem step by step and put your final answer in \\boxed{}. A farmer has 17 sheep and buys 5 more each week for 8 weeks. How many sheep does he have?',
    'Write a Python function that parses an ISO 8601 date string and returns a datetime object. Include type hints and unit tests.',
    'You are an impartial judge. Evaluate the assistant response below on a scale of 1 to 10 for helpfulness and accuracy, following the rubric. Output only the score.\n\n[Question]\nWhat causes tides?\n\n[Response]\nThe moon.',
    '请一步一步地思考，并把完整的推理过程写在<think>标签中，然后给出最终答案：一个数的3倍加上7等于25，这个数是多少？',
    'Can you help me plan a three day trip to Lisbon with my kids? We like museums and beaches.',
  ];
  for (let index = 0; index < 2000; index++) texts.push(builtIn[index % builtIn.length]!);
  return { source: 'built-in prompts', texts };
}

const { source, texts } = loadPrompts();
const requests: ExchangeRequest[] = texts.map((text) => ({
  model: 'bench-model',
  max_tokens: 1024,
  messages: [
    { role: 'system', content: 'You are a helpful assistant.' },
    { role: 'user', content: text },
  ],
}));
const lines = requests.map((request) => JSON.stringify(request));
const chars = texts.map((text) => text.length);
const typicalIndexes = texts.flatMap((text, index) =>
  text.length >= 300 && text.length <= 800 ? [index] : [],
);
const typicalRequests = typicalIndexes.map((index) => requests[index]!);
const typicalLines = typicalIndexes.map((index) => lines[index]!);
console.log(
  `prompts: ${texts.length} from ${source}; median ${median(chars)} chars; ${typicalIndexes.length} of 300–800 chars`,
);

let sink = 0;
const baseline = (batch: ExchangeRequest[]) => () => {
  for (const request of batch) sink += (JSON.parse(JSON.stringify(request)) as string[]).length;
};
const parse = (batch: string[]) => () => {
  for (const line of batch) sink += (JSON.parse(line) as string[]).length;
};
// A fresh analyser per timed pass (made outside the timing): its result cache would otherwise
// answer every prompt of the repeated batch, and this measures the analysis itself.
const analyse = (batch: ExchangeRequest[]) => {
  const analyzer = createPromptAnalyzer();
  return () => {
    for (const request of batch) sink += analyzer.analyze(request, 'chat.completions').promptChars;
  };
};
// Warm-up, then interleaved runs so that baseline and analyser see the same machine load.
for (let warm = 0; warm < 2; warm++) {
  baseline(requests)();
  analyse(requests)();
}
const figures = {
  baseline: [] as number[],
  parse: [] as number[],
  analyze: [] as number[],
  typicalBaseline: [] as number[],
  typicalParse: [] as number[],
  typical: [] as number[],
};
for (let run = 0; run < RUNS; run++) {
  figures.baseline.push(cpuMicros(requests.length, baseline(requests)));
  figures.parse.push(cpuMicros(lines.length, parse(lines)));
  figures.analyze.push(cpuMicros(requests.length, analyse(requests)));
  figures.typicalBaseline.push(cpuMicros(typicalRequests.length, baseline(typicalRequests)));
  figures.typicalParse.push(cpuMicros(typicalLines.length, parse(typicalLines)));
  figures.typical.push(cpuMicros(typicalRequests.length, analyse(typicalRequests)));
}
const ratios = (numerator: number[], denominator: number[]) =>
  median(numerator.map((value, index) => value / denominator[index]!));
const row = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(46)} ${median(values).toFixed(2).padStart(7)} µs CPU (median of ${RUNS})`,
  );
row('all prompts: JSON.stringify + JSON.parse', figures.baseline);
row('all prompts: JSON.parse of the request line', figures.parse);
row('all prompts: analyze', figures.analyze);
row('300–800 chars: JSON.stringify + JSON.parse', figures.typicalBaseline);
row('300–800 chars: JSON.parse of the request line', figures.typicalParse);
row('300–800 chars: analyze', figures.typical);
console.log(
  `ratio analyze / (stringify+parse): all ${ratios(figures.analyze, figures.baseline).toFixed(2)}x, 300–800 chars ${ratios(figures.typical, figures.typicalBaseline).toFixed(2)}x`,
);
console.log(
  `ratio analyze / JSON.parse: all ${ratios(figures.analyze, figures.parse).toFixed(2)}x, 300–800 chars ${ratios(figures.typical, figures.typicalParse).toFixed(2)}x`,
);
console.log(
  `one core: ${Math.round(1e6 / median(figures.analyze)).toLocaleString('en')} prompts/s`,
);
if (sink === 42) console.log('');

await benchExchangeLog(Number(process.env.BENCH_PROMPT_LOG_SCALE ?? 0.2), RUNS);
