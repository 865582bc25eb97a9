import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import type { AccountState } from './account-state.js';
import { createDetector, type DetectorState } from './create-detector.js';
import { EXIT_KIND_INDEX, type ExitKind, exitKindIndex } from './exit-kind.js';
import { createIpAsnTable } from './ip-asn-table.js';

test('exit kind: table labels map onto the kinds, anything else is unknown', () => {
  const cases: [string | undefined, ExitKind][] = [
    ['residential', 'residential'],
    ['ISP', 'residential'],
    ['mobile', 'mobile'],
    ['Cellular', 'mobile'],
    ['hosting', 'hosting'],
    ['datacenter', 'hosting'],
    ['vpn', 'hosting'],
    ['corporate', 'business'],
    ['university', 'education'],
    ['proxy', 'unknown'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ];
  for (const [label, kind] of cases)
    assert.equal(exitKindIndex(label), EXIT_KIND_INDEX[kind], String(label));
});

const TABLE = createIpAsnTable([
  { prefix: '73.0.0.0/8', asn: 7922, asn_org: 'HOME-ISP', kind: 'residential' },
  { prefix: '172.32.0.0/11', asn: 21928, asn_org: 'CARRIER', kind: 'mobile' },
  { prefix: '45.76.0.0/15', asn: 20473, asn_org: 'VPN-HOST', kind: 'hosting' },
  { prefix: '198.51.100.0/24', asn: 64500, asn_org: 'NO-KIND' },
]);

/** Requests per kind and distinct /24s per kind of one account, after its traffic. */
function exitsOf(ips: readonly string[], signupIp: string | undefined, withTable: boolean) {
  const detector = createDetector(withTable ? { ipAsn: TABLE } : {});
  detector.observeAccount({
    account_id: 'a',
    created_at: '2026-03-01T00:00:00Z',
    ...(signupIp ? { signup_ip: signupIp } : {}),
  } as AccountRecord);
  ips.forEach((ip, at) => {
    detector.observe({
      id: `x${at}`,
      ts: new Date(Date.parse('2026-03-02T00:00:00Z') + at * 600_000).toISOString(),
      account_id: 'a',
      ip,
      endpoint: 'chat.completions',
      model: 'atlas-2',
      request: { messages: [{ role: 'user', content: `question ${at}` }] },
      response: { input_tokens: 10, output_tokens: 100 },
      status: 200,
    } as Exchange);
  });
  const state = detector.exportState() as DetectorState;
  const [account] = (state.parts.membership as { accounts: AccountState[] }).accounts;
  const pick = (counts: ArrayLike<number> | undefined) =>
    Object.fromEntries(
      Object.entries(EXIT_KIND_INDEX)
        .map(([kind, at]) => [kind, counts?.[at] ?? 0] as const)
        .filter(([, count]) => count > 0),
    );
  return { requests: pick(account?.exitRequests), subnets: pick(account?.exitSubnets) };
}

test('exit kind: each account counts its requests and distinct /24s per kind', () => {
  const cases: {
    name: string;
    ips: string[];
    signupIp?: string;
    withTable?: boolean;
    requests: Record<string, number>;
    subnets: Record<string, number>;
  }[] = [
    {
      name: 'a home line: one residential /24, the address repeated',
      ips: ['73.1.2.3', '73.1.2.3', '73.1.2.9'],
      signupIp: '73.1.2.3',
      requests: { residential: 3 },
      subnets: { residential: 1 },
    },
    {
      name: 'a residential proxy pool: a new home /24 per session',
      ips: ['73.1.2.3', '73.9.8.7', '73.9.8.7', '73.44.5.6'],
      signupIp: '73.200.1.1',
      requests: { residential: 4 },
      subnets: { residential: 4 },
    },
    {
      name: 'a phone and a VPN, the home Wi-Fi beside them',
      ips: ['172.33.4.5', '172.40.1.1', '45.76.3.3', '73.1.2.3', '172.33.4.6'],
      requests: { residential: 1, mobile: 3, hosting: 1 },
      subnets: { residential: 1, mobile: 2, hosting: 1 },
    },
    {
      name: 'outside the table or a row without kind: unknown',
      ips: ['198.51.100.7', '203.0.113.9', 'unknown'],
      requests: { unknown: 3 },
      subnets: { unknown: 2 },
    },
    {
      name: 'no table: every exit unknown',
      ips: ['73.1.2.3', '73.9.8.7'],
      withTable: false,
      requests: { unknown: 2 },
      subnets: { unknown: 2 },
    },
  ];
  for (const { name, ips, signupIp, withTable = true, requests, subnets } of cases) {
    assert.deepEqual(exitsOf(ips, signupIp, withTable), { requests, subnets }, name);
  }
});
