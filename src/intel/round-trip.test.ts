import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createDetector } from '../detect/index.js';
import { createPromptAnalyzer } from '../detect/prompt/index.js';
import { buildTraffic } from '../detect/testing/build-traffic.js';
import type { Exchange } from '../log/exchange.js';
import { fixtureCommunityKey } from './fixture-campaigns.js';
import {
  createPeerIndicatorMatcher,
  createStixValidator,
  exportCampaignBundle,
  importPeerIntel,
  loadPeerBundles,
  resolveTaxiiServerConfig,
  signaturesFromPromptAnalyzer,
  startTaxiiServer,
} from './index.js';

const COLLECTION = '0c9f4a3e-7b21-4d5e-9f60-1a2b3c4d5e6f';
const communityKey = fixtureCommunityKey();
const validator = createStixValidator();

describe('round trip: provider A exports and serves, provider B imports and flags', () => {
  let directory = '';
  let server: Awaited<ReturnType<typeof startTaxiiServer>>;
  const traffic = buildTraffic();
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'distillguard-round-trip-'));
    const config = resolveTaxiiServerConfig(
      {
        store: ':memory:',
        listen: { port: 0 },
        collections: [{ id: COLLECTION, title: 'Distillation campaigns' }],
        peers: [
          { name: 'provider-a', token_env: 'A', read: ['*'], write: ['*'] },
          { name: 'provider-b', token_env: 'B', read: [COLLECTION] },
        ],
      },
      { environment: { A: 'token-of-a', B: 'token-of-b' } },
    );
    server = await startTaxiiServer(config, { validator });
  });
  after(async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('flags a regrown attack account at B with peer_indicator, source and confidence', async () => {
    // Provider A: the real engine finds the campaign in its own traffic.
    const detectorA = createDetector();
    for (const account of traffic.accounts) detectorA.observeAccount(account);
    for (const exchange of traffic.exchanges) detectorA.observe(exchange);
    const campaigns = detectorA.campaigns();
    assert.ok(campaigns.length > 0, 'A found no campaign');
    const bundle = exportCampaignBundle(
      { generated_at: '2026-02-03T00:00:00.000Z', campaigns },
      { communityKey, producerName: 'Provider A' },
    );
    const posted = await fetch(`${server.url}/intel/collections/${COLLECTION}/objects/`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer token-of-a',
        accept: 'application/taxii+json;version=2.1',
        'content-type': 'application/taxii+json;version=2.1',
      },
      body: JSON.stringify({ objects: bundle.objects }),
    });
    assert.equal(posted.status, 202);

    // Provider B: imports from A's TAXII collection, then sees the attacker come back.
    const into = join(directory, 'intel');
    const summary = await importPeerIntel({
      from: `${server.url}/intel/collections/${COLLECTION}/`,
      into,
      validator,
      token: 'token-of-b',
      now: () => new Date('2026-02-03T00:00:00.000Z'),
    });
    assert.equal(summary.source, 'Provider A');
    assert.equal(summary.objects, bundle.objects.length);
    const matcher = createPeerIndicatorMatcher(await loadPeerBundles(into, validator), {
      communityKey,
      now: new Date('2026-02-03T00:00:00.000Z'),
      signaturesOf: signaturesFromPromptAnalyzer(createPromptAnalyzer()),
    });
    const detectorB = createDetector({ peerIndicators: matcher });
    const attacker = traffic.attackAccounts[0] ?? '';
    const regrown = traffic.exchanges
      .filter((exchange) => exchange.account_id === attacker)
      .map(
        (exchange): Exchange => ({ ...exchange, id: `b-${exchange.id}`, account_id: 'regrown-1' }),
      );
    let flaggedWith: unknown;
    for (const exchange of regrown) {
      const assessment = detectorB.observe(exchange);
      const reason = assessment.reasons.find((candidate) => candidate.code === 'peer_indicator');
      if (reason && flaggedWith === undefined) flaggedWith = reason.evidence;
    }
    assert.ok(flaggedWith, 'no peer_indicator reason at B');
    const evidence = flaggedWith as Record<string, unknown>;
    assert.equal(evidence.source, 'Provider A');
    assert.ok(Number(evidence.confidence) > 0);
    assert.match(String(evidence.indicatorId), /^indicator--/);
    const verdict = detectorB.verdicts().find((candidate) => candidate.account_id === 'regrown-1');
    assert.ok(verdict?.reasons.some((reason) => reason.code === 'peer_indicator'));
    assert.equal(verdict?.verdict, 'attack');
    assert.notEqual(verdict?.first_flagged_at, null);

    // Peer intelligence never makes B slower: without it the same account is flagged later or not at all.
    const alone = createDetector();
    for (const exchange of regrown) alone.observe(exchange);
    const unaided = alone.verdicts().find((candidate) => candidate.account_id === 'regrown-1');
    const withPeers = String(verdict?.first_flagged_at);
    assert.ok(unaided?.first_flagged_at == null || withPeers <= unaided.first_flagged_at);

    // A legitimate customer of B is not touched by A's indicators.
    const legit = traffic.legitAccounts[0] ?? '';
    const customer = traffic.exchanges.find((exchange) => exchange.account_id === legit);
    assert.ok(customer);
    assert.equal(matcher.matchExchange(customer), undefined);
  });
});
