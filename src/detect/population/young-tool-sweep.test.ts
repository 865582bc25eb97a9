import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector } from '../create-detector.js';
import type { DetectorThresholds } from '../detector-thresholds.js';

const START = Date.parse('2026-03-02T08:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const POOL = 12;
/** The harvest's pace: one request per account every 20 minutes, round-robin. */
const EVERY = 20 * MINUTE;

const tool = (name: string) => ({
  type: 'function',
  function: { name, parameters: { type: 'object' } },
});
const TOOL_POOL = ['search', 'fetch', 'sql', 'calendar', 'email', 'shell', 'weather', 'maps'];

interface Log {
  accounts: AccountRecord[];
  exchanges: Exchange[];
  /** Operator account → time of its fifth request. */
  fifth: Map<string, number>;
  honest: Set<string>;
}

/**
 * A function-calling harvest opened for the campaign (one afternoon's sign-ups, a throwaway
 * domain, one harness client), each account on its own residential exit, every request offering
 * another draw from one pool of tool definitions; beside it an open-source agent's users (its
 * one schema every time) and an agent platform's service job (its fixed set), plus background chat.
 */
function build(): Log {
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  const fifth = new Map<string, number>();
  const honest = new Set<string>();
  let id = 0;
  const send = (account: string, timeMs: number, ip: string, extra: Partial<Exchange>) => {
    id += 1;
    exchanges.push({
      id: `x${id}`,
      ts: new Date(timeMs).toISOString(),
      account_id: account,
      ip,
      user_agent: `Mozilla/5.0 (${account}) Gecko/20100101`,
      endpoint: 'chat.completions',
      model: 'atlas-2',
      request: { messages: [{ role: 'user', content: `hello ${id}` }] },
      response: { input_tokens: 60, output_tokens: 500, stop_reason: 'stop' },
      status: 200,
      ...extra,
    });
  };
  const record = (account: string, createdMs: number, extra: Partial<AccountRecord>) =>
    accounts.push({
      account_id: account,
      created_at: new Date(createdMs).toISOString(),
      verification: 'email',
      ...extra,
    } as AccountRecord);

  for (let i = 0; i < 80; i += 1) {
    const account = `bg-${i}`;
    honest.add(account);
    record(account, START - 40 * DAY + i * 6 * HOUR, { email_domain: 'gmail.com' });
    for (let k = 0; k < 6; k += 1)
      send(account, START + ((i * 7 + k * 53) % 600) * MINUTE, `81.2.${i}.9`, {
        request: { messages: [{ role: 'user', content: `Dinner idea ${k} for ${i} guests?` }] },
      });
  }
  for (let a = 0; a < POOL; a += 1) {
    const account = `op-${a}`;
    record(account, START - 20 * HOUR + a * 7 * MINUTE, {
      email_domain: 'mailbox-qz.io',
      payment_fingerprint: `card-op-${a}`,
    });
    for (let k = 0; k < 24; k += 1) {
      const timeMs = START + k * EVERY + a * 90_000;
      if (k === 4) fifth.set(account, timeMs);
      const draw = TOOL_POOL.filter((_, at) => (at + k + a) % 3 !== 0).slice(0, 3 + ((k + a) % 4));
      send(account, timeMs, `${100 + a}.${a}.7.9`, {
        user_agent: 'harvest-httpx/0.27',
        request: {
          messages: [
            { role: 'user', content: `Plan the calls needed for task ${a}-${k} with these tools.` },
          ],
          tools: draw.map(tool),
        },
      });
    }
  }
  for (let u = 0; u < 12; u += 1) {
    const account = `agent-${u}`;
    honest.add(account);
    record(account, START - (10 + u * 25) * DAY, { email_domain: `company${u}.com` });
    for (let k = 0; k < 20; k += 1)
      send(account, START + (u * 11 + k * 23) * MINUTE, `93.${u}.4.1`, {
        user_agent: 'open-agent/1.4',
        request: {
          messages: [
            { role: 'system', content: 'You are Open Agent, a coding assistant.' },
            { role: 'user', content: `Fix the failing test number ${u}-${k}` },
          ],
          tools: [tool('read_file'), tool('write_file')],
        },
      });
  }
  for (let j = 0; j < 6; j += 1) {
    const account = `svc-${j}`;
    honest.add(account);
    record(account, START - 20 * HOUR + j * 7 * MINUTE, {
      email_domain: 'jobs-platform.io',
      org_id: `tenant-${j}`,
    });
    for (let k = 0; k < 24; k += 1)
      send(account, START + k * EVERY + j * 60_000, `20.1.${j}.1`, {
        user_agent: 'harvest-httpx/0.27',
        request: {
          messages: [{ role: 'user', content: `Triage ticket ${j}-${k}` }],
          tools: [tool('search'), tool('email'), tool('calendar')],
        },
      });
  }
  exchanges.sort((x, y) => x.ts.localeCompare(y.ts));
  accounts.sort((x, y) => x.created_at.localeCompare(y.created_at));
  return { accounts, exchanges, fifth, honest };
}

function replay(log: Log, thresholds: Partial<DetectorThresholds>) {
  const detector = createDetector({ thresholds });
  let next = 0;
  for (const exchange of log.exchanges) {
    while (
      next < log.accounts.length &&
      (log.accounts[next] as AccountRecord).created_at < exchange.ts
    )
      detector.observeAccount(log.accounts[next++] as AccountRecord);
    detector.observe(exchange);
  }
  return detector.verdicts();
}

const cases: { minimum: number; beforeFifth: boolean }[] = [
  // The sweep is read from each account's first requests: the pool is flagged before any
  // account's fifth request, the look-alikes on one schema or one fixed set never.
  { minimum: 3, beforeFifth: true },
  // Five requests each, as for any other population member: the harvest waits for its fifth round.
  { minimum: 5, beforeFifth: false },
];

for (const { minimum, beforeFifth } of cases) {
  test(`young tool sweep: ${minimum} tool requests → flagged ${beforeFifth ? 'before' : 'after'} the fifth round`, () => {
    const log = build();
    const verdicts = replay(log, { toolSweepMinExchanges: minimum });
    const wrong = verdicts.filter((v) => log.honest.has(v.account_id) && v.verdict === 'attack');
    assert.deepEqual(
      wrong.map((v) => v.account_id),
      [],
    );
    for (const [account, fifthMs] of log.fifth) {
      const verdict = verdicts.find((v) => v.account_id === account);
      assert.equal(verdict?.verdict, 'attack', account);
      assert.ok(verdict?.reasons.some((reason) => reason.code === 'population_linkage'));
      const flaggedMs = Date.parse(verdict?.first_flagged_at as string);
      assert.equal(flaggedMs < fifthMs, beforeFifth, `${account} at ${verdict?.first_flagged_at}`);
    }
  });
}
