import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import { EVASION_CELLS, EVASION_SCENARIO_INPUTS } from './evasion-matrix.js';
import { loadScenario } from './load-scenario.js';
import { redTeamBScenario } from './red-team-b-scenario.js';
import { redTeamCScenario } from './red-team-c-scenario.js';
import { redTeamScenario } from './red-team-scenario.js';
import type { ScenarioInput } from './scenario.js';
import { collectRun, type Row, type Run } from './testing/collect-run.js';

const DAY = 86_400_000;
const START = Date.parse('2026-04-06T00:00:00.000Z');

/** The third red team's campaigns and honest groups among a few chat customers (fast). */
function simulate(seed: number): Run {
  const input: ScenarioInput = {
    ...redTeamCScenario(),
    personas: [
      { persona: 'chat', accounts: 200 },
      { persona: 'honest_aggregator', accounts: 100, exchangesPerDay: 100 },
      { persona: 'byok_chat', accounts: 1000 },
      { persona: 'book_writer', accounts: 400 },
      { persona: 'eval_lab', accounts: 100, exchangesPerDay: 60 },
    ],
  };
  return collectRun(input, seed);
}

const ageDays = (record: AccountRecord): number => (START - Date.parse(record.created_at)) / DAY;
const distinct = <T>(values: Iterable<T>): number => new Set(values).size;
type Body = Record<string, unknown>;
const body = (exchange: Exchange): Body => exchange.request as unknown as Body;
const userTurns = (exchange: Exchange): number => {
  const list = (body(exchange).messages ?? body(exchange).input ?? []) as { role?: string }[];
  return list.filter((message) => message.role === 'user').length;
};
const maxTokens = (exchange: Exchange): number =>
  Number(body(exchange).max_tokens ?? body(exchange).max_output_tokens);
const endUser = (exchange: Exchange): unknown =>
  body(exchange).user ?? (body(exchange).metadata as Body | undefined)?.user_id;
const perDay = (rows: readonly Exchange[]): number => {
  const days = new Map<number, number>();
  for (const row of rows) {
    const day = Math.floor(Date.parse(row.ts) / DAY);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return Math.max(0, ...days.values());
};

describe('red-team-c campaigns and honest groups', () => {
  let run: Run;
  const byAccount = new Map<string, Row[]>();
  const accountsOf = (test: (truth: TruthRecord) => boolean) =>
    [...run.accounts.values()].filter(({ truth }) => test(truth));
  const exchangesOf = (record: AccountRecord) =>
    (byAccount.get(record.account_id) ?? []).map((row) => row.exchange);
  before(() => {
    run = simulate(4);
    for (const row of run.rows) {
      const list = byAccount.get(row.exchange.account_id) ?? [];
      list.push(row);
      byAccount.set(row.exchange.account_id, list);
    }
  });

  it('loads as evasion:red-team-c; no other cell holds its campaigns or honest groups', async () => {
    const scenario = await loadScenario('evasion:red-team-c');
    assert.deepEqual(
      scenario.campaigns.map((campaign) => campaign.id),
      ['aggregator', 'self-play', 'longform'],
    );
    const others = EVASION_CELLS.map((cell) => EVASION_SCENARIO_INPUTS[`evasion:${cell}`]);
    for (const input of [...others, redTeamScenario(), redTeamBScenario()]) {
      const personas = (input?.personas ?? []).map((persona) => persona.persona as string);
      for (const honest of ['honest_aggregator', 'byok_chat', 'book_writer', 'eval_lab']) {
        assert.ok(!personas.includes(honest));
      }
      const ids = (input?.campaigns ?? []).map((campaign) => campaign.id);
      for (const id of ['aggregator', 'self-play', 'longform']) assert.ok(!ids.includes(id));
    }
  });

  it('is seeded: the same seed gives the same traffic, another seed other traffic', () => {
    assert.equal(simulate(4).digest, run.digest);
    assert.notEqual(simulate(5).digest, run.digest);
  });

  it('routes the aggregator harvest only through established aggregators shared with end users', () => {
    const used = accountsOf((truth) => truth.campaign_id === 'aggregator');
    assert.ok(used.length >= 4);
    const orgs = new Set<unknown>();
    const cards = new Set<unknown>();
    for (const { record, truth } of used) {
      assert.equal(truth.label, 'mixed');
      assert.ok(ageDays(record) >= 365);
      assert.equal(record.verification, 'org');
      orgs.add(record.org_id);
      cards.add(record.payment_fingerprint);
      const rows = byAccount.get(record.account_id) ?? [];
      const attack = rows.filter((row) => row.campaignId === 'aggregator');
      // One key carries both; the harvest is a minority of each aggregator's traffic.
      assert.ok(attack.length > 0 && attack.length < 0.5 * rows.length);
      for (const row of rows) assert.ok(endUser(row.exchange) !== undefined);
      // The operator is a few dozen of the aggregator's users; its end users are thousands.
      assert.ok(distinct(attack.map((row) => endUser(row.exchange))) <= 40);
      assert.ok(distinct(rows.map((row) => endUser(row.exchange))) > 100);
    }
    assert.equal(orgs.size, used.length);
    assert.equal(cards.size, used.length);
    assert.ok(
      run.rows.every(
        (row) =>
          row.campaignId !== 'aggregator' ||
          used.some(({ record }) => record.account_id === row.exchange.account_id),
      ),
    );
    // The honest aggregators have the same shape and no harvest.
    const honest = accountsOf((truth) => truth.group === 'honest_aggregator');
    assert.equal(honest.length, 5);
    for (const { record } of honest) {
      assert.ok(ageDays(record) >= 365);
      assert.equal(record.verification, 'org');
      assert.ok(exchangesOf(record).every((exchange) => endUser(exchange) !== undefined));
    }
  });

  it('spreads self-play thin: 3–8 user turns, growing histories, own card and exit, ≤ 25 a day', () => {
    const players = accountsOf((truth) => truth.campaign_id === 'self-play');
    assert.ok(players.length >= 90);
    assert.equal(distinct(players.map(({ record }) => record.payment_fingerprint)), players.length);
    let multi = 0;
    let total = 0;
    const owners = new Map<string, string>();
    for (const { record } of players) {
      const rows = exchangesOf(record);
      assert.ok(perDay(rows) <= 25);
      for (const exchange of rows) {
        const turns = userTurns(exchange);
        assert.ok(turns >= 1 && turns <= 8);
        total += 1;
        if (turns >= 3) multi += 1;
        const key = `${exchange.ip}|${exchange.ts.slice(0, 10)}`;
        const owner = owners.get(key);
        assert.ok(owner === undefined || owner === record.account_id);
        owners.set(key, record.account_id);
      }
    }
    assert.ok(multi > 0.3 * total);
  });

  it('harvests long form: startup accounts, own domain and organisation, ≤ 12 a day, 16k+ budgets', () => {
    const writers = accountsOf((truth) => truth.campaign_id === 'longform');
    assert.ok(writers.length >= 18);
    assert.ok(distinct(writers.map(({ record }) => record.email_domain)) >= 0.8 * writers.length);
    assert.equal(distinct(writers.map(({ record }) => record.org_id)), writers.length);
    for (const { record } of writers) {
      assert.equal(record.program, 'startup');
      const rows = exchangesOf(record);
      assert.ok(perDay(rows) <= 12);
      for (const exchange of rows) assert.ok(maxTokens(exchange) >= 16_000);
    }
  });

  it('has honest chat-app users and authors carrying the same evidence innocently', () => {
    const users = accountsOf((truth) => truth.group === 'byok_chat');
    assert.equal(users.length, 50);
    assert.ok(users.filter(({ record }) => ageDays(record) <= 21).length >= 10);
    const rows = users.flatMap(({ record }) => exchangesOf(record));
    assert.ok(rows.filter((exchange) => userTurns(exchange) >= 3).length > 0.2 * rows.length);
    const authors = accountsOf((truth) => truth.group === 'book_writer');
    assert.equal(authors.length, 20);
    for (const { record } of authors) {
      for (const exchange of exchangesOf(record)) assert.ok(maxTokens(exchange) >= 16_000);
    }
  });

  // Wait after the previous answer completed before the next user turn of the same conversation.
  const followUpGaps = (group: (truth: TruthRecord) => boolean, minTokens: number): number[] => {
    const gaps: number[] = [];
    for (const { record } of accountsOf(group)) {
      let previous: Exchange | undefined;
      for (const exchange of exchangesOf(record)) {
        const tokens = previous?.response?.output_tokens ?? 0;
        if (previous && tokens >= minTokens && userTurns(exchange) === userTurns(previous) + 1) {
          const answered = Date.parse(previous.ts) + (previous.latency_ms ?? 0);
          gaps.push(Date.parse(exchange.ts) - answered);
        }
        previous = exchange;
      }
    }
    return gaps.sort((a, b) => a - b);
  };
  const median = (values: number[]): number => values[Math.floor(values.length / 2)] as number;

  it('paces conversations: people read the answer, the self-play harness and the eval lab do not', () => {
    const selfPlay = followUpGaps((truth) => truth.campaign_id === 'self-play', 400);
    const readers = followUpGaps((truth) => truth.group === 'byok_chat', 400);
    const lab = followUpGaps((truth) => truth.group === 'eval_lab', 400);
    assert.ok(selfPlay.length > 100 && readers.length > 100 && lab.length > 20);
    assert.ok(median(selfPlay) < 8000, `self-play median ${median(selfPlay)} ms`);
    assert.ok(median(lab) < 3000, `eval lab median ${median(lab)} ms`);
    // 400+ tokens at ≤ 6 tokens a second, partly read while streaming, then thinking and typing.
    assert.ok(median(readers) > 30_000, `reader median ${median(readers)} ms`);
    for (const { record } of accountsOf((truth) => truth.group === 'eval_lab')) {
      assert.equal(record.verification, 'org');
      assert.ok(ageDays(record) >= 365);
    }
  });
});
