import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createTextWatermarkStage,
  createWatermarkKey,
  type TextWatermarkStage,
} from '../../watermark/index.js';
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

/** A stand-in stage that upper-cases words and, like the real one, holds back a partial word. */
function upperCaseStage(): TextWatermarkStage {
  let pending = '';
  return {
    push(chunk) {
      pending += chunk;
      const cut = pending.search(/\S*$/);
      const ready = pending.slice(0, cut);
      pending = pending.slice(cut);
      return ready.toUpperCase();
    },
    flush() {
      const rest = pending;
      pending = '';
      return rest.toUpperCase();
    },
    stats: () => ({ words: 0, candidates: 0, substitutions: 0, substitutionRate: 0 }),
  };
}

type Payload = Record<string, unknown> | string;
const objects = (payloads: Payload[]) =>
  payloads.filter((payload): payload is Record<string, unknown> => typeof payload === 'object');
const pieces = ['Hello', ' big', ' wide', ' world'];
const responsesEvent = (value: Record<string, unknown>) =>
  data({ sequence_number: 1, ...value }, String(value.type));
const streams = {
  'chat.completions': {
    stream:
      pieces.map((piece) => chat({ content: piece })).join('') + chat({}, 'stop') + data('[DONE]'),
    served: (payloads: Payload[]) =>
      objects(payloads)
        .map((payload) => {
          const choice = (payload.choices as { delta?: { content?: string } }[] | undefined)?.[0];
          return choice?.delta?.content ?? '';
        })
        .join(''),
    /** Where the text ends: the finish chunk (whose delta may carry the tail), then [DONE]. */
    endsCleanly: (payloads: Payload[]) =>
      payloads.at(-1) === '[DONE]' &&
      JSON.stringify(payloads.at(-2)).includes('"finish_reason":"stop"'),
  },
  messages: {
    stream:
      anthropic({ type: 'message_start', message: { id: 'm1', usage: { input_tokens: 1 } } }) +
      anthropic({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }) +
      pieces
        .map((text) =>
          anthropic({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
        )
        .join('') +
      anthropic({ type: 'content_block_stop', index: 0 }) +
      anthropic({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: {} }) +
      anthropic({ type: 'message_stop' }),
    served: (payloads: Payload[]) =>
      objects(payloads)
        .map((payload) => (payload.delta as { text?: string } | undefined)?.text ?? '')
        .join(''),
    endsCleanly: (payloads: Payload[]) => {
      const types = objects(payloads).map((payload) => payload.type);
      return (
        types.lastIndexOf('content_block_delta') < types.indexOf('content_block_stop') &&
        types.at(-1) === 'message_stop'
      );
    },
  },
  responses: {
    stream:
      responsesEvent({ type: 'response.created', response: { id: 'r1', output: [] } }) +
      pieces
        .map((delta) =>
          responsesEvent({
            type: 'response.output_text.delta',
            item_id: 'msg1',
            output_index: 0,
            content_index: 0,
            delta,
          }),
        )
        .join('') +
      responsesEvent({
        type: 'response.output_text.done',
        item_id: 'msg1',
        output_index: 0,
        content_index: 0,
        text: pieces.join(''),
      }) +
      responsesEvent({
        type: 'response.content_part.done',
        item_id: 'msg1',
        output_index: 0,
        content_index: 0,
        part: { type: 'output_text', text: pieces.join('') },
      }) +
      responsesEvent({
        type: 'response.output_item.done',
        output_index: 0,
        item: { type: 'message', content: [{ type: 'output_text', text: pieces.join('') }] },
      }) +
      responsesEvent({
        type: 'response.completed',
        response: {
          id: 'r1',
          status: 'completed',
          output: [{ type: 'message', content: [{ type: 'output_text', text: pieces.join('') }] }],
        },
      }),
    served: (payloads: Payload[]) =>
      objects(payloads)
        .filter((payload) => payload.type === 'response.output_text.delta')
        .map((payload) => payload.delta)
        .join(''),
    /** Every event that repeats the whole text carries the served one. */
    endsCleanly: (payloads: Payload[]) => {
      const served = 'HELLO BIG WIDE WORLD';
      const events = objects(payloads);
      const index = (type: string) => events.findIndex((payload) => payload.type === type);
      return (
        events.findLastIndex((payload) => payload.type === 'response.output_text.delta') <
          index('response.output_text.done') &&
        (events[index('response.output_text.done')] as { text?: string }).text === served &&
        JSON.stringify(events[index('response.content_part.done')]).includes(served) &&
        JSON.stringify(events[index('response.output_item.done')]).includes(served) &&
        JSON.stringify(events[index('response.completed')]).includes(served)
      );
    },
  },
} as const;

describe('createStreamShaper with a text watermark stage', () => {
  for (const [endpoint, { stream, served, endsCleanly }] of Object.entries(streams)) {
    for (const chunkSize of [1, 9, Number.POSITIVE_INFINITY]) {
      test(`${endpoint}, ${chunkSize}-character chunks: every word marked, tail before the end`, () => {
        const { payloads, shaper } = run(
          {
            endpoint: endpoint as keyof typeof streams,
            reasoning: 'withhold',
            outputTokenBudget: null,
            createWatermarkStage: upperCaseStage,
          },
          stream,
          chunkSize,
        );
        assert.equal(served(payloads), 'HELLO BIG WIDE WORLD');
        assert.equal(shaper.response().text, 'HELLO BIG WIDE WORLD');
        assert.equal(shaper.response().output_tokens, 4);
        assert.ok(endsCleanly(payloads), JSON.stringify(payloads));
      });
    }
  }

  const cuts = [
    { endpoint: 'chat.completions', last: 'length' },
    { endpoint: 'messages', last: 'message_stop' },
    { endpoint: 'responses', last: 'response.incomplete' },
  ] as const;
  for (const { endpoint, last } of cuts) {
    test(`${endpoint}: a budget cut flushes the held-back word before ending`, () => {
      const { payloads, shaper } = run(
        {
          endpoint,
          reasoning: 'pass',
          outputTokenBudget: 2,
          createWatermarkStage: upperCaseStage,
        },
        streams[endpoint].stream,
      );
      assert.equal(streams[endpoint].served(payloads), 'HELLO BIG');
      assert.equal(shaper.response().text, 'HELLO BIG');
      assert.ok(shaper.cut);
      assert.ok(
        JSON.stringify(payloads.at(endpoint === 'chat.completions' ? -2 : -1)).includes(last),
      );
    });
  }

  test('the real stage gives the same served text whatever the chunking', () => {
    const key = createWatermarkKey('k', new Uint8Array(32).fill(3));
    const text =
      'It is important to choose a big house. Maybe you should also try to buy it quickly, ' +
      'usually toward the whole end of the year, and often that is easy.';
    const whole = createTextWatermarkStage({ key });
    const expected = whole.push(text) + whole.flush();
    assert.notEqual(expected, text);
    const stream =
      text
        .split(/(?<= )/)
        .map((content) => chat({ content }))
        .join('') +
      chat({}, 'stop') +
      data('[DONE]');
    for (const chunkSize of [1, 13, Number.POSITIVE_INFINITY]) {
      const { payloads } = run(
        {
          endpoint: 'chat.completions',
          reasoning: 'pass',
          outputTokenBudget: null,
          createWatermarkStage: () => createTextWatermarkStage({ key }),
        },
        stream,
        chunkSize,
      );
      assert.equal(streams['chat.completions'].served(payloads), expected);
    }
  });

  test('without a stage the stream passes byte for byte', () => {
    const { out } = run(
      { endpoint: 'responses', reasoning: 'pass', outputTokenBudget: null },
      streams.responses.stream,
    );
    assert.equal(out, streams.responses.stream);
  });
});
