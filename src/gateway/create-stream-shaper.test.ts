import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createStreamShaper, type StreamShaperOptions } from './create-stream-shaper.js';

const data = (value: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof value === 'string' ? value : JSON.stringify(value)}\n\n`;
const chat = (delta: Record<string, unknown>, finish: string | null = null) =>
  data({
    id: 'c1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
const anthropic = (value: Record<string, unknown>) => data(value, String(value.type));

/** Runs a stream through a shaper in the given chunking; returns the parsed data payloads out. */
function run(options: StreamShaperOptions, input: string, chunkSize = Number.POSITIVE_INFINITY) {
  const shaper = createStreamShaper(options);
  let out = '';
  for (let index = 0; index < input.length; index += Math.min(chunkSize, input.length)) {
    out += shaper.push(input.slice(index, index + chunkSize));
  }
  const payloads = out
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      const line = event.split('\n').find((each) => each.startsWith('data: ')) ?? '';
      const text = line.slice(6);
      return text === '[DONE]' ? text : (JSON.parse(text) as Record<string, unknown>);
    });
  return { shaper, out, payloads };
}

const chatStream =
  chat({ role: 'assistant', content: '' }) +
  chat({ reasoning_content: 'think ' }) +
  chat({ content: 'Hello' }) +
  chat({ content: ' world' }) +
  chat({}, 'stop') +
  data('[DONE]');

describe('createStreamShaper', () => {
  for (const chunkSize of [1, 7, 64, Number.POSITIVE_INFINITY]) {
    test(`passes a chat stream through unchanged in ${chunkSize}-character chunks`, () => {
      const { out, shaper } = run(
        { endpoint: 'chat.completions', reasoning: 'pass', outputTokenBudget: null },
        chatStream,
        chunkSize,
      );
      assert.equal(out, chatStream);
      assert.deepEqual(shaper.response(), {
        input_tokens: 0,
        output_tokens: 3,
        stop_reason: 'stop',
        text: 'Hello world',
        reasoning_tokens: 1,
      });
    });
  }

  test('normalises CRLF framing', () => {
    const { shaper } = run(
      { endpoint: 'chat.completions', reasoning: 'pass', outputTokenBudget: null },
      chatStream.replace(/\n/g, '\r\n'),
    );
    assert.equal(shaper.response().text, 'Hello world');
  });

  test('withholds chat reasoning deltas', () => {
    const { payloads } = run(
      { endpoint: 'chat.completions', reasoning: 'withhold', outputTokenBudget: null },
      chatStream,
    );
    assert.ok(!JSON.stringify(payloads).includes('think'));
    assert.equal(payloads.length, 6);
  });

  test('cuts a chat stream at the budget with finish_reason length and [DONE]', () => {
    const { payloads, shaper } = run(
      { endpoint: 'chat.completions', reasoning: 'pass', outputTokenBudget: 2 },
      chatStream,
    );
    assert.equal(payloads.length, 5);
    assert.deepEqual(payloads[3], {
      id: 'c1',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: {}, finish_reason: 'length' }],
    });
    assert.equal(payloads[4], '[DONE]');
    assert.ok(shaper.cut && shaper.finished);
    assert.equal(shaper.response().stop_reason, 'length');
    assert.equal(shaper.push(chat({ content: 'late' })), '');
  });

  const messagesStream =
    anthropic({
      type: 'message_start',
      message: { id: 'm1', usage: { input_tokens: 9, output_tokens: 0 } },
    }) +
    anthropic({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'thinking', thinking: '' },
    }) +
    anthropic({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'thinking_delta', thinking: 'secret plan' },
    }) +
    anthropic({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta', signature: 'sig' },
    }) +
    anthropic({ type: 'content_block_stop', index: 0 }) +
    anthropic({
      type: 'content_block_start',
      index: 1,
      content_block: { type: 'text', text: '' },
    }) +
    anthropic({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'text_delta', text: 'Hi' },
    }) +
    anthropic({
      type: 'content_block_delta',
      index: 1,
      delta: { type: 'text_delta', text: ' there' },
    }) +
    anthropic({ type: 'content_block_stop', index: 1 }) +
    anthropic({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 3 },
    }) +
    anthropic({ type: 'message_stop' });

  test('withholds an Anthropic thinking block and renumbers the blocks after it', () => {
    const { payloads, shaper } = run(
      { endpoint: 'messages', reasoning: 'withhold', outputTokenBudget: null },
      messagesStream,
      5,
    );
    assert.ok(!JSON.stringify(payloads).includes('secret'));
    const indices = payloads
      .filter((payload) => typeof payload === 'object' && 'index' in payload)
      .map((payload) => (payload as { index: number }).index);
    assert.deepEqual(indices, [0, 0, 0, 0]);
    assert.deepEqual(shaper.response(), {
      input_tokens: 9,
      output_tokens: 3,
      stop_reason: 'end_turn',
      text: 'Hi there',
      reasoning_tokens: 1,
    });
  });

  test('summarises an Anthropic thinking block instead when asked', () => {
    const { payloads } = run(
      { endpoint: 'messages', reasoning: 'summarise', outputTokenBudget: null },
      messagesStream,
    );
    const thinking = payloads.find(
      (payload) =>
        typeof payload === 'object' && JSON.stringify(payload).includes('thinking_delta'),
    );
    assert.ok(thinking);
    assert.ok(!JSON.stringify(payloads).includes('signature_delta'));
  });

  test('cuts an Anthropic stream: closes the open block, max_tokens, message_stop', () => {
    const { payloads } = run(
      { endpoint: 'messages', reasoning: 'pass', outputTokenBudget: 2 },
      messagesStream,
    );
    const types = payloads.map((payload) => (typeof payload === 'object' ? payload.type : payload));
    assert.deepEqual(types, [
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    assert.deepEqual((payloads[8] as { delta: unknown }).delta, {
      stop_reason: 'max_tokens',
      stop_sequence: null,
    });
  });

  test('cuts a Responses stream with response.incomplete', () => {
    const stream =
      data(
        { type: 'response.created', response: { id: 'r1', status: 'in_progress' } },
        'response.created',
      ) +
      data({ type: 'response.output_text.delta', delta: 'a' }, 'response.output_text.delta') +
      data({ type: 'response.output_text.delta', delta: 'b' }, 'response.output_text.delta') +
      data(
        { type: 'response.completed', response: { id: 'r1', status: 'completed' } },
        'response.completed',
      );
    const { payloads, shaper } = run(
      { endpoint: 'responses', reasoning: 'pass', outputTokenBudget: 1 },
      stream,
    );
    assert.equal((payloads.at(-1) as { type: string }).type, 'response.incomplete');
    assert.equal(shaper.response().text, 'a');
  });

  test('fail() ends the stream with an error event in the dialect', () => {
    const shaper = createStreamShaper({
      endpoint: 'messages',
      reasoning: 'pass',
      outputTokenBudget: null,
    });
    assert.match(
      shaper.fail('stalled'),
      /^event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":"stalled"\}\}\n\n$/,
    );
    assert.equal(shaper.fail('again'), '');
  });
});
