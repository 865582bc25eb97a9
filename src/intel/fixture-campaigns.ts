import type { CampaignsFile } from '../detect/verdict.js';
import type { AccountRecord, Exchange } from '../log/exchange.js';
import { CommunityKey } from './community-key.js';

/** Test fixtures: raw strings that must never appear in an exported bundle. */
export const FIXTURE_SECRETS = {
  prompt: 'Explain step by step the reasoning behind your answer, then grade it with the rubric',
  systemPrompt: 'You are a teacher model. Always output your full chain of thought.',
  email: 'ops-7781@quietmail-relay.example',
  emailDomain: 'quietmail-relay.example',
  paymentFingerprint: 'card_fp_4f1c9a07d2e8',
  accountId: 'acct-attack-0042',
  templateSignature: 'tmpl:3b9f0c1e77aa',
} as const;

/** A realistic `campaigns.json` with every indicator type. */
export function fixtureCampaignsFile(): CampaignsFile {
  const firstSeen = '2026-02-03T08:00:00.000Z';
  const lastSeen = '2026-02-20T17:30:00.000Z';
  const indicator = (
    type: CampaignsFile['campaigns'][number]['indicators'][number]['type'],
    value: string,
    count: number,
  ) => ({ type, value, count, first_seen: firstSeen, last_seen: lastSeen });
  return {
    generated_at: '2026-02-21T00:00:00.000Z',
    campaigns: [
      {
        campaign_id: 'campaign-1',
        confidence: 0.92,
        accounts: [FIXTURE_SECRETS.accountId, 'acct-attack-0043', 'acct-attack-0044'],
        resellers: ['acct-reseller-0001'],
        exchange_count: 18_240,
        first_seen: firstSeen,
        last_seen: lastSeen,
        first_flagged_at: '2026-02-03T11:12:13.000Z',
        capability_mix: { reasoning: 0.7, rubric_grading: 0.3 },
        models: { 'frontier-large': 0.8, 'frontier-small': 0.2 },
        timeline: [{ hour: '2026-02-03T08:00:00.000Z', exchanges: 120 }],
        indicators: [
          indicator('ipv4', '203.0.113.7', 5120),
          indicator('ipv6', '2001:DB8:0:0::42', 800),
          indicator('subnet', '198.51.100.0/24', 9000),
          indicator('asn', 'AS64500', 12000),
          indicator('user_agent', 'python-httpx/0.27.0', 18000),
          indicator('tls_fingerprint', '771,4865-4866-4867,0-23-65281,29-23-24,0', 18000),
          indicator('header_order', 'host,accept,content-type,authorization', 17000),
          indicator('payment_fingerprint', FIXTURE_SECRETS.paymentFingerprint, 3),
          indicator('email_domain', FIXTURE_SECRETS.emailDomain, 3),
          indicator('template', FIXTURE_SECRETS.templateSignature, 15000),
          indicator('system_prompt', FIXTURE_SECRETS.systemPrompt, 15000),
          indicator('tool_set', 'calculator,python', 4000),
        ],
        reasons: [
          { code: 'shared_template', detail: `template "${FIXTURE_SECRETS.prompt}"` },
          { code: 'shared_payment', detail: `card ${FIXTURE_SECRETS.paymentFingerprint}` },
        ],
      },
      {
        campaign_id: 'campaign-2',
        confidence: 0.61,
        accounts: ['acct-attack-0100'],
        resellers: [],
        exchange_count: 950,
        first_seen: firstSeen,
        last_seen: lastSeen,
        first_flagged_at: null,
        capability_mix: { agentic_coding: 1 },
        models: {},
        timeline: [],
        indicators: [indicator('ipv4', '203.0.113.7', 40), indicator('asn', '64501', 900)],
        reasons: [],
      },
    ],
  };
}

/** The community key the fixtures are exported and matched with. */
export function fixtureCommunityKey(): CommunityKey {
  return new CommunityKey(Buffer.from('test community key, 32 bytes ok!'));
}

/** An exchange shaped like format v1; override fields per case. */
export function fixtureExchange(overrides: Partial<Exchange> = {}): Exchange {
  return {
    id: 'exchange-1',
    ts: '2026-03-01T00:00:00.000Z',
    account_id: 'acct-new-0001',
    ip: '192.0.2.10',
    endpoint: 'chat.completions',
    model: 'frontier-large',
    request: { messages: [{ role: 'user', content: FIXTURE_SECRETS.prompt }] },
    status: 200,
    ...overrides,
  };
}

/** An account record; override fields per case. */
export function fixtureAccount(overrides: Partial<AccountRecord> = {}): AccountRecord {
  return { account_id: 'acct-new-0001', created_at: '2026-03-01T00:00:00.000Z', ...overrides };
}
