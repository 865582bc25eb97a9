import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DistillguardError } from '../shared/distillguard-error.js';
import { NAMES, OPEN_QUESTIONS, WORD_PROBLEMS } from './multilingual-phrases.js';
import {
  AGENT_GOALS,
  BENCHMARK_SUBJECTS,
  CHAT_FILLS,
  CHAT_FOLLOW_UPS,
  CHAT_OPENERS,
  CITIES,
  CODE_FIELDS,
  CODE_LANGUAGES,
  CODE_SNIPPETS,
  CODE_TASKS,
  COMPUTER_USE_GOALS,
  DEV_TOOL_TASKS,
  ETL_FILLS,
  ETL_TEMPLATES,
  PRODUCTS,
  SERVICES,
  SITES,
  SUPPORT_QUESTIONS,
  TOPICS,
} from './prompt-content.js';
import type { Random } from './random.js';
import { LANGUAGES, type Language } from './scenario.js';

/**
 * Precomputed prompt texts per category. Built once per simulation so that generating an
 * exchange is a pick from an array, never string work proportional to the corpus.
 */
export interface PromptPools {
  readonly source: 'built-in' | 'corpora';
  /** Questions to wrap in a reasoning-trace request, per language. */
  readonly reasoning: Readonly<Record<Language, readonly string[]>>;
  /** Benchmark items (eval harnesses). */
  readonly benchmark: readonly string[];
  readonly coding: readonly string[];
  /** General instructions (used as the graded question in rubric prompts). */
  readonly instructions: readonly string[];
  readonly agentGoals: readonly string[];
  readonly computerGoals: readonly string[];
  readonly chatOpeners: readonly string[];
  readonly chatFollowUps: readonly string[];
  readonly supportQuestions: readonly string[];
  readonly etl: readonly string[];
  readonly devTasks: readonly string[];
  /** Screenshot payloads (short base64 stubs) for computer-use and vision prompts. */
  readonly screenshots: readonly string[];
}

const POOL_SIZE = 2000;
const MAX_PROMPT_CHARS = 6000;

/** Fills `{key}` placeholders from `fills` (or numbers for a/b/c/…). */
export function fillTemplate(
  template: string,
  random: Random,
  fills: Readonly<Record<string, readonly string[]>> = {},
): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => {
    const options = fills[key];
    if (options) return random.pick(options);
    switch (key) {
      case 'a':
        return String(random.between(12, 997));
      case 'b':
        return String(random.between(2, 9));
      case 'c':
        return String(random.between(3, 48));
      case 'price':
        return String(random.between(8, 40) * 10);
      case 'q':
        return String(random.between(1, 4));
      case 'm':
        return String(random.between(1, 9));
      case 'd':
        return String(random.between(0, 9));
      default:
        return match;
    }
  });
}

const GENERAL_FILLS: Readonly<Record<string, readonly string[]>> = {
  ...CHAT_FILLS,
  ...ETL_FILLS,
  city: CITIES,
  topic: TOPICS,
  service: SERVICES,
  site: SITES,
  product: PRODUCTS,
  field: CODE_FIELDS,
  snippet: CODE_SNIPPETS,
  team: ['design', 'platform', 'sales', 'research'],
  company: ['Initech', 'Globex', 'Hooli', 'Vandelay'],
};

function generate(
  random: Random,
  templates: readonly string[],
  fills: Readonly<Record<string, readonly string[]>> = GENERAL_FILLS,
  size = POOL_SIZE,
): string[] {
  const pool: string[] = [];
  for (let index = 0; index < size; index++) {
    pool.push(fillTemplate(random.pick(templates), random, fills));
  }
  return pool;
}

function localisedReasoning(random: Random): Record<Language, string[]> {
  const pools = {} as Record<Language, string[]>;
  for (const language of LANGUAGES) {
    const templates = [...WORD_PROBLEMS[language], ...OPEN_QUESTIONS[language]];
    pools[language] = generate(random, templates, { name: NAMES[language] }, 800);
  }
  return pools;
}

function codingTasks(random: Random): string[] {
  const pool: string[] = [];
  for (let index = 0; index < POOL_SIZE; index++) {
    const task = fillTemplate(random.pick(CODE_TASKS), random, GENERAL_FILLS);
    const language = random.pick(CODE_LANGUAGES);
    pool.push(
      random.pick([
        `Write a ${language} function that ${task}.`,
        `Implement, in ${language}, a function that ${task}. Include tests.`,
        `I need ${language} code that ${task}. Explain the complexity.`,
      ]),
    );
  }
  return pool;
}

function benchmarkItems(random: Random): string[] {
  const pool = generate(random, WORD_PROBLEMS.en, { name: NAMES.en }, POOL_SIZE / 2);
  for (let index = 0; index < POOL_SIZE / 2; index++) {
    const subject = random.pick(BENCHMARK_SUBJECTS);
    pool.push(
      `The following is a multiple choice question about ${subject}.\n\nQuestion ${random.between(1, 1500)}: Which of the following statements is correct?\nA. ${random.pick(CHAT_FILLS.concept ?? ['x'])}\nB. ${random.pick(TOPICS)}\nC. ${random.between(2, 99)}\nD. none of the above\nAnswer:`,
    );
  }
  return pool;
}

/** The default path: every pool generated from built-in templates (no external data). */
export function createBuiltInPools(random: Random): PromptPools {
  return {
    source: 'built-in',
    reasoning: localisedReasoning(random),
    benchmark: benchmarkItems(random),
    coding: codingTasks(random),
    instructions: [...generate(random, CHAT_OPENERS), ...codingTasks(random).slice(0, 500)],
    agentGoals: generate(random, AGENT_GOALS),
    computerGoals: generate(random, COMPUTER_USE_GOALS),
    chatOpeners: generate(random, CHAT_OPENERS),
    chatFollowUps: [...CHAT_FOLLOW_UPS],
    supportQuestions: generate(random, SUPPORT_QUESTIONS),
    etl: generate(random, ETL_TEMPLATES),
    devTasks: generate(random, DEV_TOOL_TASKS),
    screenshots: Array.from(
      { length: 512 },
      () => `data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAABQAAAAMg${random.hex(40)}`,
    ),
  };
}

/** The corpus files the corpora path reads (see ../shared/corpora/README.md). */
export const CORPUS_FILES = [
  'gsm8k.jsonl',
  'code_alpaca.jsonl',
  'gpteacher_gpt4_instruct.jsonl',
  'self_instruct_seeds.jsonl',
  'sharegpt_sample.jsonl',
  'oasst1_en_validation.jsonl',
] as const;

interface CorpusRow {
  text: string;
  fields: Record<string, unknown>;
}

const corpusCache = new Map<string, Map<string, CorpusRow[]>>();

function readCorpora(directory: string): Map<string, CorpusRow[]> {
  const cached = corpusCache.get(directory);
  if (cached) return cached;
  const missing = CORPUS_FILES.filter((file) => !existsSync(join(directory, file)));
  if (missing.length > 0) {
    throw new DistillguardError(
      'corpora_missing',
      `the corpora directory ${directory} lacks ${missing.join(', ')}; pass --no-corpora to use the built-in generator.`,
      { directory, missing },
    );
  }
  const files = new Map<string, CorpusRow[]>();
  for (const file of CORPUS_FILES) {
    const rows: CorpusRow[] = [];
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue;
      }
      if (typeof value !== 'object' || value === null) continue;
      const fields = value as Record<string, unknown>;
      const text = fields.text;
      if (typeof text !== 'string' || text.trim() === '') continue;
      rows.push({ text: text.slice(0, MAX_PROMPT_CHARS), fields });
    }
    files.set(file, rows);
  }
  corpusCache.set(directory, files);
  return files;
}

/**
 * Draws prompts from the real corpora: attack-like sets (gsm8k train, code_alpaca, GPTeacher,
 * self-instruct) for campaigns, ShareGPT / OpenAssistant for customers, the gsm8k test split for
 * eval harnesses. Non-English reasoning questions, support, ETL and dev-tool prompts stay
 * built-in (the corpora have none).
 */
export function createCorporaPools(directory: string, random: Random): PromptPools {
  const files = readCorpora(directory);
  const rows = (file: string) => files.get(file) ?? [];
  const texts = (list: CorpusRow[]) => list.map((row) => row.text);
  const gsm8k = rows('gsm8k.jsonl');
  const gpteacher = rows('gpteacher_gpt4_instruct.jsonl');
  const subset = (name: string) => texts(gpteacher.filter((row) => row.fields.subset === name));
  const sharegpt = rows('sharegpt_sample.jsonl');
  const oasst = rows('oasst1_en_validation.jsonl');
  const builtIn = createBuiltInPools(random);
  const firstTurns = new Set<string>();
  const seenConversations = new Set<unknown>();
  for (const row of sharegpt) {
    if (seenConversations.has(row.fields.conversation_id)) continue;
    seenConversations.add(row.fields.conversation_id);
    firstTurns.add(row.text);
  }
  const openers = [...firstTurns, ...texts(oasst.filter((row) => row.fields.is_root === true))];
  const followUps = [
    ...texts(sharegpt.filter((row) => !firstTurns.has(row.text))),
    ...texts(oasst.filter((row) => row.fields.is_root !== true)),
  ];
  return {
    ...builtIn,
    source: 'corpora',
    reasoning: {
      ...builtIn.reasoning,
      en: [
        ...texts(gsm8k.filter((row) => row.fields.split !== 'test')),
        ...texts(rows('self_instruct_seeds.jsonl')),
      ],
    },
    benchmark: texts(gsm8k.filter((row) => row.fields.split === 'test')),
    coding: [...texts(rows('code_alpaca.jsonl')), ...subset('codegen')],
    instructions: [...texts(rows('self_instruct_seeds.jsonl')), ...subset('roleplay')],
    agentGoals: [...subset('toolformer'), ...builtIn.agentGoals.slice(0, 500)],
    chatOpeners: openers.length > 0 ? openers : builtIn.chatOpeners,
    chatFollowUps: followUps.length > 0 ? followUps : builtIn.chatFollowUps,
  };
}
