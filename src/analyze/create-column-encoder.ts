import type { PromptFeatures } from '../detect/prompt/prompt-features.js';
import type { Exchange } from '../log/exchange.js';
import {
  compactExchange,
  type ExchangeColumns,
  FLAG,
  type LineFinding,
  NUMBER_COLUMNS,
  type PositionedFacts,
  STRING_COLUMNS,
} from './analyzed-batch.js';

const STRINGS = STRING_COLUMNS.length;
const NUMBERS = NUMBER_COLUMNS.length;

/** Worker side of the column transport: one per worker, fed batch after batch in order. */
export interface ColumnEncoder {
  /** Starts a batch of at most `capacity` exchanges. */
  begin(capacity: number): void;
  add(exchange: Exchange, features: PromptFeatures): void;
  /** The batch, and the buffers to transfer with it (they are the batch's own). */
  finish(
    id: number,
    accounts: PositionedFacts[],
    rejections: LineFinding[],
    spent: ArrayBuffer,
  ): { batch: ExchangeColumns; transfer: ArrayBuffer[] };
}

export interface ColumnEncoderOptions {
  /** Table size past which the next batch starts a fresh table (memory stays bounded). */
  maxStrings?: number;
}

/**
 * Encodes exchanges and their prompt features as {@link ExchangeColumns}: only the fields the
 * engine reads, so the thread that runs the engine builds small objects from typed arrays instead
 * of deserialising whole records. Decoded by {@link createColumnDecoder} on the receiving side,
 * batches in the order this encoder produced them.
 */
export function createColumnEncoder({
  maxStrings = 1 << 17,
}: ColumnEncoderOptions = {}): ColumnEncoder {
  const ids = new Map<string, number>();
  let added: string[] = [];
  let resetStrings = false;
  let fresh: string[] = [];
  let count = 0;
  let strings = new Int32Array(0);
  let numbers = new Float64Array(0);
  let flags = new Uint8Array(0);
  let objects: ExchangeColumns['objects'] = [];

  const intern = (value: string | null | undefined): number => {
    if (value === undefined || value === null) return -1;
    let id = ids.get(value);
    if (id === undefined) {
      id = ids.size;
      ids.set(value, id);
      added.push(value);
    }
    return id;
  };

  return {
    begin(capacity) {
      resetStrings = ids.size > maxStrings;
      if (resetStrings) ids.clear();
      added = [];
      fresh = [];
      count = 0;
      objects = [];
      strings = new Int32Array(capacity * STRINGS);
      numbers = new Float64Array(capacity * NUMBERS);
      flags = new Uint8Array(capacity);
    },

    add(exchange, features) {
      const position = count;
      count += 1;
      const s = position * STRINGS;
      const n = position * NUMBERS;
      fresh.push(exchange.id, exchange.ts);
      if (!fitsColumns(exchange)) {
        objects.push({ position, exchange: compactExchange(exchange) });
        strings.fill(-1, s, s + 10);
        numbers.fill(Number.NaN, n, n + 10);
      } else {
        const request = exchange.request;
        const response = exchange.response;
        const watermark = exchange.watermark;
        strings[s] = intern(exchange.account_id);
        strings[s + 1] = intern(exchange.ip);
        strings[s + 2] = intern(exchange.endpoint);
        strings[s + 3] = intern(exchange.model);
        strings[s + 4] = intern(exchange.api_key_id);
        strings[s + 5] = intern(exchange.org_id);
        strings[s + 6] = intern(exchange.user_agent);
        strings[s + 7] = intern(exchange.tls_fingerprint);
        strings[s + 8] = intern(exchange.header_order);
        strings[s + 9] = intern(response?.stop_reason);
        numbers[n] = exchange.status;
        numbers[n + 1] = exchange.latency_ms ?? Number.NaN;
        numbers[n + 2] = request.max_tokens ?? Number.NaN;
        numbers[n + 3] = request.max_completion_tokens ?? Number.NaN;
        numbers[n + 4] = request.temperature ?? Number.NaN;
        numbers[n + 5] = request.top_p ?? Number.NaN;
        numbers[n + 6] = response?.input_tokens ?? Number.NaN;
        numbers[n + 7] = response?.output_tokens ?? Number.NaN;
        numbers[n + 8] = response?.reasoning_tokens ?? Number.NaN;
        numbers[n + 9] = watermark?.key_epoch ?? Number.NaN;
        let bits = 0;
        if (response) bits |= FLAG.response;
        if (request.stream !== undefined)
          bits |= request.stream ? FLAG.stream | FLAG.streamValue : FLAG.stream;
        if (watermark) bits |= FLAG.watermark;
        flags[position] = bits;
      }
      strings[s + 10] = intern(features.language);
      strings[s + 11] = intern(features.capability);
      strings[s + 12] = intern(features.cues.join('\n'));
      strings[s + 13] = intern(features.templateHash);
      strings[s + 14] = intern(features.lshKeys[0]);
      strings[s + 15] = intern(features.systemPromptHash);
      strings[s + 16] = intern(features.toolSetHash);
      numbers[n + 10] = features.reasoningElicitation;
      numbers[n + 11] = features.rubricGrading;
      numbers[n + 12] = features.censorshipRewrite;
      numbers[n + 13] = features.userTurns;
      numbers[n + 14] = features.promptChars;
      if (features.hasImage) flags[position] = (flags[position] as number) | FLAG.hasImage;
      if (features.hasTools) flags[position] = (flags[position] as number) | FLAG.hasTools;
    },

    finish(id, accounts, rejections, spent) {
      const batch: ExchangeColumns = {
        kind: 'columns',
        id,
        accounts,
        rejections,
        spent,
        count,
        resetStrings,
        added: added.join(''),
        addedEnds: endsOf(added),
        fresh: fresh.join(''),
        freshEnds: endsOf(fresh),
        strings,
        numbers,
        flags,
        objects,
      };
      resetStrings = false;
      const transfer = [
        spent,
        batch.addedEnds.buffer,
        batch.freshEnds.buffer,
        strings.buffer,
        numbers.buffer,
        flags.buffer,
      ] as ArrayBuffer[];
      return { batch, transfer };
    },
  };
}

function endsOf(parts: string[]): Uint32Array {
  const ends = new Uint32Array(parts.length);
  let end = 0;
  for (let index = 0; index < parts.length; index += 1) {
    end += (parts[index] as string).length;
    ends[index] = end;
  }
  return ends;
}

const optionalString = (value: unknown) => value === undefined || typeof value === 'string';
const optionalNumber = (value: unknown) => value === undefined || typeof value === 'number';

/**
 * Whether every field the columns carry is absent or of its declared type. Anything else (a
 * `null`, a string `max_tokens`) travels whole, so the engine reads exactly what it would have.
 */
function fitsColumns(exchange: Exchange): boolean {
  const { request, response, watermark } = exchange;
  if (
    typeof exchange.account_id !== 'string' ||
    typeof exchange.ip !== 'string' ||
    typeof exchange.endpoint !== 'string' ||
    typeof exchange.model !== 'string' ||
    typeof exchange.status !== 'number' ||
    !optionalString(exchange.api_key_id) ||
    !optionalString(exchange.org_id) ||
    !optionalString(exchange.user_agent) ||
    !optionalString(exchange.tls_fingerprint) ||
    !optionalString(exchange.header_order) ||
    !optionalNumber(exchange.latency_ms) ||
    !optionalNumber(request.max_tokens) ||
    !optionalNumber(request.max_completion_tokens) ||
    !optionalNumber(request.temperature) ||
    !optionalNumber(request.top_p) ||
    (request.stream !== undefined && typeof request.stream !== 'boolean')
  ) {
    return false;
  }
  if (response !== undefined) {
    if (
      typeof response !== 'object' ||
      response === null ||
      !optionalNumber(response.input_tokens) ||
      !optionalNumber(response.output_tokens) ||
      !optionalNumber(response.reasoning_tokens) ||
      !optionalString(response.stop_reason)
    ) {
      return false;
    }
  }
  if (watermark !== undefined) {
    if (
      typeof watermark !== 'object' ||
      watermark === null ||
      watermark.level !== 'text' ||
      typeof watermark.key_epoch !== 'number'
    ) {
      return false;
    }
  }
  return true;
}
