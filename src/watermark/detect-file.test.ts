import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDefaultLanguageModel } from '../language-model/index.js';
import { detectWatermarksInFile } from './detect-file.js';
import { createWatermarkKey } from './keys/watermark-key.js';
import { greenListScheme } from './token/watermark-scheme.js';

test('token_ids lines outside 0..2^32 − 1 are rejected as lines, the others tested', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'detect-file-'));
  const path = join(directory, 'ids.jsonl');
  const lines: [string, number[]][] = [
    ['fits', [1, 2, 3, 4294967295, 5]],
    ['too large', [1, 2, 4294967296]],
    ['negative', [1, -2, 3]],
    ['fraction', [1, 2.5, 3]],
  ];
  await writeFile(
    path,
    lines.map(([id, ids]) => JSON.stringify({ id, token_ids: ids })).join('\n'),
  );
  const detection = await detectWatermarksInFile(path, {
    keys: [createWatermarkKey('k', Buffer.alloc(32, 1))],
    scheme: greenListScheme(),
    tokenizer: loadDefaultLanguageModel(),
    text: false,
  });
  assert.equal(detection.records, 1);
  assert.equal(detection.rejectedLines, 3);
  assert.equal(detection.results[0]!.id, 'fits');
});
