import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Exchange, readExchanges } from '../../log/index.js';
import { createBatchingRecorder } from './exchange-recorder.js';
import { createJsonLinesExchangeSink } from './json-lines-exchange-sink.js';

const exchange = (index: number): Exchange => ({
  id: `ex_${index}`,
  ts: new Date(Date.UTC(2026, 1, 1, 0, 0, index)).toISOString(),
  account_id: `acct_${index % 3}`,
  ip: '198.51.100.7',
  endpoint: 'chat.completions',
  model: 'demo',
  request: { messages: [{ role: 'user', content: `question ${index}` }] },
  response: { input_tokens: 3, output_tokens: 5, stop_reason: 'stop', text: 'answer' },
  status: 200,
  latency_ms: 1.5,
});

test('records written through the batching recorder read back as a valid v1 log, in order', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-sink-'));
  try {
    const path = join(directory, 'exchanges.jsonl.gz');
    const recorder = createBatchingRecorder({
      sink: await createJsonLinesExchangeSink({ path }),
      maxBatch: 7,
    });
    for (let index = 0; index < 50; index += 1) recorder.record(exchange(index));
    assert.ok(recorder.pending > 0 || recorder.written > 0);
    await recorder.close();
    assert.equal(recorder.written, 50);
    const read: Exchange[] = [];
    for await (const each of readExchanges([path])) read.push(each);
    assert.deepEqual(
      read.map((each) => each.id),
      Array.from({ length: 50 }, (_, index) => `ex_${index}`),
    );
    assert.deepEqual(read[7], exchange(7));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('a failing sink keeps its batch for the next flush instead of dropping it', async () => {
  let fail = true;
  const written: Exchange[] = [];
  const errors: unknown[] = [];
  const recorder = createBatchingRecorder({
    sink: {
      version: 1,
      async writeBatch(batch) {
        if (fail) throw new Error('disk full');
        written.push(...batch);
      },
      count: async () => written.length,
      async close() {},
    },
    onError: (error) => errors.push(error),
  });
  recorder.record(exchange(1));
  recorder.record(exchange(2));
  await recorder.flush();
  assert.equal(errors.length, 1);
  assert.equal(recorder.pending, 2);
  fail = false;
  await recorder.close();
  assert.deepEqual(
    written.map((each) => each.id),
    ['ex_1', 'ex_2'],
  );
  assert.equal(recorder.failed, 1);
});

// issue 16, items 7 and 9.
for (const name of ['exchanges.jsonl', 'exchanges.jsonl.gz']) {
  test(`a restart appends to ${name}: 7 records, restart, 7 more → 14, all readable`, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'distillguard-sink-restart-'));
    try {
      const path = join(directory, name);
      for (const start of [0, 7]) {
        const sink = await createJsonLinesExchangeSink({ path });
        assert.equal(await sink.count(), start);
        await sink.writeBatch(Array.from({ length: 7 }, (_, index) => exchange(start + index)));
        assert.equal(await sink.count(), start + 7);
        await sink.close();
      }
      const read: string[] = [];
      for await (const each of readExchanges([path])) read.push(each.id);
      assert.deepEqual(
        read,
        Array.from({ length: 14 }, (_, index) => `ex_${index}`),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
}

test('a line cut by a crash stays one rejected line; the records after it are whole', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-sink-cut-'));
  try {
    const path = join(directory, 'exchanges.jsonl');
    await writeFile(path, `${JSON.stringify(exchange(0))}\n{"id":"ex_1","ts":`);
    const sink = await createJsonLinesExchangeSink({ path });
    await sink.writeBatch([exchange(2)]);
    await sink.close();
    const rejected: number[] = [];
    const read: string[] = [];
    for await (const each of readExchanges([path], { onReject: ({ line }) => rejected.push(line) }))
      read.push(each.id);
    assert.deepEqual(read, ['ex_0', 'ex_2']);
    assert.deepEqual(rejected, [2]);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('a lone surrogate in a request is stored as U+FFFD, and the line reads back', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-sink-surrogate-'));
  try {
    const path = join(directory, 'exchanges.jsonl');
    const sink = await createJsonLinesExchangeSink({ path });
    const poisoned = exchange(0);
    poisoned.request = { messages: [{ role: 'user', content: 'a\ud800b' }] };
    await sink.writeBatch([poisoned, exchange(1)]);
    await sink.close();
    const text = await readFile(path, 'utf8');
    assert.doesNotMatch(text, /\\ud800/);
    const read: Exchange[] = [];
    for await (const each of readExchanges([path])) read.push(each);
    assert.deepEqual(read[0]?.request, { messages: [{ role: 'user', content: 'a\ufffdb' }] });
    assert.equal(read.length, 2);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
