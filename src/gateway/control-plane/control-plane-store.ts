import type { AccountRecord } from '../../log/exchange.js';
import type { ApiKeyRecord, DirectoryChange } from './account-directory.js';

/** What a store holds at one position of its change feed. */
export interface ControlPlaneSnapshot {
  accounts: AccountRecord[];
  keys: ApiKeyRecord[];
  /** The feed position the snapshot is consistent with: read `changesSince(cursor)` next. */
  cursor: number;
}

/**
 * The control plane (version 1): accounts (with their linkage metadata) and hashed API keys,
 * shared by every gateway replica. The request path never calls it: each replica serves from an
 * in-memory directory (`createControlPlaneDirectory`) that writes through to the store and
 * follows its change feed. Keys are stored as their HMAC only, as in the directory.
 *
 * Implementations: DuckDB (default; one process owns the file) and Postgres (several replicas;
 * LISTEN/NOTIFY wakes the followers). Both pass `control-plane-store.case.ts`.
 */
export interface ControlPlaneStore {
  readonly version: 1;
  readonly kind: 'duckdb' | 'postgres';
  /** Applies changes in order, atomically; each becomes one entry of the change feed. */
  apply(changes: readonly DirectoryChange[]): Promise<void>;
  putAccount(account: AccountRecord): Promise<void>;
  addKey(key: ApiKeyRecord): Promise<void>;
  /** Returns false when no such key exists. A revoked key stays revoked at its first time. */
  revokeKey(keyId: string, at: string): Promise<boolean>;
  listAccounts(): Promise<AccountRecord[]>;
  /** Every key, or one account's. */
  listKeys(accountId?: string): Promise<ApiKeyRecord[]>;
  snapshot(): Promise<ControlPlaneSnapshot>;
  /** Feed entries after `cursor`, in commit order (at most `limit`), and the new cursor. */
  changesSince(
    cursor: number,
    limit?: number,
  ): Promise<{ changes: DirectoryChange[]; cursor: number }>;
  /**
   * Calls `listener` soon after any writer commits (a hint to read the feed; it may never come,
   * so followers also poll). Returns the unsubscribe function.
   */
  onChange(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Applies one change to an in-memory directory-like target (idempotent). */
export function applyChange(
  target: {
    putAccount(account: AccountRecord): void;
    addKey(key: ApiKeyRecord): void;
    revokeKey(keyId: string, at: string): boolean;
  },
  change: DirectoryChange,
): void {
  if (change.kind === 'account') target.putAccount(change.account);
  else if (change.kind === 'key') target.addKey({ ...change.key });
  else target.revokeKey(change.keyId, change.at);
}

/** A key record from a stored row (column names as in both stores' `api_keys` table). */
export function keyFromRow(row: Record<string, unknown>): ApiKeyRecord {
  return {
    keyId: String(row.key_id),
    accountId: String(row.account_id),
    hash: String(row.hash),
    createdAt: String(row.created_at),
    revokedAt:
      row.revoked_at === null || row.revoked_at === undefined ? null : String(row.revoked_at),
  };
}
