import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { analyze } from '../../analyze/index.js';
import type { Verdict } from '../../detect/index.js';
import { buildTraffic } from '../../detect/testing/build-traffic.js';
import {
  connectNats,
  createMemoryCheckpointStore,
  type DetectService,
  openDetectService,
  openJetStreamExchangeBus,
  openKvDecisionBoard,
} from '../../fleet/index.js';
import { createJsonLinesWriter, type Exchange } from '../../log/index.js';
import { createApiKeyHasher } from '../api-key-hasher.js';
import { createGateway, type Gateway } from '../create-gateway.js';
import { createDemoUpstream } from '../demo/create-demo-upstream.js';
import {
  createBatchingRecorder,
  createMemoryExchangeSink,
} from '../exchange-store/exchange-recorder.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { DEFAULT_LADDER_POLICY } from '../ladder.js';
import { type ServedHandler, serveFetchHandler } from '../node/serve-gateway.js';
import { createNullScorer } from '../request-scorer.js';
import { createUndiciUpstream } from '../upstream-client.js';
import { createFleetScorer } from './create-fleet-scorer.js';
import { type GatewayFleet, openGatewayFleet } from './open-gateway-fleet.js';

// The machine's NATS JetStream (`.ci/run` starts one): a missing server fails these tests.
const nats = process.env.NATS_URL ?? '127.0.0.1:4222';
const fleetConfig = parseGatewayConfig({
  fleet: {
    nats,
    stream: `DG_TEST_FLEET_${process.pid}`,
    subject: `distillguard.test.fleet.${process.pid}`,
    bucket: `dg-test-fleet-${process.pid}`,
  },
}).fleet as NonNullable<ReturnType<typeof parseGatewayConfig>['fleet']>;

interface Replica {
  gateway: Gateway;
  fleet: GatewayFleet;
  sink: ReturnType<typeof createMemoryExchangeSink>;
  recorder: ReturnType<typeof createBatchingRecorder>;
  keys: Map<string, string>;
}

describe('a fleet: three gateways, one detector over NATS JetStream', () => {
  const traffic = buildTraffic();
  const replicas: Replica[] = [];
  let upstream: ServedHandler;
  let clock = 0;
  let nextId = '';
  let directory = '';
  let service: DetectService;

  const send = async (replica: Replica, exchange: Exchange) => {
    clock = Date.parse(exchange.ts);
    nextId = exchange.id;
    const headers = new Map<string, string>([
      ['authorization', `Bearer ${replica.keys.get(exchange.account_id)}`],
      ['content-type', 'application/json'],
      ['user-agent', exchange.user_agent ?? 'client'],
    ]);
    const response = await replica.gateway.handle(
      {
        method: 'POST',
        url: 'http://gateway/v1/chat/completions',
        headers: { get: (name) => headers.get(name) ?? null },
      },
      {
        remoteAddress: exchange.ip,
        ...(exchange.header_order ? { headerOrder: exchange.header_order } : {}),
        body: Buffer.from(JSON.stringify({ ...exchange.request, model: exchange.model })),
      },
    );
    await response.text();
    return response;
  };

  before(async () => {
    upstream = await serveFetchHandler(createDemoUpstream({ maxTokensCap: 48 }));
    for (let index = 0; index < 3; index += 1) {
      const fleet = await openGatewayFleet(fleetConfig, {
        name: `gateway-${index}`,
        now: () => clock,
      });
      const sink = createMemoryExchangeSink();
      const recorder = createBatchingRecorder({ sink, flushIntervalMs: 5 });
      const gateway = createGateway({
        upstream: createUndiciUpstream({ baseUrl: upstream.url }),
        hasher: createApiKeyHasher({ secret: 'fleet-test-secret' }),
        recorder,
        publisher: fleet.publisher,
        // Account records go on the stream as the gateway learns of them (the detector's identity evidence).
        scorer: createFleetScorer(fleet.view, createNullScorer(), fleet.publisher),
        now: () => clock,
        createId: () => nextId,
        // This provider suspends what the engine calls an attack from a score of 0.5.
        policy: {
          ...DEFAULT_LADDER_POLICY,
          thresholds: { throttle: 0.9, degrade: 0, challenge: 0.5, suspend: 0.5 },
        },
      });
      const keys = new Map<string, string>();
      for (const account of traffic.accounts) {
        gateway.provisionAccount(account);
        keys.set(account.account_id, gateway.createApiKey(account.account_id).apiKey);
      }
      replicas.push({ gateway, fleet, sink, recorder, keys });
    }
    // Requests round-robin over the three gateways, as a load balancer spreads them.
    for (let index = 0; index < traffic.exchanges.length; index += 1) {
      const response = await send(
        replicas[index % 3] as Replica,
        traffic.exchanges[index] as Exchange,
      );
      assert.equal(response.status, 200);
      // Six hours of traffic pass here in seconds: a publisher's 50 ms timer could hold hours of
      // event time (more, the faster the gateway or the slower the machine), past the
      // detector's 30-minute reorder window. Flushing every 48 requests (~9 minutes) keeps the
      // stream in the order a real-time fleet would give it.
      if (index % 48 === 47)
        await Promise.all(replicas.map((replica) => replica.fleet.publisher.flush()));
    }
    for (const replica of replicas) {
      await replica.recorder.flush();
      await replica.fleet.publisher.flush();
    }
    directory = await mkdtemp(join(tmpdir(), 'distillguard-fleet-'));
  });

  after(async () => {
    await service?.stop({ checkpoint: false });
    for (const replica of replicas) {
      await replica.recorder.close();
      await replica.fleet.close();
    }
    await upstream?.close(1_000);
    const connection = await connectNats({ servers: nats });
    await (await jetstreamManager(connection)).streams
      .delete(fleetConfig.stream)
      .catch(() => false);
    await (await new Kvm(connection).open(fleetConfig.bucket)).destroy().catch(() => false);
    await connection.close();
    await rm(directory, { recursive: true, force: true });
  });

  test('the detector flags the campaign as analyze does on the merged log (accounts from the stream)', async () => {
    const merged = replicas.flatMap((replica) => replica.sink.exchanges);
    assert.equal(merged.length, traffic.exchanges.length);
    const counts = replicas.map((replica) => replica.fleet.publisher.counters());
    assert.equal(
      counts.reduce((sum, count) => sum + count.published, 0),
      traffic.exchanges.length,
    );
    // Each gateway published every account it provisioned; the stream kept one copy of each.
    assert.equal(
      counts.reduce((sum, count) => sum + count.accounts, 0),
      traffic.accounts.length,
    );
    const logPath = join(directory, 'merged.jsonl');
    const writer = await createJsonLinesWriter(logPath);
    for (const exchange of merged) await writer.write(exchange);
    await writer.close();
    const accountsPath = join(directory, 'accounts.jsonl');
    const accountWriter = await createJsonLinesWriter(accountsPath);
    for (const account of traffic.accounts) await accountWriter.write(account);
    await accountWriter.close();
    const out = join(directory, 'out');
    await analyze({ inputs: [logPath], accounts: accountsPath, out });
    const expected = (await readFile(join(out, 'verdicts.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Verdict);
    const expectedCampaigns = JSON.parse(await readFile(join(out, 'campaigns.json'), 'utf8'))
      .campaigns as { campaign_id: string; accounts: string[]; first_flagged_at: string }[];

    const connection = await connectNats({ servers: nats, name: 'detector' });
    const bus = await openJetStreamExchangeBus({
      connection,
      stream: fleetConfig.stream,
      subject: fleetConfig.subject,
    });
    const board = await openKvDecisionBoard({ connection, bucket: fleetConfig.bucket });
    service = await openDetectService({
      bus,
      stream: fleetConfig.stream,
      board,
      checkpoints: createMemoryCheckpointStore(),
      reorderWindowMs: 30 * 60_000,
    });
    await service.runUntil((await bus.info()).lastSequence);
    service.drain();
    await service.stop({ checkpoint: true }); // publishes the last decisions and the campaigns
    const verdicts = JSON.parse(JSON.stringify(service.verdicts())) as Verdict[];
    const byId = (a: Verdict, b: Verdict) => (a.account_id < b.account_id ? -1 : 1);
    assert.deepEqual([...verdicts].sort(byId), [...expected].sort(byId));
    const attack = verdicts.filter((verdict) => verdict.verdict === 'attack');
    assert.ok(attack.length >= traffic.attackAccounts.length - 1, 'the campaign is flagged');
    assert.deepEqual(
      service
        .campaigns()
        .map((campaign) => [campaign.campaign_id, campaign.accounts, campaign.first_flagged_at]),
      expectedCampaigns.map((campaign) => [
        campaign.campaign_id,
        campaign.accounts,
        campaign.first_flagged_at,
      ]),
    );
    await connection.close();
  });

  test('every gateway sees the decisions; a regrown account is refused on its first request at each', async () => {
    const campaign = service.campaigns()[0];
    assert.ok(campaign?.first_flagged_at);
    const scores = service
      .verdicts()
      .filter((verdict) => verdict.campaign_id === campaign.campaign_id)
      .map((verdict) => verdict.score);
    assert.ok(Math.max(...scores) >= 0.5, `member scores ${scores.join(', ')}`);
    const deadline = Date.now() + 10_000;
    while (
      replicas.some((replica) => replica.fleet.view.size.campaigns === 0) &&
      Date.now() < deadline
    )
      await new Promise((resolve) => setTimeout(resolve, 20));
    const template = traffic.exchanges.find(
      (exchange) => exchange.account_id === campaign.accounts[0],
    ) as Exchange;
    const after = Date.parse(campaign.first_flagged_at) + 3600_000;
    const card = campaign.indicators.find((indicator) => indicator.type === 'payment_fingerprint');
    assert.ok(card, 'the campaign shares a payment method');
    for (const [index, replica] of replicas.entries()) {
      // A member of the campaign: its own decision.
      const member = await send(replica, {
        ...template,
        id: `member-${index}`,
        ts: new Date(after).toISOString(),
      });
      assert.equal(member.status, 403, `gateway ${index}: member refused`);
      assert.equal(member.headers.get('x-distillguard-action'), 'suspend');
      // A regrown account: signed up after the flag, same proxy /24 and payment card, no history.
      const regrown = `regrown-${index}`;
      replica.gateway.provisionAccount({
        account_id: regrown,
        created_at: new Date(after).toISOString(),
        payment_fingerprint: card.value,
      });
      replica.keys.set(regrown, replica.gateway.createApiKey(regrown).apiKey);
      const first = await send(replica, {
        ...template,
        id: `regrown-${index}`,
        account_id: regrown,
        ts: new Date(after + 1_000).toISOString(),
      });
      assert.equal(first.status, 403, `gateway ${index}: regrown account refused`);
      assert.equal(first.headers.get('x-distillguard-action'), 'suspend');
      // A customer who signs up the same hour from elsewhere is served.
      const customer = `customer-${index}`;
      replica.gateway.provisionAccount({
        account_id: customer,
        created_at: new Date(after).toISOString(),
        payment_fingerprint: `pay-customer-${index}`,
      });
      replica.keys.set(customer, replica.gateway.createApiKey(customer).apiKey);
      const served = await send(replica, {
        ...template,
        id: `customer-${index}`,
        account_id: customer,
        ip: '198.51.100.20',
        ts: new Date(after + 2_000).toISOString(),
      });
      assert.equal(served.status, 200, `gateway ${index}: a new customer is served`);
    }
  });
});
