import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { createSeededRandom } from '../shared/create-seeded-random.js';
import { createDetector, type Detector, type DetectorOptions } from './create-detector.js';
import { buildCampaign, buildTraffic, type Traffic } from './testing/build-traffic.js';

/** Feeds account records merged by time with the exchanges, as `analyze` does. */
function replay(
  accounts: readonly AccountRecord[],
  exchanges: readonly Exchange[],
  options: DetectorOptions = {},
): Detector {
  const detector = createDetector(options);
  const records = [...accounts].sort((a, b) => a.created_at.localeCompare(b.created_at));
  let next = 0;
  for (const exchange of exchanges) {
    while (next < records.length && (records[next] as AccountRecord).created_at < exchange.ts) {
      detector.observeAccount(records[next++] as AccountRecord);
    }
    detector.observe(exchange);
  }
  return detector;
}

const traffic: Traffic = buildTraffic();

test('detector: flags every campaign account as one campaign and keeps hard negatives clean', () => {
  const detector = replay(traffic.accounts, traffic.exchanges);
  const verdicts = new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
  for (const account of traffic.attackAccounts) {
    assert.equal(verdicts.get(account)?.verdict, 'attack', `${account} not flagged`);
  }
  const flaggedLegit = traffic.legitAccounts.filter(
    (account) => verdicts.get(account)?.verdict !== 'clean',
  );
  assert.deepEqual(flaggedLegit, []);
  const campaignIds = new Set(
    traffic.attackAccounts.map((account) => verdicts.get(account)?.campaign_id),
  );
  assert.equal(campaignIds.size, 1);
  const campaigns = detector.campaigns();
  assert.equal(campaigns.length, 1);
  assert.deepEqual([...(campaigns[0]?.accounts ?? [])].sort(), [...traffic.attackAccounts].sort());
  assert.ok((campaigns[0]?.capability_mix.math_reasoning ?? 0) > 0.9);
});

test('detector: flags early (within the first clustering ticks of the campaign)', () => {
  const detector = replay(traffic.accounts, traffic.exchanges);
  const start = Date.parse(
    traffic.exchanges.find((exchange) => exchange.account_id.startsWith('attack'))?.ts ?? '',
  );
  const leaked = traffic.exchanges.filter((exchange) => {
    const flaggedAt = detector.assessment(exchange.account_id)?.flaggedAt;
    return (
      exchange.account_id.startsWith('attack') &&
      (flaggedAt === null || exchange.ts < (flaggedAt ?? ''))
    );
  }).length;
  const attackExchanges = traffic.exchanges.filter((exchange) =>
    exchange.account_id.startsWith('attack'),
  ).length;
  for (const account of traffic.attackAccounts) {
    const flaggedAt = Date.parse(detector.assessment(account)?.flaggedAt ?? '');
    assert.ok(
      flaggedAt - start <= 3600_000,
      `${account} flagged ${(flaggedAt - start) / 60_000} min after the start`,
    );
  }
  assert.ok(leaked / attackExchanges < 0.2, `leakage ${leaked}/${attackExchanges}`);
});

test('detector: causal — a log cut at T gives the same flags before T', () => {
  const full = replay(traffic.accounts, traffic.exchanges);
  const cutAt = traffic.exchanges[Math.floor(traffic.exchanges.length * 0.4)]?.ts as string;
  const cut = replay(
    traffic.accounts.filter((record) => record.created_at < cutAt),
    traffic.exchanges.filter((exchange) => exchange.ts < cutAt),
  );
  const before = (detector: Detector) =>
    detector
      .verdicts()
      .filter((verdict) => verdict.first_flagged_at !== null && verdict.first_flagged_at < cutAt)
      .map((verdict) => `${verdict.account_id}@${verdict.first_flagged_at}`)
      .sort();
  const flaggedBefore = before(full);
  assert.ok(flaggedBefore.length > 0, 'the cut should fall after the first flags');
  assert.deepEqual(before(cut), flaggedBefore);
});

test('detector: a regrown account carrying a flagged campaign’s fingerprints is flagged on its first exchange', () => {
  const lastTs = traffic.exchanges.at(-1)?.ts as string;
  const later = Date.parse(lastTs) + 60_000;
  const regrown: AccountRecord = {
    account_id: 'attack-regrown',
    created_at: new Date(later - 30_000).toISOString(),
    email_domain: 'mail-harvest.example',
    payment_fingerprint: 'pay-attack-1',
  };
  const first = {
    ...(traffic.exchanges.find((exchange) => exchange.account_id === 'attack-0') as Exchange),
    id: 'regrown-1',
    ts: new Date(later).toISOString(),
    account_id: 'attack-regrown',
    ip: '45.76.12.99',
  };
  const detector = replay([...traffic.accounts, regrown], [...traffic.exchanges, first]);
  const assessment = detector.assessment('attack-regrown');
  assert.equal(assessment?.verdict, 'attack');
  assert.equal(assessment?.flaggedAt, first.ts);
  assert.equal(assessment?.campaignId, detector.assessment('attack-0')?.campaignId);
  assert.ok(assessment?.reasons.some((reason) => reason.code === 'regrowth'));
});

test('detector: verdict reasons are codes with evidence and rendered text', () => {
  const detector = replay(traffic.accounts, traffic.exchanges);
  const reasons =
    detector.verdicts().find((verdict) => verdict.account_id === 'attack-3')?.reasons ?? [];
  const codes = reasons.map((reason) => reason.code);
  for (const code of [
    'reasoning_elicitation',
    'fixed_parameters',
    'shared_payment',
    'campaign_member',
  ]) {
    assert.ok(codes.includes(code), `missing ${code} in ${codes.join(',')}`);
  }
  for (const reason of reasons) {
    assert.ok(reason.detail.length > 10);
    assert.equal(typeof reason.evidence, 'object');
  }
});

test('detector: without account records, infrastructure and content still link the campaign', () => {
  const detector = replay([], traffic.exchanges);
  const verdicts = new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
  const caught = traffic.attackAccounts.filter(
    (account) => verdicts.get(account)?.verdict === 'attack',
  );
  assert.equal(caught.length, traffic.attackAccounts.length);
  const flaggedLegit = traffic.legitAccounts.filter(
    (account) => verdicts.get(account)?.verdict === 'attack',
  );
  assert.deepEqual(flaggedLegit, []);
});

/**
 * The fixture traffic with a system prompt only the campaign sends, one campaign request and one
 * chat request to copy, and a time after the fixture's end.
 */
function ownedPromptTraffic() {
  const system = 'You are HarvestBot. Always show your full reasoning before the final answer.';
  const withSystem = (exchange: Exchange): Exchange => ({
    ...exchange,
    request: {
      ...exchange.request,
      messages: [{ role: 'system', content: system }, ...(exchange.request.messages ?? [])],
    },
  });
  const campaign = traffic.exchanges.map((exchange) =>
    exchange.account_id.startsWith('attack') ? withSystem(exchange) : exchange,
  );
  const template = withSystem(
    traffic.exchanges.find((exchange) => exchange.account_id === 'attack-0') as Exchange,
  );
  const harvest = traffic.exchanges.find(
    (exchange) => exchange.account_id === 'attack-0',
  ) as Exchange;
  const chat = traffic.exchanges.find((exchange) => exchange.account_id === 'chat-0') as Exchange;
  const later = Date.parse(traffic.exchanges.at(-1)?.ts as string) + 60_000;
  return { campaign, template, harvest, chat, later };
}

test('detector: campaign traffic through a young harvesting account makes a member, through a business account a reseller', () => {
  const { campaign, template, harvest, chat, later } = ownedPromptTraffic();
  const records: AccountRecord[] = [
    {
      account_id: 'young-member',
      created_at: new Date(later - 3600_000).toISOString(),
      email_domain: 'mail.example',
      program: 'edu',
    },
    {
      account_id: 'old-reseller',
      created_at: new Date(later - 400 * 86_400_000).toISOString(),
      email_domain: 'saas.example',
      payment_fingerprint: 'pay-saas',
    },
  ];
  const extra: Exchange[] = [];
  for (let turn = 0; turn < 30; turn += 1) {
    const ts = later + turn * 60_000;
    // Half its requests carry the campaign's prompt, the other half the same harvest without it.
    extra.push({
      ...(turn % 2 === 0 ? template : harvest),
      id: `young-${turn}`,
      account_id: 'young-member',
      ts: new Date(ts).toISOString(),
      ip: '81.2.3.4',
    });
    // A third of the business account's traffic is the campaign's, the rest its customers' chat.
    const door = turn % 3 === 0 ? template : chat;
    extra.push({
      ...door,
      id: `door-${turn}`,
      account_id: 'old-reseller',
      ts: new Date(ts + 1000).toISOString(),
      ip: '52.1.1.1',
    });
  }
  const detector = replay([...traffic.accounts, ...records], [...campaign, ...extra]);
  const verdicts = new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));
  const campaignIds = new Set(
    traffic.attackAccounts.map((account) => verdicts.get(account)?.campaign_id),
  );
  const member = verdicts.get('young-member');
  assert.equal(member?.verdict, 'attack');
  assert.ok(member?.campaign_id && campaignIds.has(member.campaign_id), member?.campaign_id ?? '');
  const reseller = verdicts.get('old-reseller');
  assert.equal(reseller?.verdict, 'attack');
  assert.equal(reseller?.campaign_id, null);
  assert.ok((reseller?.reseller_of ?? []).length > 0);
  for (const id of reseller?.reseller_of ?? []) assert.ok(campaignIds.has(id), id);
});

test('detector: compactKeys keeps verdicts and campaigns when accounts rotate past their address cap', () => {
  // Every attack exchange from a fresh exit: each attack account carries far more than the
  // 24 addresses it can remember, so with compactKeys most of them are never indexed.
  let exit = 0;
  const rotated = traffic.exchanges.map((exchange) =>
    exchange.account_id.startsWith('attack')
      ? { ...exchange, ip: `10.${(exit >> 8) & 255}.${exit++ & 255}.7` }
      : exchange,
  );
  assert.ok(exit > 24 * traffic.attackAccounts.length, `only ${exit} rotated exchanges`);
  const exact = replay(traffic.accounts, rotated);
  const compact = replay(traffic.accounts, rotated, { compactKeys: true });
  assert.deepEqual(compact.verdicts(), exact.verdicts());
  const members = (detector: Detector) => detector.campaigns().map((campaign) => campaign.accounts);
  assert.ok(members(exact).length >= 1, 'the rotated campaign was not found at all');
  assert.deepEqual(members(compact), members(exact));
});

test('detector: a campaign starting while the whole graph waits for its work quota is found by clustering the unattached', () => {
  // Operator A: 240 accounts, a large graph (thousands of memberships) for few exchanges, so the
  // whole clustering stays paced out for the rest of the log. Operator B starts three hours later.
  let counter = 0;
  const id = () => `y${(counter++).toString().padStart(6, '0')}`;
  const start = Date.parse('2026-03-02T00:00:00.000Z');
  const draw = createSeededRandom(7);
  const large = buildCampaign({
    prefix: 'operator-a',
    accounts: 240,
    startMs: start,
    endMs: start + 2 * 3600_000,
    everyMs: 6_000,
    subnet: '45.76.12',
    domain: 'mail-harvest.example',
    draw,
    id,
  });
  const lateStart = start + 3 * 3600_000;
  const late = buildCampaign({
    prefix: 'operator-b',
    accounts: 6,
    startMs: lateStart,
    endMs: lateStart + 3 * 3600_000,
    everyMs: 45_000,
    subnet: '103.21.9',
    domain: 'inbox-farm.example',
    draw,
    id,
  });
  const exchanges = [...large.exchanges, ...late.exchanges].sort((a, b) =>
    a.ts.localeCompare(b.ts),
  );
  const detector = replay([...large.accounts, ...late.accounts], exchanges);
  const campaignOf = (account: string) => detector.assessment(account)?.campaignId;
  for (const account of late.members) {
    const flaggedAt = Date.parse(detector.assessment(account)?.flaggedAt ?? '');
    assert.ok(
      flaggedAt - lateStart <= 40 * 60_000,
      `${account} flagged ${(flaggedAt - lateStart) / 60_000} min after its campaign began`,
    );
    assert.equal(campaignOf(account), campaignOf('operator-b-0'));
  }
  assert.ok(campaignOf('operator-b-0'));
  assert.notEqual(campaignOf('operator-b-0'), campaignOf('operator-a-0'));
  assert.equal(new Set(large.members.map(campaignOf)).size, 1);
});

test('detector: a suspended reseller’s replacement behind the same door is flagged by its second campaign request', () => {
  const { campaign, template, chat, later } = ownedPromptTraffic();
  const backend = {
    tls_fingerprint: 'tls-reseller-backend',
    header_order: 'host,accept-encoding,authorization',
    user_agent: 'OpenAI/Python 1.45.3',
  };
  const business = (account_id: string, days: number): AccountRecord => ({
    account_id,
    created_at: new Date(later - days * 86_400_000).toISOString(),
    email_domain: 'saas.example',
    payment_fingerprint: `pay-${account_id}`,
  });
  const records = [
    business('old-reseller', 400),
    business('new-reseller', 1),
    business('far-reseller', 1),
    business('tenant', 300),
  ];
  /** Every third request of a door is the campaign's, the rest its customers' chat. */
  const doorTraffic = (account: string, ip: string, from: number, turns: number, every = 3) =>
    Array.from(
      { length: turns },
      (_, turn): Exchange => ({
        ...(turn % every === every - 1 ? template : chat),
        ...backend,
        id: `${account}-${turn}`,
        account_id: account,
        ts: new Date(from + turn * 60_000).toISOString(),
        ip,
      }),
    );
  const replacementFrom = later + 40 * 60_000;
  const extra = [
    ...doorTraffic('old-reseller', '52.1.1.1', later, 30),
    ...doorTraffic('new-reseller', '52.1.1.77', replacementFrom, 12),
    ...doorTraffic('far-reseller', '52.9.9.9', replacementFrom + 1000, 12),
    ...doorTraffic('tenant', '52.1.1.30', replacementFrom + 2000, 12, Number.POSITIVE_INFINITY),
  ].sort((a, b) => a.ts.localeCompare(b.ts));
  const detector = replay([...traffic.accounts, ...records], [...campaign, ...extra]);
  const verdicts = new Map(detector.verdicts().map((verdict) => [verdict.account_id, verdict]));

  const old = verdicts.get('old-reseller');
  assert.equal(old?.verdict, 'attack');
  assert.ok((old?.first_flagged_at ?? '') < new Date(replacementFrom).toISOString());
  // The replacement's second campaign request is its sixth (turns 2 and 5).
  const replacement = verdicts.get('new-reseller');
  assert.equal(replacement?.verdict, 'attack');
  assert.equal(replacement?.first_flagged_at, new Date(replacementFrom + 5 * 60_000).toISOString());
  assert.ok((replacement?.reseller_of ?? []).length > 0);
  const reason = replacement?.reasons.find((entry) => entry.code === 'reseller');
  assert.equal(reason?.evidence?.reusedDoor, true);
  assert.match(reason?.detail ?? '', /already flagged as a reseller/);
  // The same mix from another subnet needs the usual five campaign requests (turn 14: never here).
  assert.notEqual(verdicts.get('far-reseller')?.verdict, 'attack');
  // A tenant behind the same door that sends no campaign traffic stays clean.
  assert.equal(verdicts.get('tenant')?.verdict, 'clean');
});

/**
 * A public agent's prompt the last clustering had not yet judged public: the campaign drives it,
 * and established customers on two networks already send it. A newcomer whose every request
 * carries it (plain chat, nothing of its own) is then not placed as a member by that share
 * (`memberPublicNetworks`); while only the campaign sends it, a young account is placed.
 */
const circulating: {
  name: string;
  establishedCarriers: number;
  memberPublicNetworks: number;
  placed: boolean;
}[] = [
  {
    name: 'only the campaign sends the prompt',
    establishedCarriers: 0,
    memberPublicNetworks: 2,
    placed: true,
  },
  {
    name: 'established customers on two networks send it too',
    establishedCarriers: 2,
    memberPublicNetworks: 2,
    placed: false,
  },
  {
    name: 'the same, with the rule off (the default)',
    establishedCarriers: 2,
    memberPublicNetworks: Number.POSITIVE_INFINITY,
    placed: true,
  },
];

for (const { name, establishedCarriers, memberPublicNetworks, placed } of circulating) {
  test(`detector: a newcomer sending the campaign's prompt, ${name} → ${placed ? 'member' : 'not placed'}`, () => {
    const { campaign, template, chat, later } = ownedPromptTraffic();
    const publicChat: Exchange = {
      ...template,
      request: {
        ...chat.request,
        messages: [
          (template.request.messages ?? [])[0] as NonNullable<
            Exchange['request']['messages']
          >[number],
          ...(chat.request.messages ?? []),
        ],
      },
    };
    const records: AccountRecord[] = [
      {
        account_id: 'newcomer',
        created_at: new Date(later - 86_400_000).toISOString(),
        email_domain: 'mail.example',
      },
    ];
    const extra: Exchange[] = [];
    for (let carrier = 0; carrier < establishedCarriers; carrier += 1) {
      records.push({
        account_id: `customer-${carrier}`,
        created_at: new Date(later - 300 * 86_400_000).toISOString(),
        email_domain: 'mail.example',
      });
      for (let turn = 0; turn < 3; turn += 1)
        extra.push({
          ...publicChat,
          id: `customer-${carrier}-${turn}`,
          account_id: `customer-${carrier}`,
          ts: new Date(later - 600_000 + carrier * 1000 + turn * 60_000).toISOString(),
          ip: `9${carrier}.20.30.4`,
        });
    }
    for (let turn = 0; turn < 8; turn += 1)
      extra.push({
        ...publicChat,
        id: `newcomer-${turn}`,
        account_id: 'newcomer',
        ts: new Date(later + turn * 60_000).toISOString(),
        ip: '81.2.3.4',
      });
    const detector = replay([...traffic.accounts, ...records], [...campaign, ...extra], {
      thresholds: { memberPublicNetworks },
    });
    const verdict = detector.verdicts().find((entry) => entry.account_id === 'newcomer');
    assert.equal(verdict?.verdict === 'attack', placed, JSON.stringify(verdict?.reasons));
  });
}
