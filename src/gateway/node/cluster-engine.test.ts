import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Agent, fetch as undiciFetch } from 'undici';
import { analyze } from '../../analyze/index.js';
import type { Verdict } from '../../detect/index.js';
import { buildTraffic } from '../../detect/testing/build-traffic.js';
import type { Exchange } from '../../log/index.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { startGatewayCluster } from './start-gateway-cluster.js';

const ADMIN = 'admin-token-cluster-engine-0123456789';

// issue 17: `--workers 2` feeds both workers' records to one engine in the primary, whose
// verdicts equal `analyze` on the log the cluster recorded, and whose decisions reach the workers.
test('--workers 2: one engine in the primary sees both workers’ traffic (verdicts equal analyze)', async () => {
  const traffic = buildTraffic();
  const directory = await mkdtemp(join(tmpdir(), 'distillguard-cluster-engine-'));
  const accountsPath = join(directory, 'accounts.jsonl');
  const logPath = join(directory, 'exchanges.jsonl');
  await writeFile(
    accountsPath,
    `${traffic.accounts.map((account) => JSON.stringify(account)).join('\n')}\n`,
  );
  const config = parseGatewayConfig({
    listen: { port: 0 },
    upstream: { demo: true, token_delay_ms: 0, max_tokens_cap: 48 },
    store: { kind: 'jsonl', path: logPath },
    engine: 'detector',
    accounts_file: accountsPath,
    // Each request carries its simulated client address, as a load balancer would.
    trusted_proxies: ['127.0.0.1', '::1'],
    limits: { per_ip: null },
  });
  const cluster = await startGatewayCluster(config, {
    workers: 2,
    env: {
      ...process.env,
      DISTILLGUARD_SECRET: 'cluster-engine-secret-0123456789',
      DISTILLGUARD_ADMIN_TOKEN: ADMIN,
    },
    warn: () => {},
  });
  // Twelve connections: the primary deals them out to both workers.
  const agents = Array.from({ length: 12 }, () => new Agent({ connections: 1 }));
  try {
    assert.ok(cluster.engine, 'engine: detector without fleet runs the engine in the primary');
    const keys = new Map<string, string>();
    for (const account of traffic.accounts) {
      const created = await undiciFetch(
        `${cluster.url}/admin/accounts/${account.account_id}/keys`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
          body: '{}',
        },
      );
      assert.equal(created.status, 201);
      keys.set(account.account_id, ((await created.json()) as { api_key: string }).api_key);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // keys reach the other worker
    const send = async (exchange: Exchange, index: number) => {
      const response = await undiciFetch(`${cluster.url}/v1/chat/completions`, {
        dispatcher: agents[index % agents.length] as Agent,
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys.get(exchange.account_id)}`,
          'content-type': 'application/json',
          'user-agent': exchange.user_agent ?? 'client',
          'x-forwarded-for': exchange.ip,
        },
        body: JSON.stringify({ ...exchange.request, model: exchange.model, stream: false }),
      });
      const body = await response.text();
      // 403: suspended. 429: a rate limit (an account the primary has only throttled yet when its
      // request arrives, or a burst of twelve connections past a tier's bucket: both depend on the
      // machine's speed), always with an account's or a campaign's limit code; a per-address or
      // invalid-key 429, like any other status, fails.
      if (response.status === 429)
        assert.match(body, /"code":"rate_limit_(requests|output_tokens|campaign)"/, body);
      else assert.ok([200, 403].includes(response.status), `status ${response.status}`);
    };
    for (let start = 0; start < traffic.exchanges.length; start += agents.length)
      await Promise.all(
        traffic.exchanges
          .slice(start, start + agents.length)
          .map((exchange, offset) => send(exchange, start + offset)),
      );
    // The decisions reach the workers: /metrics of whichever worker answers counts them.
    const metrics = await (
      await undiciFetch(`${cluster.url}/metrics`, {
        headers: { authorization: `Bearer ${ADMIN}` },
      })
    ).text();
    const viewed = Number(/fleet_decisions_accounts\S*\s+(\d+)/.exec(metrics)?.[1] ?? Number.NaN);
    assert.ok(viewed > 0, `a worker's view holds the primary's decisions (${viewed})`);
  } finally {
    await cluster.close();
    await Promise.all(agents.map((agent) => agent.close()));
  }
  try {
    const engine = cluster.engine as NonNullable<typeof cluster.engine>;
    assert.equal(engine.behind(), 0, 'no record lost on the way to the engine');
    assert.equal(engine.service.stats().applied, traffic.exchanges.length);
    const out = join(directory, 'out');
    await analyze({ inputs: [logPath], accounts: accountsPath, out, workers: 0 });
    const expected = (await readFile(join(out, 'verdicts.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Verdict);
    assert.equal(expected.length, traffic.accounts.length);
    const verdicts = JSON.parse(JSON.stringify(engine.service.verdicts())) as Verdict[];
    const byId = (a: Verdict, b: Verdict) => (a.account_id < b.account_id ? -1 : 1);
    assert.deepEqual([...verdicts].sort(byId), [...expected].sort(byId));
    assert.ok(
      verdicts.some((verdict) => verdict.verdict !== 'clean'),
      'the campaign is seen (not an all-clean equality)',
    );
    const expectedCampaigns = JSON.parse(await readFile(join(out, 'campaigns.json'), 'utf8'))
      .campaigns as { campaign_id: string; accounts: string[]; first_flagged_at: string }[];
    assert.deepEqual(
      engine.service
        .campaigns()
        .map((campaign) => [campaign.campaign_id, campaign.accounts, campaign.first_flagged_at]),
      expectedCampaigns.map((campaign) => [
        campaign.campaign_id,
        campaign.accounts,
        campaign.first_flagged_at,
      ]),
    );
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
