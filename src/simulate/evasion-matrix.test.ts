import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import { DAY, HOUR } from './activity-clock.js';
import { BUILT_IN_SCENARIO_INPUTS } from './built-in-scenarios.js';
import { createSimulation } from './create-simulation.js';
import {
  EVASION_CELLS,
  type EvasionCell,
  evasionScenario,
  HUMAN_VOLUME_CAP,
  STAGGER_DAYS,
} from './evasion-matrix.js';
import { loadScenario } from './load-scenario.js';
import { parseScenario } from './parse-scenario.js';
import { RUBRIC_TEMPLATES } from './prompt-content.js';
import { LANGUAGES } from './scenario.js';
import { FUNCTION_POOL } from './tool-catalog.js';

interface Run {
  accounts: Map<string, { record: AccountRecord; truth: TruthRecord }>;
  attack: { exchange: Exchange; campaignId: string; at: number }[];
  start: number;
}

function simulate(cell: EvasionCell, scale: number): Run {
  const scenario = parseScenario(evasionScenario(cell));
  const simulation = createSimulation(scenario, { seed: 4, scale });
  const run: Run = { accounts: new Map(), attack: [], start: Date.parse(scenario.start) };
  for (let event = simulation.next(); event; event = simulation.next()) {
    if (event.type === 'account') {
      run.accounts.set(event.account.account_id, { record: event.account, truth: event.truth });
    } else if (event.campaignId !== null) {
      run.attack.push({ exchange: event.exchange, campaignId: event.campaignId, at: event.at });
    }
  }
  return run;
}

const isAttackAccount = (run: Run, accountId: string) =>
  run.accounts.get(accountId)?.truth.label === 'attack';

function systemPrompt(exchange: Exchange): unknown {
  const request = exchange.request as Record<string, unknown>;
  const messages = (request.messages ?? []) as { role?: string }[];
  const message = messages.find((m) => m.role === 'system') as { content?: unknown } | undefined;
  return request.system ?? request.instructions ?? message?.content;
}

describe('evasion matrix', () => {
  const runs = new Map<EvasionCell, Run>();
  before(() => {
    for (const cell of [
      'no-network',
      'no-identity',
      'no-wording',
      'human-timing',
      'human-volume',
    ] as const) {
      runs.set(cell, simulate(cell, 0.01));
    }
  });

  it('loads every cell as a built-in scenario name', async () => {
    for (const cell of EVASION_CELLS) {
      const scenario = await loadScenario(`evasion:${cell}`);
      assert.equal(scenario.name, `evasion:${cell}`);
      assert.ok(scenario.campaigns.length >= 8);
    }
  });

  it('baseline campaigns are the built-in profiles, renamed and resized', () => {
    const matrix = new Map(evasionScenario('baseline').campaigns?.map((spec) => [spec.id, spec]));
    const pairs = [
      ['quickstart', 'campaign-a', 'reasoning'],
      ['quickstart', 'campaign-b', 'agentic'],
      ['quickstart', 'campaign-c', 'coding'],
      ['low-and-slow', 'campaign-d', 'low-and-slow'],
      ['adaptive', 'campaign-e', 'adaptive'],
      ['adaptive', 'campaign-f', 'coding-burst'],
    ] as const;
    const SIZE = ['id', 'operator', 'accounts', 'exchanges', 'paymentFingerprints', 'network'];
    const SCALED = ['network', 'paymentFingerprints', 'reseller'];
    for (const [scenario, builtInId, id] of pairs) {
      const original = BUILT_IN_SCENARIO_INPUTS[scenario]?.campaigns?.find(
        (spec) => spec.id === builtInId,
      );
      const derived = matrix.get(id);
      assert.ok(original && derived, `${scenario}/${builtInId} -> ${id}`);
      for (const field of Object.keys(original)) {
        if (SIZE.includes(field) || SCALED.includes(field)) continue;
        assert.deepEqual(
          (derived as Record<string, unknown>)[field],
          (original as Record<string, unknown>)[field],
          `${id}.${field}`,
        );
      }
      assert.equal(derived.operator, `operator-${id}`);
    }
    // The two profiles only the matrix runs (issue 15's missed campaign types).
    assert.ok(matrix.has('harvest') && matrix.has('human-look'));
  });

  it('no-network: no two attack accounts share an address on the same day', () => {
    const run = runs.get('no-network') as Run;
    const owners = new Map<string, string>();
    const perAccountDay = new Map<string, Set<string>>();
    for (const { exchange, at } of run.attack) {
      if (!isAttackAccount(run, exchange.account_id)) continue;
      const day = Math.floor(at / DAY);
      const key = `${day}/${exchange.ip}`;
      const owner = owners.get(key);
      assert.ok(owner === undefined || owner === exchange.account_id, `shared ${key}`);
      owners.set(key, exchange.account_id);
      const dayKey = `${exchange.account_id}/${day}`;
      perAccountDay.set(dayKey, (perAccountDay.get(dayKey) ?? new Set()).add(exchange.ip));
    }
    assert.ok(owners.size > 100);
    // One exit per account and day, a new one the next day.
    for (const [key, addresses] of perAccountDay) assert.equal(addresses.size, 1, key);
    const addresses = new Map<string, Set<string>>();
    const activeDays = new Map<string, number>();
    for (const [key, set] of perAccountDay) {
      const account = key.split('/')[0] as string;
      activeDays.set(account, (activeDays.get(account) ?? 0) + 1);
      for (const address of set)
        addresses.set(account, (addresses.get(account) ?? new Set()).add(address));
    }
    for (const [account, days] of activeDays) {
      assert.equal(addresses.get(account)?.size, days, `${account} reuses an exit`);
    }
  });

  it('no-identity: every attack account its own card; sign-ups one by one over days', () => {
    const run = runs.get('no-identity') as Run;
    const cards = new Map<string, string>();
    const signups = new Map<string, number[]>();
    for (const { record, truth } of run.accounts.values()) {
      if (truth.label !== 'attack') continue;
      const card = record.payment_fingerprint as string;
      assert.ok(card, 'attack accounts pay by card');
      assert.equal(cards.get(card), undefined, `card ${card} shared`);
      cards.set(card, record.account_id);
      const list = signups.get(truth.campaign_id as string) ?? [];
      list.push(Date.parse(record.created_at));
      signups.set(truth.campaign_id as string, list);
    }
    for (const [campaign, times] of signups) {
      times.sort((a, b) => a - b);
      const initial = times.filter((time) => time < run.start);
      const span = ((initial.at(-1) as number) - (initial[0] as number)) / DAY;
      if (initial.length >= 8)
        assert.ok(span >= STAGGER_DAYS / 3, `${campaign} spans ${span} days`);
      // Never a clump: at most three of one campaign's sign-ups within any hour.
      for (let index = 3; index < initial.length; index++) {
        assert.ok((initial[index] as number) - (initial[index - 3] as number) > HOUR, campaign);
      }
    }
  });

  it('no-wording: no system prompt and no fixed template in any attack request', () => {
    const run = runs.get('no-wording') as Run;
    const openings = new Map<string, number>();
    let users = 0;
    for (const { exchange } of run.attack) {
      if (!isAttackAccount(run, exchange.account_id)) continue;
      assert.equal(systemPrompt(exchange), undefined, 'system prompt');
      const text = JSON.stringify(exchange.request);
      for (const template of RUBRIC_TEMPLATES) {
        assert.ok(!text.includes(template.slice(0, 40)), 'rubric template');
      }
      const request = exchange.request as { messages?: { content?: unknown }[] };
      const first = request.messages?.[0]?.content;
      if (typeof first === 'string') {
        users += 1;
        const opening = first.slice(0, 30);
        openings.set(opening, (openings.get(opening) ?? 0) + 1);
      }
    }
    const top = Math.max(...openings.values());
    assert.ok(users > 200 && top / users < 0.1, `top opening ${top}/${users}`);
  });

  it('human-timing: no campaign dispatches on a metronome or in synchronised windows', () => {
    const run = runs.get('human-timing') as Run;
    const byCampaign = new Map<string, number[]>();
    for (const { campaignId, at } of run.attack) {
      byCampaign.set(campaignId, [...(byCampaign.get(campaignId) ?? []), at]);
    }
    for (const [campaign, times] of byCampaign) {
      const gaps = times.slice(1).map((time, index) => time - (times[index] as number));
      const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
      const sd = Math.sqrt(gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length);
      assert.ok(sd / mean > 1, `${campaign} gap CV ${(sd / mean).toFixed(2)}`);
    }
  });

  it(`human-volume: at most ${HUMAN_VOLUME_CAP} attack requests per account per day`, () => {
    const run = runs.get('human-volume') as Run;
    const counts = new Map<string, number>();
    for (const { exchange, at } of run.attack) {
      const key = `${exchange.account_id}/${Math.floor(at / DAY)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.ok(counts.size > 100);
    for (const [key, count] of counts) assert.ok(count <= HUMAN_VOLUME_CAP, `${key}: ${count}`);
  });
});

describe('baseline cell: new attack profiles and honest look-alikes', () => {
  let run: Run;
  const legit = new Map<string, { record: AccountRecord; exchanges: Exchange[] }[]>();
  before(() => {
    const scenario = parseScenario(evasionScenario('baseline'));
    const simulation = createSimulation(scenario, { seed: 4, scale: 0.02 });
    run = { accounts: new Map(), attack: [], start: Date.parse(scenario.start) };
    const byAccount = new Map<string, { record: AccountRecord; exchanges: Exchange[] }>();
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') {
        run.accounts.set(event.account.account_id, { record: event.account, truth: event.truth });
        if (event.truth.label === 'legit') {
          const entry = { record: event.account, exchanges: [] as Exchange[] };
          byAccount.set(event.account.account_id, entry);
          const group = event.truth.group as string;
          legit.set(group, [...(legit.get(group) ?? []), entry]);
        }
      } else if (event.campaignId !== null) {
        run.attack.push({ exchange: event.exchange, campaignId: event.campaignId, at: event.at });
      } else {
        byAccount.get(event.exchange.account_id)?.exchanges.push(event.exchange);
      }
    }
  });

  const group = (name: string, least = 5) => {
    const members = legit.get(name) ?? [];
    assert.ok(members.length >= least, `${name}: ${members.length} accounts`);
    return members;
  };
  const distinct = <T>(values: T[]) => new Set(values).size;

  it('open-source coding agent: one system prompt and tool schema, unrelated users', () => {
    const members = group('oss_coding_agent');
    const systems = new Set<string>();
    for (const { exchanges } of members) {
      for (const exchange of exchanges) systems.add(JSON.stringify(systemPrompt(exchange)));
    }
    assert.equal(systems.size, 1);
    const cards = members.map(({ record }) => record.payment_fingerprint).filter(Boolean);
    assert.equal(distinct(cards), cards.length);
    assert.equal(distinct(members.map(({ record }) => record.signup_ip)), members.length);
  });

  it('homework students: step-by-step reasoning from many home addresses', () => {
    const members = group('homework_students');
    assert.ok(distinct(members.map(({ record }) => record.signup_ip)) > members.length * 0.9);
    const domains = distinct(members.map(({ record }) => record.email_domain));
    assert.ok(domains > 1 && domains < members.length * 0.8, 'students share university domains');
    const reasoning = members
      .flatMap(({ exchanges }) => exchanges)
      .filter((exchange) => exchange.response?.reasoning_tokens);
    assert.ok(reasoning.length > 20);
  });

  it('startup cohort: same week, startup program, some share the accelerator domain', () => {
    const members = group('startup_cohort');
    const created = members.map(({ record }) => Date.parse(record.created_at));
    assert.ok(Math.max(...created) - Math.min(...created) <= 7 * DAY);
    for (const { record } of members) assert.equal(record.program, 'startup');
    const domains = members.map(({ record }) => record.email_domain as string);
    assert.ok(domains.filter((domain) => domain.endsWith('-accelerator.com')).length >= 1);
  });

  it('VPN privacy users: exits shared with other subscribers, changing', () => {
    const members = group('vpn_privacy');
    const users = new Map<string, Set<string>>();
    for (const { exchanges } of members) {
      for (const exchange of exchanges) {
        users.set(exchange.ip, (users.get(exchange.ip) ?? new Set()).add(exchange.account_id));
      }
    }
    const subnets = new Map<string, Set<string>>();
    for (const [ip, accounts] of users) {
      const subnet = ip.split('.').slice(0, 3).join('.');
      for (const account of accounts)
        subnets.set(subnet, (subnets.get(subnet) ?? new Set()).add(account));
    }
    assert.ok(Math.max(...[...subnets.values()].map((set) => set.size)) >= 3);
    const multi = members.filter(({ exchanges }) => distinct(exchanges.map((e) => e.ip)) >= 2);
    assert.ok(multi.length >= members.length / 3);
  });

  it('agent platform: many service accounts of one org, provisioned together, on a schedule', () => {
    const members = group('agent_platform');
    const orgs = new Map<string, number[]>();
    for (const { record } of members) {
      orgs.set(record.org_id as string, [
        ...(orgs.get(record.org_id as string) ?? []),
        Date.parse(record.created_at),
      ]);
    }
    for (const times of orgs.values()) {
      assert.ok(times.length >= 2);
      assert.ok(Math.max(...times) - Math.min(...times) <= 20 * 60_000);
    }
    for (const { exchanges } of members) {
      for (const exchange of exchanges)
        assert.ok((exchange.request as { tools?: unknown[] }).tools);
    }
  });

  it('classroom: one campus address, sign-ups within an hour, one assignment', () => {
    const members = group('campus_classroom');
    const classes = new Map<string, typeof members>();
    for (const member of members) {
      const key = member.record.email_domain as string;
      classes.set(key, [...(classes.get(key) ?? []), member]);
    }
    for (const students of classes.values()) {
      const created = students.map(({ record }) => Date.parse(record.created_at));
      assert.ok(Math.max(...created) - Math.min(...created) <= HOUR);
      assert.ok(distinct(students.flatMap(({ exchanges }) => exchanges.map((e) => e.ip))) <= 3);
    }
  });

  it('reasoning labs and translation agencies carry their own innocent evidence', () => {
    for (const { record } of group('reasoning_lab', 1)) {
      assert.equal(record.verification, 'org');
      assert.equal(record.program, 'research');
    }
    const agency = group('translation_agency', 2);
    const languages = new Set<string>();
    for (const { exchanges } of agency) {
      for (const exchange of exchanges) {
        const match = JSON.stringify(exchange.request).match(
          /(?:into|in|for an?) (?:natural )?([a-z]{2})\b/,
        );
        if (match && (LANGUAGES as readonly string[]).includes(match[1] as string)) {
          languages.add(match[1] as string);
        }
      }
    }
    assert.ok(languages.size >= 5, [...languages].join(','));
  });

  it('round-robin harvest: windows, daily budget, 3–8 tools from one fixed pool', () => {
    const pool = new Set(FUNCTION_POOL.map((tool) => tool.name));
    const perDay = new Map<string, number>();
    let seen = 0;
    for (const { exchange, campaignId, at } of run.attack) {
      if (campaignId !== 'harvest') continue;
      seen += 1;
      const hour = (at % DAY) / HOUR;
      assert.ok((hour >= 1 && hour < 5) || (hour >= 13 && hour < 17), `hour ${hour}`);
      const tools = (exchange.request as { tools?: unknown[] }).tools ?? [];
      assert.ok(tools.length >= 3 && tools.length <= 8, `${tools.length} tools`);
      for (const tool of tools) {
        const name = JSON.stringify(tool).match(/"name":"([^"]+)"/)?.[1] as string;
        assert.ok(pool.has(name), name);
      }
      const key = `${exchange.account_id}/${Math.floor(at / DAY)}`;
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
    }
    assert.ok(seen > 1000);
    assert.ok(Math.max(...perDay.values()) <= 35);
  });

  it('human-looking campaign: own browser and card each, a few throwaway domains, 3 days', () => {
    const agents = new Set<string>();
    const domains = new Set<string>();
    const cards = new Set<string>();
    const created: number[] = [];
    let accounts = 0;
    for (const { record, truth } of run.accounts.values()) {
      if (truth.campaign_id !== 'human-look') continue;
      accounts += 1;
      domains.add(record.email_domain as string);
      cards.add(record.payment_fingerprint as string);
      assert.equal(record.program, 'startup');
      if (Date.parse(record.created_at) < run.start) created.push(Date.parse(record.created_at));
    }
    for (const { exchange, campaignId } of run.attack) {
      if (campaignId === 'human-look') agents.add(`${exchange.account_id}|${exchange.user_agent}`);
    }
    assert.ok(accounts >= 20);
    assert.ok(domains.size <= 4);
    assert.equal(cards.size, accounts);
    assert.ok(Math.max(...created) - Math.min(...created) <= 3 * DAY);
    for (const entry of agents) assert.match(entry, /Mozilla\/5\.0/);
  });
});
