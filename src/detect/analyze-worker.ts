// Worker side of `readAnalyzedBatches`: JSON.parse, log-format parsing and the prompt analysers
// for one batch of raw lines. Everything here depends on the line alone, so batches can run in
// any worker in any order; the main thread restores the order.
import { parentPort } from 'node:worker_threads';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import {
  fromGlasswallyEvent,
  type GlasswallyEvent,
  glasswallyAccount,
  isGlasswallyEvent,
} from '../log/glasswally.js';
import { parseExchange } from '../log/parse-exchange.js';
import type { LogFormat } from '../log/read-exchanges.js';
import {
  type AnalyzedBatch,
  compactExchange,
  compactFeatures,
  type LineBatch,
} from './analyzed-batch.js';
import { createPromptAnalyzer } from './prompt/index.js';
import type { PromptFeatures } from './prompt/prompt-features.js';

const analyzer = createPromptAnalyzer();
// Keeps a byte-order mark, as the in-thread reader's decoder does: such a line is rejected alike.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function analyzeLines(job: LineBatch): AnalyzedBatch {
  const exchanges: Exchange[] = [];
  const features: PromptFeatures[] = [];
  const accounts: (Partial<AccountRecord> | null)[] = [];
  const rejections: { line: number; reason: string }[] = [];
  const format: LogFormat = job.format;
  const lines = decoder.decode(job.bytes).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let position = 0; position < lines.length; position += 1) {
    const text = lines[position] as string;
    const lineNumber = job.firstLine + position;
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      rejections.push({ line: lineNumber, reason: `malformed JSON (${(error as Error).message})` });
      continue;
    }
    let account: Partial<AccountRecord> | null = null;
    let parsed: ReturnType<typeof parseExchange>;
    if (format === 'v1' || (format === 'auto' && !isGlasswallyEvent(value))) {
      parsed = parseExchange(value);
    } else {
      parsed = fromGlasswallyEvent(value);
      if (parsed.success) account = glasswallyAccount(value as GlasswallyEvent);
    }
    if (!parsed.success) {
      rejections.push({ line: lineNumber, reason: parsed.error });
      continue;
    }
    const exchange = parsed.value;
    const analyzed = analyzer.analyze(exchange.request, exchange.endpoint);
    features.push(job.compact ? compactFeatures(analyzed) : analyzed);
    exchanges.push(job.compact ? compactExchange(exchange) : exchange);
    accounts.push(account);
  }
  return { id: job.id, exchanges, features, accounts, rejections };
}

parentPort?.on('message', (job: LineBatch) => {
  parentPort?.postMessage(analyzeLines(job));
});
