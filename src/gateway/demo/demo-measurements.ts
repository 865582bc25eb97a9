import { isRecord } from '../../shared/is-record.js';

const DIMENSIONS = 8;

/** The texts an embeddings request asks about (`input`: a string or an array of strings). */
function embeddingInputs(body: Record<string, unknown>): string[] {
  if (typeof body.input === 'string') return [body.input];
  if (Array.isArray(body.input))
    return body.input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  return [];
}

/**
 * The demo's OpenAI embeddings answer: a small deterministic vector per input, from the demo
 * model's token ids (not a semantic embedding: it only has the right shape).
 */
export function demoEmbeddings(
  body: Record<string, unknown>,
  encode: (text: string) => number[],
  modelName: string,
): unknown {
  let promptTokens = 0;
  const data = embeddingInputs(body).map((text, index) => {
    const ids = encode(text);
    promptTokens += ids.length;
    const vector = new Array<number>(DIMENSIONS).fill(0);
    for (const [position, id] of ids.entries())
      vector[(id + position) % DIMENSIONS] = (vector[(id + position) % DIMENSIONS] ?? 0) + 1;
    const norm = Math.hypot(...vector) || 1;
    const unit = vector.map((value) => value / norm);
    // The OpenAI SDK asks for base64 (little-endian float32) unless its caller chose a format.
    const embedding =
      body.encoding_format === 'base64'
        ? Buffer.from(new Float32Array(unit).buffer).toString('base64')
        : unit;
    return { object: 'embedding', index, embedding };
  });
  return {
    object: 'list',
    data,
    model: modelName,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
}

/** Every text of an Anthropic Messages body (system and each message's text parts). */
function messagesText(body: Record<string, unknown>): string {
  const texts: string[] = [];
  const add = (content: unknown) => {
    if (typeof content === 'string') texts.push(content);
    else if (Array.isArray(content))
      for (const part of content)
        if (isRecord(part) && typeof part.text === 'string') texts.push(part.text);
  };
  add(body.system);
  for (const message of Array.isArray(body.messages) ? body.messages : [])
    if (isRecord(message)) add(message.content);
  return texts.join('\n');
}

/** The demo's Anthropic count_tokens answer: the demo model's token count of the whole prompt. */
export function demoCountTokens(
  body: Record<string, unknown>,
  encode: (text: string) => number[],
): unknown {
  return { input_tokens: encode(messagesText(body)).length };
}
