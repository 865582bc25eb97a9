import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { AccountRecord } from '../../log/exchange.js';
import type { ApiKeyRecord } from './account-directory.js';
import type { ControlPlaneStore } from './control-plane-store.js';

const account = (id: string, extra: Partial<AccountRecord> = {}): AccountRecord => ({
  account_id: id,
  created_at: '2026-01-01T00:00:00.000Z',
  ...extra,
});
const key = (keyId: string, accountId: string, hash = `hmac-of-${keyId}`): ApiKeyRecord => ({
  keyId,
  accountId,
  hash,
  createdAt: '2026-01-02T00:00:00.000Z',
  revokedAt: null,
});

/**
 * The one conformance suite every `ControlPlaneStore` passes. `create` returns a fresh, empty
 * store each time.
 */
export function runControlPlaneStoreConformance(
  name: string,
  create: () => Promise<ControlPlaneStore>,
): void {
  describe(`ControlPlaneStore conformance: ${name}`, () => {
    const opened: ControlPlaneStore[] = [];
    const fresh = async () => {
      const store = await create();
      opened.push(store);
      return store;
    };
    after(async () => {
      for (const store of opened) await store.close();
    });

    test('a new store is empty, at feed position 0', async () => {
      const store = await fresh();
      assert.equal(store.version, 1);
      assert.deepEqual(await store.snapshot(), { accounts: [], keys: [], cursor: 0 });
      assert.deepEqual(await store.changesSince(0), { changes: [], cursor: 0 });
    });

    test('accounts round-trip with their linkage metadata; a put replaces', async () => {
      const store = await fresh();
      await store.putAccount(account('acct_b', { payment_fingerprint: 'pay_1', program: 'edu' }));
      await store.putAccount(account('acct_a', { country: 'FR', asn: 64500 }));
      await store.putAccount(account('acct_b', { payment_fingerprint: 'pay_2' }));
      assert.deepEqual(await store.listAccounts(), [
        account('acct_a', { country: 'FR', asn: 64500 }),
        account('acct_b', { payment_fingerprint: 'pay_2' }),
      ]);
    });

    test('keys are kept as hashes, listed per account, and revoked once', async () => {
      const store = await fresh();
      await store.apply([
        { kind: 'account', account: account('acct_a') },
        { kind: 'key', key: key('key_1', 'acct_a') },
        { kind: 'key', key: key('key_2', 'acct_a') },
        { kind: 'key', key: key('key_3', 'acct_b') },
      ]);
      assert.deepEqual(
        (await store.listKeys('acct_a')).map((each) => each.keyId),
        ['key_1', 'key_2'],
      );
      assert.equal((await store.listKeys()).length, 3);
      assert.equal(await store.revokeKey('key_2', '2026-02-01T00:00:00.000Z'), true);
      assert.equal(await store.revokeKey('key_2', '2026-03-01T00:00:00.000Z'), true);
      assert.equal(await store.revokeKey('key_missing', '2026-03-01T00:00:00.000Z'), false);
      const keys = await store.listKeys('acct_a');
      assert.deepEqual(keys[1], {
        ...key('key_2', 'acct_a'),
        revokedAt: '2026-02-01T00:00:00.000Z',
      });
      // Adding a key again (a replayed change) never un-revokes it.
      await store.addKey(key('key_2', 'acct_a'));
      assert.equal((await store.listKeys('acct_a'))[1]?.revokedAt, '2026-02-01T00:00:00.000Z');
    });

    test('the change feed lists every change in order, from any cursor, in pages', async () => {
      const store = await fresh();
      await store.putAccount(account('acct_a'));
      const { cursor: afterFirst } = await store.changesSince(0);
      await store.addKey(key('key_1', 'acct_a'));
      await store.revokeKey('key_1', '2026-02-01T00:00:00.000Z');
      await store.revokeKey('key_missing', '2026-02-01T00:00:00.000Z');
      const all = await store.changesSince(0);
      assert.deepEqual(
        all.changes.map((change) => change.kind),
        ['account', 'key', 'revoke'],
      );
      const later = await store.changesSince(afterFirst);
      assert.deepEqual(later.changes, all.changes.slice(1));
      assert.equal(later.cursor, all.cursor);
      const page = await store.changesSince(0, 2);
      assert.equal(page.changes.length, 2);
      assert.deepEqual((await store.changesSince(page.cursor)).changes, all.changes.slice(2));
      assert.deepEqual(await store.changesSince(all.cursor), { changes: [], cursor: all.cursor });
    });

    test('a snapshot and its cursor describe the same moment', async () => {
      const store = await fresh();
      await store.apply([
        { kind: 'account', account: account('acct_a') },
        { kind: 'key', key: key('key_1', 'acct_a') },
      ]);
      const snapshot = await store.snapshot();
      assert.equal(snapshot.accounts.length, 1);
      assert.deepEqual(snapshot.keys, [key('key_1', 'acct_a')]);
      assert.deepEqual((await store.changesSince(snapshot.cursor)).changes, []);
      await store.revokeKey('key_1', '2026-02-01T00:00:00.000Z');
      assert.deepEqual((await store.changesSince(snapshot.cursor)).changes, [
        { kind: 'revoke', keyId: 'key_1', at: '2026-02-01T00:00:00.000Z' },
      ]);
    });

    test('a batch is atomic: one bad change and none of it is stored', async () => {
      const store = await fresh();
      await assert.rejects(
        store.apply([
          { kind: 'account', account: account('acct_a') },
          { kind: 'key', key: { ...key('key_1', 'acct_a'), hash: null as unknown as string } },
        ]),
      );
      assert.deepEqual(await store.snapshot(), { accounts: [], keys: [], cursor: 0 });
      await store.putAccount(account('acct_after'));
      assert.deepEqual(
        (await store.listAccounts()).map((each) => each.account_id),
        ['acct_after'],
      );
    });

    test('concurrent writes all land, each once in the feed', async () => {
      const store = await fresh();
      await Promise.all(
        Array.from({ length: 20 }, (_, index) => store.putAccount(account(`acct_${index}`))),
      );
      assert.equal((await store.listAccounts()).length, 20);
      assert.equal((await store.changesSince(0)).changes.length, 20);
    });
  });
}
