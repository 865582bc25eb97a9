import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import { createOperatorStyle } from './attack-tasks.js';
import { loadScenario } from './load-scenario.js';
import { createBuiltInPools } from './prompt-pools.js';
import { createRandom } from './random.js';
import { RED_TEAM_CAMPAIGNS, redTeamScenario } from './red-team-scenario.js';
import { composeRedTeamTask } from './red-team-tasks.js';
import type { ScenarioInput } from './scenario.js';
import { collectRun } from './testing/collect-run.js';

interface Run {
  accounts: Map<string, { record: AccountRecord; truth: TruthRecord }>;
  attack: { exchange: Exchange; campaignId: string }[];
  digest: string;
}

/** The red-team campaigns among a few chat customers (small, so the test stays fast). */
function simulate(seed: number): Run {
  const input: ScenarioInput = {
    ...redTeamScenario(),
    personas: [{ persona: 'chat', accounts: 200 }],
  };
  const { accounts, rows, digest } = collectRun(input, seed);
  const attack: Run['attack'] = [];
  for (const { exchange, campaignId } of rows)
    if (campaignId !== null) attack.push({ exchange, campaignId });
  return { accounts, attack, digest };
}

const userTexts = (exchange: Exchange): string[] => {
  const messages = ((exchange.request as { messages?: { role: string; content: unknown }[] })
    .messages ?? []) as { role: string; content: unknown }[];
  return messages
    .filter((message) => message.role === 'user' && typeof message.content === 'string')
    .map((message) => message.content as string);
};

describe('red-team campaigns', () => {
  let run: Run;
  before(() => {
    run = simulate(4);
  });

  it('loads as evasion:red-team with its four campaigns', async () => {
    const scenario = await loadScenario('evasion:red-team');
    assert.deepEqual(
      scenario.campaigns.map((campaign) => campaign.id),
      ['slow-drip', 'cover-mix', 'preference', 'trajectory'],
    );
  });

  it('is seeded: the same seed gives the same traffic, another seed other traffic', () => {
    assert.equal(simulate(4).digest, run.digest);
    assert.notEqual(simulate(5).digest, run.digest);
  });

  it('every campaign sends traffic, and no two attack accounts share a card', () => {
    const campaigns = new Set(run.attack.map((row) => row.campaignId));
    assert.deepEqual([...campaigns].sort(), ['cover-mix', 'preference', 'slow-drip', 'trajectory']);
    const cards = new Map<string, number>();
    for (const { record, truth } of run.accounts.values()) {
      if (truth.label !== 'attack') continue;
      const card = record.payment_fingerprint as string;
      cards.set(card, (cards.get(card) ?? 0) + 1);
    }
    assert.ok(cards.size > 50);
    assert.equal(Math.max(...cards.values()), 1);
  });

  it('sign-ups are spread over days, never a same-hour clump', () => {
    const perHour = new Map<string, number>();
    for (const { record, truth } of run.accounts.values()) {
      if (truth.label !== 'attack') continue;
      const key = `${truth.campaign_id}:${record.created_at.slice(0, 13)}`;
      perHour.set(key, (perHour.get(key) ?? 0) + 1);
    }
    assert.ok(Math.max(...perHour.values()) <= 4, `${Math.max(...perHour.values())} in one hour`);
  });

  it('no attack address is shared by two accounts on one day', () => {
    const owners = new Map<string, string>();
    for (const { exchange } of run.attack) {
      const key = `${exchange.ts.slice(0, 10)}:${exchange.ip}`;
      const owner = owners.get(key);
      assert.ok(owner === undefined || owner === exchange.account_id, key);
      owners.set(key, exchange.account_id);
    }
  });

  it('slow drip: at most 10 a day per account, long-form questions from one expert domain', () => {
    const perDay = new Map<string, number>();
    const domains = new Set<string>();
    for (const { exchange, campaignId } of run.attack) {
      if (campaignId !== 'slow-drip') continue;
      const key = `${exchange.account_id}:${exchange.ts.slice(0, 10)}`;
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
      const text = userTexts(exchange).join(' ');
      for (const [domain, marker] of [
        ['medicine', /patient|year-old|pregnant|surgery|smoker|diabetes/],
        ['law', /tenant|employee|licence|contract|founder|shareholder|neighbour|company sharing/],
        ['finance', /portfolio|buyout|buyback|hedge|bond|pension|bank|IPO/],
      ] as const) {
        if (marker.test(text)) domains.add(domain);
      }
    }
    assert.ok(perDay.size > 100);
    assert.ok(Math.max(...perDay.values()) <= 10);
    assert.equal(domains.size, 1);
  });

  it('cover mix: a third of its tasks are casual chat, from a browser per account', () => {
    const spec = RED_TEAM_CAMPAIGNS.find((campaign) => campaign.id === 'cover-mix');
    const weights = Object.values(spec?.tasks ?? {}) as number[];
    assert.equal((spec?.tasks.cover_chat ?? 0) / weights.reduce((a, b) => a + b, 0), 1 / 3);
    const agents = new Map<string, string>();
    for (const { exchange, campaignId } of run.attack) {
      if (campaignId === 'cover-mix') agents.set(exchange.account_id, exchange.user_agent ?? '');
    }
    assert.ok([...agents.values()].every((agent) => agent.startsWith('Mozilla/')));
  });

  it('preference: the same prompt is sampled again, some calls ask for n > 1', () => {
    const seen = new Map<string, number>();
    let multi = 0;
    let total = 0;
    for (const { exchange, campaignId } of run.attack) {
      if (campaignId !== 'preference') continue;
      total += 1;
      const text = userTexts(exchange).join('\n');
      seen.set(text, (seen.get(text) ?? 0) + 1);
      const n = (exchange.request as { n?: number }).n;
      if (n !== undefined) {
        assert.ok(n >= 2 && n <= 4);
        multi += 1;
      }
    }
    const repeated = [...seen.values()].filter((count) => count > 1).length;
    assert.ok(total > 200 && repeated > 10 && multi > total * 0.1, `${total} ${repeated} ${multi}`);
  });

  it('trajectory: long tool sessions, 6 to 20 tool rounds with results', () => {
    let sessions = 0;
    for (const { exchange, campaignId } of run.attack) {
      if (campaignId !== 'trajectory') continue;
      const request = exchange.request as { tools?: unknown[] };
      // One call id per tool round, whichever API shape the client renders it in.
      const rounds = new Set(JSON.stringify(request).match(/call_[0-9a-f]{12}/g)).size;
      assert.ok(rounds >= 6 && rounds <= 20, `${rounds}`);
      assert.ok((request.tools?.length ?? 0) > 0);
      sessions += 1;
    }
    assert.ok(sessions > 100);
  });
});

describe('red-team task kinds', () => {
  const random = createRandom(9);
  const pools = createBuiltInPools(random);
  const cases = [
    { kind: 'expert_qa', reasoning: true, tools: false },
    { kind: 'cover_chat', reasoning: false, tools: false },
    { kind: 'preference_pair', reasoning: true, tools: false },
    { kind: 'agent_trajectory', reasoning: true, tools: true },
  ] as const;
  for (const { kind, reasoning, tools } of cases) {
    it(`${kind} composes what it claims`, () => {
      const style = createOperatorStyle(random, false);
      for (let index = 0; index < 50; index++) {
        const task = composeRedTeamTask(kind, random, pools, 'en', style);
        assert.equal(task.reasoning, reasoning);
        assert.equal(task.tools !== undefined, tools);
        assert.equal(task.toolCall, tools);
      }
    });
  }
});
