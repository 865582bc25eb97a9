import type { Capability } from '../detect/prompt/capability.js';
import type { PromptFeatures } from '../detect/prompt/prompt-features.js';
import type { Endpoint, Exchange } from '../log/exchange.js';
import {
  type ExchangeColumns,
  FLAG,
  NO_MINHASH,
  NUMBER_COLUMNS,
  STRING_COLUMNS,
} from './analyzed-batch.js';

const STRINGS = STRING_COLUMNS.length;
const NUMBERS = NUMBER_COLUMNS.length;
const NO_KEYS: string[] = [];

/** Receiving side of the column transport: one per worker, fed its batches in arrival order. */
export interface ColumnDecoder {
  decode(batch: ExchangeColumns): { exchanges: Exchange[]; features: PromptFeatures[] };
}

/**
 * Rebuilds what the engine reads from {@link ExchangeColumns} (see `createColumnEncoder`).
 * An exchange carries `id`, `ts`, `account_id`, `ip`, `endpoint`, `model`, `status`,
 * `latency_ms`, the optional identity and client strings, `watermark`, the request's
 * `max_tokens`, `max_completion_tokens`, `temperature`, `top_p`, `stream`, and the response's
 * token counts and `stop_reason`; absent optional fields are present as `undefined` (one object
 * shape for the engine). No prompt or answer text, no unknown fields. Features lack the MinHash
 * signature and the LSH bands after the first. Strings are shared between exchanges, and so are
 * the `cues` and `lshKeys` arrays: read-only.
 */
export function createColumnDecoder(): ColumnDecoder {
  let table: string[] = [];
  let cueLists: (string[] | undefined)[] = [];
  let keyLists: (string[] | undefined)[] = [];

  const cuesOf = (id: number): string[] => {
    let cues = cueLists[id];
    if (cues === undefined) {
      const joined = table[id] as string;
      cues = joined === '' ? [] : joined.split('\n');
      cueLists[id] = cues;
    }
    return cues;
  };
  const keysOf = (id: number): string[] => {
    if (id < 0) return NO_KEYS;
    let keys = keyLists[id];
    if (keys === undefined) {
      keys = [table[id] as string];
      keyLists[id] = keys;
    }
    return keys;
  };

  return {
    decode(batch) {
      if (batch.resetStrings) {
        table = [];
        cueLists = [];
        keyLists = [];
      }
      const { added, addedEnds, fresh, freshEnds, strings, numbers, flags, count } = batch;
      let start = 0;
      for (let index = 0; index < addedEnds.length; index += 1) {
        const end = addedEnds[index] as number;
        table.push(added.slice(start, end));
        start = end;
      }
      const text = (id: number): string | undefined => (id < 0 ? undefined : table[id]);
      const exchanges: Exchange[] = new Array(count);
      const features: PromptFeatures[] = new Array(count);
      for (let position = 0; position < count; position += 1) {
        const s = position * STRINGS;
        const n = position * NUMBERS;
        const bits = flags[position] as number;
        const freshStart = position === 0 ? 0 : (freshEnds[2 * position - 1] as number);
        const idEnd = freshEnds[2 * position] as number;
        const tsEnd = freshEnds[2 * position + 1] as number;
        const epoch = numbers[n + 9] as number;
        // Every field present (some `undefined`): one object shape for the engine's loads.
        exchanges[position] = {
          id: fresh.slice(freshStart, idEnd),
          ts: fresh.slice(idEnd, tsEnd),
          account_id: table[strings[s] as number],
          api_key_id: text(strings[s + 4] as number),
          org_id: text(strings[s + 5] as number),
          ip: table[strings[s + 1] as number],
          user_agent: text(strings[s + 6] as number),
          tls_fingerprint: text(strings[s + 7] as number),
          header_order: text(strings[s + 8] as number),
          endpoint: table[strings[s + 2] as number] as Endpoint,
          model: table[strings[s + 3] as number],
          request: {
            max_tokens: numberOf(numbers[n + 2] as number),
            max_completion_tokens: numberOf(numbers[n + 3] as number),
            temperature: numberOf(numbers[n + 4] as number),
            top_p: numberOf(numbers[n + 5] as number),
            stream: bits & FLAG.stream ? (bits & FLAG.streamValue) !== 0 : undefined,
          },
          response:
            bits & FLAG.response
              ? {
                  input_tokens: numberOf(numbers[n + 6] as number),
                  output_tokens: numberOf(numbers[n + 7] as number),
                  reasoning_tokens: numberOf(numbers[n + 8] as number),
                  stop_reason: text(strings[s + 9] as number),
                }
              : undefined,
          status: numbers[n] as number,
          latency_ms: numberOf(numbers[n + 1] as number),
          watermark: bits & FLAG.watermark ? { level: 'text', key_epoch: epoch } : undefined,
        } as Exchange;
        const systemPromptHash = strings[s + 15] as number;
        const toolSetHash = strings[s + 16] as number;
        features[position] = {
          language: table[strings[s + 10] as number] as string,
          reasoningElicitation: numbers[n + 10] as number,
          rubricGrading: numbers[n + 11] as number,
          censorshipRewrite: numbers[n + 12] as number,
          cues: cuesOf(strings[s + 12] as number),
          capability: table[strings[s + 11] as number] as Capability,
          userTurns: numbers[n + 13] as number,
          hasImage: (bits & FLAG.hasImage) !== 0,
          hasTools: (bits & FLAG.hasTools) !== 0,
          templateHash: table[strings[s + 13] as number] as string,
          minhash: NO_MINHASH,
          lshKeys: keysOf(strings[s + 14] as number),
          systemPromptHash: systemPromptHash < 0 ? null : (table[systemPromptHash] as string),
          toolSetHash: toolSetHash < 0 ? null : (table[toolSetHash] as string),
          promptChars: numbers[n + 14] as number,
        };
      }
      for (const { position, exchange } of batch.objects) exchanges[position] = exchange;
      return { exchanges, features };
    },
  };
}

function numberOf(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}
