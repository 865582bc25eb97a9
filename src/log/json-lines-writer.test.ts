import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createJsonLinesWriter } from './json-lines-writer.js';

const directory = await mkdtemp(join(tmpdir(), 'distillguard-writer-'));
after(() => rm(directory, { recursive: true, force: true }));

// Enough varied records to cross several 1 MiB buffers and the gzip buffer; 1-, 2-, 3- and
// 4-byte UTF-8 characters; and lines larger than the buffer, alone and after buffered lines.
const records = Array.from({ length: 40_000 }, (_, index) => ({
  id: `ex_${index.toString(36)}`,
  text:
    index % 10_000 === 5_000
      ? `huge ${'中🙂'.repeat(200_000 + index)}`
      : `question ${index * 7919} ${'é中🙂'.repeat(index % 13)}`,
  omitted: undefined,
  tools: index % 3 === 0 ? [{ name: 'search', parameters: { q: index } }] : null,
}));
const expected = records.map((record) => `${JSON.stringify(record)}\n`).join('');

async function writeAll(path: string, gzipLevel?: number): Promise<Buffer> {
  const writer = await createJsonLinesWriter(path, gzipLevel === undefined ? {} : { gzipLevel });
  for (const record of records) {
    const pending = writer.write(record);
    if (pending) await pending;
  }
  await writer.close();
  assert.equal(writer.count, records.length);
  return readFile(path);
}

describe('createJsonLinesWriter', () => {
  it('writes JSON lines, gzip-compressed when the name ends in .gz', async () => {
    const plain = await writeAll(join(directory, 'nested', 'plain.jsonl'));
    assert.equal(plain.toString('utf8'), expected);
    const gzipped = await writeAll(join(directory, 'default.jsonl.gz'));
    assert.equal(gunzipSync(gzipped).toString('utf8'), expected);
  });

  it('is deterministic and honours the gzip level', async () => {
    const first = await writeAll(join(directory, 'a.jsonl.gz'));
    const second = await writeAll(join(directory, 'b.jsonl.gz'));
    assert.ok(first.equals(second));
    const explicit = await writeAll(join(directory, 'c.jsonl.gz'), 6);
    assert.ok(first.equals(explicit), 'the default is zlib level 6');
    const fastest = await writeAll(join(directory, 'd.jsonl.gz'), 1);
    const smallest = await writeAll(join(directory, 'e.jsonl.gz'), 9);
    assert.equal(gunzipSync(smallest).toString('utf8'), expected);
    assert.ok(smallest.length < fastest.length, `${smallest.length} < ${fastest.length}`);
  });
});
