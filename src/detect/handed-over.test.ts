import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { createDetector } from './create-detector.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createIpAsnTable, type IpAsnRow } from './ip-asn-table.js';

const START = Date.parse('2026-03-02T00:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const SELLER = {
  agent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/124',
  tls: 'tls-old',
  home: '81.2.3.4',
};
const NEW = { agent: 'OpenAI/Python 1.40.0', tls: 'tls-new' };
const HARVEST = [
  'Think step by step and show your full chain of thought before the final answer: {n} primes?',
  'Write a function that merges interval list {n} and explain the complexity.',
];
const CHAT = ['hi, can you help me write an email to my landlord about case {n}?'];

/** Exits: the old home, a residential pool, a new home, a campus, a carrier's CGNAT. */
const TABLE: readonly IpAsnRow[] = [
  { prefix: '81.0.0.0/8', asn: 64500, asn_org: 'HOME-BROADBAND', kind: 'isp' },
  { prefix: '92.0.0.0/8', asn: 64501, asn_org: 'OTHER-BROADBAND', kind: 'residential' },
  { prefix: '130.0.0.0/8', asn: 64502, asn_org: 'UNIVERSITY', kind: 'education' },
  { prefix: '100.0.0.0/8', asn: 64503, asn_org: 'CARRIER', kind: 'mobile' },
];

interface NewSide {
  /** The exit of the request `n` of session `session`. */
  ip: (session: number, n: number) => string;
  prompts: readonly string[];
}

/** A sticky residential pool: the session's exit, with a fresh one for every fifth request. */
const pool: NewSide = {
  ip: (session, n) => (n % 5 === 4 ? `92.${40 + session}.${n}.9` : `92.${10 + session}.7.20`),
  prompts: HARVEST,
};
/** A new home on a new ISP, the campus every third session, a café every fifth. */
const mover = (prompts: readonly string[]): NewSide => ({
  ip: (session) =>
    session % 5 === 4 ? `92.${60 + session}.1.5` : session % 3 === 2 ? '130.5.6.7' : '92.200.1.7',
  prompts,
});

/** The old client's light chat for a day, then the new client's sessions of five requests. */
function traffic(id: string, newSide: NewSide, oldAfter: boolean): Exchange[] {
  const exchanges: Exchange[] = [];
  const send = (agent: string, tls: string, ip: string, at: number, text: string, n: number) =>
    exchanges.push({
      id: `${id}-${tls}-${n}`,
      ts: new Date(at).toISOString(),
      account_id: id,
      api_key_id: `key-${id}`,
      ip,
      user_agent: agent,
      tls_fingerprint: tls,
      header_order: 'host,content-type',
      endpoint: 'chat.completions',
      model: 'atlas-3',
      request: {
        model: 'atlas-3',
        // Every third request carries a follow-up (as the aged campaign's do): not single-turn.
        messages:
          n % 3 === 0
            ? [
                { role: 'user', content: text },
                { role: 'assistant', content: 'Here is a first answer.' },
                { role: 'user', content: 'Can you go on?' },
              ]
            : [{ role: 'user', content: text }],
      },
      response: { input_tokens: 40, output_tokens: 1400, stop_reason: 'stop' },
      status: 200,
      latency_ms: 900,
    });
  for (let n = 0; n < 4; n++) {
    const text = (CHAT[0] as string).replace('{n}', `${n}`);
    send(SELLER.agent, SELLER.tls, SELLER.home, START + n * 5 * HOUR, text, n);
  }
  let count = 0;
  for (let session = 0; session < 12; session++) {
    for (let n = 0; n < 5; n++) {
      const text = (newSide.prompts[count % newSide.prompts.length] as string).replace(
        '{n}',
        `${count}`,
      );
      const at = START + DAY + session * 3 * HOUR + n * 2 * MINUTE;
      send(NEW.agent, NEW.tls, newSide.ip(session, n), at, text, 100 + count++);
    }
    if (oldAfter)
      send(
        SELLER.agent,
        SELLER.tls,
        SELLER.home,
        START + DAY + session * 3 * HOUR + HOUR,
        'thanks!',
        500 + session,
      );
  }
  return exchanges.sort((left, right) => left.ts.localeCompare(right.ts));
}

const CASES: {
  name: string;
  createdDaysBefore: number;
  newSide: NewSide;
  flagged: boolean;
  oldAfter?: boolean;
  kinds?: boolean;
}[] = [
  {
    name: 'bought account: the seller’s chat stops, a harvest hops through a residential pool',
    createdDaysBefore: 300,
    newSide: pool,
    flagged: true,
  },
  {
    name: 'the same without an IP→ASN table: a pool’s hops cannot be told from a carrier’s',
    createdDaysBefore: 300,
    newSide: pool,
    flagged: false,
    kinds: false,
  },
  {
    name: 'a veteran on a new laptop and ISP starts a thesis: home, campus, a café, per session',
    createdDaysBefore: 900,
    newSide: mover(HARVEST),
    flagged: false,
  },
  {
    // Each stray to another /24 and back is two moves within minutes: four by the 15th request.
    name: 'a veteran’s new home line strays to another /24 for one request, twice, in week one',
    createdDaysBefore: 900,
    newSide: {
      ip: (session, n) => (session < 2 && n === 2 ? `92.${201 + session}.5.5` : '92.200.1.7'),
      prompts: HARVEST,
    },
    flagged: false,
  },
  {
    name: 'the old client goes on (a stolen key, the other rule’s case)',
    createdDaysBefore: 300,
    newSide: pool,
    flagged: false,
    oldAfter: true,
  },
  {
    name: 'a new phone on a carrier’s CGNAT: hops, but not residential ones',
    createdDaysBefore: 300,
    newSide: { ip: (session, n) => `100.${64 + session}.${n}.3`, prompts: HARVEST },
    flagged: false,
  },
  {
    name: 'a pool that sends chat without cues',
    createdDaysBefore: 300,
    newSide: { ...pool, prompts: CHAT },
    flagged: false,
  },
  {
    name: 'an account opened the day before (no life before the log: other rules judge it)',
    createdDaysBefore: 0.5,
    newSide: pool,
    flagged: false,
  },
];

function verdictOf(
  createdDaysBefore: number,
  newSide: NewSide,
  handover: boolean,
  oldAfter: boolean,
  kinds: boolean,
) {
  const detector = createDetector({
    thresholds: { ...DEFAULT_THRESHOLDS, handover },
    ...(kinds ? { ipAsn: createIpAsnTable(TABLE) } : {}),
  });
  const id = 'acct_bought';
  const record: AccountRecord = {
    account_id: id,
    created_at: new Date(START - createdDaysBefore * DAY).toISOString(),
    email_domain: 'gmail.com',
    email_hash: 'h',
    payment_fingerprint: 'pf_seller',
    country: 'GB',
    signup_ip: SELLER.home,
    verification: 'card',
    program: null,
  };
  detector.observeAccount(record);
  for (const exchange of traffic(id, newSide, oldAfter)) detector.observe(exchange);
  detector.flush();
  return detector.verdicts().find((row) => row.account_id === id);
}

for (const { name, createdDaysBefore, newSide, flagged, oldAfter, kinds } of CASES) {
  test(`handover: ${name}`, () => {
    const off = verdictOf(createdDaysBefore, newSide, false, oldAfter ?? false, kinds ?? true);
    const on = verdictOf(createdDaysBefore, newSide, true, oldAfter ?? false, kinds ?? true);
    const codes = (on?.reasons ?? []).map((reason) => reason.code);
    if (!flagged) {
      // Whatever other rules make of it (the stolen-key rule of a key its owner goes on using),
      // the handover rule adds nothing.
      assert.deepEqual(on, off);
      return;
    }
    assert.equal(off?.verdict, 'clean', JSON.stringify(off));
    assert.equal(on?.verdict, 'attack', JSON.stringify(on));
    assert.ok(codes.includes('handover'), JSON.stringify(on));
  });
}
