import assert from 'node:assert/strict';
import { hash as digest } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createApiKeyHasher } from '../api-key-hasher.js';
import { type Harness, startHarness } from '../test-harness.js';
import { DEFAULT_IDENTITY, type IdentitySettings } from './identity-config.js';
import {
  createUpstreamDouble,
  MODEL,
  REJECTED_KEY,
  type Seen,
} from './identity-upstream-double.js';

// The official SDKs against the gateway in each key mode, the upstream a double (served on a
// real socket) that records the headers it receives and answers with its own request ids.

const SPOOFED = {
  'x-distillguard-account': 'acct_victim',
  'x-distillguard-client-ip': '198.51.100.66',
  'x-request-id': 'client-chosen-id',
  'x-forwarded-for': '198.51.100.77',
};

const clients = (harness: Harness, apiKey: string, headers: Record<string, string> = {}) => ({
  openai: new OpenAI({
    apiKey,
    baseURL: `${harness.url}/v1`,
    maxRetries: 0,
    defaultHeaders: headers,
  }),
  anthropic: new Anthropic({
    apiKey,
    baseURL: harness.url,
    maxRetries: 0,
    defaultHeaders: headers,
  }),
});

const chat = (openai: OpenAI, model = MODEL) =>
  openai.chat.completions
    .create({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 4 })
    .withResponse();
const message = (anthropic: Anthropic, model = MODEL) =>
  anthropic.messages
    .create({ model, max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();

const isAuthError = (code: string) => (error: unknown) =>
  error instanceof OpenAI.AuthenticationError && error.status === 401 && error.code === code;
const isAnthropicAuthError = (code: string) => (error: unknown) =>
  error instanceof Anthropic.AuthenticationError &&
  (error.error as { error?: { type?: string } }).error?.type === 'authentication_error' &&
  error.headers?.get('x-distillguard-reason') === code;

async function start(
  identity: IdentitySettings,
  { accounts = [], trustedProxies = [] }: { accounts?: string[]; trustedProxies?: string[] } = {},
) {
  const upstream = createUpstreamDouble();
  const harness = await startHarness({
    upstream,
    accounts,
    gatewayOptions: { identity, trustedProxies, perIpLimit: null, invalidKeyLimit: null },
  });
  return { harness, upstream };
}

/** Asserts the last upstream request carried the gateway's identity headers, none of the client's. */
async function assertForwarded(
  harness: Harness,
  upstream: { seen: Seen[] },
  { account, ip = '127.0.0.1' }: { account: string; ip?: string },
) {
  await harness.settle();
  const record = harness.sink.exchanges.at(-1);
  const headers = upstream.seen.at(-1)?.headers ?? {};
  assert.equal(headers['x-distillguard-account'], account);
  assert.equal(record?.account_id, account);
  assert.equal(headers['x-distillguard-client-ip'], ip);
  assert.equal(headers['x-request-id'], record?.id);
  assert.equal(headers['x-forwarded-for'], undefined, 'the client x-forwarded-for is not passed');
  return { record, headers };
}

describe('minted keys (the default mode)', () => {
  let harness: Harness;
  let upstream: ReturnType<typeof createUpstreamDouble>;
  before(async () => {
    ({ harness, upstream } = await start(DEFAULT_IDENTITY, { accounts: ['acct_minted'] }));
  });
  after(() => harness.close());

  test('both SDKs: identity headers forwarded, spoofed ones stripped, upstream ids relayed', async () => {
    const { openai, anthropic } = clients(harness, harness.keys.acct_minted ?? '', SPOOFED);
    const { data, response, request_id } = await chat(openai);
    assert.equal(data.choices[0]?.message.content, 'hello');
    const { record, headers } = await assertForwarded(harness, upstream, {
      account: 'acct_minted',
    });
    // The gateway's own upstream credential (none here): the client's key is never forwarded.
    assert.equal(headers.authorization, undefined);
    assert.equal(response.headers.get('x-request-id'), `up_${upstream.seen.length}`);
    assert.equal(request_id, `up_${upstream.seen.length}`);
    assert.equal(response.headers.get('x-distillguard-exchange-id'), record?.id);

    const sent = await message(anthropic);
    assert.equal(sent.data.content[0]?.type, 'text');
    await assertForwarded(harness, upstream, { account: 'acct_minted' });
    assert.equal(sent.request_id, `req_up_${upstream.seen.length}`);
  });

  test('a streamed answer carries the upstream request id too', async () => {
    const { openai } = clients(harness, harness.keys.acct_minted ?? '');
    const { data: stream, response } = await openai.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    let text = '';
    for await (const part of stream) text += part.choices[0]?.delta.content ?? '';
    assert.equal(text, 'hello');
    assert.equal(response.headers.get('x-request-id'), `up_${upstream.seen.length}`);
  });

  test("the upstream's Retry-After and request id reach each SDK's RateLimitError", async () => {
    const { openai, anthropic } = clients(harness, harness.keys.acct_minted ?? '');
    await assert.rejects(chat(openai, 'busy'), (error: unknown) => {
      assert.ok(error instanceof OpenAI.RateLimitError);
      assert.equal(error.headers?.get('retry-after'), '7');
      assert.equal(error.headers?.get('retry-after-ms'), '7000');
      assert.equal(error.requestID, `up_${upstream.seen.length}`);
      return true;
    });
    await assert.rejects(message(anthropic, 'busy'), (error: unknown) => {
      assert.ok(error instanceof Anthropic.RateLimitError);
      assert.equal(error.headers?.get('retry-after'), '7');
      assert.equal(error.requestID, `req_up_${upstream.seen.length}`);
      return true;
    });
  });

  test('an unknown key: 401 in each SDK shape, nothing sent upstream', async () => {
    const before = upstream.seen.length;
    const { openai, anthropic } = clients(harness, 'dg-not-a-key-at-all');
    await assert.rejects(chat(openai), isAuthError('invalid_api_key'));
    await assert.rejects(message(anthropic), isAnthropicAuthError('invalid_api_key'));
    assert.equal(upstream.seen.length, before);
  });
});

describe('custom forwarded header names', () => {
  test('client IP as x-forwarded-for, account renamed, request id and key id switched', async () => {
    const { harness, upstream } = await start(
      {
        mode: 'minted',
        forwardHeaders: { account: 'x-account', clientIp: 'x-forwarded-for', keyId: 'x-key-id' },
      },
      { accounts: ['acct_named'] },
    );
    try {
      const { openai } = clients(harness, harness.keys.acct_named ?? '', SPOOFED);
      await chat(openai);
      const headers = upstream.seen.at(-1)?.headers ?? {};
      assert.equal(headers['x-account'], 'acct_named');
      assert.equal(headers['x-forwarded-for'], '127.0.0.1', 'the resolved address, not the chain');
      assert.equal(headers['x-key-id'], harness.keyIds.acct_named);
      assert.equal(headers['x-request-id'], undefined, 'off, and the client value not passed');
      assert.equal(headers['x-distillguard-account'], undefined);
    } finally {
      await harness.close();
    }
  });
});

describe('imported keys', () => {
  let harness: Harness;
  let upstream: ReturnType<typeof createUpstreamDouble>;
  const exported = 'sk-live-customer-exported-0001';
  const inClear = 'sk-live-customer-in-clear-0002';
  const admin = (path: string, body: string) =>
    fetch(`${harness.url}${path}`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token', 'content-type': 'application/x-ndjson' },
      body,
    });
  before(async () => {
    ({ harness, upstream } = await start({ ...DEFAULT_IDENTITY, mode: 'imported' }));
  });
  after(() => harness.close());

  test('after a bulk import both SDKs authenticate; an unknown key gets 401', async () => {
    const { openai, anthropic } = clients(harness, exported);
    await assert.rejects(chat(openai), isAuthError('invalid_api_key'));
    const file = [
      JSON.stringify({
        account_id: 'acct_exported',
        key_sha256: digest('sha256', exported, 'hex').toUpperCase(),
      }),
      '',
      JSON.stringify({ account_id: 'acct_clear', key: inClear }),
    ].join('\n');
    const response = await admin('/admin/keys/import', file);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      created: 2,
      unchanged: 0,
      revoked: 0,
      total: 2,
    });

    await chat(openai);
    await assertForwarded(harness, upstream, { account: 'acct_exported' });
    await message(anthropic);
    await assertForwarded(harness, upstream, { account: 'acct_exported' });
    await chat(clients(harness, inClear).openai);
    await assertForwarded(harness, upstream, { account: 'acct_clear' });

    const stranger = clients(harness, 'sk-live-never-imported-0003');
    await assert.rejects(chat(stranger.openai), isAuthError('invalid_api_key'));
    await assert.rejects(message(stranger.anthropic), isAnthropicAuthError('invalid_api_key'));
  });

  test('the same import again changes nothing (idempotent) and stores no key or SHA-256', async () => {
    const file = JSON.stringify([
      { account_id: 'acct_exported', key: exported },
      { account_id: 'acct_clear', key_sha256: digest('sha256', inClear, 'hex') },
    ]);
    const response = await admin('/admin/keys/import', file);
    assert.deepEqual(await response.json(), {
      created: 0,
      unchanged: 2,
      revoked: 0,
      total: 2,
    });
    const stored = JSON.stringify(harness.gateway.directory.listKeys('acct_exported'));
    assert.ok(!stored.includes(exported));
    assert.ok(!stored.includes(digest('sha256', exported, 'hex')));
    assert.equal(harness.gateway.directory.listKeys('acct_exported').length, 1);
  });

  test("a client sending an exported SHA-256 as its key is refused (the hashes' keys differ)", async () => {
    const hex = digest('sha256', exported, 'hex');
    await assert.rejects(chat(clients(harness, hex).openai), isAuthError('invalid_api_key'));
  });

  test('a revocation in a later import is applied and audited', async () => {
    const file = JSON.stringify({
      account_id: 'acct_clear',
      key: inClear,
      revoked_at: '2026-06-01T00:00:00Z',
    });
    const response = await admin('/admin/keys/import?actor=billing-sync', file);
    assert.equal(((await response.json()) as { revoked: number }).revoked, 1);
    await assert.rejects(chat(clients(harness, inClear).openai), isAuthError('revoked_api_key'));
    const audit = (await (
      await fetch(`${harness.url}/admin/audit?limit=10`, {
        headers: { authorization: 'Bearer admin-token' },
      })
    ).json()) as { entries: Array<{ actor: string; note: string; subject: { id: string } }> };
    assert.deepEqual(
      audit.entries.map((entry) => [entry.actor, entry.subject.id, entry.note.split(':')[0]]),
      [
        ['billing-sync', 'acct_clear', 'key revoked by import'],
        ['admin', 'acct_clear', 'key imported'],
        ['admin', 'acct_exported', 'key imported'],
      ],
    );
  });
});

describe('pass-through keys', () => {
  let harness: Harness;
  let upstream: ReturnType<typeof createUpstreamDouble>;
  const customerKey = 'sk-customer-own-key-abcdef-0004';
  before(async () => {
    ({ harness, upstream } = await start({ ...DEFAULT_IDENTITY, mode: 'passthrough' }));
  });
  after(() => harness.close());

  test('the key reaches the upstream unchanged; its keyed hash is the account', async () => {
    const { openai, anthropic } = clients(harness, customerKey, SPOOFED);
    await chat(openai);
    // HMAC-SHA256 of the key under the secret's pass-through sub-key, 128 bits shown.
    const expected = `pt_${createApiKeyHasher({ secret: 'test-secret-0123456789' })
      .derive?.('passthrough')
      .hash(customerKey)
      .slice(0, 32)}`;
    const { record, headers } = await assertForwarded(harness, upstream, { account: expected });
    assert.equal(headers.authorization, `Bearer ${customerKey}`);
    assert.match(record?.account_id ?? '', /^pt_[0-9a-f]{32}$/);
    await message(anthropic);
    const second = await assertForwarded(harness, upstream, { account: record?.account_id ?? '' });
    // This Anthropic SDK sends its key as a bearer token; a raw x-api-key is forwarded as such.
    assert.equal(second.headers.authorization, `Bearer ${customerKey}`);
    const raw = await fetch(`${harness.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': customerKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODEL,
        max_tokens: 4,
        messages: [{ role: 'user', content: 'x' }],
      }),
    });
    assert.equal(raw.status, 200);
    assert.equal(upstream.seen.at(-1)?.headers['x-api-key'], customerKey);
    assert.equal(upstream.seen.at(-1)?.headers.authorization, undefined);
    // Another key, another account.
    await chat(clients(harness, `${customerKey}-other`).openai);
    await harness.settle();
    assert.notEqual(harness.sink.exchanges.at(-1)?.account_id, record?.account_id);
  });

  test('a batch submission carries the client key and the identity headers upstream', async () => {
    const { anthropic } = clients(harness, customerKey, SPOOFED);
    // Only what reaches the upstream is asserted: the double does not implement batches.
    await anthropic.messages.batches
      .create({
        requests: [
          {
            custom_id: 'line-0',
            params: { model: MODEL, max_tokens: 4, messages: [{ role: 'user', content: 'x' }] },
          },
        ],
      })
      .catch(() => undefined);
    const submitted = upstream.seen.filter((seen) => seen.path === '/v1/messages/batches').at(-1);
    assert.ok(submitted, 'the batch reached the upstream');
    assert.equal(submitted.headers.authorization, `Bearer ${customerKey}`);
    assert.match(submitted.headers['x-distillguard-account'] ?? '', /^pt_[0-9a-f]{32}$/);
    assert.equal(submitted.headers['x-distillguard-client-ip'], '127.0.0.1');
  });

  test("the upstream's 401 for the client's key is relayed, the key redacted", async () => {
    const { openai, anthropic } = clients(harness, REJECTED_KEY);
    await assert.rejects(chat(openai), (error: unknown) => {
      assert.ok(error instanceof OpenAI.AuthenticationError);
      assert.equal(error.code, 'invalid_api_key');
      assert.match(error.message, /\[redacted\]/);
      assert.ok(!error.message.includes(REJECTED_KEY));
      return true;
    });
    await assert.rejects(message(anthropic), (error: unknown) => {
      assert.ok(error instanceof Anthropic.AuthenticationError);
      assert.ok(!JSON.stringify(error.error).includes(REJECTED_KEY));
      return true;
    });
  });

  test('an imported key maps to its account; models are listed with the client key', async () => {
    // The account's own record comes from the provider (not invented by the import).
    const provisioned = await fetch(`${harness.url}/admin/accounts`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token' },
      body: JSON.stringify({ account_id: 'acct_known', created_at: '2024-03-01T00:00:00Z' }),
    });
    assert.equal(provisioned.status, 201);
    const response = await fetch(`${harness.url}/admin/accounts/acct_known/keys/import`, {
      method: 'POST',
      headers: { authorization: 'Bearer admin-token' },
      body: JSON.stringify({ key: customerKey }),
    });
    assert.equal(response.status, 201);
    await chat(clients(harness, customerKey).openai);
    await assertForwarded(harness, upstream, { account: 'acct_known' });
    const models = await clients(harness, customerKey).openai.models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      [MODEL],
    );
    assert.equal(upstream.seen.at(-1)?.headers.authorization, `Bearer ${customerKey}`);
  });

  test('no pass-through key appears in the records, the metrics, the audit or the accounts', async () => {
    await harness.settle();
    const admin = { headers: { authorization: 'Bearer admin-token' } };
    const surfaces = [
      JSON.stringify(harness.sink.exchanges),
      await (await fetch(`${harness.url}/metrics`, admin)).text(),
      await (await fetch(`${harness.url}/admin/audit`, admin)).text(),
      await (await fetch(`${harness.url}/admin/accounts/acct_known`, admin)).text(),
      await (await fetch(`${harness.url}/admin/accounts`, admin)).text(),
      JSON.stringify(harness.gateway.directory.listKeys('acct_known')),
    ];
    assert.ok(harness.sink.exchanges.length >= 5);
    assert.match(surfaces[3] ?? '', /key_imp_/, 'the account page lists the imported key');
    for (const key of [customerKey, REJECTED_KEY])
      surfaces.forEach((surface, index) => {
        assert.ok(!surface.includes(key), `a key leaked into surface ${index}`);
      });
  });
});

describe('trusted identity header', () => {
  const identity: IdentitySettings = {
    ...DEFAULT_IDENTITY,
    mode: 'trusted_header',
    trustedHeader: { accountHeader: 'x-provider-account', keyIdHeader: 'x-provider-key-id' },
  };

  test('from a trusted proxy: the header is the account, x-forwarded-for the client', async () => {
    const { harness, upstream } = await start(identity, { trustedProxies: ['127.0.0.1'] });
    try {
      const sent = {
        'x-provider-account': 'acct_from_auth_layer',
        'x-provider-key-id': 'prov_key_9',
        'x-forwarded-for': '203.0.113.9',
      };
      const { openai, anthropic } = clients(harness, 'ignored-by-this-mode', sent);
      await chat(openai);
      const { record } = await assertForwarded(harness, upstream, {
        account: 'acct_from_auth_layer',
        ip: '203.0.113.9',
      });
      assert.equal(record?.api_key_id, 'prov_key_9');
      await message(anthropic);
      await assertForwarded(harness, upstream, {
        account: 'acct_from_auth_layer',
        ip: '203.0.113.9',
      });
      const missing = clients(harness, 'x');
      await assert.rejects(chat(missing.openai), isAuthError('missing_identity_header'));
    } finally {
      await harness.close();
    }
  });

  test('a spoofed header from an untrusted peer is refused by both SDKs', async () => {
    const { harness, upstream } = await start(identity, { trustedProxies: ['10.0.0.0/8'] });
    try {
      const { openai, anthropic } = clients(harness, 'x', {
        'x-provider-account': 'acct_victim',
        'x-forwarded-for': '10.0.0.1',
      });
      await assert.rejects(chat(openai), isAuthError('untrusted_identity_header'));
      await assert.rejects(message(anthropic), isAnthropicAuthError('untrusted_identity_header'));
      assert.equal(upstream.seen.length, 0);
      await harness.settle();
      assert.ok(harness.sink.exchanges.every((record) => record.account_id === 'unauthenticated'));
    } finally {
      await harness.close();
    }
  });
});
