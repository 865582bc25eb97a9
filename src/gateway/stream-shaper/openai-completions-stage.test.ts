import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createStreamShaper } from './create-stream-shaper.js';

const chunk = (text: string, finish: string | null = null, usage?: Record<string, number>) =>
  `data: ${JSON.stringify({
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model: 'm',
    choices: [{ index: 0, text, logprobs: null, finish_reason: finish }],
    ...(usage ? { usage } : {}),
  })}\n\n`;

const events = (text: string) =>
  text
    .split('\n\n')
    .filter(Boolean)
    .map((event) => {
      const data = event.replace(/^data: /, '');
      return data === '[DONE]'
        ? data
        : (JSON.parse(data) as { choices: { text: string; finish_reason: string | null }[] });
    });

test('legacy completions stream: text passes unchanged and is counted; usage and stop recorded', () => {
  const shaper = createStreamShaper({
    endpoint: 'completions',
    reasoning: 'pass',
    outputTokenBudget: null,
  });
  const input = [
    chunk('Once'),
    chunk(' upon'),
    chunk('', 'stop', { prompt_tokens: 3, completion_tokens: 2 }),
    'data: [DONE]\n\n',
  ];
  const out = input.map((piece) => shaper.push(piece)).join('');
  assert.equal(out, input.join(''));
  assert.equal(shaper.finished, true);
  assert.deepEqual(shaper.response(), {
    text: 'Once upon',
    input_tokens: 3,
    output_tokens: 2,
    stop_reason: 'stop',
  });
});

test('legacy completions stream: a spent budget ends it with finish_reason length and [DONE]', () => {
  const shaper = createStreamShaper({
    endpoint: 'completions',
    reasoning: 'pass',
    outputTokenBudget: 2,
  });
  const out = [chunk('a'), chunk('b'), chunk('c')].map((piece) => shaper.push(piece)).join('');
  const emitted = events(out);
  assert.deepEqual(
    emitted.map((event) =>
      event === '[DONE]' ? event : [event.choices[0]?.text, event.choices[0]?.finish_reason],
    ),
    [['a', null], ['b', null], ['', 'length'], '[DONE]'],
  );
  assert.equal(shaper.cut, true);
  assert.equal(shaper.response().stop_reason, 'length');
});
