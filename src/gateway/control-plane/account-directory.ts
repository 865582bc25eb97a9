import type { AccountRecord } from '../../log/exchange.js';

/** A stored API key: only its hash, never the key itself. */
export interface ApiKeyRecord {
  keyId: string;
  accountId: string;
  hash: string;
  createdAt: string;
  revokedAt: string | null;
}

/** Accounts (with the metadata used for linkage) and their hashed API keys. */
export interface AccountDirectory {
  putAccount(account: AccountRecord): void;
  getAccount(accountId: string): AccountRecord | undefined;
  listAccounts(): AccountRecord[];
  addKey(key: ApiKeyRecord): void;
  findKeyByHash(hash: string): ApiKeyRecord | undefined;
  /** Returns false when no such key exists. */
  revokeKey(keyId: string, at: string): boolean;
  listKeys(accountId: string): ApiKeyRecord[];
  /**
   * Resolves once local changes are stored in the shared control plane (when there is one);
   * rejects with `control_plane_unavailable` when they cannot be. The admin API awaits it.
   */
  flush?(): Promise<void>;
  /** Catches up with changes other replicas made (when there is a shared control plane). */
  sync?(): Promise<void>;
}

/** The in-process directory (the default; accounts and keys come from config or the admin API). */
export function createAccountDirectory(): AccountDirectory {
  const accounts = new Map<string, AccountRecord>();
  const keysByHash = new Map<string, ApiKeyRecord>();
  const keysById = new Map<string, ApiKeyRecord>();
  return {
    putAccount: (account) => void accounts.set(account.account_id, account),
    getAccount: (accountId) => accounts.get(accountId),
    listAccounts: () => [...accounts.values()],
    addKey(key) {
      keysByHash.set(key.hash, key);
      keysById.set(key.keyId, key);
    },
    findKeyByHash: (hash) => keysByHash.get(hash),
    revokeKey(keyId, at) {
      const key = keysById.get(keyId);
      if (!key) return false;
      key.revokedAt ??= at;
      return true;
    },
    listKeys: (accountId) => [...keysById.values()].filter((key) => key.accountId === accountId),
  };
}

/** One change to a directory, as replicated between gateway workers (key hashes only). */
export type DirectoryChange =
  | { kind: 'account'; account: AccountRecord }
  | { kind: 'key'; key: ApiKeyRecord }
  | { kind: 'revoke'; keyId: string; at: string };

/**
 * Wraps a directory so every local change is also passed to `publish` (a cluster worker sends it
 * to the primary, which hands it to the other workers). Reads go straight to the inner directory.
 */
export function createReplicatedDirectory(
  inner: AccountDirectory,
  publish: (change: DirectoryChange) => void,
): AccountDirectory {
  return {
    ...inner,
    putAccount(account) {
      inner.putAccount(account);
      publish({ kind: 'account', account });
    },
    addKey(key) {
      inner.addKey(key);
      publish({ kind: 'key', key });
    },
    revokeKey(keyId, at) {
      const revoked = inner.revokeKey(keyId, at);
      if (revoked) publish({ kind: 'revoke', keyId, at });
      return revoked;
    },
  };
}
