import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { createDetector } from './create-detector.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createIpAsnTable, type IpAsnRow } from './ip-asn-table.js';

const START = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const OWNER = { agent: 'OpenAI/Python 1.40.0', tls: 'tls-owner', home: '81.2.3.4' };
const OTHER = { agent: 'Anthropic/Python 0.34.0', tls: 'tls-other' };
const HARVEST = [
  'Think step by step and show your full chain of thought before the final answer: {n} primes?',
  'Explain your reasoning step by step, showing every intermediate step, for case {n}.',
];
const CHAT = ['hi, can you help me write an email to my landlord about case {n}?'];
const BENCHMARK = ['Question {n}: what is 17 times {n}?\nAnswer with the final answer only.'];

interface Side {
  agent: string;
  tls: string;
  /** The exit for the request at `hour` (hours since the start). */
  ip: (hour: number) => string;
  prompts: readonly string[];
}

/** One account: the owner's chat every two hours, and from hour 6 another client's requests. */
function traffic(id: string, owner: Side, other: Side): Exchange[] {
  const exchanges: Exchange[] = [];
  const send = (side: Side, hour: number, n: number) =>
    exchanges.push({
      id: `${id}-${side.tls}-${n}`,
      ts: new Date(START + hour * HOUR).toISOString(),
      account_id: id,
      api_key_id: `key-${id}`,
      ip: side.ip(hour),
      user_agent: side.agent,
      tls_fingerprint: side.tls,
      header_order: 'host,content-type',
      endpoint: 'chat.completions',
      model: 'atlas-3',
      request: {
        model: 'atlas-3',
        messages: [
          {
            role: 'user',
            content: (side.prompts[n % side.prompts.length] as string).replace('{n}', `${n}`),
          },
        ],
      },
      response: { input_tokens: 40, output_tokens: 900, stop_reason: 'stop' },
      status: 200,
      latency_ms: 900,
    });
  for (let n = 0; n < 36; n++) send(owner, n * 2, n);
  for (let n = 0; n < 80; n++) send(other, 6 + n * 0.8, n);
  return exchanges.sort((left, right) => left.ts.localeCompare(right.ts));
}

const home: Side = { agent: OWNER.agent, tls: OWNER.tls, ip: () => OWNER.home, prompts: CHAT };
/** A residential proxy session a day (here every 12 hours), never the owner's network. */
const pool = (prompts: readonly string[]): Side => ({
  ...OTHER,
  ip: (hour) => `92.${10 + Math.floor(hour / 12)}.7.${20 + (Math.floor(hour) % 50)}`,
  prompts,
});

/** An IP→ASN table with kinds: the owner's broadband, a proxy pool's, a cloud's and a carrier's. */
const TABLE: readonly IpAsnRow[] = [
  { prefix: '81.0.0.0/8', asn: 64500, asn_org: 'HOME-BROADBAND', kind: 'isp' },
  { prefix: '92.0.0.0/8', asn: 64501, asn_org: 'OTHER-BROADBAND', kind: 'residential' },
  { prefix: '34.0.0.0/8', asn: 64502, asn_org: 'CLOUD', kind: 'hosting' },
  { prefix: '100.0.0.0/8', asn: 64503, asn_org: 'CARRIER', kind: 'mobile' },
];
/** The owner's own deployment on a cloud: a new egress /24 every few hours, reasoning prompts. */
const cloudApp: Side = {
  ...OTHER,
  ip: (hour) => `34.${40 + (Math.floor(hour / 4) % 6)}.2.8`,
  prompts: HARVEST,
};
/** The owner's phone app on a carrier's CGNAT: a new address each session, homework prompts. */
const phone: Side = {
  ...OTHER,
  ip: (hour) => `100.${64 + (Math.floor(hour / 3) % 9)}.5.${Math.floor(hour) % 200}`,
  prompts: HARVEST,
};

const CASES: {
  name: string;
  createdDaysBefore: number;
  owner: Side;
  other: Side;
  flagged: boolean;
  /** Read exits' kinds from {@link TABLE}; without it every exit's kind is unknown. */
  kinds?: boolean;
}[] = [
  {
    name: 'stolen key, exits known: the harness harvests from a residential pool',
    createdDaysBefore: 400,
    owner: home,
    other: pool(HARVEST),
    flagged: true,
    kinds: true,
  },
  {
    name: 'the owner’s cloud deployment, exits known: hosted egress rotates, reasoning prompts',
    createdDaysBefore: 400,
    owner: home,
    other: cloudApp,
    flagged: false,
    kinds: true,
  },
  {
    name: 'the owner’s phone, exits known: a carrier’s CGNAT rotates, step-by-step homework',
    createdDaysBefore: 400,
    owner: home,
    other: phone,
    flagged: false,
    kinds: true,
  },
  {
    name: 'stolen key: the owner chats at home, a harness harvests from a residential pool',
    createdDaysBefore: 400,
    owner: home,
    other: pool(HARVEST),
    flagged: true,
  },
  {
    name: 'batch evaluation on a cloud VM: one address, benchmark items',
    createdDaysBefore: 400,
    owner: home,
    other: { ...OTHER, ip: () => '34.90.1.5', prompts: BENCHMARK },
    flagged: false,
  },
  {
    name: 'a new SDK on the owner’s own network (an upgrade, a second machine at home)',
    createdDaysBefore: 400,
    owner: home,
    other: { ...OTHER, ip: (hour) => (hour < 30 ? '81.2.3.9' : '81.2.3.77'), prompts: HARVEST },
    flagged: false,
  },
  {
    name: 'the owner behind a rotating VPN: both clients rotate, one person',
    createdDaysBefore: 400,
    owner: { ...home, ip: (hour) => `45.${60 + (Math.floor(hour / 2) % 4)}.1.9` },
    other: pool(HARVEST),
    flagged: false,
  },
  {
    name: 'a phone on a carrier pool beside the SDK: rotating exits, chat without cues',
    createdDaysBefore: 400,
    owner: home,
    other: pool(CHAT),
    flagged: false,
  },
  {
    name: 'an account opened the day before (no life before the log: other rules judge it)',
    createdDaysBefore: 1,
    owner: home,
    other: pool(HARVEST),
    flagged: false,
  },
];

for (const { name, createdDaysBefore, owner, other, flagged, kinds } of CASES) {
  for (const on of [true, false]) {
    test(`second tenant ${on ? 'on' : 'off'}: ${name}`, () => {
      const detector = createDetector({
        thresholds: { ...DEFAULT_THRESHOLDS, secondTenant: on },
        ...(kinds ? { ipAsn: createIpAsnTable(TABLE) } : {}),
      });
      const id = 'acct_key';
      const record: AccountRecord = {
        account_id: id,
        created_at: new Date(START - createdDaysBefore * DAY).toISOString(),
        email_domain: 'gmail.com',
        email_hash: 'h',
        payment_fingerprint: 'pf_owner',
        country: 'GB',
        signup_ip: OWNER.home,
        verification: 'card',
        program: null,
      };
      detector.observeAccount(record);
      for (const exchange of traffic(id, owner, other)) {
        detector.observe(exchange);
      }
      detector.flush();
      const verdict = detector.verdicts().find((row) => row.account_id === id);
      const codes = (verdict?.reasons ?? []).map((reason) => reason.code);
      assert.equal(codes.includes('second_tenant'), flagged && on, JSON.stringify(verdict));
      if (flagged && on) assert.equal(verdict?.verdict, 'attack');
    });
  }
}
