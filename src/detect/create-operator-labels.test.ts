import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountState } from './account-state.js';
import { createAccountMembership } from './create-account-membership.js';
import { createCampaignRegistry } from './create-campaign-registry.js';
import { createOperatorLabels } from './create-operator-labels.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';

const DAY = 86_400_000;
const CODING = 0;
const MATHS = 1;
const community = {
  accounts: [],
  hubs: [],
  families: new Set(['content' as const]),
  meanScore: 0.8,
};

/** Accounts of one operator: its task, sign-up procedure, schedule, client and sign-up week. */
interface Operator {
  capability: number;
  program: 'edu' | 'startup';
  hour: number;
  client: string;
  createdMs: number;
}
const CODER: Operator = {
  capability: CODING,
  program: 'startup',
  hour: 3,
  client: 'ua-a',
  createdMs: 0,
};
const TUTOR: Operator = {
  capability: MATHS,
  program: 'edu',
  hour: 15,
  client: 'ua-b',
  createdMs: 0,
};

function setUp() {
  const index = createLinkageIndex();
  const membership = createAccountMembership({ index, thresholds: DEFAULT_THRESHOLDS });
  const registry = createCampaignRegistry({ membership });
  const labels = createOperatorLabels({ accounts: membership.accounts, registry, index });
  const open = (id: string, operator: Operator): AccountState => {
    const state = membership.stateOf(id);
    state.exchanges = 30;
    state.firstMs = 10 * DAY;
    state.capabilities[operator.capability] = 30;
    state.hours[operator.hour] = 30;
    state.createdMs = operator.createdMs;
    state.record = {
      account_id: id,
      created_at: new Date(operator.createdMs).toISOString(),
      program: operator.program,
      verification: 'card',
    };
    state.keys.push(index.intern(KEY_TYPE_INDEX.user_agent, operator.client));
    return state;
  };
  return { registry, labels, open };
}

test('operator labels: two operators flagged as one campaign are labelled apart, flags untouched', () => {
  const { registry, labels, open } = setUp();
  const campaign = registry.create(community, 0);
  const coders = [0, 1, 2, 3].map((n) => open(`coder-${n}`, CODER));
  const tutors = [0, 1, 2].map((n) => open(`tutor-${n}`, TUTOR));
  for (const state of [...coders, ...tutors]) registry.flag(state, 11 * DAY, 'cluster', campaign);
  labels.relabel(true);
  assert.deepEqual(
    [...coders, ...tutors].map((state) => labels.labelOf(state)),
    [...coders.map(() => 'campaign-0001'), ...tutors.map(() => 'campaign-0001.2')],
  );
  assert.ok([...coders, ...tutors].every((state) => state.flaggedMs === 11 * DAY));
  assert.ok([...coders, ...tutors].every((state) => state.campaign === campaign));
});

test('operator labels: one operator stays its campaign; an unflagged account has no label', () => {
  const { registry, labels, open } = setUp();
  const campaign = registry.create(community, 0);
  const coders = [0, 1, 2, 3].map((n) => open(`coder-${n}`, CODER));
  for (const state of coders) registry.flag(state, 11 * DAY, 'cluster', campaign);
  const late = open('coder-late', CODER);
  labels.relabel(true);
  assert.deepEqual(
    coders.map((state) => labels.labelOf(state)),
    coders.map(() => 'campaign-0001'),
  );
  assert.equal(labels.labelOf(late), null);
});

test('operator labels: a pool flagged as resellers is one operator; a lone door keeps none', () => {
  const { registry, labels, open } = setUp();
  const pool = [0, 1, 2, 3, 4].map((n) => open(`pool-${n}`, CODER));
  const door = open('door', TUTOR);
  for (const state of [...pool, door]) registry.flag(state, 11 * DAY, 'reseller', -1);
  labels.relabel(true);
  assert.deepEqual(
    pool.map((state) => labels.labelOf(state)),
    pool.map(() => 'campaign-r0001'),
  );
  assert.equal(labels.labelOf(door), null);
});

test('operator labels: one operator varying schedule, client and sign-up week per account keeps one label', () => {
  const { registry, labels, open } = setUp();
  const campaign = registry.create(community, 0);
  const adaptive = [0, 1, 2, 3, 4, 5].map((n) =>
    open(`adaptive-${n}`, { ...CODER, hour: 2 + 3 * n, client: `ua-${n}`, createdMs: n * 4 * DAY }),
  );
  for (const state of adaptive) registry.flag(state, 11 * DAY, 'cluster', campaign);
  labels.relabel(true);
  assert.deepEqual(
    adaptive.map((state) => labels.labelOf(state)),
    adaptive.map(() => 'campaign-0001'),
  );
});
