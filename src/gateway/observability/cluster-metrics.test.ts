import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, fetch as undiciFetch } from 'undici';
import { parseGatewayConfig } from '../gateway-config.js';
import { type GatewayCluster, startGatewayCluster } from '../node/start-gateway-cluster.js';

const ADMIN_TOKEN = 'admin-token-cluster-metrics-0123456789';
const METRICS_TOKEN = 'metrics-token-cluster-0123456789abcdef';
// Odd, so the two workers' counts differ and both show among the health answers.
const REQUESTS = 21;

/** One request on a connection of its own, so the cluster deals them out to its workers. */
async function fresh(url: string, init: Parameters<typeof undiciFetch>[1] = {}) {
  const agent = new Agent({ connections: 1 });
  try {
    const response = await undiciFetch(url, { ...init, dispatcher: agent });
    return { status: response.status, text: await response.text() };
  } finally {
    await agent.close();
  }
}

/** The sum of every sample of `name` whose labels contain `match`. */
function sum(text: string, name: string, match = ''): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    if (!rest.includes(match)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

describe('metrics of a two-worker cluster', () => {
  let gatewayCluster: GatewayCluster;
  let directory: string;
  const scrape = (token?: string) =>
    fresh(
      `${gatewayCluster.url}/metrics`,
      token ? { headers: { authorization: `Bearer ${token}` } } : {},
    );

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'distillguard-cluster-metrics-'));
    const accountsPath = join(directory, 'accounts.jsonl');
    await writeFile(
      accountsPath,
      `${JSON.stringify({ account_id: 'acct_m', created_at: '2026-01-01T00:00:00.000Z' })}\n`,
    );
    gatewayCluster = await startGatewayCluster(
      parseGatewayConfig({
        listen: { port: 0 },
        upstream: { demo: true },
        store: { kind: 'memory' },
        engine: 'none',
        accounts_file: accountsPath,
        limits: { per_ip: null },
        // Worker stdout is this test runner's: no log lines there.
        observability: { logs: { level: 'silent' } },
      }),
      {
        workers: 2,
        env: {
          DISTILLGUARD_SECRET: 'cluster-metrics-secret-0123456789',
          DISTILLGUARD_ADMIN_TOKEN: ADMIN_TOKEN,
          DISTILLGUARD_METRICS_TOKEN: METRICS_TOKEN,
        },
        warn: () => {},
      },
    );
    const created = await fresh(`${gatewayCluster.url}/admin/accounts/acct_m/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    const { api_key: apiKey } = JSON.parse(created.text) as { api_key: string };
    // The key reaches the other worker through the primary.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let index = 0; index < REQUESTS; index += 1) {
      const response = await fresh(`${gatewayCluster.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'demo',
          max_tokens: 4,
          stream: index % 2 === 0,
          messages: [{ role: 'user', content: `question ${index}` }],
        }),
      });
      assert.equal(response.status, 200, response.text);
    }
  });
  after(async () => {
    await gatewayCluster.close();
    await rm(directory, { recursive: true, force: true });
  });

  test('the requests were spread over both workers', async () => {
    // `/admin/health` answers for the worker that takes the connection.
    const accepted = new Set<number>();
    for (let index = 0; index < 8; index += 1) {
      const health = await fresh(`${gatewayCluster.url}/admin/health`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
      accepted.add((JSON.parse(health.text) as { accepted: number }).accepted);
    }
    assert.equal(accepted.size, 2, [...accepted].join(', '));
    const [first, second] = [...accepted] as [number, number];
    assert.ok(first > 0 && second > 0);
    assert.equal(first + second, REQUESTS);
  });

  test('every scrape, whichever worker answers it, counts the requests of both', async () => {
    for (let index = 0; index < 4; index += 1) {
      const { status, text } = await scrape(METRICS_TOKEN);
      assert.equal(status, 200);
      assert.equal(sum(text, 'distillguard_gateway_requests_total', 'status="200"'), REQUESTS);
      assert.equal(sum(text, 'distillguard_gateway_request_duration_seconds_count'), REQUESTS);
      assert.equal(
        sum(text, 'distillguard_gateway_time_to_first_token_seconds_count'),
        Math.ceil(REQUESTS / 2),
      );
      assert.equal(sum(text, 'distillguard_gateway_tokens_total', 'type="output"'), REQUESTS * 4);
      assert.equal(sum(text, 'distillguard_gateway_workers'), 2);
      assert.equal(sum(text, 'distillguard_gateway_cluster_scrape_missing_workers'), 0);
      // Process and event-loop metrics, and the primary's store counters, are in the same scrape.
      assert.match(text, /^process_cpu_seconds_total /m);
      assert.match(text, /^nodejs_eventloop_lag_seconds /m);
      assert.match(text, /# TYPE distillguard_gateway_exchanges_written_total counter/);
    }
  });

  test('the scrape token is its own: 401 without it, 200 with it, the admin token not needed', async () => {
    assert.equal((await scrape()).status, 401);
    assert.equal((await scrape('not-the-metrics-token-0123456789abcdef')).status, 401);
    assert.equal((await scrape(METRICS_TOKEN)).status, 200);
    // It opens nothing else.
    const health = await fresh(`${gatewayCluster.url}/admin/health`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(health.status, 401);
  });
});
