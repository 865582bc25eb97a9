import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregatorRegistry, Counter, Registry } from 'prom-client';
import { createLabelledCounter, type LabelValue } from './create-labelled-counter.js';

type Inc = [number, LabelValue, LabelValue, LabelValue];
const cases: { name: string; increments: Inc[] }[] = [
  { name: 'no increment', increments: [] },
  {
    name: 'one series, summed',
    increments: [
      [1, 'chat.completions', 200, 'allow'],
      [1, 'chat.completions', 200, 'allow'],
      [3, 'chat.completions', 200, 'allow'],
    ],
  },
  {
    name: 'interleaved series keep their first-seen order',
    increments: [
      [1, 'responses', 200, 'allow'],
      [1, 'messages', 429, 'throttle'],
      [2, 'responses', 502, 'allow'],
      [1, 'messages', 429, 'throttle'],
      [7, 'responses', 200, 'allow'],
      [1, 'messages', 200, 'suspend'],
    ],
  },
  {
    name: 'values that need escaping',
    increments: [[1, 'chat.completions', 'a "quoted"\\value\n', 'allow']],
  },
  {
    name: 'zero and fractional increments',
    increments: [
      [0, 'messages', 200, 'allow'],
      [0.5, 'messages', 200, 'allow'],
      [0, 'responses', 200, 'allow'],
    ],
  },
];

for (const { name, increments } of cases) {
  test(`labelled counter renders and aggregates as prom-client's Counter: ${name}`, async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const labelNames = ['endpoint', 'status', 'action'];
    const reference = new Counter({ name: 'c_total', help: 'c.', labelNames, registers: [theirs] });
    const counter = createLabelledCounter({
      registry: ours,
      name: 'c_total',
      help: 'c.',
      labelNames,
    });
    for (const [value, endpoint, status, action] of increments) {
      // prom-client adds a zero increment as a series of 0; the request path never sends one.
      if (value > 0) reference.inc({ endpoint, status: String(status), action }, value);
      counter.inc(value, endpoint, status, action);
    }
    assert.equal(await ours.metrics(), await theirs.metrics());
    // Scraped twice: the sums are handed over again, not added to what was handed before.
    assert.equal(await ours.metrics(), await theirs.metrics());
    const twice = async (registry: Registry) => {
      const json = await registry.getMetricsAsJSON();
      return AggregatorRegistry.aggregate([json, json]).metrics();
    };
    assert.equal(await twice(ours), await twice(theirs));
    ours.resetMetrics();
    theirs.resetMetrics();
    assert.equal(await ours.metrics(), await theirs.metrics());
    counter.inc(2, 'messages', 200, 'allow');
    reference.inc({ endpoint: 'messages', status: '200', action: 'allow' }, 2);
    assert.equal(await ours.metrics(), await theirs.metrics());
  });
}

test('labelled counter ignores increments that are not finite and positive', async () => {
  const registry = new Registry();
  const counter = createLabelledCounter({
    registry,
    name: 'c_total',
    help: 'c.',
    labelNames: ['endpoint'],
  });
  for (const value of [Number.NaN, -1, Number.POSITIVE_INFINITY, 0]) counter.inc(value, 'x');
  assert.doesNotMatch(await registry.metrics(), /c_total\{/);
  counter.inc(1, 'x');
  assert.match(await registry.metrics(), /c_total\{endpoint="x"\} 1\n/);
});

test('labelled counter takes one to five labels', () => {
  const registry = new Registry();
  for (const labelNames of [[], ['a', 'b', 'c', 'd', 'e', 'f']])
    assert.throws(
      () => createLabelledCounter({ registry, name: 'c_total', help: 'c.', labelNames }),
      RangeError,
    );
  const counter = createLabelledCounter({
    registry,
    name: 'five_total',
    help: 'f.',
    labelNames: ['a', 'b', 'c', 'd', 'e'],
  });
  counter.inc(1, 1, 2, 3, 4, 5);
  counter.inc(1, 1, 2, 3, 4, 6);
  return registry.metrics().then((text) => {
    assert.match(text, /five_total\{a="1",b="2",c="3",d="4",e="5"\} 1\n/);
    assert.match(text, /five_total\{a="1",b="2",c="3",d="4",e="6"\} 1\n/);
  });
});
