import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import pg from 'pg';
import { runControlPlaneStoreConformance } from './control-plane-store.case.js';
import { createPostgresControlPlaneStore } from './postgres-control-plane-store.js';

// Needs the real local Postgres (.ci/run starts one); without it these tests FAIL, never skip.
const POSTGRES_TEST_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const run = `dg_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
const schemas: string[] = [];
const nextSchema = () => {
  const schema = `${run}_${schemas.length}`;
  schemas.push(schema);
  return schema;
};

after(async () => {
  const client = new pg.Client({ connectionString: POSTGRES_TEST_URL });
  try {
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch {
    // Nothing to drop when the server was never reachable (the tests failed on it already).
  } finally {
    await client.end().catch(() => {});
  }
});

runControlPlaneStoreConformance('postgres', () =>
  createPostgresControlPlaneStore({ url: POSTGRES_TEST_URL, schema: nextSchema() }),
);

test('postgres: a write through one handle wakes and reaches another (two replicas)', async () => {
  const schema = nextSchema();
  const writer = await createPostgresControlPlaneStore({ url: POSTGRES_TEST_URL, schema });
  const follower = await createPostgresControlPlaneStore({ url: POSTGRES_TEST_URL, schema });
  try {
    const { cursor } = await follower.snapshot();
    const woken = new Promise<void>((resolve) => {
      follower.onChange(resolve);
    });
    await writer.putAccount({ account_id: 'acct_a', created_at: '2026-01-01T00:00:00.000Z' });
    await woken;
    const { changes } = await follower.changesSince(cursor);
    assert.deepEqual(changes, [
      {
        kind: 'account',
        account: { account_id: 'acct_a', created_at: '2026-01-01T00:00:00.000Z' },
      },
    ]);
  } finally {
    await writer.close();
    await follower.close();
  }
});

test('postgres: an unreachable server fails with control_plane_unavailable', async () => {
  await assert.rejects(
    createPostgresControlPlaneStore({ url: 'postgres://postgres@127.0.0.1:1/test', schema: 'x' }),
    (error: unknown) => (error as { code?: string }).code === 'control_plane_unavailable',
  );
});

test('postgres: a schema name that is not a plain identifier is refused', async () => {
  await assert.rejects(
    createPostgresControlPlaneStore({ url: POSTGRES_TEST_URL, schema: 'x"; DROP TABLE y; --' }),
    (error: unknown) => (error as { code?: string }).code === 'control_plane_config_invalid',
  );
});
