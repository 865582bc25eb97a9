import type { AccountState } from './account-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { isEstablishedAccount } from './public-value.js';

/**
 * Moves of the new client to another residential network within minutes of its previous request
 * (`second-tenant.ts`): a proxy pool's exit changing under a session. A person who takes a new
 * laptop from home to a campus or a café moves between sessions, not within one. A home line's
 * stray request from another /24 (its IPv4 beside its IPv6, a lease renewed) moves twice, out and
 * back, so two strays within a few dozen requests make four moves by chance: five asks for a third.
 */
const HOPS = 5;
/** At least one hop per this many of the new client's requests. */
const HOP_EVERY = 12;
/** The owner's own exits rotate this much (a VPN, a carrier's pool): then exits tell nothing. */
const OWNER_POOL_SUBNETS = 3;

/**
 * A bought account (`thresholds.handover`, docs/detection.md#handover-bought-aged-accounts): an
 * account with a life before the log whose first client stops for good while another client,
 * from residential exits none of which the first one used and that change within its sessions,
 * sends elicitation cues. Needs an IP→ASN table with kinds (a carrier's pool hops too). Threat: a
 * marketplace account changes hands once; the buyer cannot use the seller's device or network and
 * harvests through a sticky residential pool, in whatever one language its market wants (so the
 * evasive-operator rule's language rotation is absent).
 * The stolen-key rule (`second-tenant.ts`) is the case where the owner goes on; this is the one
 * where the owner stops. Honest carriers it spares: a customer on a new laptop and a new ISP who
 * starts a project (a new home, a campus or office, a café: each for a whole session), a company's
 * SDK upgrade (same networks, or a cloud), a phone on a carrier's pool (not a residential exit).
 */
export function isHandedOver(state: AccountState, thresholds: DetectorThresholds): boolean {
  const tenant = state.tenant;
  if (!tenant || tenant.exchanges < thresholds.evasionMinExchanges) return false;
  if (tenant.ownerAfter > 0 || tenant.sharesOwnerNetwork || !isEstablishedAccount(state))
    return false;
  if (state.ownerSubnets.length >= OWNER_POOL_SUBNETS) return false;
  // Hops under its sessions, one every dozen requests or more: a pool, not a home's address that
  // moved once or twice.
  const hops = tenant.hops ?? 0;
  if (hops < HOPS || hops * HOP_EVERY < tenant.exchanges) return false;
  // The handover stands in for the evasive rule's language rotation: half its cue share suffices.
  return tenant.cues / tenant.exchanges >= thresholds.evasionCueShare / 2;
}
