import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { isRecord } from '../../shared/is-record.js';
import { createLogValueParser, type LogFormat } from '../create-log-value-parser.js';
import type { Exchange } from '../exchange.js';
import { type LineRejection, lineRejection } from '../read-json-lines.js';
import type { GlasswallyEvent } from './glasswally.js';
import { formatOfRecords } from './resolve-log-input.js';

/** A document larger than this is refused: JSON.parse holds it whole (JSON Lines streams). */
const MAX_DOCUMENT_BYTES = 512 * 1024 * 1024;
const BATCH = 4096;

/**
 * Streams the exchanges of one JSON document: an array of records, an API page (`{ data: […] }`,
 * as Langfuse's and Helicone's APIs answer) or one record (an OTLP export). A record that is
 * rejected is reported with its 1-based position in the document as its `line`.
 */
export async function* readJsonDocumentBatches(
  path: string,
  format: LogFormat,
  {
    onReject,
    onGlasswally,
  }: {
    onReject?: ((rejection: LineRejection) => void) | undefined;
    onGlasswally?: ((event: GlasswallyEvent, exchange: Exchange) => void) | undefined;
  } = {},
): AsyncGenerator<Exchange[]> {
  const { size } = await stat(path);
  if (size > MAX_DOCUMENT_BYTES) {
    throw new DistillguardError(
      'input_too_large',
      `${path} is one JSON document of ${size} bytes: convert it to JSON Lines (e.g. jq -c '.[]') and analyze that`,
      { file: path },
    );
  }
  const bytes = await readFile(path);
  let document: unknown;
  try {
    document = JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch (error) {
    onReject?.({
      file: path,
      line: 1,
      reason: `malformed JSON document (${(error as Error).message})`,
    });
    return;
  }
  const records = Array.isArray(document)
    ? document
    : isRecord(document) && Array.isArray(document.data)
      ? document.data
      : [document];
  const effective = format === 'auto' ? formatOfRecords(records.slice(0, 5)) : format;
  const parse = createLogValueParser(effective, onGlasswally);
  let batch: Exchange[] = [];
  for (let index = 0; index < records.length; index += 1) {
    const parsed = parse(records[index]);
    if (!parsed.success) {
      onReject?.(lineRejection(path, index + 1, parsed.error));
      continue;
    }
    if (Array.isArray(parsed.value)) batch.push(...parsed.value);
    else batch.push(parsed.value as Exchange);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
