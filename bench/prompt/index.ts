/**
 * Prompt analyser speed: µs per prompt (median of runs) over real prompts from
 * ../shared/corpora when present (gpteacher, code_alpaca, gsm8k, sharegpt), built-in ones
 * otherwise, against JSON.stringify + JSON.parse of the same request measured in the same run.
 *
 * Run: npm run build && npm run bench -- prompt
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPromptAnalyzer } from '../../src/detect/prompt/index.js';
import type { ExchangeRequest } from '../../src/log/exchange.js';

const CORPORA = join(process.cwd(), '..', 'shared', 'corpora');
const FILES = [
  'gpteacher_gpt4_instruct.jsonl',
  'code_alpaca.jsonl',
  'gsm8k.jsonl',
  'sharegpt_sample.jsonl',
];
const PER_FILE = 2000;
const RUNS = 7;

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeRuns(label: string, count: number, body: () => void): number {
  body();
  const perItem: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // CPU time, not wall time: on a shared machine the wall clock mostly measures other processes.
    const start = process.cpuUsage();
    body();
    const used = process.cpuUsage(start);
    perItem.push((used.user + used.system) / count);
  }
  const value = median(perItem);
  console.log(`${label.padEnd(44)} ${value.toFixed(2).padStart(8)} µs/prompt (CPU)`);
  return value;
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
const serialised = requests.map((request) => JSON.stringify(request));
const chars = texts.map((text) => text.length).sort((a, b) => a - b);
console.log(`prompts: ${texts.length} from ${source}; median ${median(chars)} chars`);

const analyzer = createPromptAnalyzer();
let sink = 0;
const baseline = timeRuns('baseline JSON.stringify + JSON.parse', requests.length, () => {
  for (const request of requests) sink += (JSON.parse(JSON.stringify(request)) as string[]).length;
});
const parseOnly = timeRuns('JSON.parse of the request line', serialised.length, () => {
  for (const line of serialised) sink += (JSON.parse(line) as string[]).length;
});
const analyse = timeRuns('analyze (all analysers)', requests.length, () => {
  for (const request of requests) sink += analyzer.analyze(request, 'chat.completions').promptChars;
});
const typical = requests.filter(
  (_, index) => texts[index]!.length >= 300 && texts[index]!.length <= 800,
);
const analyseTypical = timeRuns(
  `analyze, 300–800 char prompts (${typical.length})`,
  typical.length,
  () => {
    for (const request of typical)
      sink += analyzer.analyze(request, 'chat.completions').promptChars;
  },
);
console.log(
  `ratio analyze / baseline: ${(analyse / baseline).toFixed(2)}x; / JSON.parse: ${(analyse / parseOnly).toFixed(2)}x`,
);
console.log(
  `throughput one core: ${Math.round(1e6 / analyse).toLocaleString('en')} prompts/s (typical: ${analyseTypical.toFixed(2)} µs)`,
);
if (sink === 42) console.log('');
