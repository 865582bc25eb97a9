import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ExchangeRequest } from '../../log/exchange.js';
import { CAPABILITIES, type Capability, createPromptAnalyzer } from './index.js';

const analyzer = createPromptAnalyzer();
const user = (content: unknown): ExchangeRequest => ({
  messages: [{ role: 'user', content: content as string }],
});

const TEXT_ROWS: readonly (readonly [Capability, string])[] = [
  ['coding', 'Write a Python function that reverses a linked list.'],
  ['coding', '用Python写一个函数，实现快速排序算法。'],
  ['coding', 'Escribe una función en JavaScript que ordene un arreglo de números.'],
  ['coding', 'Напиши функцию на Python для сортировки списка.'],
  ['coding', 'Why does this crash?\n```js\nconst x = null;\nx.foo();\n```'],
  [
    'math_reasoning',
    'Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many clips did Natalia sell altogether in April and May?',
  ],
  ['math_reasoning', '计算方程 3x + 5 = 20 中 x 的值。'],
  ['math_reasoning', 'Реши уравнение 2x + 3 = 11.'],
  ['math_reasoning', '次の方程式を解いてください: x^2 - 4 = 0'],
  ['math_reasoning', "Résous l'équation 2x + 3 = 7."],
  ['creative_writing', 'Write a haiku about autumn leaves.'],
  ['creative_writing', '写一首关于春天的诗。'],
  ['creative_writing', 'Schreibe ein Gedicht über den Herbst.'],
  ['creative_writing', 'Escribe un cuento corto sobre un dragón que tenía miedo al fuego.'],
  ['translation', 'Translate the following sentence into French: The weather is nice today.'],
  ['translation', '把这句话翻译成英文：我爱你。'],
  ['translation', 'Переведи на английский: Привет, как дела?'],
  ['translation', 'この文を英語に翻訳してください。'],
  [
    'data_extraction',
    'Extract all named entities from the following text and return them as JSON.',
  ],
  ['data_extraction', '从下面的文本中提取所有人名和地名。'],
  ['data_extraction', 'Extrae las entidades del siguiente texto.'],
  [
    'rubric_grading',
    "You are an impartial judge. Evaluate the assistant's response on a scale of 1 to 10 using the rubric. Output only the score.",
  ],
  ['general_chat', 'Hi! How was your weekend?'],
  ['general_chat', 'How many people live in Paris?'],
  ['general_chat', '你好，今天过得怎么样？'],
  ['general_chat', 'Recommend a good book about the history of Rome.'],
];

const IMAGE_PART = { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } };
const STRUCTURE_ROWS: readonly (readonly [Capability, string, ExchangeRequest, Endpoint])[] = [
  [
    'vision',
    'OpenAI image part',
    user([{ type: 'text', text: 'What is in this picture?' }, IMAGE_PART]),
    'chat.completions',
  ],
  [
    'vision',
    'Anthropic image block',
    user([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
      { type: 'text', text: 'Describe it.' },
    ]),
    'messages',
  ],
  [
    'agentic_tool_use',
    'OpenAI tools',
    {
      ...user('Find flights to Lisbon.'),
      tools: [
        {
          type: 'function',
          function: {
            name: 'search_flights',
            parameters: { type: 'object', properties: { to: {} } },
          },
        },
      ],
    },
    'chat.completions',
  ],
  [
    'agentic_tool_use',
    'Anthropic tool_result turn',
    {
      messages: [
        { role: 'user', content: 'List the files.' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'ls', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'a.txt' }] },
      ],
    },
    'messages',
  ],
  [
    'computer_use',
    'Anthropic computer tool',
    {
      ...user([{ type: 'text', text: 'Open the settings page.' }, IMAGE_PART]),
      tools: [
        {
          type: 'computer_20250124',
          name: 'computer',
          display_width_px: 1024,
          display_height_px: 768,
        },
      ],
    },
    'messages',
  ],
  [
    'computer_use',
    'OpenAI responses computer_call_output',
    {
      input: [
        {
          type: 'computer_call_output',
          call_id: 'c1',
          output: { type: 'input_image', image_url: 'data:' },
        },
      ],
      tools: [{ type: 'computer_use_preview' }],
    },
    'responses',
  ],
];

describe('capability classification', () => {
  for (const [expected, text] of TEXT_ROWS) {
    it(`${expected}: ${text.slice(0, 50).replace(/\n/g, ' ')}`, () => {
      assert.equal(analyzer.analyze(user(text), 'chat.completions').capability, expected);
    });
  }
  for (const [expected, label, request, endpoint] of STRUCTURE_ROWS) {
    it(`${expected}: ${label}`, () => {
      assert.equal(analyzer.analyze(request, endpoint).capability, expected);
    });
  }

  it('has a row for every capability', () => {
    const seen = new Set([
      ...TEXT_ROWS.map((row) => row[0]),
      ...STRUCTURE_ROWS.map((row) => row[0]),
    ]);
    assert.deepEqual([...seen].sort(), [...CAPABILITIES].sort());
  });
});
