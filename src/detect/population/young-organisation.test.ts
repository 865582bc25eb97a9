import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector } from '../create-detector.js';

const START = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const REQUESTS = 24;

const SUBJECTS = [
  'a lock-free queue',
  'the Chinese remainder theorem',
  'a red-black tree deletion',
  'Bayesian model averaging',
  'a Raft leader election',
  'the Banach fixed-point theorem',
  'an LRU cache with expiry',
  'the simplex method',
  'a trie with wildcard search',
  'Dijkstra with negative edges',
  'the Sylow theorems',
  'a bloom filter sizing',
];
/** A harvest: reasoning elicited on every third request, the rest broad coding and maths. */
const HARVEST = [
  (s: string) =>
    `Think step by step and show your full chain of thought before the final answer about ${s}.`,
  (s: string) => `Write a complete, well-tested Python implementation of ${s} with comments.`,
  (s: string) => `Prove the main result behind ${s} rigorously, covering every edge case.`,
];
/** An office assistant: short everyday work. */
const OFFICE = [
  (s: string) => `Summarise this meeting note in three bullets: we discussed ${s} and budgets.`,
  (s: string) => `Draft a polite reply to a colleague asking about ${s} next week.`,
];
/** A benchmark: the same items, rerun on every seat. */
const ITEMS = [0, 1, 2, 3, 4].map(
  (i) => `Think step by step and show your full chain of thought. Benchmark item ${i}: 17 * 23 = ?`,
);

interface Group {
  name: string;
  seats: number;
  /** Days before the log starts that the organisation's seats were opened. */
  ageDays: number;
  prompt: (seat: number, k: number) => string;
  outputTokens: number;
  /** A fixed tool set on every request (an agent platform's own jobs). */
  tools?: boolean;
  /**
   * Only this rule's finding is checked: the table's clockwork timing and shared exercises link
   * the seats through other rules, which the simulated class (red-team-b `course_org`) escapes.
   */
  findingOnly?: boolean;
  attack: boolean;
}

const tool = {
  type: 'function',
  function: {
    name: 'lookup_ticket',
    description: 'Look up a ticket.',
    parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
  },
};

/** A class's asks (each student's own phrasing) around the course's exercises. */
const STUDENT_ASKS = [
  'Solve this step by step, show all your working and do not skip any steps:',
  'Can you explain how to do this exercise from our course?',
  'I need a detailed worked solution for this one from the problem set:',
];
/** The course's problem set: the same 24 exercises for every student. */
const exercise = (e: number) =>
  `Exercise ${e + 1}. ${(HARVEST[1 + Math.floor(e / 12)] as (s: string) => string)(SUBJECTS[e % 12] as string)}`;

const subject = (seat: number, k: number) =>
  `${SUBJECTS[(seat * 5 + k) % SUBJECTS.length]} (variant ${String.fromCharCode(97 + (k % 26))}${seat})`;

const GROUPS: readonly Group[] = [
  // A front company: twelve seats opened this week, pooled a reasoning and coding harvest.
  {
    name: 'front',
    seats: 12,
    ageDays: 4,
    prompt: (seat, k) => (HARVEST[k % HARVEST.length] as (s: string) => string)(subject(seat, k)),
    outputTokens: 1500,
    attack: true,
  },
  // A company rolling out seats to its staff this week: short office work.
  {
    name: 'rollout',
    seats: 12,
    ageDays: 4,
    prompt: (seat, k) => (OFFICE[k % OFFICE.length] as (s: string) => string)(subject(seat, k)),
    outputTokens: 200,
    attack: false,
  },
  // A research lab that just opened its organisation and benchmarks reasoning through a few keys.
  {
    name: 'new-lab',
    seats: 3,
    ageDays: 4,
    prompt: (seat, k) => (HARVEST[k % HARVEST.length] as (s: string) => string)(subject(seat, k)),
    outputTokens: 1500,
    attack: false,
  },
  // The same lab spreading one benchmark over twelve new seats: its items are rerun.
  {
    name: 'new-lab-seats',
    seats: 12,
    ageDays: 4,
    prompt: (_seat, k) => ITEMS[k % ITEMS.length] as string,
    outputTokens: 1500,
    attack: false,
  },
  // A reasoning lab of standing: the same traffic from an organisation opened long ago.
  {
    name: 'old-lab',
    seats: 12,
    ageDays: 400,
    prompt: (seat, k) => (HARVEST[k % HARVEST.length] as (s: string) => string)(subject(seat, k)),
    outputTokens: 1500,
    attack: false,
  },
  // A class on course seats of a new university organisation: each student pastes every exercise
  // of the course's problem set once, asking for a worked solution.
  {
    name: 'class',
    seats: 30,
    ageDays: 4,
    prompt: (seat, k) => `${STUDENT_ASKS[seat % 3]}\n\n${exercise((seat + k) % 24)}`,
    outputTokens: 1500,
    findingOnly: true,
    attack: false,
  },
  // A new agent platform's service accounts: reasoning asks through its own fixed tool set.
  {
    name: 'agent-platform',
    seats: 12,
    ageDays: 4,
    prompt: (seat, k) => (HARVEST[k % HARVEST.length] as (s: string) => string)(subject(seat, k)),
    outputTokens: 1500,
    tools: true,
    attack: false,
  },
];

function build(): { accounts: AccountRecord[]; exchanges: Exchange[] } {
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  GROUPS.forEach((group, g) => {
    const org = `org-${group.name}`;
    for (let seat = 0; seat < group.seats; seat += 1) {
      const account = `${group.name}-${seat}`;
      accounts.push({
        account_id: account,
        created_at: new Date(START - group.ageDays * DAY + seat * 20 * 60_000).toISOString(),
        verification: 'org',
        org_id: org,
        email_domain: `${group.name}.example`,
        payment_fingerprint: `card-${org}`,
      } as AccountRecord);
      for (let k = 0; k < REQUESTS; k += 1) {
        exchanges.push({
          id: `${account}-${k}`,
          ts: new Date(START + k * 2 * HOUR + seat * 7 * 60_000 + g * 1000).toISOString(),
          account_id: account,
          org_id: org,
          ip: `34.${100 + g}.7.${10 + (seat % 4)}`,
          user_agent: 'OpenAI/Python 1.40.0',
          endpoint: 'chat.completions',
          model: 'atlas-2',
          request: {
            model: 'atlas-2',
            messages: [{ role: 'user', content: group.prompt(seat, k) }],
            ...(group.tools ? { tools: [tool] } : {}),
          },
          response: { input_tokens: 60, output_tokens: group.outputTokens, stop_reason: 'stop' },
          status: 200,
        } as Exchange);
      }
    }
  });
  exchanges.sort((a, b) => a.ts.localeCompare(b.ts));
  accounts.sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { accounts, exchanges };
}

const run = (youngOrganisation: boolean) => {
  const { accounts, exchanges } = build();
  const detector = createDetector({ thresholds: { youngOrganisation } });
  for (const record of accounts) detector.observeAccount(record);
  for (const exchange of exchanges) detector.observe(exchange);
  detector.flush();
  return new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
};

for (const group of GROUPS) {
  test(`young organisation: ${group.name} is ${group.attack ? 'flagged' : 'clean'}`, () => {
    const verdicts = run(true);
    for (let seat = 0; seat < group.seats; seat += 1) {
      const verdict = verdicts.get(`${group.name}-${seat}`);
      assert.ok(verdict, `${group.name}-${seat} has a verdict`);
      const detail = `${group.name}-${seat}: ${JSON.stringify(verdict.reasons)}`;
      if (group.attack) {
        assert.equal(verdict.verdict, 'attack', detail);
        const reason = verdict.reasons.find((r) => r.code === 'young_organisation');
        assert.equal(reason?.evidence?.accounts, group.seats, detail);
      } else if (group.findingOnly) {
        assert.ok(!verdict.reasons.some((r) => r.code === 'young_organisation'), detail);
      } else assert.equal(verdict.verdict, 'clean', detail);
    }
  });
}

test('young organisation: without the rule the front company is not flagged', () => {
  const verdicts = run(false);
  const flagged = [...verdicts.values()].filter(
    (verdict) => verdict.account_id.startsWith('front-') && verdict.verdict === 'attack',
  );
  assert.equal(flagged.length, 0);
});
