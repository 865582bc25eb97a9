/**
 * A bench log whose prompts rarely repeat (issue 18): the quickstart scenario's traffic (its
 * accounts, clients, timing and campaigns unchanged) with every exchange whose user text repeats
 * an earlier exchange's given a fresh last user message instead. Fresh messages come from the
 * real corpora (ShareGPT, OASST, GSM8K, Code Alpaca, GPTeacher, self-instruct) when a directory is
 * given, shuffled by a fixed seed; otherwise, or once those run out, from two distinct earlier
 * prompts of the log joined. Bench-only: the simulator's scenarios and their pinned outputs stay
 * as they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractPromptParts } from '../../src/detect/prompt/extract-prompt-parts.js';
import type { Exchange } from '../../src/log/index.js';
import { createSeededRandom } from '../../src/shared/create-seeded-random.js';

const CORPUS_FILES = [
  'sharegpt_sample.jsonl',
  'oasst1_en_validation.jsonl',
  'gsm8k.jsonl',
  'code_alpaca.jsonl',
  'gpteacher_gpt4_instruct.jsonl',
  'self_instruct_seeds.jsonl',
];

/** What `freshenPrompts` did, for the bench's report. */
export interface FreshPromptSummary {
  readonly exchanges: number;
  /** Exchanges given a fresh last user message. */
  readonly rewritten: number;
  /** Share of exchanges whose user text (all user turns) repeats an earlier one's, after. */
  readonly repeatShare: number;
  /** Share of exchanges whose user text repeated before the rewrite. */
  readonly repeatShareBefore: number;
  readonly source: 'corpora' | 'built-in';
}

/** The user texts of the corpora, in a seeded random order (empty without a directory). */
export function readCorpusPrompts(directory: string | undefined, seed = 1): string[] {
  if (!directory) return [];
  const texts: string[] = [];
  for (const file of CORPUS_FILES) {
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const text = (JSON.parse(line) as { text?: unknown }).text;
      if (typeof text === 'string' && text.trim() !== '') texts.push(text.slice(0, 8000));
    }
  }
  const random = createSeededRandom(seed);
  for (let index = texts.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [texts[index], texts[other]] = [texts[other]!, texts[index]!];
  }
  return texts;
}

/**
 * Rewrites, in place and in log order, the last user message of every exchange whose user text
 * was seen before, so that user texts repeat only where a rewrite is impossible (no user text).
 */
export function freshenPrompts(
  exchanges: Exchange[],
  corpusPrompts: readonly string[],
): FreshPromptSummary {
  const seen = new Set<string>();
  const firsts: string[] = [];
  let corpusNext = 0;
  let pairNext = 0;
  let rewritten = 0;
  let repeatsBefore = 0;
  let repeats = 0;
  const fresh = (): string => {
    while (corpusNext < corpusPrompts.length) {
      const text = corpusPrompts[corpusNext++]!;
      if (!seen.has(text)) return text;
    }
    // Distinct pairs (first, second) of earlier prompts, walked in a fixed order.
    for (;;) {
      const count = Math.max(2, firsts.length);
      const first = firsts[pairNext % count] ?? 'Explain this';
      const second = firsts[(Math.floor(pairNext / count) + 1 + pairNext) % count] ?? `${pairNext}`;
      pairNext += 1;
      const text = `${first}\n\n${second}`;
      if (first !== second && !seen.has(text)) return text;
    }
  };
  for (const exchange of exchanges) {
    let text = extractPromptParts(exchange.request, exchange.endpoint).userText;
    if (seen.has(text)) {
      repeatsBefore += 1;
      const replacement = fresh();
      if (replaceLastUserText(exchange.request, replacement)) {
        rewritten += 1;
        text = extractPromptParts(exchange.request, exchange.endpoint).userText;
      }
    }
    if (seen.has(text)) repeats += 1;
    else {
      seen.add(text);
      if (text.length > 0 && text.length < 2000) firsts.push(text);
    }
  }
  const share = (count: number) => count / Math.max(1, exchanges.length);
  return {
    exchanges: exchanges.length,
    rewritten,
    repeatShare: share(repeats),
    repeatShareBefore: share(repeatsBefore),
    source: corpusPrompts.length > 0 ? 'corpora' : 'built-in',
  };
}

type Item = Record<string, unknown>;
const isItem = (value: unknown): value is Item => typeof value === 'object' && value !== null;

/** Replaces the text of the request's last user turn (any of the v1 endpoints' shapes). */
function replaceLastUserText(request: unknown, text: string): boolean {
  if (!isItem(request)) return false;
  if (typeof request.prompt === 'string') {
    request.prompt = text;
    return true;
  }
  if (typeof request.input === 'string') {
    request.input = text;
    return true;
  }
  const items = Array.isArray(request.messages)
    ? request.messages
    : Array.isArray(request.input)
      ? request.input
      : [];
  for (let index = items.length - 1; index >= 0; index -= 1) {
    const item: unknown = items[index];
    if (!isItem(item) || item.role !== 'user') continue;
    if (typeof item.content === 'string') {
      item.content = text;
      return true;
    }
    if (!Array.isArray(item.content)) continue;
    for (const part of item.content as unknown[]) {
      if (isItem(part) && typeof part.text === 'string' && part.type !== 'tool_result') {
        part.text = text;
        return true;
      }
    }
  }
  return false;
}
