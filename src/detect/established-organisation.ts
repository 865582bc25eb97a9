import type { AccountState } from './account-state.js';

/** Tenure from which a verified organisation's account counts as established. */
const ESTABLISHED_TENURE_MS = 180 * 86_400_000;

/**
 * Whether the account is a verified organisation's (`verification: org` with an `org_id`) of at
 * least 180 days' standing at `nowMs`. Cloud egress addresses are shared by a provider's tenants, so
 * an address or subnet shared with a campaign's datacenter proxies is no evidence against such an
 * account: it joins a campaign only through the operator's identity (a card, a sign-up batch). A
 * sybil operator can register fake organisations, but not years of standing for thousands of them.
 *
 * @example
 * isEstablishedOrganisation(state, Date.parse('2026-02-02')); // true for a lab's 2024 org account
 */
export function isEstablishedOrganisation(state: AccountState, nowMs: number): boolean {
  const record = state.record;
  return (
    record?.verification === 'org' &&
    Boolean(record.org_id) &&
    nowMs - state.createdMs >= ESTABLISHED_TENURE_MS
  );
}
