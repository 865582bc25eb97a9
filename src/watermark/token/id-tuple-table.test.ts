import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSeededRandom } from '../../language-model/index.js';
import {
  createIdTupleTable,
  createTupleDeduplicator,
  finishHash,
  hashIds,
} from './id-tuple-table.js';

const random = createSeededRandom(11);
// Small ids (many repeats), ids beyond 2^32 and fractions: equality must stay exact for all.
const ids = Array.from({ length: 20000 }, () => {
  const draw = random();
  if (draw < 0.9) return Math.floor(random() * 12);
  if (draw < 0.95) return 4294967296 + Math.floor(random() * 3);
  return Math.floor(random() * 3) + 0.5;
});
const hashAt = (from: number, length: number) => finishHash(hashIds(ids, from, from + length));

for (const length of [1, 2, 3, 5]) {
  test(`table numbers tuples of ${length} as a Map of joined ids does`, () => {
    const table = createIdTupleTable(length);
    const reference = new Map<string, number>();
    for (let from = 0; from + length <= ids.length; from += 1) {
      const key = ids.slice(from, from + length).join(',');
      const entry = table.findOrAdd(ids, from, hashAt(from, length));
      const expected = reference.get(key);
      assert.equal(table.added, expected === undefined);
      if (expected === undefined) reference.set(key, entry);
      else assert.equal(entry, expected);
    }
    assert.equal(table.size, reference.size);
    table.clear();
    assert.equal(table.size, 0);
    assert.equal(table.findOrAdd(ids, 7, hashAt(7, length)), 0);
    assert.equal(table.added, true);
  });

  test(`deduplicator of ${length}-tuples agrees with a Set of joined ids`, () => {
    const isNew = createTupleDeduplicator(ids, length);
    const reference = new Set<string>();
    for (let from = 0; from + length <= ids.length; from += 1) {
      const key = ids.slice(from, from + length).join(',');
      assert.equal(isNew(from, hashAt(from, length)), !reference.has(key));
      reference.add(key);
    }
  });
}

test('a context hash extended by the token is the hash of the pair', () => {
  assert.equal(hashIds(ids, 4, 7), hashIds(ids, 6, 7, hashIds(ids, 4, 6)));
});
