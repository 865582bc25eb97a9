import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { formatNetwork, networkOf, parseIpNetwork } from '../shared/ip-address/index.js';
import { createSimulation } from './create-simulation.js';
import { EVASION_CELLS, evasionScenario } from './evasion-matrix.js';
import { networkPrefixes } from './network-registry.js';
import { parseScenario } from './parse-scenario.js';
import { redTeamScenario } from './red-team-scenario.js';
import type { ScenarioInput } from './scenario.js';

interface Member {
  record: AccountRecord;
  exchanges: Exchange[];
}

const subnetOf = (ip: string) =>
  ip.includes(':') ? ip.split(':').slice(0, 3).join(':') : ip.split('.').slice(0, 3).join('.');
const distinct = <T>(values: T[]) => new Set(values).size;
const texts = (exchange: Exchange): string => JSON.stringify(exchange.request);
/** The kind the simulator's `ip-asn.jsonl` gives the address's prefix. */
const kindOf = (ip: string): string | undefined => {
  const address = parseIpNetwork(ip);
  if (!address) return undefined;
  return networkPrefixes().find(({ prefix }) => {
    const network = parseIpNetwork(prefix);
    return (
      network !== undefined &&
      network.version === address.version &&
      networkOf(address, network.prefixLength) === formatNetwork(network)
    );
  })?.kind;
};

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

describe('VPN course students (red-team cell only)', () => {
  const start = Date.parse('2026-04-06T00:00:00.000Z');
  const members: Member[] = [];
  before(() => {
    const scenario = parseScenario({
      name: 'vpn-course',
      start: '2026-04-06T00:00:00.000Z',
      days: 4,
      models: { available: ['atlas-3'] },
      personas: [{ persona: 'vpn_course', accounts: 40 }],
    });
    const simulation = createSimulation(scenario, { seed: 6, scale: 1 });
    const byAccount = new Map<string, Member>();
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') {
        assert.equal(event.truth.group, 'vpn_course');
        const member = { record: event.account, exchanges: [] as Exchange[] };
        byAccount.set(event.account.account_id, member);
        members.push(member);
      } else byAccount.get(event.exchange.account_id)?.exchanges.push(event.exchange);
    }
  });

  it('is in the red-team cell and in no other matrix cell', () => {
    const personas = (input: ScenarioInput) => (input.personas ?? []).map((spec) => spec.persona);
    assert.ok(personas(redTeamScenario()).includes('vpn_course'));
    for (const cell of EVASION_CELLS)
      assert.ok(!personas(evasionScenario(cell)).includes('vpn_course'), cell);
  });

  it('one course of 40 new students, a card each, no organisation', () => {
    assert.equal(members.length, 40);
    assert.equal(distinct(members.map(({ record }) => record.payment_fingerprint)), 40);
    for (const { record } of members) {
      assert.equal(record.org_id ?? null, null);
      const age = start - Date.parse(record.created_at);
      assert.ok(age > 0 && age <= 15 * 24 * 3600_000, record.created_at);
    }
  });

  it('exits rotate by session over several VPN providers’ /24s', () => {
    let rotating = 0;
    let active = 0;
    for (const { exchanges } of members) {
      if (exchanges.length < 10) continue;
      active += 1;
      if (distinct(exchanges.map((exchange) => subnetOf(exchange.ip))) >= 3) rotating += 1;
    }
    assert.ok(active >= 20, `${active} accounts with 10+ requests`);
    assert.ok(rotating >= active * 0.9, `${rotating} of ${active} on 3+ /24s`);
    const all = members.flatMap(({ exchanges }) =>
      exchanges.map((exchange) => subnetOf(exchange.ip)),
    );
    assert.ok(distinct(all) >= 4 && distinct(all) <= 12, `${distinct(all)} /24s`);
  });

  it('single-turn pasted exercises, no tools, at most 15 a day', () => {
    const exercise = new Map<string, Set<string>>();
    for (const { record, exchanges } of members) {
      const perDay = new Map<string, number>();
      for (const exchange of exchanges) {
        const request = exchange.request as {
          messages?: { role: string }[];
          input?: string | { role: string }[];
          tools?: unknown[];
        };
        // Chat and Anthropic bodies carry `messages`; Responses bodies carry `input`.
        const items =
          request.messages ??
          (typeof request.input === 'string' ? [{ role: 'user' }] : (request.input ?? []));
        assert.equal(items.filter((message) => message.role === 'user').length, 1, texts(exchange));
        assert.equal(request.tools?.length ?? 0, 0);
        const day = exchange.ts.slice(0, 10);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
        const pasted = /Exercise \d+\. [^\n]+/.exec(texts(exchange))?.[0];
        assert.ok(pasted);
        exercise.set(pasted, (exercise.get(pasted) ?? new Set()).add(record.account_id));
      }
      assert.ok(Math.max(0, ...perDay.values()) <= 15);
    }
    // Students paste the same problems: most exercises are asked by several of them.
    const shared = [...exercise.values()].filter((accounts) => accounts.size >= 3).length;
    assert.ok(shared >= 10, `${shared} exercises asked by 3+ students`);
  });
});

describe('mobile course students (red-team cell only)', () => {
  const members: Member[] = [];
  before(() => {
    const scenario = parseScenario({
      name: 'mobile-course',
      start: '2026-04-06T00:00:00.000Z',
      days: 4,
      models: { available: ['atlas-3'] },
      personas: [{ persona: 'mobile_course', accounts: 40 }],
    });
    const simulation = createSimulation(scenario, { seed: 6, scale: 1 });
    const byAccount = new Map<string, Member>();
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') {
        assert.equal(event.truth.group, 'mobile_course');
        const member = { record: event.account, exchanges: [] as Exchange[] };
        byAccount.set(event.account.account_id, member);
        members.push(member);
      } else byAccount.get(event.exchange.account_id)?.exchanges.push(event.exchange);
    }
  });

  it('is in the red-team cell and in no other matrix cell', () => {
    const personas = (input: ScenarioInput) => (input.personas ?? []).map((spec) => spec.persona);
    assert.ok(personas(redTeamScenario()).includes('mobile_course'));
    for (const cell of EVASION_CELLS)
      assert.ok(!personas(evasionScenario(cell)).includes('mobile_course'), cell);
  });

  it('new students with a card each, pasting one course’s exercises single-turn', () => {
    assert.equal(members.length, 40);
    assert.equal(distinct(members.map(({ record }) => record.payment_fingerprint)), 40);
    const exercise = new Map<string, Set<string>>();
    for (const { record, exchanges } of members) {
      assert.equal(record.org_id ?? null, null);
      for (const exchange of exchanges) {
        const pasted = /Exercise \d+\. [^\n]+/.exec(texts(exchange))?.[0];
        assert.ok(pasted);
        exercise.set(pasted, (exercise.get(pasted) ?? new Set()).add(record.account_id));
      }
    }
    const shared = [...exercise.values()].filter((accounts) => accounts.size >= 3).length;
    assert.ok(shared >= 10, `${shared} exercises asked by 3+ students`);
  });

  it('exits rotate over the carrier’s mobile ranges, one home line beside them', () => {
    let rotating = 0;
    let active = 0;
    let phone = 0;
    let requests = 0;
    for (const { exchanges } of members) {
      const byKind = (kind: string) =>
        exchanges.filter((exchange) => kindOf(exchange.ip) === kind).map(({ ip }) => ip);
      assert.equal(byKind('mobile').length + byKind('residential').length, exchanges.length);
      assert.ok(distinct(byKind('residential').map(subnetOf)) <= 1, 'one home Wi-Fi');
      phone += byKind('mobile').length;
      requests += exchanges.length;
      if (exchanges.length < 10) continue;
      active += 1;
      if (distinct(byKind('mobile').map(subnetOf)) >= 3) rotating += 1;
    }
    assert.ok(
      phone >= 0.6 * requests && phone <= 0.8 * requests,
      `${phone} of ${requests} on the phone`,
    );
    assert.ok(active >= 20, `${active} accounts with 10+ requests`);
    assert.ok(rotating >= active * 0.9, `${rotating} of ${active} on 3+ mobile /24s`);
  });
});
