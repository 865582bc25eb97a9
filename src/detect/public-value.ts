import type { AccountState } from './account-state.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';

/** An account created this long before its first request had a life before any campaign. */
export const ESTABLISHED_ACCOUNT_MS = 30 * 24 * 3600_000;
/**
 * Distinct networks (/24 or /48) among a value's established carriers that make it public: three
 * independent homes already. A reseller's established accounts come through its few doors (one
 * network each); five let the first users of a public agent each morning be placed in the campaign
 * that also drives it before the agent's other users had written.
 */
const PUBLIC_NETWORKS = 3;
const SUBNET = KEY_TYPE_INDEX.subnet;

/**
 * Whether an operator-authored value (a system prompt, a tool schema) is public: carried by
 * established accounts — created a month or more before their first request, so not part of a
 * pool opened for a campaign, and not placed in one by clustering — from at least
 * {@link PUBLIC_NETWORKS} networks. An operator's own prompt is sent by its pool (new accounts)
 * and by the resellers it buys through, whose established accounts come through the reseller's
 * few doors; an open-source agent's prompt is sent by its users from their homes and offices. How
 * many new accounts carry the value does not matter: four campaigns driving the same public agent
 * outnumber its honest users in the matrix (170 to 70), and a campaign can always send more. An
 * operator that ages its accounts for a month on many networks makes its prompt read public: its
 * traffic is then attributed by clustering alone, not by the prompt.
 */
/** Whether the account was created {@link ESTABLISHED_ACCOUNT_MS} or more before its first request. */
export function isEstablishedAccount(state: AccountState): boolean {
  return state.firstMs - state.createdMs >= ESTABLISHED_ACCOUNT_MS;
}

export function isPublicValue(
  carriers: Iterable<number>,
  accounts: readonly AccountState[],
  index: LinkageIndex,
  networksNeeded: number = PUBLIC_NETWORKS,
): boolean {
  const networks = new Set<number>();
  for (const account of carriers) {
    const state = accounts[account] as AccountState;
    if (!isEstablishedAccount(state) || state.flaggedBy === 'cluster') continue;
    for (const keyId of state.keys) {
      if (index.typeOf(keyId) !== SUBNET) continue;
      networks.add(keyId);
      break;
    }
    if (networks.size >= networksNeeded) return true;
  }
  return false;
}
