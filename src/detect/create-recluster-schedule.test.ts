import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createReclusterSchedule } from './create-recluster-schedule.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';

const TICK = 600_000;

/** A graph whose size the test sets, and clusterings that record their calls. */
function setUp(graphSize: number) {
  const calls: string[] = [];
  const populationTicks: number[] = [];
  const graph = {
    candidates: 0,
    changes: 0,
    settle() {
      this.changes = 0;
    },
  };
  const schedule = createReclusterSchedule({
    thresholds: DEFAULT_THRESHOLDS,
    clusterEveryMs: TICK,
    graph,
    cluster: {
      whole(tickMs) {
        calls.push(`whole@${tickMs / TICK}`);
        return graphSize;
      },
      unattached(tickMs) {
        calls.push(`unattached@${tickMs / TICK}`);
        return 1;
      },
      population(tickMs) {
        populationTicks.push(tickMs / TICK);
      },
    },
  });
  return { calls, populationTicks, graph, schedule };
}

test('recluster schedule: no clustering on a tick without graph changes; the population grouping runs on each', () => {
  const { calls, populationTicks, schedule } = setUp(0);
  for (let minute = 0; minute < 60; minute += 1) schedule.advance(minute * 60_000);
  assert.deepEqual(calls, []);
  assert.deepEqual(populationTicks, [1, 2, 3, 4, 5]);
  assert.equal(schedule.latestMs, 59 * 60_000);
});

test('recluster schedule: the population grouping runs alone only on ticks no clustering ran', () => {
  const { calls, populationTicks, graph, schedule } = setUp(3);
  schedule.advance(0);
  graph.candidates = 100;
  graph.changes = 1;
  schedule.advance(TICK); // whole clustering (it holds the population grouping)
  graph.changes = 1;
  schedule.advance(2 * TICK); // not due by growth or delay on a graph of 100: population alone
  assert.deepEqual(calls, ['whole@1']);
  assert.deepEqual(populationTicks, [2]);
});

test('recluster schedule: a whole clustering at the first tick past a change, then work pacing', () => {
  const { calls, graph, schedule } = setUp(3);
  schedule.advance(0);
  graph.candidates = 2;
  graph.changes = 2;
  schedule.advance(TICK + 5); // tick 1: due, no work owed yet
  assert.deepEqual(calls, ['whole@1']);
  assert.equal(graph.changes, 0);
  graph.changes = 1;
  graph.candidates = 3;
  schedule.advance(2 * TICK); // tick 2: one exchange since, the graph of 3 waits; unattached runs
  assert.deepEqual(calls, ['whole@1', 'unattached@2']);
  schedule.advance(2 * TICK + 1);
  schedule.advance(3 * TICK); // tick 3: three exchanges since the whole clustering
  assert.deepEqual(calls, ['whole@1', 'unattached@2', 'whole@3']);
});

test('recluster schedule: ticks follow event time, not the count of exchanges', () => {
  const { calls, graph, schedule } = setUp(0);
  schedule.advance(0);
  graph.changes = 1;
  graph.candidates = 1;
  schedule.advance(5 * TICK + 1); // a gap of five ticks is one tick, at the exchange's
  assert.deepEqual(calls, ['whole@5']);
  schedule.advance(5 * TICK + 2);
  assert.deepEqual(calls, ['whole@5']);
});
