import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMetricsEndpoint } from './create-metrics-endpoint.js';

const METRICS = 'metrics-token-0123456789abcdef0123456789';
const ADMIN = 'admin-token-0123456789abcdef0123456789ab';
const request = (token?: string, method = 'GET') =>
  new Request('http://gateway/metrics', {
    method,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe('createMetricsEndpoint', () => {
  const cases: {
    name: string;
    tokens: { metricsToken?: string; adminToken?: string };
    sent?: string;
    status: number;
  }[] = [
    { name: 'no token configured: closed', tokens: {}, sent: METRICS, status: 404 },
    { name: 'metrics token only, none sent', tokens: { metricsToken: METRICS }, status: 401 },
    {
      name: 'metrics token only, sent',
      tokens: { metricsToken: METRICS },
      sent: METRICS,
      status: 200,
    },
    {
      name: 'metrics token only, admin sent',
      tokens: { metricsToken: METRICS },
      sent: ADMIN,
      status: 401,
    },
    {
      name: 'both, metrics sent',
      tokens: { metricsToken: METRICS, adminToken: ADMIN },
      sent: METRICS,
      status: 200,
    },
    {
      name: 'both, admin sent',
      tokens: { metricsToken: METRICS, adminToken: ADMIN },
      sent: ADMIN,
      status: 200,
    },
    {
      name: 'both, a prefix sent',
      tokens: { metricsToken: METRICS, adminToken: ADMIN },
      sent: METRICS.slice(0, 20),
      status: 401,
    },
  ];
  for (const { name, tokens, sent, status } of cases) {
    test(name, async () => {
      const endpoint = createMetricsEndpoint({ scrape: async () => 'up 1\n', ...tokens });
      const response = await endpoint(request(sent), '10.0.0.1');
      assert.equal(response.status, status);
      if (status === 200) assert.equal(await response.text(), 'up 1\n');
    });
  }

  test('failed attempts are throttled per address', async () => {
    const endpoint = createMetricsEndpoint({
      scrape: async () => '',
      metricsToken: METRICS,
      now: () => 0,
    });
    for (let attempt = 0; attempt < 10; attempt += 1)
      assert.equal((await endpoint(request('wrong'), '10.0.0.2')).status, 401);
    assert.equal((await endpoint(request(METRICS), '10.0.0.2')).status, 429);
    assert.equal((await endpoint(request(METRICS), '10.0.0.3')).status, 200);
  });

  test('a failing scrape is a 503 with a code', async () => {
    const endpoint = createMetricsEndpoint({
      scrape: async () => {
        throw new Error('primary gone');
      },
      metricsToken: METRICS,
    });
    const response = await endpoint(request(METRICS), '10.0.0.4');
    assert.equal(response.status, 503);
    assert.equal(
      ((await response.json()) as { error: { code: string } }).error.code,
      'metrics_unavailable',
    );
  });
});
