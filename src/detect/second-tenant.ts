import type { Exchange } from '../log/exchange.js';
import { subnetOf } from '../shared/ip-address/index.js';
import type { AccountState } from './account-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { EXIT_KIND_INDEX } from './exit-kind.js';
import { isEstablishedAccount } from './public-value.js';

/** Exits remembered per client side; enough to tell one network from a rotating pool. */
const MAX_SUBNETS = 8;
/**
 * Distinct exits of the other client none of which the owner used: a second party's, not a second
 * machine of the owner's (one new network) or the owner's trip (the owner's own client).
 */
const TENANT_SUBNETS = 2;
/**
 * Exit kinds a second party's pool counts from: residential (a bought proxy pool, the thief's
 * cheapest disguise) and unknown (no IP→ASN table, or a row without a kind: the rule then reads
 * addresses alone). A hosted exit is the owner's own deployment as often as not (a cloud app behind
 * several egress addresses), and a carrier's pool is the owner's phone; business and education
 * exits are the owner's office or campus. Neither makes a second party by itself.
 */
const POOL_EXIT_KINDS: ReadonlySet<number> = new Set([
  EXIT_KIND_INDEX.residential,
  EXIT_KIND_INDEX.unknown,
]);
/**
 * A move to another network this soon after the previous request is not a person carrying a
 * laptop somewhere else (that takes longer) but a proxy pool's exit changing under a session.
 */
const HOP_MS = 10 * 60_000;
/** The owner's own exits rotate this much (a VPN, a carrier's pool): then exits tell nothing. */
const OWNER_POOL_SUBNETS = 3;

/**
 * Folds one exchange into the account's client split: the first exchange's client is the
 * owner's; any other client's exchanges, cues and exits are the tenant's. Called after the key
 * memory has read this exchange's exit (`state.lastExitKind`); `moved` says whether its address
 * differs from the previous exchange's, so an exit is read once per change.
 */
export function observeTenant(
  state: AccountState,
  exchange: Exchange,
  cue: boolean,
  timeMs: number,
  moved: boolean,
): void {
  if (state.ownerAgent === undefined && state.ownerTls === undefined) {
    state.ownerAgent = exchange.user_agent;
    state.ownerTls = exchange.tls_fingerprint;
  }
  const owner =
    exchange.user_agent === state.ownerAgent && exchange.tls_fingerprint === state.ownerTls;
  if (owner) {
    if (state.tenant) {
      state.tenant.ownerAfter += 1;
      if (moved) {
        const subnet = subnetOf(exchange.ip);
        if (subnet !== undefined && state.tenant.subnets.includes(subnet))
          state.tenant.sharesOwnerNetwork = true;
      }
    }
    if (moved && state.ownerSubnets.length < MAX_SUBNETS) {
      const subnet = subnetOf(exchange.ip);
      if (subnet !== undefined && !state.ownerSubnets.includes(subnet))
        state.ownerSubnets = [...state.ownerSubnets, subnet];
    }
    return;
  }
  state.tenant ??= {
    exchanges: 0,
    cues: 0,
    subnets: [],
    pooledSubnets: 0,
    sharesOwnerNetwork: false,
    firstMs: timeMs,
    ownerAfter: 0,
  };
  const tenant = state.tenant;
  tenant.exchanges += 1;
  if (cue) tenant.cues += 1;
  if (moved || tenant.exchanges === 1) {
    const subnet = subnetOf(exchange.ip);
    if (
      subnet !== undefined &&
      tenant.lastSubnet !== undefined &&
      subnet !== tenant.lastSubnet &&
      timeMs - (tenant.lastMs ?? Number.NEGATIVE_INFINITY) <= HOP_MS &&
      state.lastExitKind === EXIT_KIND_INDEX.residential
    )
      tenant.hops = (tenant.hops ?? 0) + 1;
    if (subnet !== undefined) tenant.lastSubnet = subnet;
    if (subnet !== undefined) {
      if (state.ownerSubnets.includes(subnet)) tenant.sharesOwnerNetwork = true;
      if (tenant.subnets.length < MAX_SUBNETS && !tenant.subnets.includes(subnet)) {
        tenant.subnets.push(subnet);
        if (POOL_EXIT_KINDS.has(state.lastExitKind)) tenant.pooledSubnets += 1;
      }
    }
  }
  tenant.lastMs = timeMs;
}

/**
 * A stolen key: an account with a life before the log whose owner goes on using it while another
 * client, from a pool of exits the owner never used, harvests through it. Threat: a leaked key
 * (a public repository, a CI log) is free capacity on an aged account with an honest history,
 * no sign-up cohort and the owner's card; the thief cannot use the owner's machine or network and
 * buys residential exits. Honest carriers it spares: a customer who upgrades an SDK or adds a
 * second machine (one new network, or an exit shared with the old client), a traveller (same
 * client), a batch job on a cloud VM (one address, public benchmark items without elicitation),
 * a phone on a carrier's pool (rotating exits, chat without cues).
 */
export function isStolenKey(state: AccountState, thresholds: DetectorThresholds): boolean {
  const tenant = state.tenant;
  if (!tenant || tenant.exchanges < thresholds.evasionMinExchanges * 2) return false;
  if (tenant.sharesOwnerNetwork || tenant.pooledSubnets < TENANT_SUBNETS) return false;
  if (tenant.ownerAfter === 0 || !isEstablishedAccount(state)) return false;
  // The owner's exits rotate too (a VPN, a carrier's pool): two rotating sides are one person.
  if (state.ownerSubnets.length >= OWNER_POOL_SUBNETS) return false;
  return tenant.cues / tenant.exchanges >= thresholds.evasionCueShare / 2;
}
