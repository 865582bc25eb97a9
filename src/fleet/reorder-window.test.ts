import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleExchange } from './exchange-bus.case.js';
import { createReorderWindow } from './reorder-window.js';

const at = (id: string, second: number) =>
  sampleExchange(id, new Date(Date.UTC(2026, 1, 2, 0, 0, second)).toISOString());

const cases: {
  name: string;
  windowMs: number;
  input: [string, number][];
  released: string[][];
  drained: string[];
  late: number;
}[] = [
  {
    name: 'in-order input passes through once the window has moved past it',
    windowMs: 2_000,
    input: [
      ['a', 0],
      ['b', 1],
      ['c', 2],
      ['d', 3],
    ],
    released: [[], [], ['a'], ['b']],
    drained: ['c', 'd'],
    late: 0,
  },
  {
    name: 'records out of order within the window come out in (ts, id) order',
    windowMs: 2_000,
    input: [
      ['c', 1],
      ['b', 0],
      ['a', 1],
      ['e', 4],
    ],
    released: [[], [], [], ['b', 'a', 'c']],
    drained: ['e'],
    late: 0,
  },
  {
    name: 'a record older than one already released is late: released at once, counted',
    windowMs: 1_000,
    input: [
      ['a', 0],
      ['b', 5],
      ['c', 7],
      ['old', 2],
    ],
    released: [[], ['a'], ['b'], ['old']],
    drained: ['c'],
    late: 1,
  },
  {
    name: 'a zero window releases everything up to the newest time',
    windowMs: 0,
    input: [
      ['a', 0],
      ['b', 0],
      ['c', 1],
    ],
    released: [['a'], ['b'], ['c']],
    drained: [],
    late: 0,
  },
];

for (const { name, windowMs, input, released, drained, late } of cases) {
  test(`reorder window: ${name}`, () => {
    const window = createReorderWindow({ windowMs });
    const out = input.map(([id, second]) =>
      window.push(at(id, second)).map((exchange) => exchange.id),
    );
    assert.deepEqual(out, released);
    assert.deepEqual(
      window.drain().map((exchange) => exchange.id),
      drained,
    );
    assert.equal(window.late, late);
    assert.equal(window.held, 0);
  });
}

test('reorder window: a late record takes the last released time, so the engine sees no step back', () => {
  const window = createReorderWindow({ windowMs: 1_000 });
  window.push(at('a', 0));
  window.push(at('b', 5));
  window.push(at('c', 7));
  const [late] = window.push(at('old', 2));
  assert.deepEqual([late?.id, late?.ts], ['old', at('b', 5).ts]);
});
