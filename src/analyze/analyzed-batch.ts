import type { PromptFeatures } from '../detect/prompt/prompt-features.js';
import type { AccountRecord, Exchange, ExchangeRequest } from '../log/exchange.js';
import type { LogFormat } from '../log/index.js';

/** Whole lines as raw bytes for an analysis worker (one read chunk; transferred, not copied). */
export interface LineBatch {
  id: number;
  /**
   * UTF-8 lines, each ending in `\n` except possibly the last line of a file: a view on a
   * buffer the worker hands back with its answer, so the reader reuses a few buffers.
   */
  bytes: Uint8Array;
  /** 1-based line number of the first line in `bytes`. */
  firstLine: number;
  format: LogFormat;
  /**
   * Answer with {@link ExchangeColumns} (only what the engine reads, as typed arrays) instead of
   * whole exchange and feature objects (which keep the text a peer matcher may sign).
   */
  compact: boolean;
  /**
   * Whole objects, but features as the engine reads them (no MinHash signature, the first LSH
   * band; see `createPromptAnalyzer`'s `lean`): a compact reader's batch that its own thread
   * analyses. Implied by `compact`.
   */
  lean?: boolean;
}

/** Account facts of a Glasswally event, for the exchange at `position` in its batch. */
export interface PositionedFacts {
  position: number;
  facts: Partial<AccountRecord>;
}

/** A rejected line of a batch: its number, why, and the code and format of a format hint. */
export interface LineFinding {
  line: number;
  reason: string;
  code?: string;
  format?: string;
}

/** What a worker found in one batch besides the exchanges themselves. */
interface BatchFindings {
  id: number;
  /** Account facts of the first event of each account in the batch (Glasswally; none for v1). */
  accounts: PositionedFacts[];
  rejections: LineFinding[];
  /** The batch's line buffer, handed back for reuse (transferred). */
  spent: ArrayBuffer;
}

/** A worker's answer with whole objects: accepted exchanges in line order with their features. */
export interface AnalyzedBatch extends BatchFindings {
  kind: 'objects';
  exchanges: Exchange[];
  features: PromptFeatures[];
}

/**
 * String fields as ids into the worker's string table, per exchange (-1: absent). The table
 * grows across batches: each answer carries the strings it adds, so a repeated account, address
 * or template crosses the thread boundary once, and the engine receives the same string instance
 * each time (its map lookups then hash it once).
 */
export const STRING_COLUMNS = [
  'account_id',
  'ip',
  'endpoint',
  'model',
  'api_key_id',
  'org_id',
  'user_agent',
  'tls_fingerprint',
  'header_order',
  'stop_reason',
  'language',
  'capability',
  'cues',
  'templateHash',
  'lshKey',
  'systemPromptHash',
  'toolSetHash',
] as const;

/** Number fields per exchange (NaN: absent; JSON has no NaN). */
export const NUMBER_COLUMNS = [
  'status',
  'latency_ms',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'input_tokens',
  'output_tokens',
  'reasoning_tokens',
  'key_epoch',
  'reasoningElicitation',
  'rubricGrading',
  'censorshipRewrite',
  'userTurns',
  'promptChars',
] as const;

/** Bits of the flags column. */
export const FLAG = {
  response: 1,
  hasImage: 2,
  hasTools: 4,
  stream: 8,
  streamValue: 16,
  watermark: 32,
} as const;

/** A worker's answer as columns: typed arrays transferred, strings as one joined string each. */
export interface ExchangeColumns extends BatchFindings {
  kind: 'columns';
  count: number;
  /** The worker's string table was cleared before this batch's strings were added (bounded). */
  resetStrings: boolean;
  /** Strings this batch adds to the table, joined; `addedEnds[k]` ends the k-th. */
  added: string;
  addedEnds: Uint32Array;
  /** Per exchange `id` then `ts` (unique, not interned), joined; ends as `addedEnds`. */
  fresh: string;
  freshEnds: Uint32Array;
  /** `count × STRING_COLUMNS.length` table ids, row by row. */
  strings: Int32Array;
  /** `count × NUMBER_COLUMNS.length`, row by row. */
  numbers: Float64Array;
  /** One byte of {@link FLAG} bits per exchange. */
  flags: Uint8Array;
  /**
   * Exchanges whose fields do not fit the columns (a `null` where a string or number was
   * expected, a `max_tokens` that is not a number, …): sent whole ({@link compactExchange}) so
   * the engine sees exactly what the one-thread path would. Their column rows are unused.
   */
  objects: { position: number; exchange: Exchange }[];
}

const BULKY_REQUEST_FIELDS = new Set(['messages', 'system', 'input', 'prompt', 'tools']);

/**
 * The exchange minus the prompt and answer text, which only the prompt analysers read: cloning
 * it back from a worker then costs a fraction of the full record. Only valid when features are
 * precomputed and no peer matcher signs the content.
 */
export function compactExchange(exchange: Exchange): Exchange {
  const request: ExchangeRequest = {};
  for (const field in exchange.request) {
    if (!BULKY_REQUEST_FIELDS.has(field)) request[field] = exchange.request[field];
  }
  const compact: Exchange = { ...exchange, request };
  if (exchange.response) {
    const { text: _text, ...response } = exchange.response;
    compact.response = response;
  }
  return compact;
}

export const NO_MINHASH = new Uint32Array(0);

/**
 * The features minus what the engine never reads (the MinHash signature, LSH bands after the
 * first): each signature is its own ArrayBuffer, and tens of thousands of them per second are
 * most of the cloning and garbage cost on the thread that runs the engine.
 */
export function compactFeatures(features: PromptFeatures): PromptFeatures {
  return {
    ...features,
    minhash: NO_MINHASH,
    lshKeys: features.lshKeys.length > 1 ? features.lshKeys.slice(0, 1) : features.lshKeys,
  };
}
