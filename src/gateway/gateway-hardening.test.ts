import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGatewayConfig } from './gateway-config.js';
import { startGatewayServer } from './node/start-gateway-server.js';
import { isSdkErrorBody, rawRequest } from './raw-request.js';
import { startHarness } from './test-harness.js';

const UPSTREAM_KEY = 'sk-upstream-secret-0123456789abcdef';
const METRICS_TOKEN = 'metrics-token-0123456789abcdefghijkl';

// An upstream that refuses the gateway's key the way real ones do: echoing it.
const echoingUpstream = {
  async fetch(request: Request, context: { body?: Buffer }) {
    const body = JSON.parse(context.body?.toString() ?? '{}') as { model?: string };
    const key = request.headers.get('authorization') ?? '';
    if (body.model === 'auth')
      return Response.json(
        { error: { message: `Incorrect API key provided: ${key}` } },
        { status: 401 },
      );
    return Response.json(
      { error: { message: `Slow down, ${key}` } },
      { status: 429, headers: { 'retry-after': '7' } },
    );
  },
};

describe('gateway hardening (issue 16)', async () => {
  const harness = await startHarness({
    accounts: ['acct_a'],
    bodyLimitBytes: 64 * 1024,
    gatewayOptions: {
      metricsToken: METRICS_TOKEN,
      invalidKeyLimit: { capacity: 5, refillPerSecond: 0.01 },
      storedBodyLimitBytes: 1_024,
    },
  });
  const echoing = await startHarness({
    upstream: echoingUpstream,
    upstreamOptions: { apiKey: UPSTREAM_KEY },
  });
  const key = harness.keys.acct_a ?? '';
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${harness.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  test('routing never reads Host: a Host of x/admin/accounts# stays on /v1/models', async () => {
    const answer = await rawRequest(
      harness.url,
      'GET /v1/models HTTP/1.1\r\nHost: x/admin/accounts#\r\nAuthorization: Bearer admin-token\r\nConnection: close\r\n\r\n',
    );
    // /v1/models wants an API key: the admin token is not one, and no account list leaks.
    assert.equal(answer.status, 401);
    assert.ok(!answer.body.includes('accounts'));
  });

  for (const [name, request] of [
    ['asterisk target', 'OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'],
    [
      'absolute-form',
      'GET http://evil/admin/accounts HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    ],
    [
      'malformed Host',
      'POST /v1/chat/completions HTTP/1.1\r\nHost: [::\r\nContent-Length: 2\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{}',
    ],
    [
      'oversized headers',
      `GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`,
    ],
    ['garbage request line', 'BLAH\r\n\r\n'],
    [
      'unsupported Expect',
      'POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\nContent-Length: 2\r\n\r\n{}',
    ],
  ] as const)
    test(`${name}: a 4xx with the SDK error body, never a 5xx`, async () => {
      const answer = await rawRequest(harness.url, request);
      assert.ok(answer.status >= 400 && answer.status < 500, `status ${answer.status}`);
      assert.ok(isSdkErrorBody(answer.body), answer.body);
    });

  test('a body declared at 300 MiB is refused at once, without being read', async () => {
    const started = Date.now();
    const answer = await rawRequest(
      harness.url,
      `POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: ${300 * 1024 * 1024}\r\n\r\n{"model":`,
    );
    assert.equal(answer.status, 413);
    assert.equal(answer.headers.connection, 'close');
    assert.ok(Date.now() - started < 2_000);
  });

  test('a chunked body is cut at the limit (413), not read to its end', async () => {
    const chunk = 'x'.repeat(32 * 1024);
    const chunks = Array.from(
      { length: 8 },
      () => `${(chunk.length).toString(16)}\r\n${chunk}\r\n`,
    ).join('');
    const answer = await rawRequest(
      harness.url,
      `POST /v1/chat/completions HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}`,
    );
    assert.equal(answer.status, 413);
  });

  test('405 on /v1/* is recorded; an unauthenticated large body is stored truncated', async () => {
    const before = harness.gateway.accepted;
    const get = await fetch(`${harness.url}/v1/chat/completions`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    await post('/v1/chat/completions', JSON.stringify({ model: 'm', pad: 'p'.repeat(10_000) }));
    await harness.settle();
    assert.equal(harness.gateway.accepted, before + 2);
    const [refused, large] = harness.sink.exchanges.slice(-2);
    assert.equal(refused?.status, 405);
    assert.deepEqual(
      large?.truncated && { reason: large.truncated.reason, bytes: large.truncated.bytes },
      {
        reason: 'body_cap',
        bytes: 10_022,
      },
    );
    assert.deepEqual(large?.request, { model: 'm' });
    assert.deepEqual(large?.enforcement, {
      action: 'none',
      reasons: ['missing_api_key'],
      source: 'gateway',
    });
  });

  test('invalid keys past the limit get 429; a valid key from the same address is still served', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 8; index += 1)
      statuses.push(
        (
          await post('/v1/chat/completions', '{"model":"m","messages":[]}', {
            authorization: 'Bearer nope',
          })
        ).status,
      );
    assert.deepEqual(statuses.slice(-2), [429, 429]);
    const served = await post(
      '/v1/chat/completions',
      JSON.stringify({ model: 'demo', max_tokens: 2, messages: [{ role: 'user', content: 'hi' }] }),
      { authorization: `Bearer ${key}` },
    );
    assert.equal(served.status, 200);
  });

  test('an upstream 401 echoing the gateway key: 502 that blames no client key, key never shown', async () => {
    const response = await fetch(`${echoing.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${echoing.keys.acct_a}`,
      },
      body: JSON.stringify({ model: 'auth', messages: [] }),
    });
    const text = await response.text();
    assert.equal(response.status, 502);
    assert.equal(response.headers.get('x-distillguard-reason'), 'upstream_auth_failed');
    assert.ok(!text.includes(UPSTREAM_KEY));
    assert.ok(isSdkErrorBody(text));
  });

  test('an upstream 429: its Retry-After passes through, its body is redacted', async () => {
    const response = await fetch(`${echoing.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${echoing.keys.acct_a}`,
      },
      body: JSON.stringify({ model: 'busy', messages: [] }),
    });
    const text = await response.text();
    assert.equal(response.status, 429);
    assert.equal(response.headers.get('retry-after'), '7');
    assert.ok(!text.includes(UPSTREAM_KEY));
    assert.match(text, /\[redacted\]/);
  });

  test('the metrics token opens /metrics and nothing else', async () => {
    const auth = { authorization: `Bearer ${METRICS_TOKEN}` };
    assert.equal((await fetch(`${harness.url}/metrics`, { headers: auth })).status, 200);
    assert.equal((await fetch(`${harness.url}/admin/accounts`, { headers: auth })).status, 401);
  });

  test('POST /admin/accounts takes log-v1 account fields only', async () => {
    const create = (body: unknown) =>
      post('/admin/accounts', JSON.stringify(body), { authorization: 'Bearer admin-token' });
    assert.equal((await create({ account_id: 'acct_new', country: 'FR' })).status, 201);
    assert.equal((await create({ account_id: 'acct_x', is_admin: true })).status, 400);
    assert.equal((await create({ account_id: 'acct_y', verification: 'bribe' })).status, 400);
    assert.equal((await create({ country: 'FR' })).status, 400);
  });

  test('failed admin attempts are throttled per address', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 12; index += 1)
      statuses.push(
        (
          await fetch(`${harness.url}/admin/accounts`, {
            headers: { authorization: 'Bearer guess' },
          })
        ).status,
      );
    assert.equal(statuses[0], 401);
    assert.equal(statuses.at(-1), 429);
  });

  test('readiness: /readyz names each dependency, /healthz stays liveness', async () => {
    const readyz = await fetch(`${harness.url}/readyz`);
    assert.equal(readyz.status, 200);
    const body = (await readyz.json()) as {
      ready: boolean;
      checks: Record<string, { ok: boolean }>;
    };
    assert.deepEqual(Object.keys(body.checks).sort(), ['state', 'store', 'upstream']);
    assert.equal((await fetch(`${harness.url}/healthz`)).status, 200);
  });

  test('every request accepted on a proxied route has exactly one record', async () => {
    await harness.settle();
    assert.equal(harness.sink.exchanges.length, harness.gateway.accepted);
    assert.equal(
      new Set(harness.sink.exchanges.map((each) => each.id)).size,
      harness.gateway.accepted,
    );
    await harness.close();
    await echoing.close();
  });
});

test('an admin token shorter than 32 characters is refused at start', async () => {
  await assert.rejects(
    startGatewayServer(parseGatewayConfig({ listen: { port: 0 }, store: { kind: 'memory' } }), {
      env: { DISTILLGUARD_ADMIN_TOKEN: 'a' },
      warn: () => {},
    }),
    /gateway_admin_token_weak|at least 32/,
  );
});

test('a key-hashing secret shorter than 16 characters is refused before anything is opened', async () => {
  // With Redis state and the demo upstream in the config: a refusal that came after opening them
  // would leave a connection and a server behind, and this test file would never exit.
  await assert.rejects(
    startGatewayServer(
      parseGatewayConfig({
        listen: { port: 0 },
        upstream: { demo: true },
        store: { kind: 'memory' },
        state: { kind: 'redis', url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
      }),
      { env: { DISTILLGUARD_SECRET: 'short' }, warn: () => {} },
    ),
    (error: unknown) =>
      error instanceof Error && (error as { code?: string }).code === 'gateway_secret_weak',
  );
});
