import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AcceptedCommunity } from './accept-community.js';
import { createAccountMembership } from './create-account-membership.js';
import { createCampaignRegistry } from './create-campaign-registry.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';

const HOUR = 3600_000;
const community: AcceptedCommunity = {
  accounts: [],
  hubs: [4, 5],
  families: new Set(['network', 'identity']),
  meanScore: 0.7,
};

function setUp() {
  const membership = createAccountMembership({
    index: createLinkageIndex(),
    thresholds: DEFAULT_THRESHOLDS,
  });
  return { membership, registry: createCampaignRegistry({ membership }) };
}

test('campaign registry: a flag keeps its first time and source; moving brings the history', () => {
  const { membership, registry } = setUp();
  const first = registry.create(community, 0);
  const second = registry.create(community, 0);
  assert.deepEqual(
    registry.campaigns.map((campaign) => [campaign.id, campaign.meanScore]),
    [
      ['campaign-0001', 0.7],
      ['campaign-0002', 0.7],
    ],
  );
  const state = membership.stateOf('acct');
  state.firstMs = 5 * HOUR + 10;
  state.exchanges = 7;
  registry.flag(state, 9 * HOUR, 'affinity', first);
  assert.equal(state.flaggedAt, new Date(9 * HOUR).toISOString());
  assert.equal(state.flaggedBy, 'affinity');
  assert.equal(state.inGraph, true);
  registry.flag(state, 10 * HOUR, 'cluster', second);
  assert.equal(state.flaggedMs, 9 * HOUR);
  assert.equal(state.flaggedBy, 'affinity');
  assert.equal(state.campaign, second);
  assert.deepEqual([...(registry.campaigns[first]?.accounts ?? [])], []);
  assert.deepEqual([...(registry.campaigns[second]?.accounts ?? [])], [state.index]);
  assert.deepEqual([...(registry.campaigns[second]?.hourly ?? [])], [[5, 7]]);
});

test('campaign registry: one catch-all campaign for evasive accounts', () => {
  const { membership, registry } = setUp();
  assert.equal(registry.evasionNumber, -1);
  const state = membership.stateOf('acct');
  state.score = 0.6;
  const number = registry.evasionCampaign(state, 0);
  assert.equal(registry.evasionCampaign(membership.stateOf('other'), 0), number);
  assert.equal(registry.evasionNumber, number);
  assert.deepEqual([...(registry.campaigns[number]?.families ?? [])], ['content']);
  assert.equal(registry.campaigns[number]?.meanScore, 0.6);
});

test('campaign registry: counts attributed exchanges by hour and by model (16 models at most)', () => {
  const { registry } = setUp();
  const number = registry.create(community, 0);
  for (let model = 0; model < 20; model += 1) registry.countExchange(number, `m${model}`, 2 * HOUR);
  registry.countExchange(number, 'm0', HOUR);
  const campaign = registry.campaigns[number];
  assert.deepEqual(
    [...(campaign?.hourly ?? [])],
    [
      [2, 20],
      [1, 1],
    ],
  );
  assert.equal(campaign?.firstExchangeMs, HOUR);
  assert.equal(campaign?.models.size, 16);
  assert.deepEqual(campaign?.models.get('m0'), { exchanges: 2, firstMs: 2 * HOUR });
});
