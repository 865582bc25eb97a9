import type { Exchange } from '../log/exchange.js';
import { subnetOf } from '../shared/ip-address/index.js';
import type { AccountState } from './account-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { isEstablishedAccount } from './public-value.js';

/** Exits remembered per client side; enough to tell one network from a rotating pool. */
const MAX_SUBNETS = 8;
/**
 * Distinct exits of the other client none of which the owner used: a second party's, not a second
 * machine of the owner's (one new network) or the owner's trip (the owner's own client).
 */
const TENANT_SUBNETS = 2;
/** The owner's own exits rotate this much (a VPN, a carrier's pool): then exits tell nothing. */
const OWNER_POOL_SUBNETS = 3;

/**
 * Folds one exchange into the account's client split: the first exchange's client is the
 * owner's; any other client's exchanges, cues and exits are the tenant's. Called after
 * `updateAccount` and before the key memory moves `lastIp` on, so an exit is read once per change.
 */
export function observeTenant(
  state: AccountState,
  exchange: Exchange,
  cue: boolean,
  timeMs: number,
): void {
  if (state.ownerAgent === undefined && state.ownerTls === undefined) {
    state.ownerAgent = exchange.user_agent;
    state.ownerTls = exchange.tls_fingerprint;
  }
  const owner =
    exchange.user_agent === state.ownerAgent && exchange.tls_fingerprint === state.ownerTls;
  const moved = exchange.ip !== state.lastIp;
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
    sharesOwnerNetwork: false,
    firstMs: timeMs,
    ownerAfter: 0,
  };
  const tenant = state.tenant;
  tenant.exchanges += 1;
  if (cue) tenant.cues += 1;
  if (moved || tenant.exchanges === 1) {
    const subnet = subnetOf(exchange.ip);
    if (subnet !== undefined) {
      if (state.ownerSubnets.includes(subnet)) tenant.sharesOwnerNetwork = true;
      if (tenant.subnets.length < MAX_SUBNETS && !tenant.subnets.includes(subnet))
        tenant.subnets.push(subnet);
    }
  }
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
  if (tenant.sharesOwnerNetwork || tenant.subnets.length < TENANT_SUBNETS) return false;
  if (tenant.ownerAfter === 0 || !isEstablishedAccount(state)) return false;
  // The owner's exits rotate too (a VPN, a carrier's pool): two rotating sides are one person.
  if (state.ownerSubnets.length >= OWNER_POOL_SUBNETS) return false;
  return tenant.cues / tenant.exchanges >= thresholds.evasionCueShare / 2;
}
