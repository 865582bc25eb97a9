import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exchange } from '../../log/exchange.js';
import { createSimulation, loadScenario } from '../../simulate/index.js';
import { createDetectorScorer } from '../create-detector-scorer.js';
import { startHarness } from '../test-harness.js';
import { createDemoUpstream } from './create-demo-upstream.js';
import { replaySimulation } from './replay-simulation.js';

test('a simulation replayed through the gateway with the real engine: one record per exchange, client IPs kept', async () => {
  let now = 0;
  const scorer = createDetectorScorer();
  const harness = await startHarness({
    upstream: createDemoUpstream({ maxTokensCap: 2 }),
    accounts: [],
    gatewayOptions: { scorer, now: () => now, trustedProxies: ['127.0.0.1'] },
  });
  try {
    const simulation = createSimulation(await loadScenario('quickstart'), { seed: 2, scale: 0.02 });
    const sent: Exchange[] = [];
    const original = simulation.next.bind(simulation);
    simulation.next = () => {
      const event = original();
      if (event?.type === 'exchange') sent.push(event.exchange);
      return event;
    };
    const tally = await replaySimulation({
      simulation,
      gateway: harness.gateway,
      url: harness.url,
      setTime: (ms) => {
        now = Math.max(now, ms);
      },
      limit: 400,
    });
    await harness.settle();
    assert.equal(tally.exchanges, 400);
    assert.equal(harness.sink.exchanges.length, 400);
    const sum = tally.groups.reduce((total, group) => total + group.exchanges, 0);
    assert.equal(sum, 400);
    const byTime = harness.sink.exchanges.map((record) => record.ts);
    assert.deepEqual(byTime, [...byTime].sort(), 'records carry simulated, non-decreasing time');
    const replayed = sent.filter((exchange) => exchange.endpoint !== 'completions').slice(0, 400);
    assert.deepEqual(
      harness.sink.exchanges.map((record) => [record.account_id, record.ip]),
      replayed.map((exchange) => [exchange.account_id, exchange.ip]),
    );
    assert.ok(scorer.detector.verdicts().length > 0);
  } finally {
    await harness.close();
  }
});
