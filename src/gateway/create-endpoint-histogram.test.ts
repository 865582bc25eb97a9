import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AggregatorRegistry, Histogram, Registry } from 'prom-client';
import { createEndpointHistogram } from './create-endpoint-histogram.js';

const BUCKETS = [0.001, 0.01, 0.1, 1];
const cases: { name: string; observations: [string, number][] }[] = [
  { name: 'no observation', observations: [] },
  {
    name: 'one endpoint, on and between bounds',
    observations: [
      ['chat.completions', 0.001],
      ['chat.completions', 0.005],
      ['chat.completions', 0.5],
    ],
  },
  {
    name: 'past the largest bound (only +Inf, sum, count)',
    observations: [
      ['messages', 7],
      ['messages', 0],
    ],
  },
  {
    name: 'several endpoints, interleaved',
    observations: [
      ['responses', 0.02],
      ['messages', 0.0004],
      ['responses', 0.2],
      ['embeddings', 1],
      ['messages', 3],
    ],
  },
];

for (const { name, observations } of cases) {
  test(`endpoint histogram renders and aggregates as prom-client's Histogram: ${name}`, async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({
      name: 'h_seconds',
      help: 'h.',
      labelNames: ['endpoint'],
      buckets: BUCKETS,
      registers: [theirs],
    });
    const histogram = createEndpointHistogram({
      registry: ours,
      name: 'h_seconds',
      help: 'h.',
      buckets: BUCKETS,
    });
    for (const [endpoint, value] of observations) {
      reference.observe({ endpoint }, value);
      histogram.observe(endpoint, value);
    }
    assert.equal(await ours.metrics(), await theirs.metrics());
    // A cluster's primary sums its workers' JSON: two workers of each kind give the same text.
    const twice = async (registry: Registry) => {
      const json = await registry.getMetricsAsJSON();
      return AggregatorRegistry.aggregate([json, json]).metrics();
    };
    assert.equal(await twice(ours), await twice(theirs));
    ours.resetMetrics();
    theirs.resetMetrics();
    assert.equal(await ours.metrics(), await theirs.metrics());
  });
}
