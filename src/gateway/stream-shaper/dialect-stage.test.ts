import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ReasoningMode } from '../shape-completion.js';
import { createAnthropicMessagesStage } from './anthropic-messages-stage.js';
import { createStreamTally, type StreamTally } from './create-stream-tally.js';
import { createTextMarks } from './create-text-marks.js';
import type { DialectStage, DialectStageOptions } from './dialect-stage.js';
import { formatSseFrame } from './format-sse-frame.js';
import { createOpenAiChatStage } from './openai-chat-stage.js';
import { createOpenAiResponsesStage } from './openai-responses-stage.js';
import { parseSseEvent } from './parse-sse-event.js';

type StageFactory = (options: DialectStageOptions) => DialectStage;

/** Events in (as objects), events out (the JSON payloads a stage emitted, '' for dropped ones). */
function runStage(create: StageFactory, reasoning: ReasoningMode, events: unknown[]) {
  const tally = createStreamTally();
  const stage = create({ reasoning, tally, marks: createTextMarks(undefined, tally) });
  const decode = (text: string) =>
    text
      .split('\n\n')
      .filter(Boolean)
      .map((event) => {
        const { data } = parseSseEvent(event);
        return data === '[DONE]' ? data : (JSON.parse(data) as unknown);
      });
  const out = events.map((value) => {
    const raw = formatSseFrame(null, value).slice(0, -2);
    const emitted = stage.event(raw, null, value as Record<string, unknown>);
    return emitted === '' ? '' : decode(emitted);
  });
  return { out, tally, stage, decode };
}

const counts = (tally: StreamTally) => ({
  outputTokens: tally.outputTokens,
  reasoningTokens: tally.reasoningTokens,
  stopReason: tally.stopReason,
  text: tally.text.join(''),
});

const chunk = (delta: Record<string, unknown>, finish: string | null = null) => ({
  id: 'c1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe('dialect stages (array in, array out)', () => {
  test('OpenAI chat: withheld reasoning leaves an empty delta; content and finish pass', () => {
    const { out, tally } = runStage(createOpenAiChatStage, 'withhold', [
      chunk({ reasoning_content: 'think' }),
      chunk({ content: 'Hi' }),
      chunk({}, 'stop'),
    ]);
    assert.deepEqual(out, [[chunk({})], [chunk({ content: 'Hi' })], [chunk({}, 'stop')]]);
    assert.deepEqual(counts(tally), {
      outputTokens: 2,
      reasoningTokens: 1,
      stopReason: 'stop',
      text: 'Hi',
    });
  });

  test('OpenAI chat: a cut ends with finish_reason length and [DONE]', () => {
    const { stage, tally, decode } = runStage(createOpenAiChatStage, 'pass', [
      chunk({ content: 'Hi' }),
    ]);
    assert.deepEqual(decode(stage.close()), [
      {
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'm',
        choices: [{ index: 0, delta: {}, finish_reason: 'length' }],
      },
      '[DONE]',
    ]);
    assert.equal(tally.stopReason, 'length');
  });

  test('Anthropic messages: a withheld thinking block shifts the text block to index 0', () => {
    const { out, tally } = runStage(createAnthropicMessagesStage, 'withhold', [
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'hm' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } },
      { type: 'message_stop' },
    ]);
    assert.deepEqual(out, [
      '',
      '',
      '',
      [{ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      [{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }],
      [{ type: 'content_block_stop', index: 0 }],
      [{ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 9 } }],
      [{ type: 'message_stop' }],
    ]);
    assert.deepEqual(counts(tally), {
      outputTokens: 2,
      reasoningTokens: 1,
      stopReason: 'end_turn',
      text: 'Hi',
    });
    assert.equal(tally.reportedOutputTokens, 9);
    assert.equal(tally.finished, true);
  });

  test('Anthropic messages: a cut closes the open block and stops with max_tokens', () => {
    const { stage, decode } = runStage(createAnthropicMessagesStage, 'pass', [
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
    ]);
    assert.deepEqual(decode(stage.close()), [
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens', stop_sequence: null },
        usage: { output_tokens: 1 },
      },
      { type: 'message_stop' },
    ]);
  });

  test('OpenAI responses: reasoning events are dropped unless passed; completed ends it', () => {
    const events = [
      { type: 'response.reasoning_summary_text.delta', delta: 'hm' },
      { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'Hi' },
      { type: 'response.completed', response: { id: 'r1', status: 'completed' } },
    ];
    const withheld = runStage(createOpenAiResponsesStage, 'withhold', events);
    assert.deepEqual(withheld.out, ['', [events[1]], [events[2]]]);
    assert.deepEqual(counts(withheld.tally), {
      outputTokens: 2,
      reasoningTokens: 1,
      stopReason: 'completed',
      text: 'Hi',
    });
    assert.equal(withheld.tally.finished, true);
    assert.deepEqual(runStage(createOpenAiResponsesStage, 'pass', events).out[0], [events[0]]);
  });

  test('OpenAI responses: a cut ends with response.incomplete carrying the usage so far', () => {
    const { stage, decode } = runStage(createOpenAiResponsesStage, 'pass', [
      { type: 'response.created', response: { id: 'r1', usage: { input_tokens: 5 } } },
      { type: 'response.output_text.delta', output_index: 0, content_index: 0, delta: 'Hi' },
    ]);
    assert.deepEqual(decode(stage.close()), [
      {
        type: 'response.incomplete',
        response: {
          id: 'r1',
          object: 'response',
          status: 'incomplete',
          incomplete_details: { reason: 'max_output_tokens' },
          output: [],
          usage: { input_tokens: 5, output_tokens: 1, total_tokens: 6 },
        },
      },
    ]);
  });

  const failures: [string, StageFactory, unknown][] = [
    [
      'OpenAI chat',
      createOpenAiChatStage,
      {
        error: {
          message: 'gone',
          type: 'server_error',
          param: null,
          code: 'upstream_stream_failed',
        },
      },
    ],
    [
      'Anthropic messages',
      createAnthropicMessagesStage,
      { type: 'error', error: { type: 'api_error', message: 'gone' } },
    ],
    [
      'OpenAI responses',
      createOpenAiResponsesStage,
      { type: 'error', code: 'upstream_error', message: 'gone', param: null, sequence_number: 0 },
    ],
  ];
  for (const [name, create, expected] of failures) {
    test(`${name}: a mid-stream failure is the dialect's error event`, () => {
      const { stage, decode } = runStage(create, 'pass', []);
      assert.deepEqual(decode(stage.fail('gone')), [expected]);
    });
  }
});
