import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import OpenAI from 'openai';
import pg from 'pg';
import { createClient } from 'redis';
import { createRedisEnforcementState } from '../enforcement-state/redis-enforcement-state.js';
import { type Harness, startHarness } from '../test-harness.js';
import type { ControlPlaneStore } from './control-plane-store.js';
import {
  type ControlPlaneDirectory,
  createControlPlaneDirectory,
} from './create-control-plane-directory.js';
import { createPostgresControlPlaneStore } from './postgres-control-plane-store.js';

// Needs the real local Postgres and Redis (.ci/run starts both); without them this FAILS.
const postgresUrl = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// The staleness bound: a replica reads the feed on every NOTIFY and at least this often.
const POLL_INTERVAL_MS = 200;

test('two gateway replicas on one Postgres control plane share keys and revocations', async () => {
  const schema = `dg_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const prefix = `distillguard-test:${randomUUID()}:`;
  const stores: ControlPlaneStore[] = [];
  const directories: ControlPlaneDirectory[] = [];
  const replicas: Harness[] = [];
  const startReplica = async () => {
    const store = await createPostgresControlPlaneStore({ url: postgresUrl, schema });
    stores.push(store);
    const directory = await createControlPlaneDirectory({
      store,
      pollIntervalMs: POLL_INTERVAL_MS,
    });
    directories.push(directory);
    const harness = await startHarness({
      accounts: [],
      gatewayOptions: {
        directory,
        state: await createRedisEnforcementState({ url: redisUrl, prefix }),
      },
    });
    replicas.push(harness);
    return { harness, directory };
  };
  try {
    const a = await startReplica();
    const b = await startReplica();
    const admin = (path: string, method: string, body?: unknown) =>
      fetch(`${a.harness.url}${path}`, {
        method,
        headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const ask = (apiKey: string) =>
      new OpenAI({ apiKey, baseURL: `${b.harness.url}/v1`, maxRetries: 0 }).chat.completions.create(
        { model: 'demo', max_tokens: 2, messages: [{ role: 'user', content: 'hi' }] },
      );

    assert.equal(
      (await admin('/admin/accounts', 'POST', { account_id: 'acct_shared', country: 'FR' })).status,
      201,
    );
    const created = await admin('/admin/accounts/acct_shared/keys', 'POST');
    assert.equal(created.status, 201);
    const { key_id: keyId, api_key: apiKey } = (await created.json()) as {
      key_id: string;
      api_key: string;
    };

    // One feed read (what the poll timer and each NOTIFY do) brings B the account and the key.
    await b.directory.sync();
    assert.deepEqual(b.directory.getAccount('acct_shared')?.country, 'FR');
    const completion = await ask(apiKey);
    assert.ok(completion.choices.length > 0);
    // The store keeps the key's HMAC only.
    const rows = await stores[0]?.listKeys('acct_shared');
    assert.equal(rows?.length, 1);
    assert.notEqual(rows?.[0]?.hash, apiKey);
    assert.ok(!JSON.stringify(rows).includes(apiKey));

    // Revoked on A; B refuses it without being told to read the feed (NOTIFY, else the poll).
    assert.equal((await admin(`/admin/keys/${keyId}`, 'DELETE')).status, 200);
    let refused: unknown = null;
    for (let attempt = 0; attempt < 250 && refused === null; attempt += 1) {
      try {
        await ask(apiKey);
        await delay(POLL_INTERVAL_MS / 10);
      } catch (error) {
        refused = error;
      }
    }
    assert.ok(
      refused instanceof OpenAI.AuthenticationError && refused.code === 'revoked_api_key',
      `B still served the revoked key: ${String(refused)}`,
    );

    // A third replica starting later loads the same directory from the store.
    const c = await startReplica();
    assert.equal(c.directory.listKeys('acct_shared')[0]?.revokedAt !== null, true);
  } finally {
    for (const harness of replicas) {
      await harness.gateway.state.close();
      await harness.close();
    }
    for (const directory of directories) await directory.close();
    for (const store of stores) await store.close();
    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect().catch(() => {});
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {});
    await client.end().catch(() => {});
    const redis = createClient({ url: redisUrl, socket: { reconnectStrategy: false } });
    redis.on('error', () => {});
    await redis.connect().catch(() => {});
    if (redis.isOpen) {
      for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
        if (keys.length > 0) await redis.del(keys);
      await redis.close();
    }
  }
});
