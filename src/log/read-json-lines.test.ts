import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Result } from '../shared/distillguard-error.js';
import { type LineRejection, readJsonLineBatches, readJsonLines } from './read-json-lines.js';

const asRecord = (value: unknown): Result<unknown, string> => ({ success: true, value });

async function readAll(path: string, maxLineLength?: number) {
  const records: unknown[] = [];
  const rejections: LineRejection[] = [];
  const options = {
    onReject: (rejection: LineRejection) => rejections.push(rejection),
    ...(maxLineLength === undefined ? {} : { maxLineLength }),
  };
  for await (const record of readJsonLines(path, asRecord, options)) records.push(record);
  return { records, rejections };
}

describe('readJsonLines (lines found in bytes, decoded one by one)', () => {
  let directory = '';
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'dg-json-lines-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  // Multi-byte characters (2, 3 and 4 bytes) at every offset, over several 1 MiB chunks, so
  // that chunk boundaries fall inside characters and inside lines.
  const texts = ['é', '你好', 'ü😀', 'plain ascii', 'ثلاثة', '🧠 step by step'];
  const records = Array.from({ length: 90_000 }, (_, index) => ({
    index,
    text: `${'x'.repeat(index % 7)}${texts[index % texts.length]}${'y'.repeat(index % 13)}`,
  }));
  const body = records.map((record) => JSON.stringify(record)).join('\n');

  for (const [name, bytes] of [
    ['plain', Buffer.from(body, 'utf8')],
    ['gzip', gzipSync(body)],
  ] as const) {
    test(`${name}: every character survives chunk boundaries`, async () => {
      const path = join(directory, name === 'gzip' ? 'chars.jsonl.gz' : 'chars.jsonl');
      await writeFile(path, bytes);
      assert.ok(Buffer.byteLength(body) > 2 * (1 << 20), 'spans several chunks');
      const { records: read, rejections } = await readAll(path);
      assert.deepEqual(rejections, []);
      assert.deepEqual(read, records);
    });
  }

  test('batches hold at most 128 records, in order, with rejections counted by line', async () => {
    const path = join(directory, 'batches.jsonl');
    const lines = Array.from({ length: 1000 }, (_, index) =>
      index % 97 === 5 ? '{"broken":' : JSON.stringify({ index }),
    );
    await writeFile(path, lines.join('\n'));
    const sizes: number[] = [];
    const read: unknown[] = [];
    const rejected: number[] = [];
    const onReject = (rejection: LineRejection) => rejected.push(rejection.line);
    for await (const batch of readJsonLineBatches(path, asRecord, { onReject })) {
      sizes.push(batch.length);
      read.push(...batch);
    }
    assert.ok(Math.max(...sizes) <= 128, `batch sizes ${sizes.join(', ')}`);
    assert.deepEqual(
      read,
      lines.flatMap((line) => (line.endsWith(':') ? [] : [JSON.parse(line)])),
    );
    assert.deepEqual(
      rejected,
      lines.flatMap((line, index) => (line.endsWith(':') ? [index + 1] : [])),
    );
  });

  test('CRLF, blank and whitespace-only lines, and a last line without a newline', async () => {
    const path = join(directory, 'crlf.jsonl');
    await writeFile(path, '{"a":1}\r\n\r\n   \n\t\r\n{"a":"ü"}\r\n{"a":3}');
    const { records: read, rejections } = await readAll(path);
    assert.deepEqual(read, [{ a: 1 }, { a: 'ü' }, { a: 3 }]);
    assert.deepEqual(rejections, []);
  });

  test('the length limit counts characters, not bytes, wherever the line falls', async () => {
    const path = join(directory, 'limit.jsonl');
    const fits = JSON.stringify({ text: '你'.repeat(30) }); // 41 characters, 101 bytes
    const over = JSON.stringify({ text: 'a'.repeat(60) }); // 71 characters
    await writeFile(path, [fits, over, fits].join('\n'));
    const { records: read, rejections } = await readAll(path, 50);
    assert.equal(read.length, 2);
    assert.deepEqual(
      rejections.map((rejection) => [rejection.line, /longer than 50/.test(rejection.reason)]),
      [[2, true]],
    );
  });
});
