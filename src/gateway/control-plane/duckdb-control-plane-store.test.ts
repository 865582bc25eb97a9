import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runControlPlaneStoreConformance } from './control-plane-store.case.js';
import { createDuckDbControlPlaneStore } from './duckdb-control-plane-store.js';

const directory = await mkdtemp(join(tmpdir(), 'dg-control-plane-'));
let count = 0;
after(() => rm(directory, { recursive: true, force: true }));

runControlPlaneStoreConformance('duckdb', () => {
  count += 1;
  return createDuckDbControlPlaneStore({ path: join(directory, `store-${count}.duckdb`) });
});

test('duckdb: accounts and keys survive a restart of the gateway process', async () => {
  const path = join(directory, 'restart.duckdb');
  const first = await createDuckDbControlPlaneStore({ path });
  await first.putAccount({ account_id: 'acct_a', created_at: '2026-01-01T00:00:00.000Z' });
  await first.addKey({
    keyId: 'key_1',
    accountId: 'acct_a',
    hash: 'hmac',
    createdAt: '2026-01-01T00:00:00.000Z',
    revokedAt: null,
  });
  await first.close();
  const second = await createDuckDbControlPlaneStore({ path });
  const snapshot = await second.snapshot();
  await second.close();
  assert.deepEqual(
    snapshot.accounts.map((account) => account.account_id),
    ['acct_a'],
  );
  assert.equal(snapshot.keys[0]?.hash, 'hmac');
  assert.equal(snapshot.cursor, 2);
});
