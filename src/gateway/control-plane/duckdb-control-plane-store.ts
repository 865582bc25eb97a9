import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type { AccountRecord } from '../../log/exchange.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import type { DirectoryChange } from './account-directory.js';
import { type ControlPlaneStore, keyFromRow } from './control-plane-store.js';

/**
 * The control plane in a DuckDB file (the default): durable accounts and hashed keys for one
 * gateway process (with `--workers N`, the primary owns the file). DuckDB lets one process open
 * a file for writing, so there is nobody to notify: `onChange` never fires. Every call runs in
 * turn on one connection, as writes are rare and off the request path.
 *
 * @example
 * const store = await createDuckDbControlPlaneStore({ path: 'runs/gw/control-plane.duckdb' });
 */
export async function createDuckDbControlPlaneStore({
  path,
}: {
  /** A file, or `:memory:`. */
  path: string;
}): Promise<ControlPlaneStore> {
  let connection: DuckDBConnection;
  let instance: DuckDBInstance;
  try {
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    instance = await DuckDBInstance.create(path, { threads: '1' });
    connection = await instance.connect();
    await connection.run('CREATE SEQUENCE IF NOT EXISTS change_seq START 1');
    await connection.run(`CREATE TABLE IF NOT EXISTS accounts (
      account_id VARCHAR PRIMARY KEY, record VARCHAR NOT NULL)`);
    await connection.run(`CREATE TABLE IF NOT EXISTS api_keys (
      key_id VARCHAR PRIMARY KEY, account_id VARCHAR NOT NULL, hash VARCHAR NOT NULL,
      created_at VARCHAR NOT NULL, revoked_at VARCHAR)`);
    await connection.run(`CREATE TABLE IF NOT EXISTS changes (
      seq BIGINT PRIMARY KEY DEFAULT nextval('change_seq'), change VARCHAR NOT NULL)`);
  } catch (error) {
    throw new DistillguardError(
      'control_plane_unavailable',
      `cannot open the DuckDB control plane ${path}: ${error instanceof Error ? error.message : String(error)}`,
      { path },
    );
  }

  // One connection, one operation at a time (a transaction must not interleave with another).
  let turn: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = turn.then(work, work);
    turn = next.catch(() => {});
    return next;
  };
  const rows = async (sql: string, values: DuckDBValue[] = []) =>
    (await connection.runAndReadAll(sql, values)).getRowObjectsJson() as Record<string, unknown>[];
  const transaction = async <T>(body: () => Promise<T>): Promise<T> => {
    await connection.run('BEGIN TRANSACTION');
    try {
      const result = await body();
      await connection.run('COMMIT');
      return result;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => {});
      throw error;
    }
  };

  const applyOne = async (change: DirectoryChange): Promise<boolean> => {
    if (change.kind === 'account') {
      await connection.run('INSERT OR REPLACE INTO accounts VALUES ($1, $2)', [
        change.account.account_id,
        JSON.stringify(change.account),
      ]);
    } else if (change.kind === 'key') {
      const { keyId, accountId, hash, createdAt, revokedAt } = change.key;
      const existing = await rows('SELECT revoked_at FROM api_keys WHERE key_id = $1', [keyId]);
      if (existing.length === 0) {
        await connection.run('INSERT INTO api_keys VALUES ($1, $2, $3, $4, $5)', [
          keyId,
          accountId,
          hash,
          createdAt,
          revokedAt,
        ]);
      } else if (revokedAt !== null) {
        await connection.run(
          'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE key_id = $1',
          [keyId, revokedAt],
        );
      }
    } else {
      const existing = await rows('SELECT 1 FROM api_keys WHERE key_id = $1', [change.keyId]);
      if (existing.length === 0) return false;
      await connection.run(
        'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $2) WHERE key_id = $1',
        [change.keyId, change.at],
      );
    }
    await connection.run('INSERT INTO changes (change) VALUES ($1)', [JSON.stringify(change)]);
    return true;
  };
  const accountsOf = async () =>
    (await rows('SELECT record FROM accounts ORDER BY account_id')).map(
      (row) => JSON.parse(String(row.record)) as AccountRecord,
    );

  const store: ControlPlaneStore = {
    version: 1,
    kind: 'duckdb',
    apply: (changes) =>
      serial(() =>
        transaction(async () => {
          for (const change of changes) await applyOne(change);
        }),
      ),
    putAccount: (account) => store.apply([{ kind: 'account', account }]),
    addKey: (key) => store.apply([{ kind: 'key', key }]),
    revokeKey: (keyId, at) =>
      serial(() => transaction(() => applyOne({ kind: 'revoke', keyId, at }))),
    listAccounts: () => serial(accountsOf),
    listKeys: (accountId) =>
      serial(async () =>
        (accountId === undefined
          ? await rows('SELECT * FROM api_keys ORDER BY key_id')
          : await rows('SELECT * FROM api_keys WHERE account_id = $1 ORDER BY key_id', [accountId])
        ).map(keyFromRow),
      ),
    snapshot: () =>
      serial(async () => {
        const [cursor] = await rows('SELECT COALESCE(MAX(seq), 0)::BIGINT AS seq FROM changes');
        return {
          cursor: Number(cursor?.seq ?? 0),
          accounts: await accountsOf(),
          keys: (await rows('SELECT * FROM api_keys ORDER BY key_id')).map(keyFromRow),
        };
      }),
    changesSince: (cursor, limit = 1000) =>
      serial(async () => {
        const found = await rows(
          'SELECT seq, change FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2',
          [cursor, limit],
        );
        return {
          changes: found.map((row) => JSON.parse(String(row.change)) as DirectoryChange),
          cursor: found.length === 0 ? cursor : Number(found[found.length - 1]?.seq),
        };
      }),
    onChange: () => () => {},
    close: () =>
      serial(async () => {
        connection.closeSync();
        instance.closeSync();
      }),
  };
  return store;
}
