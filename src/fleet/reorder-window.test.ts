import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sampleExchange } from './exchange-bus.case.js';
import { createReorderWindow } from './reorder-window.js';

const at = (id: string, second: number) =>
  sampleExchange(id, new Date(Date.UTC(2026, 1, 2) + Math.round(second * 1_000)).toISOString());

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

type Step = ['record', string | undefined, string, number] | ['mark', string, number];

const watermarkCases: { name: string; steps: Step[]; released: string[][] }[] = [
  {
    name: 'two publishers, one behind: a record is held until the late one’s watermark passes it',
    steps: [
      ['mark', 'B', 0.5],
      ['record', 'A', 'a', 1],
      ['mark', 'A', 2],
      ['record', 'B', 'b', 0.8],
      ['mark', 'B', 1],
      ['mark', 'B', 1.5],
    ],
    released: [[], [], [], [], ['b'], ['a']],
  },
  {
    name: 'a record at a watermark’s time is held: the watermark says nothing older, not nothing equal',
    steps: [
      ['mark', 'A', 1],
      ['record', 'A', 'a', 1],
      ['mark', 'A', 1],
      ['mark', 'A', 1.001],
    ],
    released: [[], [], [], ['a']],
  },
  {
    name: 'a silent publisher holds to the cap, then counts as gone and holds nothing',
    steps: [
      ['record', 'B', 'b', 1.1],
      ['record', 'A', 'a', 1],
      ['mark', 'A', 1.2],
      ['mark', 'A', 3],
      ['mark', 'A', 6.05],
      ['mark', 'A', 6.1],
      ['record', 'A', 'c', 6.2],
      ['mark', 'A', 6.3],
    ],
    released: [[], [], [], [], ['a'], ['b'], [], ['c']],
  },
  {
    name: 'a record without a publisher (a version-3 gateway) is held to the cap as before',
    steps: [
      ['record', undefined, 'a', 1],
      ['mark', 'A', 2],
      ['mark', 'A', 5.9],
      ['mark', 'A', 6],
    ],
    released: [[], [], [], ['a']],
  },
];

const run = (window: ReturnType<typeof createReorderWindow>, steps: Step[]): string[][] =>
  steps.map((step) =>
    (step[0] === 'record'
      ? window.push(at(step[2], step[3]), step[1])
      : window.mark(step[1], Date.UTC(2026, 1, 2) + Math.round(step[2] * 1_000))
    ).map((exchange) => exchange.id),
  );

for (const { name, steps, released } of watermarkCases) {
  test(`reorder window, watermarks: ${name}`, () => {
    assert.deepEqual(run(createReorderWindow({ windowMs: 5_000 }), steps), released);
  });
}

test('reorder window, watermarks: publishers gone by the liveness rule are forgotten', () => {
  const window = createReorderWindow({ windowMs: 5_000 });
  // Ten gateways that each published once and restarted under new ids, then one live gateway.
  const steps: Step[] = Array.from({ length: 10 }, (_, index): Step => ['mark', `old-${index}`, 1]);
  steps.push(['mark', 'A', 2], ['mark', 'A', 7]);
  run(window, steps);
  assert.deepEqual(
    (window.exportState().publishers ?? []).map(([id]) => id),
    ['A'],
  );
});

test('reorder window, watermarks: a replay, and a restore from exported state mid-way, release the same', () => {
  const steps = watermarkCases.flatMap((entry) => entry.steps);
  const live = run(createReorderWindow({ windowMs: 5_000 }), steps);
  assert.deepEqual(run(createReorderWindow({ windowMs: 5_000 }), steps), live);
  for (let cut = 1; cut < steps.length; cut += 1) {
    const first = createReorderWindow({ windowMs: 5_000 });
    const before = run(first, steps.slice(0, cut));
    const restored = createReorderWindow({ windowMs: 5_000 });
    restored.importState(structuredClone(first.exportState()));
    assert.deepEqual([...before, ...run(restored, steps.slice(cut))], live, `cut at ${cut}`);
  }
  // The snapshot carries the watermarks: a publisher behind still holds after a restore.
  const behind = createReorderWindow({ windowMs: 5_000 });
  const held: Step[] = [
    ['mark', 'B', 0.5],
    ['record', 'A', 'a', 1],
    ['mark', 'A', 2],
  ];
  run(behind, held);
  const restored = createReorderWindow({ windowMs: 5_000 });
  restored.importState(structuredClone(behind.exportState()));
  const bare = createReorderWindow({ windowMs: 5_000 });
  bare.importState({ ...structuredClone(behind.exportState()), publishers: [] });
  assert.deepEqual(run(restored, [['mark', 'A', 2.5]]), [[]]);
  assert.deepEqual(run(bare, [['mark', 'A', 2.5]]), [['a']]);
});
