import assert from 'node:assert/strict';
import { hash as digest } from 'node:crypto';
import { describe, test } from 'node:test';
import { createApiKeyHasher } from '../api-key-hasher.js';
import { createGateway } from '../create-gateway.js';
import {
  createBatchingRecorder,
  createMemoryExchangeSink,
} from '../exchange-store/exchange-recorder.js';
import type { UpstreamClient } from '../upstream-client.js';
import { DEFAULT_IDENTITY, type KeyMode } from './identity-config.js';

// The import routes through the gateway's own fetch handler, in process (no upstream is called).
const noUpstream: UpstreamClient = {
  version: 1,
  send: () => Promise.reject(new Error('not called')),
  close: async () => {},
};

function gatewayIn(mode: KeyMode) {
  return createGateway({
    upstream: noUpstream,
    hasher: createApiKeyHasher({ secret: 'import-test-secret-0123' }),
    recorder: createBatchingRecorder({ sink: createMemoryExchangeSink() }),
    adminToken: 'admin-token',
    identity: { ...DEFAULT_IDENTITY, mode },
    now: () => Date.parse('2026-12-07T12:00:00Z'),
  });
}

async function post(gateway: ReturnType<typeof gatewayIn>, path: string, body: string) {
  const response = await gateway.fetch(
    new Request(`http://gateway${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token' },
      body,
    }),
    { remoteAddress: '127.0.0.1' },
  );
  return { status: response.status, text: await response.text() };
}

const sha = (key: string) => digest('sha256', key, 'hex');

describe('key import admin routes', () => {
  test('refused with 409 key_import_disabled in minted and trusted_header modes', async () => {
    for (const mode of ['minted', 'trusted_header'] as const) {
      const gateway = gatewayIn(mode === 'trusted_header' ? 'minted' : mode);
      const { status, text } = await post(gateway, '/admin/keys/import', '[]');
      assert.equal(status, 409);
      assert.match(text, /key_import_disabled/);
    }
  });

  const rejected = [
    {
      name: 'a line that is not JSON',
      body: `${JSON.stringify({ account_id: 'a', key_sha256: sha('k1-abcdefgh') })}\n{oops`,
      line: 2,
      code: 'malformed_json',
    },
    {
      name: 'both key and key_sha256',
      body: JSON.stringify([{ account_id: 'a', key: 'sk-secret-both', key_sha256: sha('x') }]),
      line: 1,
      code: 'invalid_key_import',
    },
    {
      name: 'a SHA-256 that is not 64 hex digits',
      body: `\n\n${JSON.stringify({ account_id: 'a', key_sha256: 'sk-secret-not-hex' })}`,
      line: 3,
      code: 'invalid_key_import',
    },
    {
      name: 'an unknown field',
      body: JSON.stringify({ account_id: 'a', key: 'sk-secret-field', plan: 'pro' }),
      line: 1,
      code: 'invalid_key_import',
    },
    { name: 'an empty body', body: '\n', line: 1, code: 'empty_import' },
  ];
  for (const { name, body, line, code } of rejected) {
    test(`bulk: ${name} → 400 naming line ${line}, nothing imported, no key echoed`, async () => {
      const gateway = gatewayIn('imported');
      const { status, text } = await post(gateway, '/admin/keys/import', body);
      assert.equal(status, 400);
      const answer = JSON.parse(text) as {
        error: { code: string; issues: Array<{ line: number; code: string }> };
      };
      assert.equal(answer.error.code, 'invalid_import');
      assert.deepEqual(
        answer.error.issues.map((issue) => [issue.line, issue.code]),
        [[line, code]],
      );
      assert.ok(!/sk-secret/.test(text), 'the response echoes a key');
      assert.deepEqual(gateway.directory.listKeys('a'), []);
    });
  }

  test('a key bound to another account: 409, and none of the batch is applied', async () => {
    const gateway = gatewayIn('imported');
    assert.equal(
      (
        await post(
          gateway,
          '/admin/keys/import',
          JSON.stringify({ account_id: 'a', key: 'k-one-0001' }),
        )
      ).status,
      200,
    );
    const batch = [
      JSON.stringify({ account_id: 'b', key: 'k-two-0002' }),
      JSON.stringify({ account_id: 'b', key_sha256: sha('k-one-0001') }),
    ].join('\n');
    const { status, text } = await post(gateway, '/admin/keys/import', batch);
    assert.equal(status, 409);
    assert.deepEqual(
      (JSON.parse(text) as { error: { issues: Array<{ line: number; code: string }> } }).error
        .issues,
      [
        {
          line: 2,
          code: 'key_conflict',
          message: 'this key is already bound to another account (a)',
        },
      ],
    );
    assert.deepEqual(gateway.directory.listKeys('b'), []);
    // The same key twice for one account in one batch is one key.
    const twice = [
      JSON.stringify({ account_id: 'c', key: 'k-three-0003' }),
      JSON.stringify({ account_id: 'c', key_sha256: sha('k-three-0003') }),
    ].join('\n');
    const again = JSON.parse((await post(gateway, '/admin/keys/import', twice)).text);
    assert.deepEqual([again.created, again.unchanged], [1, 0]);
    assert.equal(gateway.directory.listKeys('c').length, 1);
  });

  test('one key: 201 created, then 200 unchanged; the key id is derived from the key', async () => {
    const gateway = gatewayIn('passthrough');
    const body = JSON.stringify({
      key_sha256: sha('k-single-0001'),
      created_at: '2025-01-01T00:00:00Z',
    });
    const first = await post(gateway, '/admin/accounts/acct_1/keys/import', body);
    assert.equal(first.status, 201);
    const created = JSON.parse(first.text) as { key_id: string; status: string };
    assert.match(created.key_id, /^key_imp_[0-9a-f]{20}$/);
    assert.equal(created.status, 'created');
    const second = await post(gateway, '/admin/accounts/acct_1/keys/import', body);
    assert.equal(second.status, 200);
    assert.deepEqual(JSON.parse(second.text), {
      key_id: created.key_id,
      account_id: 'acct_1',
      status: 'unchanged',
      account_known: false,
    });
    assert.equal(gateway.directory.listKeys('acct_1')[0]?.createdAt, '2025-01-01T00:00:00Z');
    const elsewhere = await post(gateway, '/admin/accounts/acct_2/keys/import', body);
    assert.equal(elsewhere.status, 409);
    assert.match(elsewhere.text, /key_conflict/);
  });

  test('the admin token is required', async () => {
    const gateway = gatewayIn('imported');
    const response = await gateway.fetch(
      new Request('http://gateway/admin/keys/import', { method: 'POST', body: '[]' }),
      { remoteAddress: '127.0.0.1' },
    );
    assert.equal(response.status, 401);
  });
});
