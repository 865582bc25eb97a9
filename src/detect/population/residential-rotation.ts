import type { AccountState } from '../account-state.js';
import { EXIT_KIND_INDEX } from '../exit-kind.js';
import { TRACE_SUBNETS } from './own-trace.js';

/** Share of the account's requests that must leave through residential exits ("most"). */
export const RESIDENTIAL_SHARE = 0.5;

const RESIDENTIAL = EXIT_KIND_INDEX.residential;

/**
 * Whether the account rotates across residential networks: most of its requests leave through
 * exits the IP→ASN table labels residential ({@link RESIDENTIAL_SHARE}), and it has been seen
 * from {@link TRACE_SUBNETS} or more distinct residential /24s (/48s).
 *
 * Threat: an operator that places each account on a rotating residential proxy pool buys those
 * exits precisely to look like home users, and a home user sits on one line: a household's ISP
 * address rarely leaves its /24 within days. The honest users whose exit rotates are on a
 * consumer VPN (a provider's hosting ranges) or on a phone (the carrier's CGNAT pool, a mobile
 * ASN); a student between home, campus and phone shows one residential /24 beside them.
 * Operators that buy mobile proxies instead are not caught by this condition (mobile exits are
 * everyone's on the move); without an IP→ASN table with kinds every exit is unknown and the
 * condition never holds.
 */
export function rotatesResidentialExits(state: AccountState): boolean {
  const requests = state.exitRequests[RESIDENTIAL] as number;
  return (
    state.exchanges > 0 &&
    requests > RESIDENTIAL_SHARE * state.exchanges &&
    (state.exitSubnets[RESIDENTIAL] as number) >= TRACE_SUBNETS
  );
}
