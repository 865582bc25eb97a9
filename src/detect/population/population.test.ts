import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector } from '../create-detector.js';
import type { DetectorThresholds } from '../detector-thresholds.js';
import type { Verdict } from '../verdict.js';

const START = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

function randomFrom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Paraphrased elicitation: no shared template, each a weak cue at most. */
const ELICIT = [
  'Explain your reasoning: why does ice float on water? Case %',
  'Walk me through how a hash map resizes itself, variant %',
  'Show your work for the integral of x times e^x, number %',
  'Think it through carefully: should a small bakery lease or buy its oven? Question %',
  'Justify each step when you factor 391, item %',
];
const HOMEWORK = [
  'Solve step by step: a train leaves at 3 pm going 60 km/h, problem %',
  'What is the derivative of x^2 sin x? exercise %',
  'Can you check my answer for the area of a circle of radius %?',
  'Explain the quadratic formula to me, homework %',
];
const CODING = [
  'Refactor the function in utils.ts so it handles empty arrays, task %',
  'Add a unit test for the date parser, ticket %',
  'Why does this build fail with a missing module? job %',
];

interface Built {
  accounts: AccountRecord[];
  exchanges: Exchange[];
  operator: Set<string>;
  honest: Map<string, string>;
}

/**
 * Hand-built month: an operator's pool with nothing operator-controlled in common (an address,
 * a card and a browser each, sign-ups staggered over hours) but a throwaway domain only it
 * uses, a sign-up cohort, two shared daily windows and reasoning elicitation throughout; and
 * the honest groups that carry one or two of those families innocently.
 */
type Family = 'domain' | 'cohort' | 'timing' | 'wording';

const WORDS = [
  'orbit',
  'ledger',
  'prism',
  'harbor',
  'quartz',
  'meadow',
  'signal',
  'lantern',
  'cobalt',
  'thicket',
  'vessel',
  'ember',
];

function build(seed = 3, drop?: Family): Built {
  const random = randomFrom(seed);
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  const operator = new Set<string>();
  const honest = new Map<string, string>();
  let id = 0;
  const send = (
    account: string,
    timeMs: number,
    ip: string,
    prompt: string,
    extra: Partial<Exchange> = {},
  ) => {
    id += 1;
    exchanges.push({
      id: `x${id}`,
      ts: new Date(timeMs).toISOString(),
      account_id: account,
      ip,
      // A browser of its own per account.
      user_agent: extra.user_agent ?? `Mozilla/5.0 (${account}) Gecko/20100101`,
      endpoint: 'chat.completions',
      model: 'atlas-2',
      request: extra.request ?? { messages: [{ role: 'user', content: prompt }] },
      response: { input_tokens: 60, output_tokens: 700, stop_reason: 'stop' },
      status: 200,
      ...(extra.org_id ? { org_id: extra.org_id } : {}),
    });
  };
  const record = (account: string, createdMs: number, extra: Partial<AccountRecord>) => {
    accounts.push({
      account_id: account,
      created_at: new Date(createdMs).toISOString(),
      verification: 'email',
      ...extra,
    } as AccountRecord);
  };
  const phrase = (list: string[], n: number) =>
    (list[n % list.length] as string).replace('%', `${n}-${Math.floor(random() * 1e6)}`);

  // Background sign-ups: one every six hours over the 20 days before the month.
  for (let i = 0; i < 80; i += 1) {
    const account = `bg-${i}`;
    record(account, START - 20 * DAY + i * 6 * HOUR, { email_domain: 'gmail.com' });
    honest.set(account, 'chat');
    for (let k = 0; k < 8; k += 1)
      send(
        account,
        START + random() * 5 * DAY,
        `81.2.${i}.9`,
        `Recipe idea number ${k} for dinner with ${i} guests?`,
      );
  }
  // Operator: 12 accounts in one afternoon, throwaway domain, own exits, two daily windows.
  const word = () => WORDS[Math.floor(random() * WORDS.length)] as string;
  for (let a = 0; a < 12; a += 1) {
    const account = `op-${a}`;
    operator.add(account);
    const created =
      drop === 'cohort'
        ? START - 19 * DAY + a * 37 * HOUR
        : START - 2 * DAY + 14 * HOUR + a * 9 * 60_000;
    record(account, created, {
      email_domain: drop === 'domain' ? 'gmail.com' : 'mailbox-qz.io',
      payment_fingerprint: `card-op-${a}`,
    });
    for (let day = 0; day < 5; day += 1)
      for (const hour of [9, 20])
        for (let k = 0; k < 3; k += 1) {
          const timeMs =
            drop === 'timing'
              ? START + random() * 5 * DAY
              : START + day * DAY + hour * HOUR + (a * 3 + k) * 90_000;
          const prompt =
            drop === 'wording'
              ? `${word()} ${word()}: ${phrase(ELICIT, a * 31 + day * 7 + k)
                  .split(' ')
                  .reverse()
                  .join(' ')} ${word()}`
              : phrase(ELICIT, a * 31 + day * 7 + k);
          send(account, timeMs, `${100 + a}.${day}.7.${k + 2}`, prompt);
        }
  }
  // Students: one university's domain, accounts of every age, evenings, step-by-step homework.
  for (let s = 0; s < 20; s += 1) {
    const account = `student-${s}`;
    honest.set(account, 'students');
    record(account, START - (30 + s * 40) * DAY, {
      email_domain: 'uni-example.edu',
      program: 'edu',
    });
    for (let k = 0; k < 14; k += 1)
      send(
        account,
        START + Math.floor(random() * 5) * DAY + (18 + random() * 5) * HOUR,
        `62.40.${s}.${k % 3}`,
        phrase(HOMEWORK, s * 17 + k),
      );
  }
  // An open-source coding agent: one system prompt and tool schema, independent users.
  const tools = [
    { type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } },
  ];
  for (let u = 0; u < 20; u += 1) {
    const account = `agent-${u}`;
    honest.set(account, 'coding_agent');
    record(account, START - (10 + u * 25) * DAY, { email_domain: `company${u}.com` });
    for (let k = 0; k < 12; k += 1)
      send(account, START + random() * 5 * DAY, `93.${u}.4.1`, '', {
        user_agent: 'open-agent/1.4',
        request: {
          messages: [
            {
              role: 'system',
              content: 'You are Open Agent, a coding assistant working in a repository.',
            },
            { role: 'user', content: phrase(CODING, u * 13 + k) },
          ],
          tools,
        },
      });
  }
  // A startup cohort on the programme, signing up over one week.
  for (let c = 0; c < 10; c += 1) {
    const account = `startup-${c}`;
    honest.set(account, 'startup_cohort');
    record(account, START - 7 * DAY + c * 16 * HOUR, {
      email_domain: `startup${c}.ai`,
      program: 'startup',
    });
    for (let k = 0; k < 10; k += 1)
      send(account, START + random() * 5 * DAY, `77.${c}.1.1`, phrase(ELICIT, c * 5 + k));
  }
  // An organisation's scheduled agent jobs across service accounts (one org).
  for (let j = 0; j < 8; j += 1) {
    const account = `svc-${j}`;
    honest.set(account, 'org_jobs');
    record(account, START - 200 * DAY, { email_domain: 'bigcorp.com', org_id: 'org-bigcorp' });
    for (let day = 0; day < 5; day += 1)
      for (let k = 0; k < 4; k += 1)
        send(
          account,
          START + day * DAY + 2 * HOUR + k * 15 * 60_000 + j * 1000,
          '20.1.1.1',
          phrase(ELICIT, j + k),
          {
            org_id: 'org-bigcorp',
            user_agent: 'bigcorp-scheduler/2',
          },
        );
  }
  exchanges.sort((a, b) => a.ts.localeCompare(b.ts));
  accounts.sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { accounts, exchanges, operator, honest };
}

function replay(
  accounts: AccountRecord[],
  exchanges: Exchange[],
  flush: boolean,
  thresholds: Partial<DetectorThresholds> = {},
): Verdict[] {
  const detector = createDetector({ thresholds });
  let next = 0;
  for (const exchange of exchanges) {
    while (next < accounts.length && (accounts[next] as AccountRecord).created_at < exchange.ts)
      detector.observeAccount(accounts[next++] as AccountRecord);
    detector.observe(exchange);
  }
  if (flush) detector.flush();
  return detector.verdicts();
}

test('population: an operator sharing no operator-controlled value is flagged; look-alikes stay clean', () => {
  const { accounts, exchanges, operator, honest } = build();
  const verdicts = replay(accounts, exchanges, true);
  const flagged = verdicts.filter((verdict) => verdict.verdict === 'attack');
  const caught = flagged.filter((verdict) => operator.has(verdict.account_id));
  assert.equal(caught.length, operator.size, 'every operator account');
  const falsePositives = flagged.filter((verdict) => honest.has(verdict.account_id));
  if (process.env.DEBUG_POP) console.log(JSON.stringify(falsePositives[0], null, 1));
  assert.deepEqual(
    falsePositives.map((verdict) => `${honest.get(verdict.account_id)}:${verdict.account_id}`),
    [],
  );
  const reason = caught[0]?.reasons.find((r) => r.code === 'population_linkage');
  assert.ok(reason, 'reason population_linkage');
  assert.ok(((reason.evidence?.families ?? []) as string[]).length >= 3);
  assert.equal(new Set(caught.map((verdict) => verdict.campaign_id)).size, 1, 'one campaign');
});

for (const drop of ['domain', 'cohort', 'timing', 'wording'] as const) {
  test(`population: defence in depth — without its ${drop} the operator is still caught`, () => {
    const { accounts, exchanges, operator, honest } = build(3, drop);
    const verdicts = replay(accounts, exchanges, true);
    const flagged = verdicts.filter((verdict) => verdict.verdict === 'attack');
    const caught = flagged.filter((verdict) => operator.has(verdict.account_id)).length;
    assert.ok(caught >= operator.size - 1, `${caught} of ${operator.size}`);
    const wrong = flagged.filter((verdict) => honest.has(verdict.account_id));
    assert.deepEqual(
      wrong.map(
        (verdict) =>
          `${honest.get(verdict.account_id)}:${verdict.reasons.map((r) => r.code).join('+')}`,
      ),
      [],
    );
  });
}

test('population: causal — a log cut at T gives the same flags before T', () => {
  const { accounts, exchanges } = build();
  const full = replay(accounts, exchanges, false);
  const flaggedTimes = full
    .map((verdict) => verdict.first_flagged_at)
    .filter((time): time is string => time !== null)
    .sort();
  assert.ok(flaggedTimes.length > 0, 'the stream itself flags the operator before the end');
  const cutAt = flaggedTimes[Math.floor(flaggedTimes.length / 2)] as string;
  const cut = replay(
    accounts.filter((record) => record.created_at < cutAt),
    exchanges.filter((exchange) => exchange.ts < cutAt),
    false,
  );
  const before = (verdicts: Verdict[]) =>
    verdicts
      .filter((verdict) => verdict.first_flagged_at !== null && verdict.first_flagged_at < cutAt)
      .map((verdict) => `${verdict.account_id}@${verdict.first_flagged_at}`)
      .sort();
  assert.deepEqual(before(cut), before(full));
});

test('population: end-of-input flush stamps flags at the last exchange seen', () => {
  const { accounts, exchanges, operator } = build();
  // The first day only: no clustering tick has seen the operator's evening window yet.
  const cutAt = new Date(START + 21 * HOUR).toISOString();
  const head = exchanges.filter((exchange) => exchange.ts < cutAt);
  const last = head[head.length - 1]?.ts as string;
  const verdicts = replay(
    accounts.filter((record) => record.created_at < cutAt),
    head,
    true,
  );
  for (const verdict of verdicts) {
    if (verdict.first_flagged_at !== null) assert.ok(verdict.first_flagged_at <= last);
  }
  assert.ok(
    verdicts.some((v) => operator.has(v.account_id) && v.first_flagged_at === last) ||
      verdicts.every((v) => !operator.has(v.account_id) || v.verdict === 'clean'),
  );
});

test('population: later accounts of a flagged population join its campaign, earlier flags unchanged', () => {
  const { accounts, exchanges, operator } = build();
  const first = replay(accounts, exchanges, false);
  // Four more accounts of the same pool, opened on day 2 (its throwaway domain, its windows),
  // each rotating exits from its first requests.
  const late: AccountRecord[] = [];
  const added: Exchange[] = [];
  for (let a = 0; a < 4; a += 1) {
    const account = `op-late-${a}`;
    late.push({
      account_id: account,
      created_at: new Date(START + 2 * DAY + a * 9 * 60_000).toISOString(),
      verification: 'email',
      email_domain: 'mailbox-qz.io',
      payment_fingerprint: `card-late-${a}`,
    } as AccountRecord);
    for (let day = 2; day < 5; day += 1)
      for (const hour of [9, 20])
        for (let k = 0; k < 3; k += 1)
          added.push({
            id: `late-${a}-${day}-${hour}-${k}`,
            ts: new Date(START + day * DAY + hour * HOUR + (36 + a * 3 + k) * 90_000).toISOString(),
            account_id: account,
            ip: `${150 + a}.${day}.${hour + k}.9`,
            user_agent: `Mozilla/5.0 (${account}) Gecko/20100101`,
            endpoint: 'chat.completions',
            model: 'atlas-2',
            request: {
              messages: [
                {
                  role: 'user',
                  content: `Explain your reasoning: why is the sky blue? Case ${a}-${day}-${hour}-${k}`,
                },
              ],
            },
            response: { input_tokens: 60, output_tokens: 700, stop_reason: 'stop' },
            status: 200,
          });
  }
  const all = [...exchanges, ...added].sort((x, y) => x.ts.localeCompare(y.ts));
  const allAccounts = [...accounts, ...late].sort((x, y) =>
    x.created_at.localeCompare(y.created_at),
  );
  const verdicts = replay(allAccounts, all, false);
  const byId = new Map(verdicts.map((verdict) => [verdict.account_id, verdict]));
  const campaign = byId.get('op-0')?.campaign_id;
  assert.ok(campaign, 'the pool is a campaign');
  for (const verdict of first.filter((v) => operator.has(v.account_id)))
    assert.equal(byId.get(verdict.account_id)?.first_flagged_at, verdict.first_flagged_at);
  for (const record of late) {
    const verdict = byId.get(record.account_id);
    assert.equal(verdict?.verdict, 'attack', record.account_id);
    assert.equal(verdict?.campaign_id, campaign, `${record.account_id} joins the pool's campaign`);
    // Tied to the pool by its domain and, after a few shared windows, by its timing.
    const joinedBy = START + 3 * DAY + 21 * HOUR;
    assert.ok(
      Date.parse(verdict?.first_flagged_at as string) <= joinedBy,
      `${record.account_id} flagged at ${verdict?.first_flagged_at}`,
    );
  }
});

/**
 * Four more accounts of the pool, opened in its sign-up afternoon with its throwaway domain, that
 * each send only four requests on day 2, every one from another network (the pool's proxies).
 */
function withShortLivedLateAccounts(): { accounts: AccountRecord[]; exchanges: Exchange[] } {
  const { accounts, exchanges } = build();
  const late: AccountRecord[] = [];
  const added: Exchange[] = [];
  for (let a = 0; a < 4; a += 1) {
    const account = `op-short-${a}`;
    late.push({
      account_id: account,
      created_at: new Date(START - 2 * DAY + 14 * HOUR + (12 + a) * 9 * 60_000).toISOString(),
      verification: 'email',
      email_domain: 'mailbox-qz.io',
      payment_fingerprint: `card-short-${a}`,
    } as AccountRecord);
    for (let k = 0; k < 4; k += 1)
      added.push({
        id: `short-${a}-${k}`,
        ts: new Date(START + 2 * DAY + 9 * HOUR + (a * 4 + k) * 7 * 60_000).toISOString(),
        account_id: account,
        ip: `${170 + a}.${k}.9.9`,
        user_agent: `Mozilla/5.0 (${account}) Gecko/20100101`,
        endpoint: 'chat.completions',
        model: 'atlas-2',
        request: {
          messages: [
            { role: 'user', content: `Explain your reasoning: why do tides rise? Case ${a}-${k}` },
          ],
        },
        response: { input_tokens: 60, output_tokens: 700, stop_reason: 'stop' },
        status: 200,
      });
  }
  return {
    accounts: [...accounts, ...late].sort((x, y) => x.created_at.localeCompare(y.created_at)),
    exchanges: [...exchanges, ...added].sort((x, y) => x.ts.localeCompare(y.ts)),
  };
}

const shortJoinCases: { minimum: number; joined: boolean }[] = [
  // Tied to the placed pool by its domain and sign-up afternoon, with its own rotating exits.
  { minimum: 3, joined: true },
  // Five requests of its own, as for a first grouping: four never reach it.
  { minimum: 5, joined: false },
];

for (const { minimum, joined } of shortJoinCases) {
  test(`population: a short-lived later account of a placed pool, join minimum ${minimum} → ${joined ? 'joins' : 'stays out'}`, () => {
    const { accounts, exchanges } = withShortLivedLateAccounts();
    const verdicts = replay(accounts, exchanges, false, { populationJoinMinExchanges: minimum });
    const byId = new Map(verdicts.map((verdict) => [verdict.account_id, verdict]));
    const campaign = byId.get('op-0')?.campaign_id;
    assert.ok(campaign, 'the pool is a campaign');
    for (let a = 0; a < 4; a += 1) {
      const verdict = byId.get(`op-short-${a}`);
      assert.equal(verdict?.verdict === 'attack', joined, `op-short-${a}`);
      if (joined) assert.equal(verdict?.campaign_id, campaign);
    }
    const { honest } = build();
    const wrong = verdicts.filter((v) => honest.has(v.account_id) && v.verdict === 'attack');
    assert.deepEqual(
      wrong.map((v) => v.account_id),
      [],
    );
  });
}
