import type { AccountRecord, Exchange, ExchangeRequest } from '../log/exchange.js';
import type { LogFormat } from '../log/read-exchanges.js';
import type { PromptFeatures } from './prompt/prompt-features.js';

/** Whole lines as raw bytes for an analysis worker (one read chunk; transferred, not copied). */
export interface LineBatch {
  id: number;
  /** UTF-8 lines, each ending in `\n` except possibly the last line of a file. */
  bytes: Uint8Array;
  /** 1-based line number of the first line in `bytes`. */
  firstLine: number;
  format: LogFormat;
  /** Drop what the engine does not read ({@link compactExchange}, {@link compactFeatures}). */
  compact: boolean;
}

/** A worker's answer: accepted exchanges in line order with their prompt features. */
export interface AnalyzedBatch {
  id: number;
  exchanges: Exchange[];
  features: PromptFeatures[];
  /** Per exchange: the account facts a Glasswally event carries, or null (log v1). */
  accounts: (Partial<AccountRecord> | null)[];
  rejections: { line: number; reason: string }[];
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

const NO_MINHASH = new Uint32Array(0);

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
