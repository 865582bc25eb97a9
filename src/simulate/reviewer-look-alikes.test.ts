import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { createSimulation } from './create-simulation.js';
import { parseScenario } from './parse-scenario.js';

interface Member {
  record: AccountRecord;
  exchanges: Exchange[];
}

const subnetOf = (ip: string) =>
  ip.includes(':') ? ip.split(':').slice(0, 3).join(':') : ip.split('.').slice(0, 3).join('.');
const distinct = <T>(values: T[]) => new Set(values).size;
const texts = (exchange: Exchange): string => JSON.stringify(exchange.request);

describe('reviewer look-alikes carry their innocent evidence', () => {
  const groups = new Map<string, Member[]>();
  before(() => {
    const scenario = parseScenario({
      name: 'reviewer-look-alikes',
      start: '2026-04-06T00:00:00.000Z',
      days: 2,
      models: { available: ['atlas-3'] },
      personas: [
        { persona: 'chat', accounts: 40 },
        { persona: 'labelling_vendor', accounts: 30, networks: 1 },
        { persona: 'benchmark_service', accounts: 6, networks: 2 },
        { persona: 'exam_teacher', accounts: 20 },
        { persona: 'mobile_cgnat', accounts: 40, networks: 1 },
      ],
    });
    const simulation = createSimulation(scenario, { seed: 5, scale: 1 });
    const byAccount = new Map<string, Member>();
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') {
        const member = { record: event.account, exchanges: [] as Exchange[] };
        byAccount.set(event.account.account_id, member);
        const group = event.truth.group as string;
        groups.set(group, [...(groups.get(group) ?? []), member]);
      } else byAccount.get(event.exchange.account_id)?.exchanges.push(event.exchange);
    }
  });
  const group = (name: string) => {
    const members = groups.get(name) ?? [];
    assert.ok(members.length > 0, name);
    return members;
  };

  it('labelling vendor: one office, one guideline, rubric grading', () => {
    const members = group('labelling_vendor');
    const exchanges = members.flatMap((member) => member.exchanges);
    assert.ok(exchanges.length > 100);
    const guidelines = exchanges.map((exchange) => /guideline (\w{4})/.exec(texts(exchange))?.[1]);
    assert.equal(distinct(guidelines), 1);
    assert.ok(guidelines[0]);
    assert.ok(distinct(exchanges.map((exchange) => exchange.ip)) <= 3);
    assert.ok(exchanges.filter((exchange) => /rubric|guideline/.test(texts(exchange))).length > 50);
    assert.equal(distinct(members.map(({ record }) => record.org_id)), 1);
  });

  it('benchmark service: few accounts on a cloud, public eval items at volume', () => {
    const members = group('benchmark_service');
    assert.equal(distinct(members.map(({ record }) => record.org_id)), 2);
    for (const { exchanges } of members) assert.ok(exchanges.length > 200);
  });

  it('exam teachers: worked solutions in three or more languages each', () => {
    for (const { exchanges } of group('exam_teacher')) {
      if (exchanges.length < 10) continue;
      const languages = exchanges.map((exchange) => /\((\w\w)\)/.exec(texts(exchange))?.[1]);
      assert.ok(distinct(languages) >= 2, `${distinct(languages)} languages`);
    }
  });

  it('mobile CGNAT: exits hop across the pool’s subnets and are shared with strangers', () => {
    const members = group('mobile_cgnat');
    const users = new Map<string, Set<string>>();
    let hoppers = 0;
    for (const { record, exchanges } of members) {
      for (const exchange of exchanges)
        users.set(exchange.ip, (users.get(exchange.ip) ?? new Set()).add(record.account_id));
      if (distinct(exchanges.map((exchange) => subnetOf(exchange.ip))) >= 3) hoppers += 1;
    }
    assert.ok(hoppers >= 5, `${hoppers} accounts on 3+ subnets`);
    assert.ok(Math.max(...[...users.values()].map((set) => set.size)) >= 5);
  });
});
