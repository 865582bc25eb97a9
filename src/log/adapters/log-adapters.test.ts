import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { LogFormat } from '../create-log-value-parser.js';
import type { Exchange } from '../exchange.js';
import { type LineRejection, readExchanges } from '../index.js';
import { UNKNOWN_IP } from './adapter-fields.js';
import heliconeRecords from './fixtures/helicone-export.json' with { type: 'json' };
import langfuseRecords from './fixtures/langfuse-export.json' with { type: 'json' };
import litellmRecords from './fixtures/litellm-spend-logs.json' with { type: 'json' };
import otelRecords from './fixtures/otel-genai-spans.json' with { type: 'json' };
import portkeyRecords from './fixtures/portkey-logs-export.json' with { type: 'json' };
import { resolveLogInput } from './resolve-log-input.js';

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-adapters-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function jsonLines(name: string, records: readonly unknown[]): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, `${records.map((value) => JSON.stringify(value)).join('\n')}\n`);
  return path;
}

async function read(path: string, format: LogFormat = 'auto') {
  const exchanges: Exchange[] = [];
  const rejections: LineRejection[] = [];
  for await (const exchange of readExchanges([path], {
    format,
    onReject: (rejection) => rejections.push(rejection),
  })) {
    exchanges.push(exchange);
  }
  return { exchanges, rejections };
}

interface AdapterCase {
  format: LogFormat;
  records: readonly unknown[];
  /** Exchange ids read from the fixture, in order. */
  ids: string[];
  /** Field values of the first exchange (dotted paths into it). */
  first: Record<string, unknown>;
  /** Line numbers rejected, each with a piece of its reason. */
  rejected: [line: number, reason: string][];
}

const cases: AdapterCase[] = [
  {
    format: 'litellm',
    records: litellmRecords,
    ids: ['chatcmpl-5f1c2a7e-0001', 'chatcmpl-5f1c2a7e-0002', 'chatcmpl-5f1c2a7e-0003'],
    first: {
      ts: '2026-03-02T09:15:00.250Z',
      account_id: 'cust-aurora',
      api_key_id: '6f3b1d0c9a8e7f2b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b',
      org_id: 'org-aurora',
      ip: '198.51.100.23',
      endpoint: 'chat.completions',
      model: 'gpt-4o',
      'request.messages.1.content': 'Work through it step by step: what is 17 times 23, and why?',
      'response.text': '17 x 23 = 17 x 20 + 17 x 3 = 340 + 51 = 391.',
      'response.input_tokens': 19,
      'response.output_tokens': 38,
      'response.stop_reason': 'stop',
      status: 200,
      latency_ms: 1500,
    },
    rejected: [[4, 'call_type `aembedding` is not a generation call']],
  },
  {
    format: 'portkey',
    records: portkeyRecords,
    ids: ['pk-log-91c0f7', 'pk-log-91c0f8'],
    first: {
      ts: '2026-03-02T10:00:00.000Z',
      account_id: 'cust-cygnus',
      ip: UNKNOWN_IP,
      endpoint: 'chat.completions',
      model: 'gpt-4o-mini',
      'request.max_tokens': 256,
      'request.messages.0.content': 'Rewrite this paragraph in a neutral tone.',
      'response.text': 'Here is a neutral version.',
      'response.input_tokens': 12,
      status: 200,
      latency_ms: 840,
    },
    rejected: [[3, 'portkey: no account']],
  },
  {
    format: 'helicone',
    records: heliconeRecords,
    ids: ['4b5e0c2a-8d1f-4e6b-9c3a-000000000001', '4b5e0c2a-8d1f-4e6b-9c3a-000000000002'],
    first: {
      ts: '2026-03-02T11:00:00.123Z',
      account_id: 'cust-eridanus',
      ip: UNKNOWN_IP,
      endpoint: 'chat.completions',
      model: 'gpt-4o',
      'request.temperature': 0.2,
      'response.text': '221 = 13 x 17, so it is not prime.',
      'response.output_tokens': 14,
      status: 200,
      latency_ms: 1400,
    },
    rejected: [[3, 'helicone: no account']],
  },
  {
    format: 'langfuse',
    records: langfuseRecords,
    ids: ['obs-lf-gen-1', 'trace-lf-2'],
    first: {
      ts: '2026-03-02T12:00:00.100Z',
      account_id: 'cust-hydra',
      ip: UNKNOWN_IP,
      model: 'gpt-4o-mini',
      'request.messages.0.role': 'system',
      'request.max_tokens': 200,
      'response.text': 'Unplug it for thirty seconds.',
      'response.input_tokens': 21,
      latency_ms: 1000,
    },
    rejected: [[3, 'langfuse: no account']],
  },
  {
    format: 'otel',
    records: otelRecords,
    ids: [
      '5b8efff798038103d269b633813fc60c:eee19b7ec3c1b174',
      '7c9f0000798038103d269b633813fc61:bbb19b7ec3c1b176',
    ],
    first: {
      ts: '2026-03-02T09:00:00.000Z',
      account_id: 'cust-lyra',
      ip: '203.0.113.44',
      user_agent: 'OpenAI/Python 1.54.0',
      endpoint: 'chat.completions',
      model: 'gpt-4o',
      'request.max_tokens': 300,
      'request.messages.0.content': 'Explain your reasoning step by step: why is the sky blue?',
      'response.text': 'Rayleigh scattering favours short wavelengths.',
      'response.output_tokens': 31,
      'response.stop_reason': 'stop',
      latency_ms: 1250,
    },
    rejected: [[2, 'otel: no account']],
  },
];

function at(value: unknown, path: string): unknown {
  let current = value;
  for (const key of path.split('.')) current = (current as Record<string, unknown>)?.[key];
  return current;
}

for (const { format, records, ids, first, rejected } of cases) {
  describe(`the ${format} adapter on its fixture`, () => {
    test('maps the fields of log v1 and rejects what it cannot map, by line', async () => {
      const path = await jsonLines(`${format}.jsonl`, records);
      const { exchanges, rejections } = await read(path);
      assert.deepEqual(
        exchanges.map((exchange) => exchange.id),
        ids,
      );
      for (const [field, expected] of Object.entries(first)) {
        assert.deepEqual(at(exchanges[0], field), expected, field);
      }
      assert.deepEqual(
        rejections.map((rejection) => rejection.line),
        rejected.map(([line]) => line),
      );
      for (const [index, [, reason]] of rejected.entries()) {
        assert.match(rejections[index]?.reason ?? '', new RegExp(reason.replace(/[`()]/g, '.')));
      }
    });

    test('is picked by auto-detection, as JSON Lines and as one JSON document', async () => {
      const lines = await jsonLines(`${format}-detect.jsonl`, records);
      assert.equal((await resolveLogInput(lines)).format, format);
      const document = join(directory, `${format}-document.json`);
      await writeFile(document, JSON.stringify({ data: records }, null, 2));
      assert.equal((await resolveLogInput(document)).container, 'document');
      const { exchanges } = await read(document);
      assert.deepEqual(
        exchanges.map((exchange) => exchange.id),
        ids,
      );
    });

    test('read as log v1 (--format v1), each line says what it looks like', async () => {
      const path = await jsonLines(`${format}-forced.jsonl`, records);
      const { exchanges, rejections } = await read(path, 'v1');
      assert.equal(exchanges.length, 0);
      const hinted = rejections.filter((rejection) => rejection.code === 'foreign_format');
      assert.ok(hinted.length >= ids.length - 1, `${hinted.length} hints`);
      for (const rejection of hinted) {
        assert.equal(rejection.format, format);
        assert.match(rejection.reason, new RegExp(`try --format ${format} \\(`));
      }
    });
  });
}

describe('format hints and forcing', () => {
  test('a LiteLLM row among log-v1 lines is rejected with a hint, the rest read', async () => {
    const v1 = {
      id: 'ex-1',
      ts: '2026-03-02T09:00:00.000Z',
      account_id: 'acct-1',
      ip: '192.0.2.1',
      endpoint: 'chat.completions',
      model: 'm',
      request: { messages: [{ role: 'user', content: 'hello there friend' }] },
      status: 200,
    };
    const path = await jsonLines('mixed.jsonl', [v1, litellmRecords[0], { ...v1, id: 'ex-2' }]);
    const { exchanges, rejections } = await read(path);
    assert.deepEqual(
      exchanges.map((exchange) => exchange.id),
      ['ex-1', 'ex-2'],
    );
    assert.equal(rejections.length, 1);
    assert.equal(rejections[0]?.line, 2);
    assert.equal(rejections[0]?.code, 'foreign_format');
    assert.match(
      rejections[0]?.reason ?? '',
      /^looks like a LiteLLM spend log: try --format litellm/,
    );
  });

  test('--format forces an adapter whatever the first lines look like', async () => {
    const path = await jsonLines('forced-helicone.jsonl', [{ note: 'header' }, ...heliconeRecords]);
    assert.equal((await resolveLogInput(path, 'helicone')).format, 'helicone');
    const { exchanges } = await read(path, 'helicone');
    assert.equal(exchanges.length, 2);
  });

  test('a file of something else is log v1 line by line: rejections, no hint', async () => {
    const path = await jsonLines('other.jsonl', [{ text: 'GET / HTTP/1.1', source: 'x' }]);
    assert.equal((await resolveLogInput(path)).format, 'auto');
    const { rejections } = await read(path);
    assert.equal(rejections.length, 1);
    assert.equal(rejections[0]?.code, undefined);
  });
});

describe('the other records of the fixtures', () => {
  // [fixture, exchange id, dotted field, expected]
  const fields: [LogFormat, readonly unknown[], string, string, unknown][] = [
    ['litellm', litellmRecords, 'chatcmpl-5f1c2a7e-0002', 'ip', UNKNOWN_IP],
    ['litellm', litellmRecords, 'chatcmpl-5f1c2a7e-0002', 'request.x_body_missing', true],
    ['litellm', litellmRecords, 'chatcmpl-5f1c2a7e-0002', 'model', 'claude-sonnet'],
    ['litellm', litellmRecords, 'chatcmpl-5f1c2a7e-0002', 'response.output_tokens', 80],
    ['litellm', litellmRecords, 'chatcmpl-5f1c2a7e-0003', 'status', 429],
    ['portkey', portkeyRecords, 'pk-log-91c0f8', 'endpoint', 'messages'],
    ['portkey', portkeyRecords, 'pk-log-91c0f8', 'status', 529],
    [
      'helicone',
      heliconeRecords,
      '4b5e0c2a-8d1f-4e6b-9c3a-000000000002',
      'endpoint',
      'completions',
    ],
    ['helicone', heliconeRecords, '4b5e0c2a-8d1f-4e6b-9c3a-000000000002', 'status', 500],
    ['langfuse', langfuseRecords, 'trace-lf-2', 'account_id', 'cust-indus'],
    [
      'langfuse',
      langfuseRecords,
      'trace-lf-2',
      'request.messages.0.content',
      'Summarise the attached minutes.',
    ],
    ['langfuse', langfuseRecords, 'trace-lf-2', 'latency_ms', 800],
    [
      'otel',
      otelRecords,
      '7c9f0000798038103d269b633813fc61:bbb19b7ec3c1b176',
      'endpoint',
      'messages',
    ],
    ['otel', otelRecords, '7c9f0000798038103d269b633813fc61:bbb19b7ec3c1b176', 'status', 500],
    [
      'otel',
      otelRecords,
      '7c9f0000798038103d269b633813fc61:bbb19b7ec3c1b176',
      'account_id',
      'cust-mensa',
    ],
    [
      'otel',
      otelRecords,
      '7c9f0000798038103d269b633813fc61:bbb19b7ec3c1b176',
      'request.messages.0.content',
      'Score this essay from 1 to 10.',
    ],
    [
      'otel',
      otelRecords,
      '7c9f0000798038103d269b633813fc61:bbb19b7ec3c1b176',
      'response.text',
      '7/10',
    ],
  ];
  for (const [format, records, id, field, expected] of fields) {
    test(`${format} ${id}: ${field}`, async () => {
      const path = await jsonLines(`${format}-fields.jsonl`, records);
      const { exchanges } = await read(path, format);
      const exchange = exchanges.find((item) => item.id === id);
      assert.ok(exchange, id);
      assert.deepEqual(at(exchange, field), expected);
    });
  }
});
