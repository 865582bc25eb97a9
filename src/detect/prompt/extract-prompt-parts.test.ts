import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Endpoint, ExchangeRequest } from '../../log/exchange.js';
import { createPromptAnalyzer } from './index.js';

const analyzer = createPromptAnalyzer();

interface Expected {
  userTurns: number;
  promptChars: number;
  hasImage: boolean;
  hasTools: boolean;
  system: boolean;
}

const ROWS: readonly (readonly [string, ExchangeRequest, Endpoint, Expected])[] = [
  [
    'OpenAI chat, system + developer + string content',
    {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: 'No emojis.' },
        { role: 'user', content: 'Hello there' },
      ],
    },
    'chat.completions',
    { userTurns: 1, promptChars: 11, hasImage: false, hasTools: false, system: true },
  ],
  [
    'OpenAI chat, parts with an image, two user turns',
    {
      messages: [
        { role: 'user', content: 'abc' },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'defg' },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
      ],
    },
    'chat.completions',
    {
      userTurns: 2,
      promptChars: 'abc\n\ndefg'.length,
      hasImage: true,
      hasTools: false,
      system: false,
    },
  ],
  [
    'Anthropic messages, system blocks, tools, tool_result',
    {
      system: [{ type: 'text', text: 'You are an agent.' }],
      tools: [{ name: 'ls', input_schema: { type: 'object', properties: { path: {} } } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'List files' }] },
        { role: 'assistant', content: [{ type: 'tool_use', id: '1', name: 'ls', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: '1', content: 'secret.txt' }],
        },
      ],
    },
    'messages',
    {
      userTurns: 2,
      promptChars: 'List files'.length,
      hasImage: false,
      hasTools: true,
      system: true,
    },
  ],
  [
    'OpenAI responses, string input and instructions',
    { instructions: 'Talk like a pirate.', input: 'Are semicolons optional?' },
    'responses',
    { userTurns: 1, promptChars: 24, hasImage: false, hasTools: false, system: true },
  ],
  [
    'OpenAI responses, item array with input_text and input_image',
    {
      input: [
        { role: 'developer', content: 'Short answers.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:' },
          ],
        },
      ],
    },
    'responses',
    { userTurns: 1, promptChars: 13, hasImage: true, hasTools: false, system: true },
  ],
  [
    'legacy completions prompt string',
    { prompt: 'Once upon a time' },
    'completions',
    { userTurns: 1, promptChars: 16, hasImage: false, hasTools: false, system: false },
  ],
  [
    'legacy completions prompt array',
    { prompt: ['ab', 'cd'] },
    'completions',
    { userTurns: 2, promptChars: 6, hasImage: false, hasTools: false, system: false },
  ],
];

describe('request shapes', () => {
  for (const [label, request, endpoint, expected] of ROWS) {
    it(label, () => {
      const features = analyzer.analyze(request, endpoint);
      assert.equal(features.userTurns, expected.userTurns);
      assert.equal(features.promptChars, expected.promptChars);
      assert.equal(features.hasImage, expected.hasImage);
      assert.equal(features.hasTools, expected.hasTools);
      assert.equal(features.systemPromptHash !== null, expected.system);
    });
  }

  it('never throws on odd input and treats it as empty', () => {
    const odd: unknown[] = [
      null,
      undefined,
      42,
      'text',
      [],
      {},
      { messages: null },
      { messages: 'hi' },
      { messages: [null, 3, 'x', { role: 5 }, { role: 'user' }, { role: 'user', content: 7 }] },
      {
        messages: [
          { role: 'user', content: [null, 1, { type: 3 }, { text: 9 }, { type: 'text' }] },
        ],
      },
      { system: 12, tools: 'none', input: { a: 1 }, prompt: [1, null] },
      { tools: [null, 1, { function: null }, { name: 3, input_schema: { properties: [] } }] },
      {
        messages: [
          { role: 'user', content: [{ type: 'tool_result', content: [{ type: 'image' }] }] },
        ],
      },
    ];
    for (const request of odd) {
      for (const endpoint of [
        'chat.completions',
        'messages',
        'responses',
        'completions',
      ] as const) {
        const features = analyzer.analyze(request as ExchangeRequest, endpoint);
        assert.equal(typeof features.templateHash, 'string');
        assert.equal(features.minhash.length, 64);
        assert.ok(features.reasoningElicitation >= 0 && features.reasoningElicitation <= 1);
      }
    }
    const empty = analyzer.analyze({} as ExchangeRequest, 'chat.completions');
    assert.deepEqual(
      [empty.userTurns, empty.promptChars, empty.language, empty.lshKeys.length, empty.capability],
      [0, 0, 'und', 0, 'general_chat'],
    );
  });
});

describe('system prompt and tool set fingerprints', () => {
  const systemHash = (system: string) =>
    analyzer.analyze({ system, messages: [{ role: 'user', content: 'hi' }] }, 'messages')
      .systemPromptHash;

  it('ignores case, whitespace and digits (dates, counters) in system prompts', () => {
    assert.equal(
      systemHash('You are  Helpful.\nToday is 2026-02-01.'),
      systemHash('you are helpful. today is 2025-11-30.'),
    );
    assert.notEqual(systemHash('You are helpful.'), systemHash('You are harmless.'));
  });

  it('reads the same system prompt the same way in OpenAI and Anthropic shapes', () => {
    const openai = analyzer.analyze(
      {
        messages: [
          { role: 'system', content: 'Solve maths.' },
          { role: 'user', content: 'x' },
        ],
      },
      'chat.completions',
    );
    assert.equal(openai.systemPromptHash, systemHash('Solve maths.'));
  });

  const toolHash = (tools: unknown[]) =>
    analyzer.analyze({ tools, messages: [{ role: 'user', content: 'go' }] }, 'chat.completions')
      .toolSetHash;
  const search = {
    type: 'function',
    function: {
      name: 'search',
      description: 'Web search',
      parameters: { type: 'object', properties: { query: {}, limit: {} } },
    },
  };
  const fetchTool = {
    type: 'function',
    function: { name: 'fetch', parameters: { type: 'object', properties: { url: {} } } },
  };

  it('is order-insensitive, ignores descriptions, and matches across API shapes', () => {
    assert.equal(toolHash([search, fetchTool]), toolHash([fetchTool, search]));
    const reworded = {
      type: 'function',
      function: { ...search.function, description: 'Search the web' },
    };
    assert.equal(toolHash([reworded, fetchTool]), toolHash([search, fetchTool]));
    const anthropic = [
      { name: 'fetch', input_schema: { type: 'object', properties: { url: {} } } },
      {
        name: 'search',
        description: 'x',
        input_schema: { type: 'object', properties: { limit: {}, query: {} } },
      },
    ];
    assert.equal(toolHash(anthropic), toolHash([search, fetchTool]));
  });

  it('changes when a tool or a parameter changes, and is null without tools', () => {
    const renamed = {
      type: 'function',
      function: { name: 'search', parameters: { type: 'object', properties: { q: {} } } },
    };
    assert.notEqual(toolHash([renamed, fetchTool]), toolHash([search, fetchTool]));
    assert.notEqual(toolHash([search]), toolHash([search, fetchTool]));
    assert.equal(toolHash([]), null);
  });
});
