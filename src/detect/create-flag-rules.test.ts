import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Exchange } from '../log/exchange.js';
import { createAccountMembership } from './create-account-membership.js';
import { createCampaignOwnership } from './create-campaign-ownership.js';
import { createCampaignRegistry } from './create-campaign-registry.js';
import { createFlagRules } from './create-flag-rules.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';
import { createPopulationTracker } from './population/index.js';

const exchange: Exchange = {
  id: 'ex-1',
  ts: '2026-02-01T00:00:00.000Z',
  account_id: 'acct',
  ip: '203.0.113.7',
  endpoint: 'chat.completions',
  model: 'model-a',
  request: { messages: [{ role: 'user', content: 'question' }] },
  status: 200,
};

/** Campaign 0 owns a system prompt; returns the parts and the prompt's key id. */
function setUp() {
  const thresholds = DEFAULT_THRESHOLDS;
  const index = createLinkageIndex();
  const membership = createAccountMembership({ index, thresholds });
  const registry = createCampaignRegistry({ membership });
  const ownership = createCampaignOwnership({
    index,
    thresholds,
    accounts: membership.accounts,
    evasionNumber: () => registry.evasionNumber,
  });
  const prompt = index.intern(KEY_TYPE_INDEX.system_prompt, 'sys-1');
  const number = registry.create(
    { accounts: [], hubs: [prompt], families: new Set(), meanScore: 0.8 },
    0,
  );
  ownership.widen();
  ownership.lend([prompt], number, new Map([[prompt, 0.6]]));
  const rules = createFlagRules({
    thresholds,
    membership,
    registry,
    ownership,
    population: createPopulationTracker(),
    index,
  });
  return { membership, registry, rules, prompt };
}

const cases: {
  name: string;
  /** The account's exchanges besides the campaign's (customer traffic). */
  otherExchanges: number;
  flaggedBy: string | undefined;
  campaign: number;
  reseller: boolean;
}[] = [
  {
    name: 'all campaign traffic makes a member',
    otherExchanges: 0,
    flaggedBy: 'affinity',
    campaign: 0,
    reseller: false,
  },
  {
    name: 'a share mixed with other traffic makes a reseller',
    otherExchanges: 15,
    flaggedBy: 'reseller',
    campaign: -1,
    reseller: true,
  },
];

for (const { name, otherExchanges, flaggedBy, campaign, reseller } of cases) {
  test(`flag rules: ${name}`, () => {
    const { membership, registry, rules, prompt } = setUp();
    const state = membership.stateOf('acct');
    state.exchanges = otherExchanges;
    const attributed: number[] = [];
    for (let sent = 1; sent <= DEFAULT_THRESHOLDS.resellerMinExchanges; sent += 1) {
      state.exchanges += 1;
      attributed.push(rules.apply(state, exchange, [prompt], false, sent));
      if (sent < DEFAULT_THRESHOLDS.resellerMinExchanges)
        assert.equal(state.flaggedBy, undefined, 'not before resellerMinExchanges');
    }
    assert.deepEqual(attributed, [0, 0, 0, 0, 0]);
    assert.equal(state.flaggedBy, flaggedBy);
    assert.equal(state.flaggedMs, DEFAULT_THRESHOLDS.resellerMinExchanges);
    assert.equal(state.campaign, campaign);
    assert.equal(registry.campaigns[0]?.resellers.has(state.index), reseller);
  });
}

test('flag rules: a peer indicator flags a candidate, not anyone else', () => {
  for (const score of [0.9, 0.1]) {
    const { membership, rules } = setUp();
    const state = membership.stateOf('acct');
    state.exchanges = 1;
    state.score = score;
    membership.setCandidate(state);
    state.peer = {
      source: 'peer-a',
      confidence: 0.9,
      indicatorType: 'ipv4',
      indicatorId: 'indicator--1',
    };
    assert.equal(rules.apply(state, exchange, [], false, 7), -1);
    assert.equal(state.flaggedBy, score >= DEFAULT_THRESHOLDS.candidateScore ? 'peer' : undefined);
  }
});
