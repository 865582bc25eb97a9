import type { AccountState } from '../account-state.js';
import { KEY_TYPE_INDEX } from '../linkage-key-type.js';
import { isEstablishedAccount } from '../public-value.js';

/** Distinct /24 (/48) exits, or prompt languages, that make an account's own operator trace. */
export const TRACE_SUBNETS = 3;
export const TRACE_LANGUAGES = 4;

/**
 * Whether the account shows an operator's trace of its own: exits rotating across
 * {@link TRACE_SUBNETS} or more networks (a residential proxy pool, rotating daily or per
 * session) or prompts in {@link TRACE_LANGUAGES} or more languages (a sweep across languages).
 * An operator that shares no infrastructure still has to put each account somewhere, and a pool
 * of residential exits is what it buys; honest populations that share public templates, a week
 * of sign-ups or an evening sit on their home, campus or office network and write in their
 * language (homework students, a classroom, a startup cohort, an agent platform's service
 * accounts). A privacy user behind a VPN rotates exits too: it is bound to nobody by the other
 * families (no cohort, no rare value, no synchrony) and does not harvest.
 */
export function hasOwnTrace(state: AccountState): boolean {
  const subnets = state.keysPerType[KEY_TYPE_INDEX.subnet] as number;
  return subnets >= TRACE_SUBNETS || state.languages.length / 2 >= TRACE_LANGUAGES;
}

/** Families a population member must carry itself (two for a pool's account). */
export const MEMBER_FAMILIES = 2;

/**
 * Families of population evidence the account must carry itself: {@link MEMBER_FAMILIES}, one
 * more when the account had a life before the log (created a month or more
 * before its first request). An operator that shares no infrastructure opens its pool for the
 * campaign (bursts, cohorts, a staggered fortnight), so its accounts are new; the honest users
 * the statistical families tie by chance — a chat user behind a VPN sharing a browser build and
 * a public maths problem with the pool, a student whose ISP the pool's exits sit in — are mostly
 * customers of months' standing. Aged accounts bought for a campaign are not exempt: they need
 * the third family (or are caught by operator values, evasion or their own evidence).
 */
export function ownFamiliesNeeded(state: AccountState): number {
  return isEstablishedAccount(state) ? MEMBER_FAMILIES + 1 : MEMBER_FAMILIES;
}
