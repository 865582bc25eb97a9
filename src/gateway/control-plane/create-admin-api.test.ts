import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Harness, startHarness } from '../test-harness.js';

describe('admin API', () => {
  let harness: Harness;
  const admin = (path: string, init: RequestInit = {}, token = 'admin-token') =>
    fetch(`${harness.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string>),
      },
    });
  before(async () => {
    harness = await startHarness({ accounts: [] });
  });
  after(() => harness.close());

  const unauthorised = [
    { path: '/admin/health', token: 'wrong' },
    { path: '/metrics', token: '' },
    { path: '/admin/accounts', token: 'admin-token-but-longer' },
  ];
  for (const { path, token } of unauthorised) {
    test(`${path} refuses token "${token}"`, async () => {
      const response = await admin(path, {}, token);
      assert.equal(response.status, 401);
    });
  }

  test('create an account and a key, use the key, revoke it', async () => {
    const created = await admin('/admin/accounts', {
      method: 'POST',
      body: JSON.stringify({ account_id: 'acct_new', payment_fingerprint: 'pm_1', program: 'edu' }),
    });
    assert.equal(created.status, 201);
    const key = (await (
      await admin('/admin/accounts/acct_new/keys', { method: 'POST' })
    ).json()) as { key_id: string; api_key: string };
    assert.match(key.api_key, /^dg-/);
    const call = () =>
      fetch(`${harness.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.api_key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'demo',
          max_tokens: 2,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
    assert.equal((await call()).status, 200);
    const detail = (await (await admin('/admin/accounts/acct_new')).json()) as {
      account: { program: string };
      keys: Record<string, unknown>[];
    };
    assert.equal(detail.account.program, 'edu');
    assert.deepEqual(
      Object.keys(detail.keys[0] ?? {}).sort(),
      ['created_at', 'key_id', 'revoked_at'],
      'no hash leaves the API',
    );
    assert.equal((await admin(`/admin/keys/${key.key_id}`, { method: 'DELETE' })).status, 200);
    const revoked = await call();
    assert.equal(revoked.status, 401);
    assert.equal(revoked.headers.get('x-distillguard-reason'), 'revoked_api_key');
  });

  test('input errors are 400/404 with a code', async () => {
    assert.equal((await admin('/admin/accounts', { method: 'POST', body: '{}' })).status, 400);
    assert.equal((await admin('/admin/accounts/nobody/keys', { method: 'POST' })).status, 404);
    const bad = await admin('/admin/decisions/account/x', {
      method: 'PUT',
      body: JSON.stringify({ action: 'vaporise' }),
    });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'invalid_action');
  });

  test('health and Prometheus metrics', async () => {
    await harness.settle();
    const health = (await (await admin('/admin/health')).json()) as {
      status: string;
      exchanges_written: number;
    };
    assert.equal(health.status, 'ok');
    assert.equal(health.exchanges_written, 2);
    const metrics = await (await admin('/metrics')).text();
    assert.match(
      metrics,
      /distillguard_gateway_requests_total\{endpoint="chat.completions",model="demo",status="200",action="allow",reason="ok"\} 1/,
    );
    assert.match(
      metrics,
      /distillguard_gateway_requests_total\{endpoint="chat.completions",model="none",status="401",action="none",reason="revoked_api_key"\} 1/,
    );
    assert.match(
      metrics,
      /distillguard_gateway_request_duration_seconds_count\{endpoint="chat.completions"\} 2/,
    );
    assert.match(metrics, /distillguard_gateway_exchanges_written_total 2/);
  });
});
