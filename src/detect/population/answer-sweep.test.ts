import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { createDetector } from '../create-detector.js';
import { createIpAsnTable, type IpAsnRow } from '../ip-asn-table.js';

const START = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const ACCOUNTS = 12;
const REQUESTS = 14;

/**
 * One generator over one domain: frames × cases × asks (an operator's question bank, or a course's,
 * a Q&A site's popular questions, a vendor's task list). Each group draws from its own domain.
 */
const FRAMES = [
  'Case: {case}. {ask}',
  'I am preparing a detailed briefing on {case}. {ask} Please be thorough.',
  'Consider {case}. {ask} Give a long, structured answer.',
  '{ask} The situation: {case}.',
];
const DOMAINS: Record<string, { cases: string[]; asks: string[] }> = {
  law: {
    cases: [
      'a tenant whose landlord kept the whole deposit for ordinary wear and tear',
      'an employee dismissed one week after reporting a safety breach to the regulator',
      'a software licence that forbids reverse engineering even for interoperability',
      'a contract signed by a seventeen-year-old for the purchase of a used car',
      'a startup founder who leaves the company before the vesting cliff',
      'a neighbour whose tree roots have cracked the foundation of the house next door',
    ],
    asks: [
      'Analyse the legal position under common law and under a civil-law system.',
      'What are the strongest arguments for each side, and how would a court weigh them?',
      'Which remedies are available, and what must be proven for each of them?',
      'Explain the limitation periods and the procedural steps in detail.',
    ],
  },
  medicine: {
    cases: [
      'a patient of fifty-four with new atrial fibrillation and chronic kidney disease',
      'a child of seven with recurrent wheeze and eczema since infancy',
      'a man of sixty-eight on warfarin who needs a dental extraction next week',
      'a woman of thirty-one, pregnant, whose blood pressure keeps rising',
      'an elderly woman with delirium two days after hip surgery',
      'a student of twenty-three after a first unprovoked seizure at home',
    ],
    asks: [
      'What is the differential diagnosis and which investigations come first?',
      'Walk through the management and the guideline reasoning behind it.',
      'Which drugs are contraindicated here, and why exactly?',
      'How would you counsel the patient on the risks and benefits of each option?',
    ],
  },
  finance: {
    cases: [
      'a balanced portfolio of equities and bonds when interest rates rise sharply',
      'a leveraged buyout financed at six times operating earnings',
      'a company choosing between a share buyback and a special dividend',
      'a currency hedge for a euro receivable due in nine months',
      'a pension fund whose liabilities exceed its assets by a wide margin',
      'a bank whose deposits reprice faster than its loans do',
    ],
    asks: [
      'Value it carefully and state every assumption you make.',
      'Explain the risks quantitatively with a worked example.',
      'Which sensitivities matter most, and how would you model them?',
      'Compare the alternatives and argue for one recommendation in full.',
    ],
  },
  chemistry: {
    cases: [
      'an esterification that stalls at sixty percent conversion',
      'a buffer that drifts when the solution is warmed',
      'a titration whose end point keeps overshooting',
      'a polymer that turns brittle after drying in the oven',
      'a catalyst that loses activity after three reaction cycles',
      'a crystallisation that yields an oil instead of crystals',
    ],
    asks: [
      'Explain the mechanism and what limits the outcome.',
      'Which experiments would tell the possible causes apart?',
      'How would you change the conditions, and what would each change do?',
      'Describe the safety considerations and the waste handling in detail.',
    ],
  },
  physics: {
    cases: [
      'a block sliding down a rough incline that then hits a spring',
      'a satellite moved from a low orbit to a geostationary one',
      'a capacitor discharging through a resistor and an inductor in series',
      'an ideal gas taken around a cycle of two isotherms and two adiabats',
      'a pendulum whose string is slowly shortened while it swings',
      'a charged particle entering a region of crossed electric and magnetic fields',
    ],
    asks: [
      'Derive the equations of motion and solve them step by step.',
      'Which conservation laws apply, and where does each one fail?',
      'Work out the numbers for realistic values and check the units throughout.',
      'Explain the limiting cases and what they tell us about the general answer.',
    ],
  },
  economics: {
    cases: [
      'a city that caps rents on every flat built before a given year',
      'a central bank that raises rates while the government runs a large deficit',
      'a monopoly supplier of a drug whose patent is about to expire',
      'a small open economy whose currency is pegged to the dollar',
      'a minimum wage raised by a third in a region of low productivity',
      'a carbon tax whose revenue is paid back to households per head',
    ],
    asks: [
      'Analyse the short-run and long-run effects with the appropriate model.',
      'Who gains and who loses, and by roughly how much?',
      'Draw on the empirical evidence and say how convincing it is.',
      'Which policy alternatives exist, and how would you rank them?',
    ],
  },
};
const bank =
  (domain: string) =>
  (i: number, k: number): string => {
    const { cases, asks } = DOMAINS[domain] as { cases: string[]; asks: string[] };
    return (FRAMES[(i + k) % FRAMES.length] as string)
      .replace('{case}', cases[(i * 5 + k * 7) % cases.length] as string)
      .replace('{ask}', asks[(i * 3 + k) % asks.length] as string);
  };

/** A question of the account's own: its own words and sentence shape, shared with nobody. */
const SYLLABLES = ['ka', 'lo', 'mi', 'tu', 're', 'sa', 'no', 'vi', 'de', 'po', 'gu', 'fe'];
const own = (i: number, k: number): string => {
  let seed = (i + 1) * 7919 + (k + 1) * 104_729;
  const next = (range: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * range);
  };
  const words: string[] = [];
  const length = 10 + next(12);
  for (let w = 0; w < length; w += 1) {
    let word = '';
    for (let syllable = 0; syllable < 2 + next(3); syllable += 1)
      word += SYLLABLES[next(SYLLABLES.length)] as string;
    words.push(w > 0 && next(6) === 0 ? `${word},` : word);
  }
  return `${words.join(' ')}${next(2) === 0 ? '?' : '.'}`;
};

interface Group {
  name: string;
  /** Days before the log starts that the accounts were opened. */
  ageDays: number;
  /** The exit of request k of account i. */
  ip: (i: number, k: number) => string;
  question: (i: number, k: number) => string;
  orgId?: string;
  attack: boolean;
}

const rotating = (base: number) => (i: number, k: number) => `${base}.${10 + i}.${k % 5}.${7 + k}`;

/**
 * The operator's IP→ASN table (its `kind` column): 88/8 and 91/8 home broadband (the operator's
 * residential proxy pool exits from the first), 92/8 a home ISP, 89/8 and 45/8 consumer VPN
 * providers' hosting, 34/8 a cloud, 172.32/11 a mobile carrier's CGNAT pool.
 */
const TABLE: readonly IpAsnRow[] = [
  { prefix: '88.0.0.0/8', asn: 64510, asn_org: 'HOME-BROADBAND-A', kind: 'residential' },
  { prefix: '91.0.0.0/8', asn: 64511, asn_org: 'HOME-BROADBAND-B', kind: 'isp' },
  { prefix: '92.0.0.0/8', asn: 64512, asn_org: 'HOME-BROADBAND-C', kind: 'residential' },
  { prefix: '89.0.0.0/8', asn: 64513, asn_org: 'VPN-HOSTING-A', kind: 'hosting' },
  { prefix: '45.0.0.0/8', asn: 64514, asn_org: 'VPN-HOSTING-B', kind: 'datacenter' },
  { prefix: '34.0.0.0/8', asn: 64515, asn_org: 'CLOUD', kind: 'hosting' },
  { prefix: '172.32.0.0/11', asn: 64516, asn_org: 'MOBILE-CARRIER', kind: 'mobile' },
];

/**
 * Seven groups of twelve accounts, fourteen single-turn questions each over three days with long
 * answers: the operator's slow drip (new accounts, exits rotating across residential networks,
 * questions from one domain's generator) and six innocent carriers that each lack one of its
 * traits. Two of them lack only the residential exits: a course's new students behind consumer
 * VPNs, and another course's on mobile data, each pasting their course's questions.
 */
const GROUPS: readonly Group[] = [
  { name: 'operator', ageDays: 12, ip: rotating(88), question: bank('law'), attack: true },
  // New students of one course behind consumer VPNs: exits rotate across a provider's hosting.
  { name: 'vpn-course', ageDays: 6, ip: rotating(45), question: bank('physics'), attack: false },
  // New students of one course on their phones: the carrier's CGNAT hands out a new address.
  {
    name: 'mobile-course',
    ageDays: 5,
    ip: (i, k) => `172.${32 + i}.${(k * 3) % 7}.${9 + k}`,
    question: bank('economics'),
    attack: false,
  },
  // Students of one course: new accounts, the course's question bank, each from its home network.
  {
    name: 'course',
    ageDays: 6,
    ip: (i) => `92.${30 + i}.4.8`,
    question: bank('medicine'),
    attack: false,
  },
  // Privacy users behind a VPN asking expert questions: new, rotating exits, their own questions.
  { name: 'vpn-experts', ageDays: 9, ip: rotating(89), question: own, attack: false },
  // A Q&A site's users asking the same popular questions: years-old accounts on changing networks.
  { name: 'qa-site', ageDays: 500, ip: rotating(91), question: bank('finance'), attack: false },
  // A labelling vendor's new accounts: one organisation, rotating cloud egress.
  {
    name: 'vendor',
    ageDays: 3,
    ip: (i, k) => `34.${40 + (k % 5)}.${i}.9`,
    question: bank('chemistry'),
    orgId: 'org-labels',
    attack: false,
  },
];

function build(): { accounts: AccountRecord[]; exchanges: Exchange[] } {
  const accounts: AccountRecord[] = [];
  const exchanges: Exchange[] = [];
  let id = 0;
  GROUPS.forEach((group, g) => {
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const account = `${group.name}-${i}`;
      accounts.push({
        account_id: account,
        created_at: new Date(START - group.ageDays * DAY + i * 5 * HOUR).toISOString(),
        verification: 'phone',
        email_domain: 'gmail.com',
        payment_fingerprint: `card-${account}`,
        ...(group.orgId ? { org_id: group.orgId } : {}),
      } as AccountRecord);
      for (let k = 0; k < REQUESTS; k += 1) {
        id += 1;
        exchanges.push({
          id: `x${id}`,
          ts: new Date(
            START + k * 5 * HOUR + i * 13 * 60_000 + g * 3 * 60_000 + (id % 7) * 1000,
          ).toISOString(),
          account_id: account,
          ip: group.ip(i, k),
          user_agent: `client-${group.name}-${i}`,
          endpoint: 'chat.completions',
          model: 'atlas-2',
          request: {
            messages: [{ role: 'user', content: group.question(i, k) }],
            max_tokens: 4096,
          },
          response: { input_tokens: 60, output_tokens: 2400 + ((i * 37 + k * 11) % 900) },
          status: 200,
          ...(group.orgId ? { org_id: group.orgId } : {}),
        } as Exchange);
      }
    }
  });
  exchanges.sort((a, b) => a.ts.localeCompare(b.ts));
  accounts.sort((a, b) => a.created_at.localeCompare(b.created_at));
  return { accounts, exchanges };
}

function verdictsOf(table: readonly IpAsnRow[] | undefined) {
  const { accounts, exchanges } = build();
  const detector = createDetector(table ? { ipAsn: createIpAsnTable(table) } : {});
  for (const record of accounts) detector.observeAccount(record);
  for (const exchange of exchanges) detector.observe(exchange);
  detector.flush();
  return new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
}

test('answer sweep: the slow drip is flagged, its look-alikes stay clean', () => {
  const verdicts = verdictsOf(TABLE);
  for (const group of GROUPS) {
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const verdict = verdicts.get(`${group.name}-${i}`);
      assert.ok(verdict, `${group.name}-${i} has a verdict`);
      if (group.attack) {
        assert.equal(verdict.verdict, 'attack', `${group.name}-${i}`);
        const reason = verdict.reasons.find((r) => r.code === 'answer_sweep');
        assert.equal(reason?.evidence?.accounts, ACCOUNTS);
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

test('answer sweep: silent without exit kinds — no table, or a table without kind', () => {
  const unlabelled = TABLE.map(({ kind: _kind, ...row }) => row);
  for (const table of [undefined, unlabelled]) {
    const verdicts = verdictsOf(table);
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const verdict = verdicts.get(`operator-${i}`);
      assert.ok(
        verdict && !verdict.reasons.some((reason) => reason.code === 'answer_sweep'),
        `operator-${i} ${table ? 'unlabelled table' : 'no table'}`,
      );
    }
  }
});

test('answer sweep: off when disabled, and causal — a log cut at T gives the same flags before T', () => {
  const { accounts, exchanges } = build();
  const replay = (cutAt: string | undefined, answerSweep = true) => {
    const detector = createDetector({
      ipAsn: createIpAsnTable(TABLE),
      thresholds: { answerSweep },
    });
    for (const record of accounts)
      if (!cutAt || record.created_at < cutAt) detector.observeAccount(record);
    for (const exchange of exchanges) if (!cutAt || exchange.ts < cutAt) detector.observe(exchange);
    return detector
      .verdicts()
      .filter((verdict) => verdict.first_flagged_at !== null)
      .map((verdict) => `${verdict.account_id}@${verdict.first_flagged_at}`);
  };
  assert.deepEqual(replay(undefined, false), [], 'without the finding nothing here is flagged');
  const full = replay(undefined);
  const times = full.map((flag) => flag.split('@')[1] as string).sort();
  const last = exchanges[exchanges.length - 1]?.ts as string;
  assert.ok(times.length > 0 && (times[0] as string) < last, 'flagged within the stream');
  const cutAt = new Date(Date.parse(times[0] as string) + HOUR).toISOString();
  const before = (flags: string[]) =>
    flags.filter((flag) => (flag.split('@')[1] as string) < cutAt).sort();
  assert.ok(before(full).length > 0);
  assert.deepEqual(before(replay(cutAt)), before(full));
});
