import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Exchange, TruthRecord } from '../log/exchange.js';
import { createSimulation } from './create-simulation.js';
import { loadScenario } from './load-scenario.js';
import { parseScenario } from './parse-scenario.js';
import { redTeamBSaleScenario } from './red-team-b-scenario.js';
import type { ScenarioInput } from './scenario.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-04-06T00:00:00.000Z');

const clientOf = (exchange: Exchange) => `${exchange.user_agent}|${exchange.tls_fingerprint}`;
const subnetOf = (exchange: Exchange) => exchange.ip.split('.').slice(0, 3).join('.');

/** The sold variant's aged campaign and the handover carriers, without the other groups (fast). */
function simulate(variant: 'mono' | 'sold'): Map<string, { truth: TruthRecord; rows: Exchange[] }> {
  const base = redTeamBSaleScenario(variant);
  const input: ScenarioInput = {
    ...base,
    personas: [
      { persona: 'veteran_move', accounts: 400 },
      { persona: 'sdk_fleet', accounts: 400 },
    ],
    campaigns: (base.campaigns ?? []).filter((campaign) => campaign.id === 'aged'),
  };
  const simulation = createSimulation(parseScenario(input), { seed: 4, scale: 0.05 });
  const accounts = new Map<string, { truth: TruthRecord; rows: Exchange[] }>();
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type === 'account')
      accounts.set(event.account.account_id, { truth: event.truth, rows: [] });
    else accounts.get(event.exchange.account_id)?.rows.push(event.exchange);
  }
  return accounts;
}

describe('red-team-b sale variants and handover carriers', () => {
  let sold: ReturnType<typeof simulate>;
  let mono: ReturnType<typeof simulate>;
  const groupOf = (run: ReturnType<typeof simulate>, group: string) =>
    [...run.values()].filter(({ truth }) => (truth.group ?? truth.campaign_id) === group);
  before(() => {
    sold = simulate('sold');
    mono = simulate('mono');
  });

  it('loads both variants by name, the aged campaign with its sale option', async () => {
    for (const variant of ['mono', 'sold'] as const) {
      const scenario = await loadScenario(`evasion:red-team-b-${variant}`);
      const aged = scenario.campaigns.find((campaign) => campaign.id === 'aged');
      assert.deepEqual(aged?.sale, { oneLanguage: true, sellerUse: variant === 'sold' });
      const red = await loadScenario('evasion:red-team-b');
      assert.equal(red.campaigns.find((campaign) => campaign.id === 'aged')?.sale, undefined);
    }
  });

  it('mono: each bought account keeps one client (the buyer’s) throughout', () => {
    for (const { rows } of groupOf(mono, 'aged')) assert.ok(new Set(rows.map(clientOf)).size <= 1);
  });

  it('sold: the seller’s client and home first, then the buyer’s client, never back', () => {
    let handedOver = 0;
    for (const { rows } of groupOf(sold, 'aged')) {
      const first = rows[0];
      if (!first) continue;
      const seller = clientOf(first);
      const switched = rows.findIndex((row) => clientOf(row) !== seller);
      if (switched < 0) continue;
      handedOver += 1;
      assert.ok(rows.slice(switched).every((row) => clientOf(row) !== seller));
      // The seller's home (its dynamic address may move once).
      assert.ok(new Set(rows.slice(0, switched).map(subnetOf)).size <= 2);
      const sellerSubnet = subnetOf(first);
      assert.ok(rows.slice(switched).every((row) => subnetOf(row) !== sellerSubnet));
    }
    assert.ok(handedOver >= groupOf(sold, 'aged').length / 2, `${handedOver} handed over`);
  });

  it('veteran_move: old client first, a new one from 12 h on, the old one stops', () => {
    const movers = groupOf(sold, 'veteran_move');
    assert.ok(movers.length >= 15);
    let moved = 0;
    for (const { rows } of movers) {
      const old = clientOf(rows[0] as Exchange);
      const switched = rows.findIndex((row) => clientOf(row) !== old);
      if (switched < 0) continue;
      moved += 1;
      assert.ok(Date.parse((rows[switched] as Exchange).ts) >= START + 12 * HOUR);
      assert.ok(rows.slice(switched).every((row) => clientOf(row) !== old));
    }
    assert.ok(moved >= movers.length * 0.8, `${moved} of ${movers.length} moved`);
  });

  it('sdk_fleet: one company’s accounts move to one new client at one moment', () => {
    const fleet = groupOf(sold, 'sdk_fleet');
    assert.equal(fleet.length, 20);
    const upgrades = new Set<string>();
    let lastOld = 0;
    let firstNew = Number.POSITIVE_INFINITY;
    for (const { rows } of fleet) {
      const old = clientOf(rows[0] as Exchange);
      for (const row of rows) {
        const at = Date.parse(row.ts);
        if (clientOf(row) === old) lastOld = Math.max(lastOld, at);
        else {
          upgrades.add(clientOf(row));
          firstNew = Math.min(firstNew, at);
        }
      }
    }
    assert.equal(upgrades.size, 1);
    assert.ok(lastOld < firstNew + 1);
  });
});
