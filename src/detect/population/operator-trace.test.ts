import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountState } from '../account-state.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import type { PromptFeatures } from '../prompt/prompt-features.js';
import { hasOperatorTrace } from './operator-trace.js';
import { createPopulationTracker } from './population-tracker.js';

/** Only the fields the tracker reads. */
const features = (toolSetHash: string | null) =>
  ({
    reasoningElicitation: 0,
    rubricGrading: 0,
    censorshipRewrite: 0,
    toolSetHash,
  }) as unknown as PromptFeatures;

const cases: {
  name: string;
  subnets: number;
  requests: number;
  tools: (i: number) => string | null;
  operator: boolean;
}[] = [
  {
    name: 'a homework student at home, no tools',
    subnets: 1,
    requests: 20,
    tools: () => null,
    operator: false,
  },
  {
    name: "an open-source agent's user: its one schema, one home network",
    subnets: 1,
    requests: 20,
    tools: () => 'oss-agent',
    operator: false,
  },
  {
    name: "an agent platform's job: a fixed set, another now and then",
    subnets: 1,
    requests: 20,
    tools: (i) => (i % 10 === 0 ? 'support' : 'jobs'),
    operator: false,
  },
  {
    name: 'a developer trying a new tool set every request, only four requests so far',
    subnets: 1,
    requests: 4,
    tools: (i) => `try-${i}`,
    operator: false,
  },
  {
    name: "a harvester's first hours: one residential exit, a new tool subset each request",
    subnets: 1,
    requests: 6,
    tools: (i) => `subset-${(i * 7) % 23}`,
    operator: true,
  },
  {
    name: 'a rotating residential proxy, no tools',
    subnets: 3,
    requests: 6,
    tools: () => null,
    operator: true,
  },
];

for (const { name, subnets, requests, tools, operator } of cases) {
  test(`operator trace: ${name} → ${operator ? 'trace' : 'none'}`, () => {
    const tracker = createPopulationTracker();
    const state = createAccountState(0, 'a');
    state.keysPerType[KEY_TYPE_INDEX.subnet] = subnets;
    for (let i = 0; i < requests; i += 1) {
      state.exchanges += 1;
      tracker.observe(state, features(tools(i)), i * 3600_000);
    }
    assert.equal(hasOperatorTrace(state, tracker), operator);
  });
}
