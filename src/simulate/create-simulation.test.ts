import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AccountRecord, Exchange, TruthRecord } from '../log/exchange.js';
import { parseAccountRecord, parseExchange } from '../log/index.js';
import {
  BUILT_IN_SCENARIOS,
  createSimulation,
  LANGUAGES,
  loadScenario,
  networkPrefixes,
  PERSONAS,
  type SimulationEvent,
} from './index.js';
import { REASONING_REQUESTS } from './multilingual-phrases.js';
import { CENSORSHIP_TEMPLATES, SENSITIVE_TOPICS } from './prompt-content.js';

interface Collected {
  events: SimulationEvent[];
  exchanges: { exchange: Exchange; campaignId: string | null; at: number }[];
  accounts: Map<string, { record: AccountRecord; truth: TruthRecord; at: number }>;
}

function collect(events: Iterable<SimulationEvent>): Collected {
  const collected: Collected = { events: [], exchanges: [], accounts: new Map() };
  for (const event of events) {
    collected.events.push(event);
    if (event.type === 'account') {
      collected.accounts.set(event.account.account_id, {
        record: event.account,
        truth: event.truth,
        at: event.at,
      });
    } else {
      collected.exchanges.push({
        exchange: event.exchange,
        campaignId: event.campaignId,
        at: event.at,
      });
    }
  }
  return collected;
}

function* drain(simulation: ReturnType<typeof createSimulation>): Generator<SimulationEvent> {
  for (let event = simulation.next(); event; event = simulation.next()) yield event;
}

function text(exchange: Exchange): string {
  return JSON.stringify(exchange.request);
}

function ipv4Kind(ip: string): string | undefined {
  if (ip.includes(':')) return undefined;
  const value = ip.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
  for (const network of networkPrefixes()) {
    const [base, bits] = network.prefix.split('/') as [string, string];
    if (base.includes(':')) continue;
    const start = base.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
    if (value >= start && value < start + 2 ** (32 - Number(bits))) return network.kind;
  }
  return 'unmapped';
}

describe('createSimulation on quickstart', () => {
  let run: Collected;
  before(async () => {
    const simulation = createSimulation(await loadScenario('quickstart'), { seed: 1, scale: 0.25 });
    run = collect(drain(simulation));
  });

  it('emits events in non-decreasing time, each account before its first exchange', () => {
    let previous = -Infinity;
    const seen = new Set<string>();
    for (const event of run.events) {
      assert.ok(event.at >= previous, 'time went backwards');
      previous = event.at;
      if (event.type === 'account') seen.add(event.account.account_id);
      else assert.ok(seen.has(event.exchange.account_id), 'exchange before its account');
    }
    assert.ok(run.exchanges.length > 15_000, `only ${run.exchanges.length} exchanges`);
  });

  it('writes contract-valid exchanges and account records with unique ids', () => {
    const ids = new Set<string>();
    for (const { exchange, at } of run.exchanges) {
      const parsed = parseExchange(JSON.parse(JSON.stringify(exchange)));
      assert.ok(parsed.success, parsed.success ? '' : parsed.error);
      assert.equal(Date.parse(exchange.ts), at);
      assert.ok(!ids.has(exchange.id), `duplicate id ${exchange.id}`);
      ids.add(exchange.id);
      if (exchange.status === 200) {
        assert.ok(
          exchange.response &&
            exchange.response.input_tokens > 0 &&
            exchange.response.output_tokens > 0,
        );
      }
    }
    for (const { record, truth } of run.accounts.values()) {
      const parsed = parseAccountRecord(JSON.parse(JSON.stringify(record)));
      assert.ok(parsed.success, parsed.success ? '' : parsed.error);
      assert.equal(typeof record.asn, 'number');
      assert.equal(truth.account_id, record.account_id);
      if (truth.label === 'legit') assert.equal(truth.campaign_id, null);
      else assert.ok(truth.campaign_id && truth.operator);
    }
  });

  it('holds every hard-negative group and all three labels', () => {
    const groups = new Set([...run.accounts.values()].map(({ truth }) => truth.group));
    for (const persona of PERSONAS) assert.ok(groups.has(persona), `missing group ${persona}`);
    const labels = new Set([...run.accounts.values()].map(({ truth }) => truth.label));
    assert.deepEqual([...labels].sort(), ['attack', 'legit', 'mixed']);
  });

  it('carries every attack capability the reports describe', () => {
    const attack = run.exchanges
      .filter(({ campaignId }) => campaignId !== null)
      .map(({ exchange }) => exchange);
    const bodies = attack.map(text);
    const languagesSeen = LANGUAGES.filter((language) =>
      REASONING_REQUESTS[language].some((phrase) =>
        bodies.some((body) => body.includes(JSON.stringify(phrase).slice(1, -1))),
      ),
    );
    assert.deepEqual(languagesSeen, [...LANGUAGES], 'reasoning requests in every language');
    assert.ok(
      bodies.some((body) => body.includes('rubric') || body.includes('评分标准')),
      'rubric grading',
    );
    assert.ok(
      bodies.some((body) => SENSITIVE_TOPICS.some((topic) => body.includes(topic))),
      'censorship rewrites',
    );
    assert.ok(CENSORSHIP_TEMPLATES.length > 0);
    assert.ok(
      attack.some(
        (exchange) => Array.isArray(exchange.request.tools) && exchange.request.tools.length > 0,
      ),
      'tool definitions',
    );
    assert.ok(
      bodies.some((body) => body.includes('computer')),
      'computer use',
    );
    assert.ok(
      bodies.some(
        (body) =>
          body.includes('image_url') ||
          body.includes('"type":"image"') ||
          body.includes('input_image'),
      ),
      'vision',
    );
    assert.ok(
      bodies.some((body) => body.includes('read_file') || body.includes('function that')),
      'coding',
    );
  });

  it('gives campaigns their infrastructure traits', () => {
    const attackAccounts = [...run.accounts.values()].filter(
      ({ truth }) => truth.label === 'attack',
    );
    const kinds = new Set(
      run.exchanges
        .filter(({ campaignId }) => campaignId)
        .map(({ exchange }) => ipv4Kind(exchange.ip)),
    );
    assert.ok(kinds.has('datacenter') && kinds.has('residential'), `attack IP kinds ${[...kinds]}`);
    assert.ok(!kinds.has('unmapped'), 'every IPv4 address is in the IP→ASN table');
    const payments = new Map<string, number>();
    for (const { record } of attackAccounts) {
      if (record.payment_fingerprint)
        payments.set(
          record.payment_fingerprint,
          (payments.get(record.payment_fingerprint) ?? 0) + 1,
        );
    }
    assert.ok(
      [...payments.values()].some((count) => count >= 3),
      'shared payment fingerprints',
    );
    const programs = new Set(attackAccounts.map(({ record }) => record.program));
    for (const program of ['edu', 'research', 'startup'])
      assert.ok(programs.has(program as never), `program ${program}`);
    const burst = attackAccounts
      .filter(({ truth }) => truth.campaign_id === 'campaign-b')
      .map(({ record }) => Date.parse(record.created_at));
    assert.ok(
      Math.max(...burst) - Math.min(...burst) < 4 * 3_600_000,
      'burst sign-up within hours',
    );
    assert.ok(
      run.exchanges.some(({ exchange }) => exchange.ip.includes(':')),
      'IPv6 traffic',
    );
  });

  it('routes part of a campaign through mixed accounts and pivots to the released model', async () => {
    const mixedIds = new Set(
      [...run.accounts.values()]
        .filter(({ truth }) => truth.label === 'mixed')
        .map(({ record }) => record.account_id),
    );
    const onMixed = run.exchanges.filter(({ exchange }) => mixedIds.has(exchange.account_id));
    assert.ok(
      onMixed.some(({ campaignId }) => campaignId === 'campaign-c'),
      'attack exchanges on mixed accounts',
    );
    assert.ok(
      onMixed.some(({ campaignId }) => campaignId === null),
      'customer exchanges on mixed accounts',
    );
    const scenario = await loadScenario('quickstart');
    const releaseAt =
      Date.parse(scenario.start) + (scenario.models.release?.atHour ?? 0) * 3_600_000;
    const late = run.exchanges.filter(
      ({ campaignId, at }) => campaignId === 'campaign-c' && at > releaseAt + 24 * 3_600_000,
    );
    const share = late.filter(({ exchange }) => exchange.model === 'atlas-3').length / late.length;
    assert.ok(share > 0.35 && share < 0.65, `pivot share ${share}`);
  });

  it('synchronises round-robin campaigns: one account every gap, in rotation', () => {
    const times = run.exchanges
      .filter(({ campaignId }) => campaignId === 'campaign-a')
      .map(({ at }) => at);
    const gaps = times.slice(1).map((time, index) => time - (times[index] as number));
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    assert.ok(
      gaps.every((gap) => gap > mean * 0.9 && gap < mean * 1.1),
      'regular cadence',
    );
  });
});

describe('createSimulation determinism and scenarios', () => {
  it('repeats the same events for the same seed and differs for another seed', async () => {
    const scenario = await loadScenario('quickstart');
    const first = (seed: number) => {
      const simulation = createSimulation(scenario, { seed, scale: 0.05 });
      const events: SimulationEvent[] = [];
      for (let index = 0; index < 2000; index++) {
        const event = simulation.next();
        if (event) events.push(event);
      }
      return JSON.stringify(events);
    };
    assert.equal(first(1), first(1));
    assert.notEqual(first(1), first(2));
  });

  for (const name of BUILT_IN_SCENARIOS) {
    it(`generates ${name} at a small scale`, async () => {
      const scenario = await loadScenario(name);
      const simulation = createSimulation(scenario, {
        seed: 1,
        scale: name === 'quickstart' ? 0.05 : 0.0015,
      });
      let exchanges = 0;
      let attack = 0;
      for (let event = simulation.next(); event; event = simulation.next()) {
        if (event.type !== 'exchange') continue;
        exchanges += 1;
        if (event.campaignId) attack += 1;
      }
      const summary = simulation.summary();
      assert.equal(summary.exchanges, exchanges);
      assert.ok(attack > 0 && exchanges > attack, `${name}: ${attack} attack of ${exchanges}`);
      assert.equal(summary.campaigns.length, scenario.campaigns.length);
    });
  }
});

describe('createSimulation timing realism', () => {
  it('gives chat customers a local diurnal shape (days busier than nights)', async () => {
    const simulation = createSimulation(await loadScenario('quickstart'), { seed: 2, scale: 0.1 });
    const countries = new Map<string, string>();
    const offsets: Record<string, number> = {
      US: -6,
      GB: 0,
      DE: 1,
      FR: 1,
      JP: 9,
      KR: 9,
      IN: 5.5,
      BR: -3,
    };
    let day = 0;
    let night = 0;
    for (let event = simulation.next(); event; event = simulation.next()) {
      if (event.type === 'account') {
        if (event.truth.persona === 'chat' && event.account.country)
          countries.set(event.account.account_id, event.account.country);
        continue;
      }
      const country = countries.get(event.exchange.account_id);
      const offset = country === undefined ? undefined : offsets[country];
      if (offset === undefined) continue;
      const hour = (((event.at / 3_600_000 + offset) % 24) + 24) % 24;
      if (hour >= 10 && hour < 18) day += 1;
      else if (hour >= 1 && hour < 6) night += 1;
    }
    // 8 day hours vs 5 night hours; the curve makes a day hour ~6× busier than a night hour.
    assert.ok(day / 8 > (3 * night) / 5, `day ${day} vs night ${night}`);
  });
});
