import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import { EVASION_CELLS, EVASION_SCENARIO_INPUTS } from './evasion-matrix.js';
import { loadScenario } from './load-scenario.js';
import { redTeamBScenario } from './red-team-b-scenario.js';
import { redTeamScenario } from './red-team-scenario.js';
import type { ScenarioInput } from './scenario.js';
import { collectRun, type Row, type Run } from './testing/collect-run.js';

const DAY = 86_400_000;
const START = Date.parse('2026-04-06T00:00:00.000Z');

/** The second red team's campaigns and honest groups among a few chat customers (fast). */
function simulate(seed: number): Run {
  const input: ScenarioInput = {
    ...redTeamBScenario(),
    personas: [
      { persona: 'chat', accounts: 200 },
      { persona: 'enterprise_rollout', accounts: 1000 },
      { persona: 'veteran_eval', accounts: 200 },
      { persona: 'course_org', accounts: 600 },
    ],
  };
  return collectRun(input, seed);
}

const ageDays = (record: AccountRecord): number => (START - Date.parse(record.created_at)) / DAY;
const distinct = <T>(values: Iterable<T>): number => new Set(values).size;

describe('red-team-b campaigns and honest groups', () => {
  let run: Run;
  const byAccount = new Map<string, Row[]>();
  const accountsOf = (test: (truth: TruthRecord) => boolean) =>
    [...run.accounts.values()].filter(({ truth }) => test(truth));
  before(() => {
    run = simulate(4);
    for (const row of run.rows) {
      const list = byAccount.get(row.exchange.account_id) ?? [];
      list.push(row);
      byAccount.set(row.exchange.account_id, list);
    }
  });

  it('loads as evasion:red-team-b; no other cell holds its campaigns or honest groups', async () => {
    const scenario = await loadScenario('evasion:red-team-b');
    assert.deepEqual(
      scenario.campaigns.map((campaign) => campaign.id),
      ['aged', 'takeover', 'enterprise-seat'],
    );
    const others = [...EVASION_CELLS.map((cell) => EVASION_SCENARIO_INPUTS[`evasion:${cell}`])];
    for (const input of [...others, redTeamScenario()]) {
      const personas = (input?.personas ?? []).map((persona) => persona.persona);
      for (const honest of ['enterprise_rollout', 'veteran_eval', 'course_org'] as const) {
        assert.ok(!personas.includes(honest));
      }
      const ids = (input?.campaigns ?? []).map((campaign) => campaign.id);
      assert.ok(!ids.includes('aged') && !ids.includes('takeover'));
    }
  });

  it('is seeded: the same seed gives the same traffic, another seed other traffic', () => {
    assert.equal(simulate(4).digest, run.digest);
    assert.notEqual(simulate(5).digest, run.digest);
  });

  const traits: { name: string; check: () => void }[] = [
    {
      name: 'aged: opened 60–540 days before, no same-hour clump, own card, chat first',
      check: () => {
        const aged = accountsOf((truth) => truth.campaign_id === 'aged');
        assert.ok(aged.length >= 50);
        for (const { record } of aged) {
          assert.ok(ageDays(record) >= 60 && ageDays(record) <= 541, `${ageDays(record)}`);
        }
        const hours = aged.map(({ record }) => Math.floor(Date.parse(record.created_at) / 3.6e6));
        assert.ok(distinct(hours) >= aged.length - 1, 'no sign-up clump');
        assert.equal(distinct(aged.map(({ record }) => record.payment_fingerprint)), aged.length);
        // Warm-up (36 h: the switch falls 12–36 h in): casual chat only in the first 12 hours,
        // reasoning harvest once every account has switched.
        const ids = new Set(aged.map(({ record }) => record.account_id));
        const rows = run.rows.filter((row) => ids.has(row.exchange.account_id));
        const at = (row: Row) => Date.parse(row.exchange.ts) - START;
        const reasoning = (row: Row) => row.exchange.response?.reasoning_tokens !== undefined;
        const early = rows.filter((row) => at(row) < 12 * 3.6e6);
        const late = rows.filter((row) => at(row) >= 36 * 3.6e6);
        assert.ok(early.length >= 20, `${early.length} early exchanges`);
        assert.equal(early.filter(reasoning).length, 0);
        assert.ok(late.filter(reasoning).length > late.length * 0.3);
      },
    },
    {
      name: 'takeover: years-old customer accounts (mixed); the thief uses other exits and client',
      check: () => {
        const keys = accountsOf((truth) => truth.campaign_id === 'takeover');
        assert.ok(keys.length >= 30);
        let split = 0;
        for (const { record, truth } of keys) {
          assert.equal(truth.label, 'mixed');
          assert.ok(ageDays(record) >= 90);
          const rows = byAccount.get(record.account_id) ?? [];
          const owner = rows.filter((row) => row.campaignId === null).map((row) => row.exchange);
          const thief = rows.filter((row) => row.campaignId !== null).map((row) => row.exchange);
          if (owner.length === 0 || thief.length === 0) continue;
          const ownerIps = new Set(owner.map((exchange) => exchange.ip));
          const ownerAgents = new Set(owner.map((exchange) => exchange.user_agent));
          assert.ok(thief.every((exchange) => !ownerIps.has(exchange.ip)));
          if (thief.some((exchange) => !ownerAgents.has(exchange.user_agent))) split += 1;
          // The thief starts within 48 hours of the window's start (the leak), not at once.
          assert.ok(Date.parse(thief[0]?.ts as string) < START + 50 * 3.6e6);
        }
        assert.ok(split >= keys.length * 0.6, `${split} of ${keys.length}`);
      },
    },
    {
      name: 'enterprise-seat: one organisation, card and domain, opened in clumps within 5 days',
      check: () => {
        const seats = accountsOf((truth) => truth.campaign_id === 'enterprise-seat');
        assert.ok(seats.length >= 50);
        assert.equal(distinct(seats.map(({ record }) => record.org_id)), 1);
        assert.equal(distinct(seats.map(({ record }) => record.payment_fingerprint)), 1);
        assert.equal(distinct(seats.map(({ record }) => record.email_domain)), 1);
        assert.ok(
          seats.every(({ record }) => record.verification === 'org' && ageDays(record) <= 5),
        );
      },
    },
    {
      name: 'enterprise_rollout: 200 seats of one company opened within a week, one org and egress',
      check: () => {
        const seats = accountsOf((truth) => truth.group === 'enterprise_rollout');
        assert.equal(seats.length, 50);
        assert.equal(distinct(seats.map(({ record }) => record.org_id)), 1);
        assert.equal(distinct(seats.map(({ record }) => record.payment_fingerprint)), 1);
        assert.ok(seats.every(({ record }) => ageDays(record) <= 7 && ageDays(record) > -4));
        const ips = new Set(
          seats.flatMap(({ record }) =>
            (byAccount.get(record.account_id) ?? []).map((row) => row.exchange.ip),
          ),
        );
        assert.ok(ips.size <= 4, `${ips.size} egress addresses`);
      },
    },
    {
      name: 'veteran_eval: a year or more old; a benchmark run from a cloud address beside the usual use',
      check: () => {
        const veterans = accountsOf((truth) => truth.group === 'veteran_eval');
        assert.ok(veterans.length >= 10);
        for (const { record } of veterans) {
          assert.ok(ageDays(record) >= 365);
          const rows = (byAccount.get(record.account_id) ?? []).map((row) => row.exchange);
          const job = rows.filter(
            (exchange) => (exchange.request as { temperature?: number }).temperature === 0,
          );
          assert.ok(job.length >= 500, `${job.length} job requests`);
          assert.equal(distinct(job.map((exchange) => exchange.ip)), 1);
          assert.ok(
            rows.some((exchange) => exchange.ip !== job[0]?.ip),
            'usual use elsewhere',
          );
        }
      },
    },
    {
      name: 'course_org: 30 new seats of one university org; shared exercises, each once a student',
      check: () => {
        const seats = accountsOf((truth) => truth.group === 'course_org');
        assert.equal(seats.length, 30);
        assert.equal(distinct(seats.map(({ record }) => record.org_id)), 1);
        assert.equal(distinct(seats.map(({ record }) => record.payment_fingerprint)), 1);
        assert.ok(seats.every(({ record }) => record.email_domain?.endsWith('.edu')));
        assert.ok(
          seats.every(({ record }) => ageDays(record) <= 14 && record.verification === 'org'),
        );
        const exerciseOf = (exchange: Exchange) => {
          const text = JSON.stringify(exchange.request);
          return /Exercise (\d+)\./.exec(text)?.[1] ?? '';
        };
        const carriers = new Map<string, Set<string>>();
        let total = 0;
        for (const { record } of seats) {
          const rows = (byAccount.get(record.account_id) ?? []).map((row) => row.exchange);
          const exercises = rows.map(exerciseOf);
          assert.ok(exercises.every((exercise) => exercise !== ''));
          // Each student pastes an exercise once (the set has 24; a student sends a few a day).
          if (exercises.length <= 24) assert.equal(distinct(exercises), exercises.length);
          for (const exercise of exercises) {
            const set = carriers.get(exercise) ?? new Set();
            set.add(record.account_id);
            carriers.set(exercise, set);
          }
          total += rows.length;
        }
        // The same exercises across the class: each is pasted by several students.
        assert.ok(carriers.size <= 24);
        assert.ok([...carriers.values()].every((set) => set.size >= 2));
        // A few requests a day per student (four days).
        assert.ok(total / seats.length / 4 <= 8, `${total} requests`);
      },
    },
  ];
  for (const trait of traits) it(trait.name, trait.check);
});
