import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistillguardError } from '../shared/distillguard-error.js';
import type { Exchange } from './exchange.js';
import { type ExchangeBatch, mergeExchangeSources } from './merge-exchange-sources.js';

const BASE = Date.parse('2026-03-01T00:00:00.000Z');

function exchange(id: string, seconds: number): Exchange {
  return { id, ts: new Date(BASE + seconds * 1000).toISOString() } as Exchange;
}

async function* batches(exchanges: Exchange[], size = 2): AsyncGenerator<ExchangeBatch<string>> {
  for (let start = 0; start < exchanges.length; start += size) {
    const slice = exchanges.slice(start, start + size);
    yield { exchanges: slice, extras: slice.map((item) => `extra-${item.id}`) };
  }
}

async function merge(files: Exchange[][], reorderWindowMs = 5000) {
  const ids: string[] = [];
  const extras: string[] = [];
  let duplicates = 0;
  const sources = files.map((exchanges, index) => ({
    file: `f${index}`,
    batches: batches(exchanges),
  }));
  for await (const batch of mergeExchangeSources(sources, {
    reorderWindowMs,
    onDuplicate: () => {
      duplicates += 1;
    },
  })) {
    ids.push(...batch.exchanges.map((item) => item.id));
    extras.push(...(batch.extras ?? []));
  }
  return { ids: ids.join(' '), extras, duplicates };
}

test('mergeExchangeSources: time order, id as tie-break, companions kept with their exchange', async () => {
  const cases: [string, Exchange[][], string, number][] = [
    ['one sorted file', [[exchange('a', 0), exchange('b', 1), exchange('c', 9)]], 'a b c', 0],
    [
      'disorder within the window',
      [[exchange('b', 3), exchange('a', 0), exchange('c', 4)]],
      'a b c',
      0,
    ],
    ['equal times by id', [[exchange('z', 1), exchange('y', 1), exchange('x', 1)]], 'x y z', 0],
    [
      'two interleaved files',
      [
        [exchange('a', 0), exchange('c', 20), exchange('e', 40)],
        [exchange('b', 10), exchange('d', 30), exchange('f', 50)],
      ],
      'a b c d e f',
      0,
    ],
    [
      'duplicates within and across files',
      [
        [exchange('a', 0), exchange('a', 0), exchange('b', 60)],
        [exchange('a', 0), exchange('b', 60)],
      ],
      'a b',
      3,
    ],
    ['an empty file beside another', [[], [exchange('a', 0)]], 'a', 0],
  ];
  for (const [name, files, expected, duplicates] of cases) {
    const result = await merge(files);
    assert.equal(result.ids, expected, name);
    assert.equal(result.duplicates, duplicates, name);
    assert.deepEqual(
      result.extras,
      result.ids.split(' ').map((id) => `extra-${id}`),
      name,
    );
  }
});

test('mergeExchangeSources: disorder beyond the window is log_out_of_order, naming file and exchange', async () => {
  await assert.rejects(
    merge([[exchange('a', 0)], [exchange('b', 0), exchange('c', 10), exchange('d', 4)]]),
    (error: unknown) =>
      DistillguardError.is(error) &&
      error.code === 'log_out_of_order' &&
      error.message.startsWith('f1: exchange 3 (id d,') &&
      error.message.includes('6.0 s older'),
  );
  // The same step back passes with a wider window.
  const wide = await merge([[exchange('b', 0), exchange('c', 10), exchange('d', 4)]], 7000);
  assert.equal(wide.ids, 'b d c');
});
