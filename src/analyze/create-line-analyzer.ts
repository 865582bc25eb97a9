import { createPromptAnalyzer, storedPromptFeatures } from '../detect/prompt/index.js';
import type { PromptAnalyzer, PromptFeatures } from '../detect/prompt/prompt-features.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import {
  createLogValueParser,
  type GlasswallyEvent,
  glasswallyAccount,
  lineRejection,
  parseJsonLine,
} from '../log/index.js';
import type {
  AnalyzedBatch,
  ExchangeColumns,
  LineBatch,
  LineFinding,
  PositionedFacts,
} from './analyzed-batch.js';
import { createColumnEncoder } from './create-column-encoder.js';

const NEWLINE = 0x0a;

/** One batch of raw lines in, its exchanges and prompt features out (and what to transfer). */
export type LineAnalyzer = (job: LineBatch) => {
  batch: AnalyzedBatch | ExchangeColumns;
  transfer: ArrayBuffer[];
};

/**
 * Creates what an analysis worker runs on each batch: JSON.parse, log-format parsing and the
 * prompt analysers. Results depend on the line alone, so batches can run in any worker (or on
 * the engine's own thread, see `readAnalyzedBatches`) in any order. The one state, the column
 * encoder's string table, is mirrored by one decoder that reads this analyser's compact answers
 * in the order it produced them.
 */
export function createLineAnalyzer(): LineAnalyzer {
  // Made on first use: a reader asks for engine features (lean) or whole ones, not both.
  let fullAnalyzer: PromptAnalyzer | undefined;
  let leanAnalyzer: PromptAnalyzer | undefined;
  const leanOne = (): PromptAnalyzer => {
    leanAnalyzer ??= createPromptAnalyzer({ lean: true });
    return leanAnalyzer;
  };
  const fullOne = (): PromptAnalyzer => {
    fullAnalyzer ??= createPromptAnalyzer();
    return fullAnalyzer;
  };
  const encoder = createColumnEncoder();

  return (job) => {
    const exchanges: Exchange[] = [];
    const features: PromptFeatures[] = [];
    const accounts: PositionedFacts[] = [];
    const accountsInBatch = new Set<string>();
    const rejections: LineFinding[] = [];
    // The Glasswally event of the line just parsed, whose account facts travel with its batch.
    const line: { event: GlasswallyEvent | undefined } = { event: undefined };
    const parse = createLogValueParser(job.format, (event) => {
      line.event = event;
    });
    const analyzer = job.compact || job.lean === true ? leanOne() : fullOne();
    // Line by line, as the in-thread reader decodes (`readJsonLineBatches`, which says why): an
    // ASCII line stays a one-byte string even when another line of the chunk is not Latin-1.
    const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
    const lines: string[] = [];
    for (let start = 0; start < bytes.length; ) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      lines.push(bytes.toString('utf8', start, end));
      start = end + 1;
    }
    if (job.compact) encoder.begin(lines.length);
    let accepted = 0;
    const take = (exchange: Exchange, account: Partial<AccountRecord> | null) => {
      const analyzed =
        storedPromptFeatures(exchange.request) ??
        analyzer.analyze(exchange.request, exchange.endpoint);
      // The reader keeps an account's first facts only: later ones in the batch need not travel.
      if (account && !accountsInBatch.has(exchange.account_id)) {
        accountsInBatch.add(exchange.account_id);
        accounts.push({ position: accepted, facts: account });
      }
      if (job.compact) {
        encoder.add(exchange, analyzed);
      } else {
        exchanges.push(exchange);
        features.push(analyzed);
      }
      accepted += 1;
    };
    for (let position = 0; position < lines.length; position += 1) {
      const lineNumber = job.firstLine + position;
      line.event = undefined;
      const parsed = parseJsonLine(lines[position] as string, parse);
      if (parsed === undefined) continue;
      if (!parsed.success) {
        const { file: _file, ...finding } = lineRejection('', lineNumber, parsed.error);
        rejections.push(finding);
        continue;
      }
      const account = line.event ? glasswallyAccount(line.event) : null;
      // An OTLP record carries several exchanges, a Langfuse span none.
      if (Array.isArray(parsed.value)) for (const exchange of parsed.value) take(exchange, null);
      else take(parsed.value as Exchange, account);
    }
    const spent = job.bytes.buffer as ArrayBuffer;
    if (job.compact) return encoder.finish(job.id, accounts, rejections, spent);
    return {
      batch: { kind: 'objects', id: job.id, exchanges, features, accounts, rejections, spent },
      transfer: [spent],
    };
  };
}
