import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AUTO_WORKERS_MIN_INPUT_BYTES,
  inputBytes,
  MAX_AUTO_WORKERS,
  resolveWorkers,
} from './resolve-workers.js';

const large = AUTO_WORKERS_MIN_INPUT_BYTES;
const cases: [string, number | 'auto', number, number, number][] = [
  ['a number is kept whatever the machine', 2, 1, 0, 2],
  ['0 stays 0', 0, 16, large, 0],
  ['auto on two cores, large input: one worker', 'auto', 2, large, 1],
  ['auto on one core: none', 'auto', 1, large, 0],
  ['auto on many cores: at most the cap', 'auto', 32, large, MAX_AUTO_WORKERS],
  ['auto, input just under the threshold: none', 'auto', 8, large - 1, 0],
  ['auto, input of unknown size: workers', 'auto', 4, Number.POSITIVE_INFINITY, 3],
];
for (const [name, workers, cores, bytes, expected] of cases) {
  test(`resolveWorkers: ${name}`, () => {
    assert.equal(resolveWorkers(workers, { cores, inputBytes: bytes }), expected);
  });
}

test('inputBytes sums the files, and a missing file counts as large', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-resolve-workers-'));
  try {
    await writeFile(join(directory, 'a'), 'x'.repeat(10));
    await writeFile(join(directory, 'b'), 'x'.repeat(5));
    assert.equal(await inputBytes([join(directory, 'a'), join(directory, 'b')]), 15);
    assert.equal(await inputBytes([join(directory, 'a'), join(directory, 'nope')]), Infinity);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
