import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccountRecord, Exchange } from '../../log/exchange.js';
import { CommunityKey } from '../community-key.js';
import {
  FIXTURE_SECRETS,
  fixtureAccount,
  fixtureCampaignsFile,
  fixtureCommunityKey,
  fixtureExchange,
} from '../fixture-campaigns.js';
import { exportCampaignBundle } from '../stix/export-campaign-bundle.js';
import { createPeerIndicatorMatcher } from './create-peer-indicator-matcher.js';

const communityKey = fixtureCommunityKey();
const now = new Date('2026-03-01T00:00:00.000Z');
const bundleFor = (shareIps: boolean) =>
  exportCampaignBundle(fixtureCampaignsFile(), {
    communityKey,
    shareIps,
    producerName: 'provider-a',
  });

const exchangeCases: { name: string; exchange: Partial<Exchange>; type: string | undefined }[] = [
  { name: 'proxy IPv4', exchange: { ip: '203.0.113.7' }, type: 'ipv4' },
  { name: 'proxy IPv6 (other spelling)', exchange: { ip: '2001:db8:0::42' }, type: 'ipv6' },
  { name: 'address inside a shared subnet', exchange: { ip: '198.51.100.200' }, type: 'subnet' },
  { name: 'user agent', exchange: { user_agent: 'python-httpx/0.27.0' }, type: 'user_agent' },
  {
    name: 'TLS fingerprint',
    exchange: { tls_fingerprint: '771,4865-4866-4867,0-23-65281,29-23-24,0' },
    type: 'tls_fingerprint',
  },
  {
    name: 'header order (case differs)',
    exchange: { header_order: 'Host,Accept,Content-Type,Authorization' },
    type: 'header_order',
  },
  {
    name: 'unrelated traffic',
    exchange: { ip: '192.0.2.99', user_agent: 'curl/8' },
    type: undefined,
  },
];

const accountCases: { name: string; account: Partial<AccountRecord>; type: string | undefined }[] =
  [
    {
      name: 'payment fingerprint',
      account: { payment_fingerprint: FIXTURE_SECRETS.paymentFingerprint },
      type: 'payment_fingerprint',
    },
    {
      name: 'email domain (upper case)',
      account: { email_domain: 'QuietMail-Relay.example' },
      type: 'email_domain',
    },
    { name: 'autonomous system', account: { asn: 64500 }, type: 'asn' },
    { name: 'signup IP', account: { signup_ip: '203.0.113.7' }, type: 'ipv4' },
    { name: 'clean account', account: { email_domain: 'example.org', asn: 1 }, type: undefined },
  ];

describe('createPeerIndicatorMatcher', () => {
  for (const shareIps of [false, true]) {
    const matcher = createPeerIndicatorMatcher([bundleFor(shareIps)], { communityKey, now });
    for (const { name, exchange, type } of exchangeCases) {
      it(`exchange: ${name} (shareIps=${shareIps})`, () => {
        const match = matcher.matchExchange(fixtureExchange(exchange));
        assert.equal(match?.indicatorType, type);
        if (match) {
          assert.equal(match.source, 'provider-a');
          assert.match(match.indicatorId, /^indicator--/);
          assert.ok(match.confidence > 0.5 && match.confidence <= 1);
        }
      });
    }
    for (const { name, account, type } of accountCases) {
      it(`account: ${name} (shareIps=${shareIps})`, () => {
        assert.equal(matcher.matchAccount(fixtureAccount(account))?.indicatorType, type);
      });
    }
  }

  it('reports the most confident of the campaigns sharing an indicator', () => {
    const matcher = createPeerIndicatorMatcher([bundleFor(true)], { communityKey, now });
    assert.equal(matcher.matchExchange(fixtureExchange({ ip: '203.0.113.7' }))?.confidence, 0.92);
  });

  it('matches template signatures when the engine supplies them', () => {
    const matcher = createPeerIndicatorMatcher([bundleFor(false)], {
      communityKey,
      now,
      signaturesOf: (exchange) => ({
        template: exchange.model === 'frontier-large' ? FIXTURE_SECRETS.templateSignature : 'other',
      }),
    });
    assert.equal(matcher.matchExchange(fixtureExchange())?.indicatorType, 'template');
    assert.equal(matcher.matchExchange(fixtureExchange({ model: 'small' })), undefined);
  });

  it('cannot match keyed values under another community key, but still matches clear ones', () => {
    const otherKey = new CommunityKey(Buffer.from('a different community key 123456'));
    const matcher = createPeerIndicatorMatcher([bundleFor(false)], { communityKey: otherKey, now });
    assert.ok(matcher.skipped.otherCommunityKey > 0);
    assert.equal(matcher.matchExchange(fixtureExchange({ ip: '203.0.113.7' })), undefined);
    assert.equal(
      matcher.matchAccount(
        fixtureAccount({ payment_fingerprint: FIXTURE_SECRETS.paymentFingerprint }),
      ),
      undefined,
    );
    assert.equal(
      matcher.matchExchange(fixtureExchange({ user_agent: 'python-httpx/0.27.0' }))?.indicatorType,
      'user_agent',
    );
  });

  it('skips indicators past valid_until', () => {
    const matcher = createPeerIndicatorMatcher([bundleFor(true)], {
      communityKey,
      now: new Date('2027-01-01T00:00:00.000Z'),
    });
    assert.equal(matcher.indicatorCount, 0);
    assert.ok(matcher.skipped.expired > 0);
    assert.equal(matcher.matchExchange(fixtureExchange({ ip: '203.0.113.7' })), undefined);
  });

  it('uses the import source name over the producer identity', () => {
    const matcher = createPeerIndicatorMatcher([{ bundle: bundleFor(true), source: 'peer-b' }], {
      communityKey,
      now,
    });
    assert.equal(matcher.matchExchange(fixtureExchange({ ip: '203.0.113.7' }))?.source, 'peer-b');
  });
});
