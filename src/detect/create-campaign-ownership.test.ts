import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAccountMembership } from './create-account-membership.js';
import { createCampaignOwnership } from './create-campaign-ownership.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';

const T = KEY_TYPE_INDEX;

function setUp() {
  const index = createLinkageIndex();
  const membership = createAccountMembership({ index, thresholds: DEFAULT_THRESHOLDS });
  const ownership = createCampaignOwnership({
    index,
    thresholds: DEFAULT_THRESHOLDS,
    accounts: membership.accounts,
    evasionNumber: () => -1,
  });
  const keys = {
    systemPrompt: index.intern(T.system_prompt, 'sys-1'),
    template: index.intern(T.template, 'tpl-1'),
    payment: index.intern(T.payment_fingerprint, 'pay-1'),
    ip: index.intern(T.ip, '203.0.113.7'),
  };
  ownership.widen();
  return { index, membership, ownership, keys };
}

test('campaign ownership: the strongest hub wins; reset forgets; widen keeps', () => {
  const { index, ownership, keys } = setUp();
  assert.deepEqual([...ownership.owners], [-1, -1, -1, -1]);
  ownership.lend([keys.systemPrompt, keys.ip], 0, new Map([[keys.systemPrompt, 0.6]]));
  ownership.lend([keys.systemPrompt], 1, new Map([[keys.systemPrompt, 0.3]]));
  assert.equal(ownership.owners[keys.systemPrompt], 0);
  assert.equal(ownership.owners[keys.ip], -1); // a hub of weight 0 lends nothing
  ownership.lend([keys.systemPrompt], 1, new Map([[keys.systemPrompt, 0.9]]));
  assert.equal(ownership.owners[keys.systemPrompt], 1);
  const newer = index.intern(T.ip, '203.0.113.8');
  ownership.widen();
  assert.equal(ownership.owners.length, 5);
  assert.equal(ownership.owners[keys.systemPrompt], 1);
  assert.equal(ownership.owners[newer], -1);
  ownership.reset();
  assert.deepEqual([...ownership.owners], [-1, -1, -1, -1, -1]);
});

test('campaign ownership: traffic is attributed by authored content, not public templates', () => {
  const { index, membership, ownership, keys } = setUp();
  const weights = new Map([
    [keys.systemPrompt, 0.6],
    [keys.template, 0.5],
  ]);
  ownership.lend([keys.systemPrompt, keys.template], 0, weights);
  assert.equal(ownership.contentOwner([keys.template]), -1);
  assert.equal(ownership.contentOwner([keys.template, keys.systemPrompt]), 0);
  assert.equal(ownership.ownerIsStock, false);
  // Two members of another campaign send the same system prompt: a stock prompt.
  for (const id of ['x', 'y']) {
    const state = membership.stateOf(id);
    state.campaign = 1;
    index.addMember(keys.systemPrompt, state.index, 0);
  }
  ownership.markSharedAuthored([
    { accounts: [], hubs: [keys.systemPrompt], families: new Set(), meanScore: 0 },
  ]);
  assert.equal(ownership.contentOwner([keys.systemPrompt]), 0);
  assert.equal(ownership.ownerIsStock, true);
});

test('campaign ownership: a card two members carry names its campaign', () => {
  const { membership, ownership, keys } = setUp();
  ownership.lend([keys.payment], 2, new Map([[keys.payment, 3]]));
  const a = membership.stateOf('a');
  const b = membership.stateOf('b');
  a.keys.push(keys.payment);
  assert.equal(
    ownership.cardOwner({ accounts: [0, 1], hubs: [], families: new Set(), meanScore: 0 }),
    -1,
  );
  b.keys.push(keys.payment);
  assert.equal(
    ownership.cardOwner({ accounts: [0, 1], hubs: [], families: new Set(), meanScore: 0 }),
    2,
  );
});

const affinityCases: {
  name: string;
  cue: boolean;
  score: number;
  keys: ('ip' | 'payment')[];
  joined: number;
}[] = [
  { name: 'address and card, eliciting', cue: true, score: 0, keys: ['ip', 'payment'], joined: 0 },
  {
    name: 'address and card, a candidate',
    cue: false,
    score: 0.9,
    keys: ['ip', 'payment'],
    joined: 0,
  },
  {
    name: 'address and card, nothing suspicious',
    cue: false,
    score: 0,
    keys: ['ip', 'payment'],
    joined: -1,
  },
  { name: 'the card alone (one family)', cue: true, score: 0.9, keys: ['payment'], joined: -1 },
];

for (const { name, cue, score, keys: carried, joined } of affinityCases) {
  test(`campaign ownership: affinity, ${name}`, () => {
    const { membership, ownership, keys } = setUp();
    ownership.lend(
      [keys.ip, keys.payment],
      0,
      new Map([
        [keys.ip, 1.5],
        [keys.payment, 3],
      ]),
    );
    const state = membership.stateOf('acct');
    state.score = score;
    assert.equal(
      ownership.affinity(
        carried.map((key) => keys[key]),
        state,
        cue,
        0,
      ),
      joined,
    );
  });
}
