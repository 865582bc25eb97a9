import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AccountRecord } from '../../log/exchange.js';
import { startHarness } from '../test-harness.js';
import type { DirectoryChange } from './account-directory.js';
import type { ControlPlaneStore } from './control-plane-store.js';
import { createControlPlaneDirectory } from './create-control-plane-directory.js';
import { createDuckDbControlPlaneStore } from './duckdb-control-plane-store.js';

const account = (id: string, extra: Partial<AccountRecord> = {}): AccountRecord => ({
  account_id: id,
  created_at: '2026-01-01T00:00:00.000Z',
  ...extra,
});
const key = (keyId: string, accountId: string) => ({
  keyId,
  accountId,
  hash: `hmac-${keyId}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  revokedAt: null,
});

/** A store whose writes fail while `down` is set (a lost database), otherwise the real one. */
function flaky(store: ControlPlaneStore): ControlPlaneStore & { down: boolean } {
  const wrapped = {
    ...store,
    down: false,
    apply(changes: readonly DirectoryChange[]) {
      return wrapped.down ? Promise.reject(new Error('connection refused')) : store.apply(changes);
    },
  };
  return wrapped;
}

describe('createControlPlaneDirectory', () => {
  test('starts from the store, serves local changes at once, stores them on flush', async () => {
    const store = await createDuckDbControlPlaneStore({ path: ':memory:' });
    await store.apply([
      { kind: 'account', account: account('acct_old') },
      { kind: 'key', key: key('key_old', 'acct_old') },
    ]);
    const directory = await createControlPlaneDirectory({ store });
    try {
      assert.equal(directory.findKeyByHash('hmac-key_old')?.accountId, 'acct_old');
      directory.putAccount(account('acct_new'));
      directory.addKey(key('key_new', 'acct_new'));
      assert.equal(directory.revokeKey('key_old', '2026-02-01T00:00:00.000Z'), true);
      assert.equal(directory.revokeKey('key_unknown', '2026-02-01T00:00:00.000Z'), false);
      // Served from memory before the store has them.
      assert.equal(directory.findKeyByHash('hmac-key_new')?.accountId, 'acct_new');
      await directory.flush();
      const snapshot = await store.snapshot();
      assert.deepEqual(
        snapshot.accounts.map((each) => each.account_id),
        ['acct_new', 'acct_old'],
      );
      assert.equal(
        snapshot.keys.find((each) => each.keyId === 'key_old')?.revokedAt,
        '2026-02-01T00:00:00.000Z',
      );
    } finally {
      await directory.close();
      await store.close();
    }
  });

  test("follows another replica's changes through the feed, not its own echoes", async () => {
    const store = await createDuckDbControlPlaneStore({ path: ':memory:' });
    const seenByB: DirectoryChange[] = [];
    const a = await createControlPlaneDirectory({ store });
    const b = await createControlPlaneDirectory({
      store,
      onRemoteChange: (change) => seenByB.push(change),
    });
    try {
      a.putAccount(account('acct_a', { payment_fingerprint: 'pay_1' }));
      a.addKey(key('key_a', 'acct_a'));
      await a.flush();
      assert.equal(b.findKeyByHash('hmac-key_a'), undefined);
      await b.sync();
      assert.equal(b.getAccount('acct_a')?.payment_fingerprint, 'pay_1');
      assert.equal(b.findKeyByHash('hmac-key_a')?.revokedAt, null);
      assert.deepEqual(
        seenByB.map((change) => change.kind),
        ['account', 'key'],
      );
      a.revokeKey('key_a', '2026-03-01T00:00:00.000Z');
      await a.flush();
      await b.sync();
      assert.equal(b.findKeyByHash('hmac-key_a')?.revokedAt, '2026-03-01T00:00:00.000Z');
      // B's own change comes back through the feed and is not reported as remote.
      const before = seenByB.length;
      b.putAccount(account('acct_b'));
      await b.flush();
      await b.sync();
      assert.equal(seenByB.length, before);
    } finally {
      await a.close();
      await b.close();
      await store.close();
    }
  });

  test('a store outage: flush fails with a code, memory still serves, later flush catches up', async () => {
    const inner = await createDuckDbControlPlaneStore({ path: ':memory:' });
    const store = flaky(inner);
    const errors: unknown[] = [];
    const directory = await createControlPlaneDirectory({
      store,
      onError: (error) => errors.push(error),
    });
    try {
      store.down = true;
      directory.putAccount(account('acct_1'));
      directory.addKey(key('key_1', 'acct_1'));
      await assert.rejects(
        directory.flush(),
        (error: unknown) => (error as { code?: string }).code === 'control_plane_unavailable',
      );
      assert.ok(errors.length > 0);
      assert.equal(directory.findKeyByHash('hmac-key_1')?.accountId, 'acct_1');
      store.down = false;
      directory.revokeKey('key_1', '2026-02-01T00:00:00.000Z');
      await directory.flush();
      assert.deepEqual(
        (await inner.changesSince(0)).changes.map((change) => change.kind),
        ['account', 'key', 'revoke'],
      );
    } finally {
      await directory.close();
      await inner.close();
    }
  });

  test('the admin API answers 503 control_plane_unavailable when a change cannot be stored', async () => {
    const inner = await createDuckDbControlPlaneStore({ path: ':memory:' });
    const store = flaky(inner);
    const directory = await createControlPlaneDirectory({ store });
    const harness = await startHarness({ accounts: [], gatewayOptions: { directory } });
    try {
      const create = () =>
        fetch(`${harness.url}/admin/accounts`, {
          method: 'POST',
          headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
          body: JSON.stringify({ account_id: 'acct_x' }),
        });
      store.down = true;
      const refused = await create();
      assert.equal(refused.status, 503);
      const body = (await refused.json()) as { error: { code: string } };
      assert.equal(body.error.code, 'control_plane_unavailable');
      store.down = false;
      assert.equal((await create()).status, 201);
      assert.deepEqual(
        (await inner.listAccounts()).map((each) => each.account_id),
        ['acct_x'],
      );
    } finally {
      await harness.close();
      await directory.close();
      await inner.close();
    }
  });
});
