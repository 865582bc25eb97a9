import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord } from '../log/exchange.js';
import { acceptCommunity } from './accept-community.js';
import { type AccountState, createAccountState } from './account-state.js';
import { DEFAULT_THRESHOLDS } from './detector-thresholds.js';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';

const T = KEY_TYPE_INDEX;

interface Member {
  score: number;
  exchanges: number;
  cues: number;
  /** [key type, value, hub weight] */
  keys: [number, string, number][];
  record?: AccountRecord;
}

/** Builds account states, an index and hub weights for one community from a table. */
function community(members: Member[], nowMs = 0) {
  const index = createLinkageIndex();
  const hubWeight = new Map<number, number>();
  const accounts: AccountState[] = members.map((member, position) => {
    const state = createAccountState(position, `acct_${position}`);
    state.score = member.score;
    state.exchanges = member.exchanges;
    state.cueExchanges = member.cues;
    if (member.record) {
      state.record = member.record;
      state.createdMs = Date.parse(member.record.created_at);
    }
    for (const [type, value, weight] of member.keys) {
      const keyId = index.intern(type, value);
      state.keys.push(keyId);
      index.addMember(keyId, position, 0);
      hubWeight.set(keyId, weight);
    }
    return state;
  });
  const hubs = [...hubWeight.keys()].sort((a, b) => a - b);
  const result = acceptCommunity(
    { accounts: accounts.map((state) => state.index), hubs },
    { accounts, index, hubWeight, thresholds: DEFAULT_THRESHOLDS, nowMs },
  );
  return { result, index };
}

/** A campaign account: a card shared with its pair, the operator's templates, elicitation cues. */
const attacker = (card: string): Member => ({
  score: 0.8,
  exchanges: 20,
  cues: 20,
  keys: [
    [T.payment_fingerprint, card, 1.5],
    [T.template, 'tmpl-a', 0.5],
    [T.template, 'tmpl-b', 0.5],
    [T.template, 'tmpl-c', 0.5],
    [T.email_domain, 'river-institute.edu', 0.7],
  ],
});
/** A student behind a campus NAT who once drew the same public homework template. */
const student = (homework: boolean): Member => ({
  score: 0.45,
  exchanges: 8,
  cues: homework ? 3 : 0,
  keys: [
    [T.ip, '143.248.8.34', 1.5],
    [T.subnet, '143.248.8', 1],
    ...(homework ? ([[T.template, 'tmpl-a', 0.5]] as [number, string, number][]) : []),
  ],
});

test('acceptCommunity: campaign pairs held by cards and wording are accepted', () => {
  const { result } = community([attacker('c1'), attacker('c1'), attacker('c2'), attacker('c2')]);
  assert.deepEqual(result?.accounts, [0, 1, 2, 3]);
});

test('acceptCommunity: a campus NAT attached through a homework template stays out', () => {
  const { result, index } = community([
    attacker('c1'),
    attacker('c1'),
    attacker('c2'),
    attacker('c2'),
    student(true),
    student(false),
    student(false),
  ]);
  assert.deepEqual(result?.accounts, [0, 1, 2, 3]);
  // The NAT address is not the campaign's: no later join by affinity through it.
  const owned = (result?.hubs ?? []).map((keyId) => index.valueOf(keyId));
  assert.ok(!owned.includes('143.248.8.34'), `owned ${owned.join(', ')}`);
  assert.ok(owned.includes('tmpl-b'));
});

test('acceptCommunity: an address-only island with sustained cues is kept', () => {
  const proxy = (address: string): Member => ({
    score: 0.8,
    exchanges: 20,
    cues: 20,
    keys: [
      [T.ip, address, 1.5],
      [T.subnet, '45.1.2', 1],
      [T.template, 'tmpl-a', 0.5],
    ],
  });
  const { result } = community([
    attacker('c1'),
    attacker('c1'),
    attacker('c2'),
    attacker('c2'),
    proxy('45.1.2.3'),
    proxy('45.1.2.3'),
  ]);
  assert.deepEqual(result?.accounts, [0, 1, 2, 3, 4, 5]);
});

test('acceptCommunity: a shared ASN is not operator evidence', () => {
  const cloudUser = (): Member => ({
    score: 0.6,
    exchanges: 20,
    cues: 20,
    keys: [
      [T.asn, '8075', 0.3],
      [T.template, 'tmpl-a', 0.5],
      [T.template, 'tmpl-b', 0.5],
      [T.user_agent, 'python-requests/2.32', 0.3],
      [T.email_domain, 'gmail.com', 0.8],
    ],
  });
  const { result } = community([cloudUser(), cloudUser(), cloudUser(), cloudUser()]);
  assert.equal(result, undefined);
});

test('acceptCommunity: in a campaign held by cards, an address alone needs the account’s own cues', () => {
  const onProxySubnet = (member: Member): Member => ({
    ...member,
    keys: [...member.keys, [T.subnet, '81.7.20', 1]],
  });
  /** At home in the residential block the operator's proxies exit from; drew the same public template. */
  const household = (cues: number): Member => ({
    score: 0.4,
    exchanges: 10,
    cues,
    keys: [
      [T.subnet, '81.7.20', 1],
      [T.template, 'tmpl-a', 0.5],
      [T.template, 'tmpl-b', 0.5],
    ],
  });
  const { result } = community([
    onProxySubnet(attacker('c1')),
    onProxySubnet(attacker('c1')),
    onProxySubnet(attacker('c2')),
    onProxySubnet(attacker('c2')),
    household(1),
    household(10),
  ]);
  // The quiet household stays out; an account eliciting on every prompt is the operator's too.
  assert.deepEqual(result?.accounts, [0, 1, 2, 3, 5]);
});

test('acceptCommunity: a verified organisation of long standing is not placed by shared cloud addresses', () => {
  const now = Date.parse('2026-02-02T16:40:00.000Z');
  const onDatacenter = (member: Member): Member => ({
    ...member,
    keys: [...member.keys, [T.subnet, '51.38.220', 1], [T.ip, '51.38.220.70', 1]],
  });
  /** An evaluation lab's harness: chain-of-thought benchmarks from a backend in the same /24. */
  const lab = (createdAt: string, card: string): Member => ({
    score: 0.74,
    exchanges: 400,
    cues: 400,
    keys: [
      [T.subnet, '51.38.220', 1],
      [T.ip, '51.38.220.70', 1],
      [T.payment_fingerprint, card, 1.5],
    ],
    record: {
      account_id: 'lab',
      created_at: createdAt,
      verification: 'org',
      org_id: 'org_lab',
    },
  });
  const cases: { name: string; member: Member; placed: boolean }[] = [
    {
      name: 'two years a verified lab',
      member: lab('2024-01-10T00:00:00.000Z', 'own'),
      placed: false,
    },
    { name: 'verified ten days ago', member: lab('2026-01-23T00:00:00.000Z', 'own'), placed: true },
    {
      name: 'long-standing but paying with the operator’s card',
      member: lab('2024-01-10T00:00:00.000Z', 'c2'),
      placed: true,
    },
  ];
  for (const { name, member, placed } of cases) {
    const { result } = community(
      [
        onDatacenter(attacker('c1')),
        onDatacenter(attacker('c1')),
        onDatacenter(attacker('c2')),
        onDatacenter(attacker('c2')),
        member,
      ],
      now,
    );
    assert.equal(result?.accounts.includes(4), placed, name);
  }
});

test('acceptCommunity: the content evidence is the members’ own, not that of accounts turned away', () => {
  /** Signed up in one lesson (a sign-up batch) on the campus network, the course's exercises. */
  const classmate = (score: number): Member => ({
    score,
    exchanges: 30,
    cues: 6,
    keys: [
      [T.signup_burst, 'lesson', 0.7],
      [T.ip, '2001:db8:8b40:6ff0::10', 1.5],
      [T.subnet, '2001:db8:8b40', 1],
      [T.template, 'exercise', 0.5],
    ],
  });
  /** The campus's homework crowd: the edu domain and the public templates, no shared infrastructure. */
  const homework = (): Member => ({
    score: 0.7,
    exchanges: 20,
    cues: 15,
    keys: [
      [T.email_domain, 'orbit-university.edu', 0.8],
      [T.template, 'exercise', 0.5],
      [T.template, 'textbook', 0.5],
    ],
  });
  const crowd = [homework(), homework(), homework(), homework(), homework(), homework()];
  const cases: { name: string; score: number; accepted: number[] | undefined }[] = [
    // Community mean 0.57 from the crowd; the classmates' own 0.37 is below minCampaignScore.
    { name: 'a classroom beside its campus crowd', score: 0.37, accepted: undefined },
    // Same shape, but the batch's own traffic harvests: an operator's sign-ups on its proxies.
    { name: 'an operator’s sign-up batch', score: 0.6, accepted: [0, 1, 2, 3] },
  ];
  for (const { name, score, accepted } of cases) {
    const members = [classmate(score), classmate(score), classmate(score), classmate(score)];
    const { result } = community([...members, ...crowd]);
    assert.deepEqual(result?.accounts, accepted, name);
  }
});
