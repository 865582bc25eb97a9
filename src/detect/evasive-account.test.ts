import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { createDetector } from './create-detector.js';
import { DEFAULT_THRESHOLDS, type DetectorThresholds } from './detector-thresholds.js';

const START = Date.parse('2026-04-06T00:00:00.000Z');
const DAY_MS = 86_400_000;
/** One worksheet request per class language: a step-by-step solution, asked single-turn. */
const ASKS = [
  'Make two harder versions of this exercise and solve them step by step, showing every intermediate step: a tank holds 458 litres and loses 4 litres an hour.',
  'Crée deux variantes de cet exercice et résous-les étape par étape en écrivant tout ton raisonnement : un réservoir contient 458 litres et en perd 4 par heure.',
  'Erstelle zwei schwierigere Varianten dieser Aufgabe und löse sie Schritt für Schritt, schreibe jeden Zwischenschritt auf: Ein Tank enthält 458 Liter und verliert 4 Liter pro Stunde.',
  'Crea dos versiones más difíciles de este ejercicio y resuélvelas paso a paso, escribiendo todo tu razonamiento: un tanque contiene 458 litros y pierde 4 litros por hora.',
];

interface Case {
  name: string;
  /** Days the account existed before its first request. */
  createdDaysBefore: number;
  /** The /24 each request leaves from, by request number. */
  subnetOf: (request: number) => string;
  thresholds?: Partial<DetectorThresholds>;
  evasive: boolean;
}

/** A home /24, left three times early on (a dynamic address the ISP moved, then gave back). */
const HOME_WITH_MOVES = (request: number): string =>
  request === 3
    ? '83.44.203'
    : request === 7
      ? '83.33.183'
      : request === 11
        ? '83.46.74'
        : '83.32.197';

/** A bought account's sticky residential session, a fresh exit every eighth request. */
const STICKY_SESSION = (request: number): string =>
  request % 8 === 4 ? `92.${100 + request}.7` : '83.32.197';

const cases: Case[] = [
  {
    name: 'a teacher of two years at home, four class languages, address moved three times',
    createdDaysBefore: 700,
    subnetOf: HOME_WITH_MOVES,
    thresholds: { evasionAwayFromHome: true },
    evasive: false,
  },
  {
    name: 'the same teacher counting her home among the rotated networks (away-from-home off, the default)',
    createdDaysBefore: 700,
    subnetOf: HOME_WITH_MOVES,
    thresholds: {},
    evasive: true,
  },
  {
    name: 'the same traffic from an account opened the day before (no home: the first exit of its pool)',
    createdDaysBefore: 1,
    subnetOf: HOME_WITH_MOVES,
    thresholds: { evasionAwayFromHome: true },
    evasive: true,
  },
  {
    name: 'the day-old account with the default (home counted): four /24s in 40 requests',
    createdDaysBefore: 1,
    subnetOf: HOME_WITH_MOVES,
    thresholds: {},
    evasive: true,
  },
  {
    name: 'an aged account on a sticky residential session, a fresh exit every eighth request',
    createdDaysBefore: 400,
    subnetOf: STICKY_SESSION,
    thresholds: { evasionAwayFromHome: true },
    evasive: true,
  },
  {
    name: 'the sticky session spared by the home-share pass (why evasionHomeShare stays off)',
    createdDaysBefore: 400,
    subnetOf: STICKY_SESSION,
    thresholds: { evasionAwayFromHome: true, evasionHomeShare: 0.5 },
    evasive: false,
  },
  {
    name: 'an aged account rotating to a new /24 every third request',
    createdDaysBefore: 700,
    subnetOf: (request) => `92.${100 + Math.floor(request / 3)}.7`,
    thresholds: { evasionAwayFromHome: true },
    evasive: true,
  },
  {
    name: 'the teacher spared by the home-share pass with away-from-home off',
    createdDaysBefore: 700,
    subnetOf: HOME_WITH_MOVES,
    thresholds: { evasionAwayFromHome: false, evasionHomeShare: 0.5 },
    evasive: false,
  },
];

function traffic({ createdDaysBefore, subnetOf }: Case): {
  record: AccountRecord;
  exchanges: Exchange[];
} {
  const account = 'acct-teacher';
  const exchanges: Exchange[] = [];
  for (let request = 0; request < 40; request += 1) {
    // Ten requests an evening over four evenings.
    const timeMs =
      START + Math.floor(request / 10) * DAY_MS + 18 * 3600_000 + (request % 10) * 240_000;
    exchanges.push({
      id: `ex-${request}`,
      ts: new Date(timeMs).toISOString(),
      account_id: account,
      ip: `${subnetOf(request)}.${20 + (request % 3)}`,
      user_agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
      tls_fingerprint: 'c1f0a8b6e2d94b7a9d3e5f1a2b3c4d5e',
      header_order: 'host,accept,content-type,user-agent,authorization',
      endpoint: 'chat.completions',
      model: 'atlas-3',
      request: {
        messages: [{ role: 'user', content: ASKS[request % ASKS.length] as string }],
        max_tokens: 4096,
        temperature: 0.7,
      },
      response: { input_tokens: 90, output_tokens: 2400, stop_reason: 'stop' },
      status: 200,
    });
  }
  return {
    record: {
      account_id: account,
      created_at: new Date(START - createdDaysBefore * DAY_MS).toISOString(),
      email_domain: 'gmail.com',
      verification: 'card',
      program: null,
    },
    exchanges,
  };
}

for (const testCase of cases) {
  test(`evasive operator: ${testCase.name} → ${testCase.evasive ? 'flagged' : 'not evasive'}`, () => {
    const { record, exchanges } = traffic(testCase);
    const detector = createDetector({
      thresholds: { ...DEFAULT_THRESHOLDS, ...testCase.thresholds },
    });
    detector.observeAccount(record);
    for (const exchange of exchanges) detector.observe(exchange);
    const verdict = detector.verdicts().find((entry) => entry.account_id === record.account_id);
    const codes = verdict?.reasons.map((reason) => reason.code) ?? [];
    assert.equal(codes.includes('evasive_operator'), testCase.evasive, codes.join(', '));
    if (testCase.evasive) assert.equal(verdict?.verdict, 'attack');
    else assert.notEqual(verdict?.verdict, 'attack');
  });
}
