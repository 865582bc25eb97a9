import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector } from '../create-detector.js';

const START = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const tool = (name: string) => ({
  type: 'function',
  function: {
    name,
    description: `Tool ${name}.`,
    parameters: { type: 'object', properties: { arg: { type: 'string' } }, required: ['arg'] },
  },
});
/** A harness's tool set (the same on every request of its users; each group its own). */
const harness = (group: string) =>
  ['search', 'open_page', 'run_python', 'read_file', 'write_file', 'shell'].map((name) =>
    tool(`${group}_${name}`),
  );
const GOALS = [
  'Find the three most cited papers on battery recycling and summarise them, job',
  'Build a CSV of the quarterly revenue of the listed companies, task',
  'Plan a week-long trip to Kyoto within a budget and book nothing yet, case',
  'Fix the failing unit test in the parser module and explain the bug, ticket',
  'Collect the opening hours of the city libraries into a table, item',
];

/** A long tool session: the goal, then tool calls and their results. */
function session(group: string, goal: string, rounds: number): Record<string, unknown> {
  const messages: Record<string, unknown>[] = [{ role: 'user', content: goal }];
  for (let round = 0; round < rounds; round += 1) {
    const id = `call_${round}`;
    messages.push({
      role: 'assistant',
      tool_calls: [
        { id, type: 'function', function: { name: 'search', arguments: `{"arg":"${round}"}` } },
      ],
    });
    messages.push({ role: 'tool', tool_call_id: id, content: `result ${round} for ${goal}` });
  }
  return { messages, tools: harness(group), max_tokens: 4096 };
}

interface Group {
  name: string;
  /** Days before the log starts that the accounts were opened. */
  ageDays: number;
  /** The exit of request k of account i. */
  ip: (i: number, k: number) => string;
  orgId?: string;
  /** Hours between two accounts' sign-ups (7 unless told). */
  signupGapHours?: number;
  attack: boolean;
}

/**
 * Five groups of eight accounts running the same harness (a tool set), 24 long sessions each
 * over three days: the operator (new accounts, its own exit rotating across networks, no card,
 * org or address shared), and four innocent carriers that each lack one of its traits.
 */
const GROUPS: readonly Group[] = [
  { name: 'operator', ageDays: 5, ip: (i, k) => `88.${10 + i}.${k % 12}.${7 + k}`, attack: true },
  // An open-source agent's users: years-old accounts, also on changing networks (travel, mobile).
  { name: 'public-agent', ageDays: 400, ip: (i, k) => `91.${20 + i}.${k % 12}.5`, attack: false },
  // A hackathon: new accounts sharing the starter kit, each from its own home network.
  { name: 'hackathon', ageDays: 3, ip: (i) => `92.${30 + i}.4.8`, attack: false },
  // A campus classroom: signed up in one lesson, the course's starter kit, the campus network
  // (three shared addresses of one /48), no exits of their own.
  {
    name: 'classroom',
    ageDays: 1,
    ip: (i) => `2001:db8:8b40:6ff0::${10 + (i % 3)}`,
    signupGapHours: 0.05,
    attack: false,
  },
  // One organisation's new service accounts, rotating cloud egress.
  {
    name: 'org-jobs',
    ageDays: 2,
    ip: (i, k) => `34.${40 + (k % 12)}.${i}.9`,
    orgId: 'org-acme',
    attack: false,
  },
];

function build(): { accounts: AccountRecord[]; exchanges: Exchange[] } {
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  let id = 0;
  for (const group of GROUPS) {
    for (let i = 0; i < 8; i += 1) {
      const account = `${group.name}-${i}`;
      accounts.push({
        account_id: account,
        created_at: new Date(
          START - group.ageDays * DAY + i * (group.signupGapHours ?? 7) * HOUR,
        ).toISOString(),
        verification: 'phone',
        email_domain: 'gmail.com',
        payment_fingerprint: `card-${account}`,
        ...(group.orgId ? { org_id: group.orgId } : {}),
      } as AccountRecord);
      for (let k = 0; k < 24; k += 1) {
        id += 1;
        exchanges.push({
          id: `x${id}`,
          ts: new Date(START + k * 3 * HOUR + i * 11 * 60_000 + (id % 7) * 1000).toISOString(),
          account_id: account,
          ip: group.ip(i, k),
          user_agent: 'OpenAI/Python 1.40.0',
          endpoint: 'chat.completions',
          model: 'atlas-2',
          request: session(group.name, `${GOALS[k % GOALS.length]} ${i}-${k}`, 6 + (k % 9)),
          response: { input_tokens: 900, output_tokens: 400, stop_reason: 'tool_use' },
          status: 200,
          ...(group.orgId ? { org_id: group.orgId } : {}),
        });
      }
    }
  }
  exchanges.sort((a, b) => a.ts.localeCompare(b.ts));
  accounts.sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { accounts, exchanges };
}

test('harness swarm: the operator running a private harness is flagged, its look-alikes stay clean', () => {
  const { accounts, exchanges } = build();
  // The default configuration: the finding is on.
  const detector = createDetector();
  for (const record of accounts) detector.observeAccount(record);
  for (const exchange of exchanges) detector.observe(exchange);
  detector.flush();
  const verdicts = new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
  for (const group of GROUPS) {
    for (let i = 0; i < 8; i += 1) {
      const verdict = verdicts.get(`${group.name}-${i}`);
      assert.ok(verdict, `${group.name}-${i} has a verdict`);
      if (group.attack) {
        assert.equal(verdict.verdict, 'attack', `${group.name}-${i}`);
        const reason = verdict.reasons.find((r) => r.code === 'harness_swarm');
        assert.equal(reason?.evidence?.accounts, 8);
      } else {
        assert.equal(
          verdict.verdict,
          'clean',
          `${group.name}-${i}: ${JSON.stringify(verdict.reasons)}`,
        );
      }
    }
  }
});

test('harness swarm: causal — a log cut at T gives the same flags before T', () => {
  const { accounts, exchanges } = build();
  const replay = (cutAt: string | undefined) => {
    const detector = createDetector({ thresholds: { harnessSwarm: true } });
    for (const record of accounts)
      if (!cutAt || record.created_at < cutAt) detector.observeAccount(record);
    for (const exchange of exchanges) if (!cutAt || exchange.ts < cutAt) detector.observe(exchange);
    return detector
      .verdicts()
      .filter((verdict) => verdict.first_flagged_at !== null)
      .map((verdict) => `${verdict.account_id}@${verdict.first_flagged_at}`);
  };
  const full = replay(undefined);
  const times = full.map((flag) => flag.split('@')[1] as string).sort();
  assert.ok(times.length >= 8, 'the stream itself flags the swarm before the end');
  const cutAt = times[Math.floor(times.length / 2)] as string;
  const before = (flags: string[]) =>
    flags.filter((flag) => (flag.split('@')[1] as string) < cutAt).sort();
  assert.deepEqual(before(replay(cutAt)), before(full));
});

/**
 * An operator rotating five harness variants (tool sets) over one pool of 30 new accounts, as
 * Glasswally's labelled sample rotates five system prompts: accounts 0–24 each skip one variant,
 * 25–29 use all five, so every variant has 25 carriers and the first variant's swarm takes 25 of
 * them, leaving five on each later variant. Those five are the same operator's: the carriers the
 * first swarm holds count as the harness's own, so none of the 30 is left out.
 */
test('harness swarm: a pool rotating several harness variants is caught whole', () => {
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  let id = 0;
  for (let i = 0; i < 30; i += 1) {
    const account = `rotating-${i}`;
    accounts.push({
      account_id: account,
      created_at: new Date(START - 5 * DAY + i * 3 * HOUR).toISOString(),
      verification: 'phone',
      email_domain: 'gmail.com',
      payment_fingerprint: `card-${account}`,
    } as AccountRecord);
    const variants = [0, 1, 2, 3, 4].filter((variant) => i >= 25 || variant !== i % 5);
    for (let k = 0; k < 24; k += 1) {
      id += 1;
      const variant = variants[k % variants.length] as number;
      exchanges.push({
        id: `r${id}`,
        ts: new Date(START + k * 3 * HOUR + i * 5 * 60_000 + (id % 7) * 1000).toISOString(),
        account_id: account,
        ip: `88.${10 + i}.${k % 12}.${7 + k}`,
        user_agent: 'OpenAI/Python 1.40.0',
        endpoint: 'chat.completions',
        model: 'atlas-2',
        request: session(`variant${variant}`, `${GOALS[k % GOALS.length]} ${i}-${k}`, 6 + (k % 9)),
        response: { input_tokens: 900, output_tokens: 400, stop_reason: 'tool_use' },
        status: 200,
      });
    }
  }
  exchanges.sort((a, b) => a.ts.localeCompare(b.ts));
  accounts.sort((a, b) => a.created_at.localeCompare(b.created_at));
  const detector = createDetector();
  for (const record of accounts) detector.observeAccount(record);
  for (const exchange of exchanges) detector.observe(exchange);
  detector.flush();
  const swarm = detector
    .verdicts()
    .filter(
      (verdict) =>
        verdict.verdict === 'attack' && verdict.reasons.some((r) => r.code === 'harness_swarm'),
    );
  assert.equal(swarm.length, 30, swarm.map((verdict) => verdict.account_id).join(' '));
});
