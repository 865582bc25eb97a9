import { DistillguardError } from '../../shared/distillguard-error.js';
import {
  type AccountDirectory,
  createAccountDirectory,
  type DirectoryChange,
} from './account-directory.js';
import { applyChange, type ControlPlaneStore } from './control-plane-store.js';

/** A directory served from memory and kept in step with a shared control plane. */
export interface ControlPlaneDirectory extends AccountDirectory {
  /** Resolves once every local change so far is committed to the store; rejects if it cannot be. */
  flush(): Promise<void>;
  /** Reads the store's change feed now (the poll timer and the store's wake-ups call it). */
  sync(): Promise<void>;
  /** Stops following the store (the store itself is closed by its owner). */
  close(): Promise<void>;
}

export interface ControlPlaneDirectoryOptions {
  store: ControlPlaneStore;
  /** The in-memory directory that serves reads (a cluster worker passes its replicated one). */
  inner?: AccountDirectory;
  /** How often the feed is read when no wake-up came: the staleness bound without NOTIFY. */
  pollIntervalMs?: number;
  /** Called for each change another replica made (the gateway tells the engine about accounts). */
  onRemoteChange?: (change: DirectoryChange) => void;
  /** Reports a failed write or read (the directory keeps serving from memory). */
  onError?: (error: unknown) => void;
}

/**
 * The account directory of a replica that shares its accounts and keys with others. Reads stay
 * synchronous map lookups (the request path never waits on the store); local changes apply at
 * once and are written behind, in batches, to the store (`flush` awaits them: the admin API
 * answers only once a change is committed); other replicas' changes arrive through the store's
 * change feed, read on each wake-up (Postgres NOTIFY, milliseconds) and at least every
 * `pollIntervalMs`. A change made on one replica is therefore served by every other within
 * `pollIntervalMs` plus one feed read, and usually within milliseconds.
 *
 * @example
 * const store = await createPostgresControlPlaneStore({ url });
 * const directory = await createControlPlaneDirectory({ store, pollIntervalMs: 1000 });
 * const gateway = createGateway({ upstream, hasher, recorder, directory });
 */
export async function createControlPlaneDirectory({
  store,
  inner = createAccountDirectory(),
  pollIntervalMs = 1_000,
  onRemoteChange = () => {},
  onError = () => {},
}: ControlPlaneDirectoryOptions): Promise<ControlPlaneDirectory> {
  const snapshot = await store.snapshot();
  for (const account of snapshot.accounts) inner.putAccount(account);
  for (const key of snapshot.keys) inner.addKey(key);
  let cursor = snapshot.cursor;

  const pending: DirectoryChange[] = [];
  let writing: Promise<void> | null = null;
  let failure: unknown = null;
  const writeBehind = () => {
    if (writing || pending.length === 0) return;
    writing = (async () => {
      while (pending.length > 0) {
        const batch = pending.splice(0);
        try {
          await store.apply(batch);
          failure = null;
        } catch (error) {
          // Kept for the next attempt (the next change, flush or poll), in order.
          pending.unshift(...batch);
          failure = error;
          onError(error);
          return;
        }
      }
    })().finally(() => {
      writing = null;
    });
  };
  const record = (change: DirectoryChange) => {
    pending.push(change);
    writeBehind();
  };

  /** True when a change from the feed is already what this replica holds (its own, echoed). */
  const known = (change: DirectoryChange) => {
    if (change.kind === 'account')
      return (
        JSON.stringify(inner.getAccount(change.account.account_id)) ===
        JSON.stringify(change.account)
      );
    if (change.kind === 'key') return inner.findKeyByHash(change.key.hash) !== undefined;
    return false; // revoking again is harmless: the first time stays
  };
  let reading: Promise<void> | null = null;
  // A wake-up during a read may announce a change that read missed: read once more after it.
  let again = false;
  const sync = (): Promise<void> => {
    writeBehind();
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      try {
        for (;;) {
          const page = await store.changesSince(cursor);
          for (const change of page.changes) {
            if (known(change)) continue;
            applyChange(inner, change);
            onRemoteChange(change);
          }
          cursor = page.cursor;
          if (page.changes.length === 0) return;
        }
      } catch (error) {
        onError(error);
      }
    })().finally(() => {
      reading = null;
      if (again) {
        again = false;
        void sync();
      }
    });
    return reading;
  };
  const wake = () => void sync();
  const unsubscribe = store.onChange(wake);
  const timer = setInterval(() => void sync(), pollIntervalMs);
  timer.unref();

  return {
    getAccount: (accountId) => inner.getAccount(accountId),
    listAccounts: () => inner.listAccounts(),
    findKeyByHash: (hash) => inner.findKeyByHash(hash),
    listKeys: (accountId) => inner.listKeys(accountId),
    putAccount(account) {
      inner.putAccount(account);
      record({ kind: 'account', account });
    },
    addKey(key) {
      inner.addKey(key);
      record({ kind: 'key', key: { ...key } });
    },
    revokeKey(keyId, at) {
      const revoked = inner.revokeKey(keyId, at);
      if (revoked) record({ kind: 'revoke', keyId, at });
      return revoked;
    },
    async flush() {
      writeBehind();
      while (writing) await writing;
      if (pending.length > 0) {
        throw new DistillguardError(
          'control_plane_unavailable',
          `the change is applied on this replica but not yet stored in the control plane: ${
            failure instanceof Error ? failure.message : String(failure)
          }`,
        );
      }
    },
    sync,
    async close() {
      clearInterval(timer);
      unsubscribe();
      while (writing) await writing;
      await reading;
    },
  };
}
