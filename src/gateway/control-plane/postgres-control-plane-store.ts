import pg from 'pg';
import type { AccountRecord } from '../../log/exchange.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import type { DirectoryChange } from './account-directory.js';
import { type ControlPlaneStore, keyFromRow } from './control-plane-store.js';

/** The NOTIFY channel; the payload is the schema, so several control planes can share a server. */
export const CONTROL_PLANE_CHANNEL = 'distillguard_control_plane';

export interface PostgresControlPlaneOptions {
  /** `postgres://user@host:5432/db`; a password is better left to `PGPASSWORD` or `~/.pgpass`. */
  url: string;
  /** The schema holding the tables (created when missing). */
  schema?: string;
  /** Reports a lost LISTEN connection or an idle-client error (followers keep polling). */
  onError?: (error: Error) => void;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The control plane in Postgres, for several gateway replicas. Writers serialise on a
 * transaction-scoped advisory lock, so the change feed's sequence order is its commit order and a
 * follower reading `seq > cursor` never skips a change that commits late; each commit sends a
 * NOTIFY that wakes the followers at once. Writes are admin operations (rare), so one lock costs
 * nothing that matters; the request path never reaches Postgres.
 *
 * @example
 * const store = await createPostgresControlPlaneStore({ url: 'postgres://gw@db/gateway' });
 * const directory = await createControlPlaneDirectory({ store });
 */
export async function createPostgresControlPlaneStore({
  url,
  schema = 'distillguard',
  onError = () => {},
}: PostgresControlPlaneOptions): Promise<ControlPlaneStore> {
  if (!SCHEMA_PATTERN.test(schema)) {
    throw new DistillguardError(
      'control_plane_config_invalid',
      `control_plane.schema must be a lower-case SQL identifier (letters, digits, _), got ${JSON.stringify(schema)}`,
    );
  }
  const table = (name: string) => `"${schema}".${name}`;
  const lockKey = `distillguard-control-plane:${schema}`;
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', (error) => onError(error));
  const unavailable = (error: unknown) =>
    new DistillguardError(
      'control_plane_unavailable',
      `the Postgres control plane is unreachable: ${error instanceof Error ? error.message : String(error)}`,
    );

  const transaction = async <T>(
    body: (client: pg.PoolClient) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query(begin);
      try {
        const result = await body(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    } finally {
      client.release();
    }
  };
  /** A write: serialised with every other writer, logged in the feed, announced on commit. */
  const write = <T>(body: (client: pg.PoolClient) => Promise<T>) =>
    transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
      const result = await body(client);
      await client.query('SELECT pg_notify($1, $2)', [CONTROL_PLANE_CHANNEL, schema]);
      return result;
    });
  const log = (client: pg.PoolClient, change: DirectoryChange) =>
    client.query(`INSERT INTO ${table('changes')} (change) VALUES ($1)`, [JSON.stringify(change)]);

  try {
    await transaction(async (client) => {
      // Replicas starting together would race on CREATE ... IF NOT EXISTS without the lock.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lockKey]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${table('accounts')} (
        account_id text PRIMARY KEY, record text NOT NULL)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${table('api_keys')} (
        key_id text PRIMARY KEY, account_id text NOT NULL, hash text NOT NULL UNIQUE,
        created_at text NOT NULL, revoked_at text)`);
      await client.query(
        `CREATE INDEX IF NOT EXISTS api_keys_account ON ${table('api_keys')} (account_id)`,
      );
      await client.query(`CREATE TABLE IF NOT EXISTS ${table('changes')} (
        seq bigserial PRIMARY KEY, change text NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT now())`);
    });
  } catch (error) {
    await pool.end().catch(() => {});
    throw unavailable(error);
  }

  const listeners = new Set<() => void>();
  const listener = new pg.Client({ connectionString: url });
  listener.on('error', (error) => onError(error));
  listener.on('notification', (message) => {
    if (message.payload !== schema) return;
    for (const each of listeners) each();
  });
  await listener.connect();
  await listener.query(`LISTEN ${CONTROL_PLANE_CHANNEL}`);

  const applyOne = async (client: pg.PoolClient, change: DirectoryChange): Promise<boolean> => {
    if (change.kind === 'account') {
      await client.query(
        `INSERT INTO ${table('accounts')} (account_id, record) VALUES ($1, $2)
         ON CONFLICT (account_id) DO UPDATE SET record = EXCLUDED.record`,
        [change.account.account_id, JSON.stringify(change.account)],
      );
    } else if (change.kind === 'key') {
      const { keyId, accountId, hash, createdAt, revokedAt } = change.key;
      await client.query(
        `INSERT INTO ${table('api_keys')} (key_id, account_id, hash, created_at, revoked_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (key_id) DO UPDATE SET
           revoked_at = COALESCE(${table('api_keys')}.revoked_at, EXCLUDED.revoked_at)`,
        [keyId, accountId, hash, createdAt, revokedAt],
      );
    } else {
      const result = await client.query(
        `UPDATE ${table('api_keys')} SET revoked_at = COALESCE(revoked_at, $2) WHERE key_id = $1`,
        [change.keyId, change.at],
      );
      if (result.rowCount === 0) return false;
    }
    await log(client, change);
    return true;
  };
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw error instanceof DistillguardError ? error : unavailable(error);
    }
  };

  const store: ControlPlaneStore = {
    version: 1,
    kind: 'postgres',
    apply: (changes) =>
      changes.length === 0
        ? Promise.resolve()
        : guard(() =>
            write(async (client) => {
              for (const change of changes) await applyOne(client, change);
            }),
          ),
    putAccount: (account) => store.apply([{ kind: 'account', account }]),
    addKey: (key) => store.apply([{ kind: 'key', key }]),
    revokeKey: (keyId, at) =>
      guard(() => write((client) => applyOne(client, { kind: 'revoke', keyId, at }))),
    listAccounts: () =>
      guard(async () => {
        const result = await pool.query(
          `SELECT record FROM ${table('accounts')} ORDER BY account_id`,
        );
        return result.rows.map((row) => JSON.parse(String(row.record)) as AccountRecord);
      }),
    listKeys: (accountId) =>
      guard(async () => {
        const result =
          accountId === undefined
            ? await pool.query(`SELECT * FROM ${table('api_keys')} ORDER BY key_id`)
            : await pool.query(
                `SELECT * FROM ${table('api_keys')} WHERE account_id = $1 ORDER BY key_id`,
                [accountId],
              );
        return result.rows.map(keyFromRow);
      }),
    snapshot: () =>
      guard(() =>
        // One repeatable-read snapshot: the rows and the cursor describe the same moment.
        transaction(async (client) => {
          const cursor = await client.query(
            `SELECT COALESCE(MAX(seq), 0) AS seq FROM ${table('changes')}`,
          );
          const accounts = await client.query(
            `SELECT record FROM ${table('accounts')} ORDER BY account_id`,
          );
          const keys = await client.query(`SELECT * FROM ${table('api_keys')} ORDER BY key_id`);
          return {
            cursor: Number(cursor.rows[0]?.seq ?? 0),
            accounts: accounts.rows.map((row) => JSON.parse(String(row.record)) as AccountRecord),
            keys: keys.rows.map(keyFromRow),
          };
        }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'),
      ),
    changesSince: (cursor, limit = 1000) =>
      guard(async () => {
        const result = await pool.query(
          `SELECT seq, change FROM ${table('changes')} WHERE seq > $1 ORDER BY seq LIMIT $2`,
          [cursor, limit],
        );
        const rows = result.rows;
        return {
          changes: rows.map((row) => JSON.parse(String(row.change)) as DirectoryChange),
          cursor: rows.length === 0 ? cursor : Number(rows[rows.length - 1]?.seq),
        };
      }),
    onChange(listenerFunction) {
      listeners.add(listenerFunction);
      return () => listeners.delete(listenerFunction);
    },
    async close() {
      listeners.clear();
      await listener.end().catch(() => {});
      await pool.end().catch(() => {});
    },
  };
  return store;
}
