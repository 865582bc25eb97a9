import { type AccountState, createAccountState, upgradeAccountState } from './account-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { LinkageIndex } from './linkage-index.js';
import { refill, type StatefulPart } from './part-state.js';

/**
 * The accounts seen, and which of them are in the linkage graph: candidates (individual score
 * over `candidateScore`) and flagged accounts, resellers excepted; `unattached` among those, the
 * ones no campaign holds yet.
 */
export interface AccountMembership extends StatefulPart {
  /** Every account seen, by internal number (`AccountState.index`). */
  readonly accounts: readonly AccountState[];
  get(accountId: string): AccountState | undefined;
  /** The account's state, created on first sight. */
  stateOf(accountId: string): AccountState;
  /** Re-reads the account's score against `candidateScore`, then {@link update}. */
  setCandidate(state: AccountState): void;
  /** Re-derives graph membership from the account's candidacy and flag. */
  update(state: AccountState): void;
  /** Accounts in the graph now. */
  readonly candidates: number;
  /** Graph entries and exits since {@link settle}. */
  readonly changes: number;
  /** Marks the graph clustered as it is now. */
  settle(): void;
}

/**
 * Creates the account membership. Per-key counts of graph and unattached members are kept
 * current in the index as accounts enter and leave, so a clustering never rescans all keys.
 *
 * @example
 * const membership = createAccountMembership({ index, thresholds });
 * const state = membership.stateOf('acct-1');
 */
export function createAccountMembership({
  index,
  thresholds,
}: {
  index: LinkageIndex;
  thresholds: DetectorThresholds;
}): AccountMembership {
  const accounts: AccountState[] = [];
  const accountsById = new Map<string, AccountState>();
  let candidates = 0;
  let changes = 0;

  const update = (state: AccountState): void => {
    // Resellers stay out of the graph: their customers' traffic would tie unrelated users in.
    const inGraph =
      state.flaggedBy !== 'reseller' && (state.candidate || !Number.isNaN(state.flaggedMs));
    const unattached = inGraph && Number.isNaN(state.flaggedMs);
    if (unattached !== state.unattached) {
      state.unattached = unattached;
      const delta = unattached ? 1 : -1;
      for (const keyId of state.keys) index.adjustUnattachedMembers(keyId, delta);
    }
    if (inGraph === state.inGraph) return;
    state.inGraph = inGraph;
    const delta = inGraph ? 1 : -1;
    for (const keyId of state.keys) index.adjustGraphMembers(keyId, delta);
    candidates += delta;
    changes += 1;
  };

  const exportState = () => ({ accounts, accountsById, candidates, changes });
  return {
    exportState,
    importState(state) {
      const restored = state as ReturnType<typeof exportState>;
      refill(accounts, restored.accounts);
      // A version-2 state predates the exit-kind counters: they are added empty.
      for (const state of accounts) upgradeAccountState(state);
      refill(accountsById, restored.accountsById);
      ({ candidates, changes } = restored);
    },
    accounts,
    get: (accountId) => accountsById.get(accountId),
    stateOf(accountId) {
      let state = accountsById.get(accountId);
      if (!state) {
        state = createAccountState(accounts.length, accountId);
        accounts.push(state);
        accountsById.set(accountId, state);
      }
      return state;
    },
    setCandidate(state) {
      state.candidate = state.score >= thresholds.candidateScore;
      update(state);
    },
    update,
    get candidates() {
      return candidates;
    },
    get changes() {
      return changes;
    },
    settle() {
      changes = 0;
    },
  };
}
