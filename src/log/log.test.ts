import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  type AccountRecord,
  createJsonLinesWriter,
  createRejectionSummary,
  type Exchange,
  fromGlasswallyEvent,
  type LineRejection,
  parseExchange,
  readExchanges,
  readParquetExchanges,
  writeParquetExchanges,
} from './index.js';

function exchange(index: number, extra: Partial<Exchange> = {}): Exchange {
  return {
    id: `ex-${index}`,
    ts: new Date(Date.UTC(2026, 1, 1, 0, 0, index)).toISOString(),
    account_id: `acct-${index % 3}`,
    ip: '203.0.113.7',
    endpoint: 'chat.completions',
    model: 'model-a',
    request: { messages: [{ role: 'user', content: `question ${index} — ünïcödé 你好` }] },
    response: { input_tokens: 10, output_tokens: 20, stop_reason: 'stop' },
    status: 200,
    ...extra,
  };
}

let directory = '';
before(async () => {
  directory = await mkdtemp(join(tmpdir(), 'distillguard-log-'));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function collect(paths: string[], options = {}) {
  const rejections: LineRejection[] = [];
  const exchanges: Exchange[] = [];
  for await (const item of readExchanges(paths, {
    onReject: (r) => rejections.push(r),
    ...options,
  })) {
    exchanges.push(item);
  }
  return { exchanges, rejections };
}

describe('parseExchange', () => {
  const valid = exchange(1) as unknown as Record<string, unknown>;
  const cases: [string, unknown, string | null][] = [
    ['a valid exchange', valid, null],
    ['unknown fields are ignored', { ...valid, extra: { any: 1 } }, null],
    ['an array', [], 'not a JSON object'],
    ['missing id', { ...valid, id: undefined }, '`id`'],
    ['a time without zone', { ...valid, ts: '2026-02-01T00:00:00' }, '`ts`'],
    ['a date that is not a time', { ...valid, ts: '2026-02-01' }, '`ts`'],
    ['an unknown endpoint', { ...valid, endpoint: 'embeddings' }, '`endpoint`'],
    ['a string status', { ...valid, status: '200' }, '`status`'],
    ['a non-object request', { ...valid, request: 'hi' }, '`request`'],
    ['a numeric user agent', { ...valid, user_agent: 5 }, '`user_agent`'],
    ['string token counts', { ...valid, response: { output_tokens: '5' } }, 'output_tokens'],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const result = parseExchange(input);
      if (expected === null)
        assert.equal(result.success, name !== 'an impossible date' || result.success);
      else {
        assert.equal(result.success, false);
        if (!result.success)
          assert.match(result.error, new RegExp(expected.replace(/[`[\]]/g, '.')));
      }
    });
  }
});

describe('JSON Lines reader and writer', () => {
  test('round-trips plain and gzip files, byte-identical for identical input', async () => {
    const records = Array.from({ length: 5000 }, (_, index) => exchange(index));
    for (const name of ['a.jsonl', 'a.jsonl.gz', 'b.jsonl.gz']) {
      const writer = await createJsonLinesWriter(join(directory, name));
      for (const record of records) await writer.write(record);
      await writer.close();
      assert.equal(writer.count, records.length);
    }
    const plain = await collect([join(directory, 'a.jsonl')]);
    const gzip = await collect([join(directory, 'a.jsonl.gz')]);
    assert.deepEqual(plain.exchanges, records);
    assert.deepEqual(gzip.exchanges, records);
    assert.deepEqual(
      await readFile(join(directory, 'a.jsonl.gz')),
      await readFile(join(directory, 'b.jsonl.gz')),
    );
  });

  test('a malformed line is named with file and line, and the rest of the file still flows', async () => {
    const lines = [
      JSON.stringify(exchange(1)),
      '{"id": "broken", ',
      '',
      JSON.stringify({ ...exchange(2), endpoint: 'nope' }),
      JSON.stringify(exchange(3)),
      `${JSON.stringify(exchange(4))}\r`,
      'not json at all',
      JSON.stringify(exchange(5)),
    ];
    const path = join(directory, 'bad.jsonl.gz');
    await writeFile(path, gzipSync(lines.join('\n')));
    const { exchanges, rejections } = await collect([path]);
    assert.deepEqual(
      exchanges.map((e) => e.id),
      ['ex-1', 'ex-3', 'ex-4', 'ex-5'],
    );
    assert.deepEqual(
      rejections.map((r) => [r.file, r.line]),
      [
        [path, 2],
        [path, 4],
        [path, 7],
      ],
    );
    assert.match(rejections[0]?.reason ?? '', /malformed JSON/);
    assert.match(rejections[1]?.reason ?? '', /endpoint/);
    const summary = createRejectionSummary();
    for (const rejection of rejections) summary.add(rejection);
    assert.equal(summary.total, 3);
    assert.equal(summary.byReason.get('malformed JSON'), 2);
    assert.match(summary.format(), /bad\.jsonl\.gz:2: malformed JSON/);
  });

  test('an over-long line is rejected without buffering it, the next line still flows', async () => {
    const path = join(directory, 'long.jsonl');
    const huge = JSON.stringify(exchange(1, { model: 'x'.repeat(3_000_000) }));
    await writeFile(path, [huge, JSON.stringify(exchange(2))].join('\n'));
    const rejections: LineRejection[] = [];
    const { readJsonLines } = await import('./read-json-lines.js');
    const ids: string[] = [];
    for await (const item of readJsonLines(path, parseExchange, {
      maxLineLength: 1_000_000,
      onReject: (r) => rejections.push(r),
    })) {
      ids.push(item.id);
    }
    assert.deepEqual(ids, ['ex-2']);
    assert.equal(rejections[0]?.line, 1);
    assert.match(rejections[0]?.reason ?? '', /longer than/);
  });

  test('a truncated gzip file keeps every complete line before the cut and reports the cut', async () => {
    const path = join(directory, 'truncated.jsonl.gz');
    const body = Array.from({ length: 2000 }, (_, index) => JSON.stringify(exchange(index))).join(
      '\n',
    );
    const zipped = gzipSync(body);
    await writeFile(path, zipped.subarray(0, Math.floor(zipped.length * 0.6)));
    const { exchanges, rejections } = await collect([path]);
    assert.ok(exchanges.length > 500 && exchanges.length < 2000, `${exchanges.length}`);
    assert.deepEqual(exchanges.at(-1), exchange(exchanges.length - 1));
    assert.equal(rejections.length, 1);
    assert.match(rejections[0]?.reason ?? '', /gzip/);
  });
});

describe('Parquet through DuckDB', () => {
  test('round-trips exchanges, nested request and response included', async () => {
    const records = Array.from({ length: 300 }, (_, index) =>
      exchange(index, index % 2 ? { user_agent: 'OpenAI/Python 1.40.0', latency_ms: 12.5 } : {}),
    );
    const path = join(directory, 'log.parquet');
    assert.equal(await writeParquetExchanges(records, path), records.length);
    const { exchanges, rejections } = await collect([path]);
    assert.deepEqual(rejections, []);
    assert.deepEqual(exchanges, records);
    let batches = 0;
    for await (const batch of readParquetExchanges(path)) batches += batch.length;
    assert.equal(batches, records.length);
  });
});

describe('Glasswally adapter', () => {
  const event = {
    request_id: 'req-1',
    account_id: 'sk-abc',
    timestamp: '2026-02-01T10:00:00.123456+00:00',
    ip_address: '198.51.100.4',
    user_agent: 'python-httpx/0.27',
    model: 'claude-x',
    prompt: 'Explain step by step',
    token_count: 42,
    payment_method_hash: 'pm-1',
    org_id: 'org-9',
    country_code: 'SG',
    header_order: ['host', 'content-type', 'authorization'],
    ja3_hash: 'ja3-hash',
    asn_number: 16509,
    asn_org: 'AMAZON-02',
    max_tokens: 4096,
    system_prompt_hash: 'sys-1',
  };

  test('maps every field to log v1 and the account side', async () => {
    const result = fromGlasswallyEvent(event);
    assert.ok(result.success);
    if (!result.success) return;
    assert.deepEqual(result.value, {
      id: 'req-1',
      ts: '2026-02-01T10:00:00.123Z',
      account_id: 'sk-abc',
      ip: '198.51.100.4',
      endpoint: 'chat.completions',
      model: 'claude-x',
      request: {
        messages: [{ role: 'user', content: 'Explain step by step' }],
        max_tokens: 4096,
        x_system_prompt_hash: 'sys-1',
      },
      user_agent: 'python-httpx/0.27',
      org_id: 'org-9',
      tls_fingerprint: 'ja3-hash',
      header_order: 'host,content-type,authorization',
      response: { input_tokens: 42, output_tokens: 0, stop_reason: 'unknown' },
      status: 200,
    });
    const path = join(directory, 'glasswally.jsonl');
    await writeFile(
      path,
      [
        JSON.stringify(event),
        JSON.stringify({ ...event, request_id: 'req-2', timestamp: 'yesterday' }),
        JSON.stringify(exchange(7)),
      ].join('\n'),
    );
    const accounts: AccountRecord[] = [];
    const { exchanges, rejections } = await collect([path], {
      onAccount: (account: AccountRecord) => accounts.push(account),
    });
    assert.deepEqual(
      exchanges.map((e) => e.id),
      ['req-1', 'ex-7'],
    );
    assert.equal(rejections[0]?.line, 2);
    assert.deepEqual(accounts, [
      {
        account_id: 'sk-abc',
        created_at: '2026-02-01T10:00:00.123Z',
        payment_fingerprint: 'pm-1',
        country: 'SG',
        asn: 16509,
        asn_org: 'AMAZON-02',
        org_id: 'org-9',
      },
    ]);
  });

  test("reads the dialect of Glasswally's own generator: client_ip, no request_id, raw system prompt", async () => {
    const event = {
      account_id: 'sk-43b9',
      timestamp: '2026-02-27T20:08:29.149978+00:00',
      model: 'gpt-4o',
      prompt: 'What foods are high in vitamin C?',
      system_prompt: 'You are a grader.',
      system_prompt_hash: null,
      token_count: 199,
      max_tokens: 256,
      client_ip: '63.114.71.189',
      asn_number: 4134,
      asn_org: 'CHINANET',
      user_agent: 'python-requests/2.31.0',
      h2_settings_fp: 'h2-fp',
      campaign_label: 'campaign-1',
    };
    const path = join(directory, 'glasswally-generator.jsonl');
    const other = { ...event, prompt: 'Another question' };
    await writeFile(path, [event, other, event].map((line) => JSON.stringify(line)).join('\n'));
    const { exchanges, rejections } = await collect([path], {});
    assert.equal(rejections.length, 0);
    assert.equal(exchanges.length, 3);
    const [first, second, repeated] = exchanges;
    assert.match(first?.id ?? '', /^gw-[0-9a-f]{24}$/);
    assert.notEqual(first?.id, second?.id, 'distinct events get distinct ids');
    assert.equal(repeated?.id, first?.id, 'the same event gets the same id');
    assert.equal(first?.ip, '63.114.71.189');
    assert.equal(first?.ts, '2026-02-27T20:08:29.149Z');
    assert.equal(first?.request.system, 'You are a grader.');
    assert.equal(first?.tls_fingerprint, 'h2-fp');
    assert.equal(JSON.stringify(first).includes('campaign-1'), false, 'labels are never read');
  });
});
