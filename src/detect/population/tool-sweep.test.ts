import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountState } from '../account-state.js';
import type { PromptFeatures } from '../prompt/prompt-features.js';
import { pooledContent, sweepsTools } from './pooled-content.js';
import { createPopulationTracker } from './population-tracker.js';

/** Only the fields the tracker reads; the rest of a real analysis does not matter here. */
const features = (toolSetHash: string | null) =>
  ({
    reasoningElicitation: 0,
    rubricGrading: 0,
    censorshipRewrite: 0,
    toolSetHash,
  }) as unknown as PromptFeatures;

const cases: { name: string; requests: (i: number) => string | null; sweep: boolean }[] = [
  {
    name: 'an open-source agent: its one tool schema every time',
    requests: () => 'oss',
    sweep: false,
  },
  {
    name: "an agent platform's job: one fixed set, a second one now and then",
    requests: (i) => (i % 10 === 0 ? 'support' : 'jobs'),
    sweep: false,
  },
  {
    name: 'a chat user who offers tools once in a while',
    requests: (i) => (i % 8 === 0 ? `set-${i}` : null),
    sweep: false,
  },
  {
    name: 'a harvest drawing 3–8 tools from one pool per request',
    requests: (i) => `subset-${(i * 7) % 23}`,
    sweep: true,
  },
];

for (const { name, requests, sweep } of cases) {
  test(`tool sweep: ${name} → ${sweep ? 'sweep' : 'application'}`, () => {
    const tracker = createPopulationTracker();
    const state = createAccountState(0, 'a');
    for (let i = 0; i < 40; i += 1) {
      state.exchanges += 1;
      tracker.observe(state, features(requests(i)), i * 60_000);
    }
    const pooled = pooledContent([state], tracker);
    assert.equal(sweepsTools(pooled.toolShare, pooled.toolSwitchShare), sweep);
  });
}

test('tool sweep: switches count changes from the previous tool request only', () => {
  const tracker = createPopulationTracker();
  const state = createAccountState(0, 'a');
  for (const hash of ['x', null, 'x', 'y', 'y', 'x']) tracker.observe(state, features(hash), 0);
  assert.equal(tracker.toolExchanges(0), 5);
  assert.equal(tracker.toolSwitches(0), 2);
});
