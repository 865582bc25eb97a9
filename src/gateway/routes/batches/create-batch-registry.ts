/** What the gateway keeps per file or batch id: which account may see it, on which upstream. */
export interface BatchOwner {
  accountId: string;
  /** The upstream that holds it (a router's name), when a router chose one. */
  upstream?: string;
}

export type BatchObjectKind = 'file' | 'batch' | 'message_batch';

/**
 * Ownership of files and batches. Every account reaches the upstream through the gateway's one
 * upstream key, so the upstream would let any account read any other's batch: the gateway answers
 * 404 for ids the asking account did not create, and filters lists to its own.
 */
export interface BatchRegistry {
  claim(kind: BatchObjectKind, id: string, owner: BatchOwner): void;
  owner(kind: BatchObjectKind, id: string): BatchOwner | undefined;
}

/**
 * The in-process registry (one gateway process; a cluster or fleet routes an account's batch
 * calls to one replica, or loses sight of ids created on another: documented in gateway.md).
 * Bounded: past `limit` ids the oldest are forgotten (their owners then get 404).
 */
export function createBatchRegistry({ limit = 1_000_000 }: { limit?: number } = {}): BatchRegistry {
  const owners = new Map<string, BatchOwner>();
  return {
    claim(kind, id, owner) {
      const key = `${kind}:${id}`;
      owners.delete(key);
      owners.set(key, owner);
      if (owners.size > limit) owners.delete(owners.keys().next().value ?? '');
    },
    owner: (kind, id) => owners.get(`${kind}:${id}`),
  };
}
