import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector } from '../create-detector.js';

const START = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const CONVERSATIONS = 6;
const TURNS = 4;
const ANSWER_TOKENS = 600;
const LATENCY_MS = 9000;

const TOPICS = ['tides', 'compilers', 'photosynthesis', 'inflation', 'volcanoes', 'chess openings'];

interface Group {
  name: string;
  accounts: number;
  ageDays: number;
  /** Wait after an answer completed before the next user turn (ms), turn by turn. */
  gapMs: (account: number, turn: number) => number;
  /** An established organisation (a lab). */
  organisation?: boolean;
  attack: boolean;
}

const GROUPS: readonly Group[] = [
  // Self-play: a student model writes the next turn seconds after the teacher's answer.
  {
    name: 'self-play',
    accounts: 12,
    ageDays: 6,
    gapMs: (a, t) => 2000 + ((a + t) % 4) * 700,
    attack: true,
  },
  // A lab's scripted multi-turn benchmark: as fast, from an organisation of standing.
  {
    name: 'eval-lab',
    accounts: 12,
    ageDays: 500,
    gapMs: () => 400,
    organisation: true,
    attack: false,
  },
  // New chat users who read: a minute or more, now and then a quick skim of a few seconds.
  {
    name: 'readers',
    accounts: 12,
    ageDays: 6,
    gapMs: (a, t) => ((a + t) % 4 === 0 ? 3000 : 60_000 + ((a * 7 + t) % 5) * 15_000),
    attack: false,
  },
];

function build(): { accounts: AccountRecord[]; exchanges: Exchange[] } {
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  GROUPS.forEach((group, g) => {
    for (let a = 0; a < group.accounts; a += 1) {
      const account = `${group.name}-${a}`;
      accounts.push({
        account_id: account,
        created_at: new Date(START - group.ageDays * DAY - a * 5 * HOUR).toISOString(),
        verification: group.organisation ? 'org' : 'phone',
        ...(group.organisation ? { org_id: `org-${group.name}-${a}` } : {}),
        email_domain: `mail${a}.example`,
        payment_fingerprint: `card-${account}`,
      } as AccountRecord);
      for (let c = 0; c < CONVERSATIONS; c += 1) {
        let at = START + c * 5 * HOUR + a * 13 * 60_000 + g * 7000;
        const messages: { role: string; content: string }[] = [];
        for (let t = 0; t < TURNS; t += 1) {
          messages.push({
            role: 'user',
            content: `Question ${t + 1} about ${TOPICS[(a + c) % TOPICS.length]} from ${account}, conversation ${c}?`,
          });
          exchanges.push({
            id: `${account}-${c}-${t}`,
            ts: new Date(at).toISOString(),
            account_id: account,
            ip: `${81 + g}.${(a * 17) % 250}.${c + 1}.9`,
            user_agent: `client-${account}`,
            endpoint: 'chat.completions',
            model: 'atlas-2',
            request: { model: 'atlas-2', messages: [...messages] },
            response: { input_tokens: 60, output_tokens: ANSWER_TOKENS, stop_reason: 'stop' },
            status: 200,
            latency_ms: LATENCY_MS,
          } as Exchange);
          messages.push({ role: 'assistant', content: `Answer ${t + 1}.` });
          at += LATENCY_MS + group.gapMs(a, t);
        }
      }
    }
  });
  exchanges.sort((x, y) => x.ts.localeCompare(y.ts));
  accounts.sort((x, y) => x.created_at.localeCompare(y.created_at));
  return { accounts, exchanges };
}

const run = (machinePacedSwarm: boolean) => {
  const { accounts, exchanges } = build();
  const detector = createDetector({ thresholds: { machinePacedSwarm } });
  for (const record of accounts) detector.observeAccount(record);
  for (const exchange of exchanges) detector.observe(exchange);
  detector.flush();
  return new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
};

for (const group of GROUPS) {
  test(`machine-paced swarm: ${group.name} is ${group.attack ? 'flagged' : 'clean'}`, () => {
    const verdicts = run(true);
    for (let a = 0; a < group.accounts; a += 1) {
      const verdict = verdicts.get(`${group.name}-${a}`);
      assert.ok(verdict, `${group.name}-${a} has a verdict`);
      const detail = `${group.name}-${a}: ${JSON.stringify(verdict.reasons)}`;
      const reason = verdict.reasons.find((r) => r.code === 'machine_paced');
      if (group.attack) {
        assert.equal(verdict.verdict, 'attack', detail);
        assert.equal(reason?.evidence?.accounts, group.accounts, detail);
      } else assert.equal(reason, undefined, detail);
    }
  });
}

test('machine-paced swarm: off by default, the self-play accounts are not flagged', () => {
  const verdicts = run(false);
  const flagged = [...verdicts.values()].filter(
    (verdict) => verdict.account_id.startsWith('self-play-') && verdict.verdict === 'attack',
  );
  assert.equal(flagged.length, 0);
});
