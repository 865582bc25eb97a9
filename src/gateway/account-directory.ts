import type { AccountRecord } from '../log/exchange.js';

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
