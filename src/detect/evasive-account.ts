import { type AccountState, forEachCount, topCount } from './account-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';
import { isEstablishedAccount } from './public-value.js';

/** Networks an evasive account's exits must span (with {@link DetectorThresholds.evasionAwayFromHome}: besides its home). */
const EVASION_MIN_NETWORKS = 4;

/**
 * A lone operator's account: sustained elicitation cues from exits that rotate across networks,
 * in many languages or as a single-turn harvest of long answers. Honest heavy users keep a home
 * network (most of their traffic from one /24, {@link DetectorThresholds.evasionHomeShare}: an
 * account of a month's standing with one is never evasive), one language and conversations.
 */
export function evasive(state: AccountState, thresholds: DetectorThresholds): boolean {
  const n = state.exchanges;
  if (n < thresholds.evasionMinExchanges) return false;
  const subnets = state.keysPerType[KEY_TYPE_INDEX.subnet] as number;
  // Exits rotating across networks: a new /24 every dozen requests or faster. When asked, an
  // account of a month's standing counts them away from its busiest /24: that network is its
  // home, no move, and a home user whose phone or dynamic address shows three other /24s in forty
  // requests is not rotating. A new account's busiest /24 is only the first exit of its pool
  // (docs/detection.md, evasive operators away from home).
  const awayFromHome =
    thresholds.evasionAwayFromHome &&
    state.subnetExchanges.length > 0 &&
    isEstablishedAccount(state);
  const rotated = awayFromHome ? subnets - 1 : subnets;
  if (rotated < EVASION_MIN_NETWORKS || rotated < n / 12) return false;
  // A customer of long standing that keeps returning to one home network: its dynamic address
  // moved now and then, it is not rotating exits. A pool opened for the campaign gets no such pass
  // (an operator imitating a home from a sticky residential exit still rotates new accounts).
  if (
    isEstablishedAccount(state) &&
    topCount(state.subnetExchanges) >= thresholds.evasionHomeShare * n
  )
    return false;
  const cueShare = state.cueExchanges / n;
  // Languages used at least twice: one-off misdetections of short prompts do not count. Rotating
  // through many languages is itself the operator's tell, so a lower cue share suffices.
  const languages = repeatedLanguages(state);
  if (languages >= thresholds.evasionLanguages && cueShare >= thresholds.evasionCueShare / 2)
    return true;
  // Or a single-turn harvest of long answers (an honest chat user holds conversations).
  if (cueShare < thresholds.evasionCueShare || state.score < thresholds.candidateScore)
    return false;
  return state.singleTurn / n >= 0.9 && state.outputTokens / n >= 1000;
}

/** Languages used at least twice. */
export function repeatedLanguages(state: AccountState): number {
  let languages = 0;
  forEachCount(state.languages, (_language, count) => {
    if (count >= 2) languages += 1;
  });
  return languages;
}
