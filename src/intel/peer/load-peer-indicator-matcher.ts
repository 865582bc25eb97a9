import type { Exchange } from '../../log/exchange.js';
import {
  COMMUNITY_KEY_ENVIRONMENT_VARIABLE,
  type CommunityKey,
  loadCommunityKey,
} from '../community-key.js';
import { createStixValidator, type StixValidator } from '../stix/create-stix-validator.js';
import {
  createPeerIndicatorMatcher,
  type ExchangeSignatures,
  type LoadedPeerIndicatorMatcher,
} from './create-peer-indicator-matcher.js';
import { loadPeerBundles } from './import-peer-intel.js';

export interface LoadPeerIndicatorMatcherOptions {
  /** The directory `distillguard intel import --into` wrote (default `.distillguard/intel`). */
  directory?: string;
  /** Key file; else `DISTILLGUARD_COMMUNITY_KEY`; without either only clear indicators match. */
  communityKeyFile?: string | undefined;
  environment?: Record<string, string | undefined>;
  signaturesOf?: (exchange: Exchange) => ExchangeSignatures;
  validator?: StixValidator;
  now?: Date;
}

/**
 * One call for `analyze` and the gateway: reads the imported intelligence and returns the
 * engine's matcher, or undefined when nothing was imported (so callers pass it straight to
 * `createDetector({ peerIndicators })`).
 *
 * @example
 * const peerIndicators = await loadPeerIndicatorMatcher({ directory: options.peerIntel });
 * const detector = createDetector({ ...(peerIndicators ? { peerIndicators } : {}) });
 */
export async function loadPeerIndicatorMatcher({
  directory = '.distillguard/intel',
  communityKeyFile,
  environment = process.env,
  signaturesOf,
  validator = createStixValidator(),
  now = new Date(),
}: LoadPeerIndicatorMatcherOptions = {}): Promise<LoadedPeerIndicatorMatcher | undefined> {
  const bundles = await loadPeerBundles(directory, validator);
  if (bundles.length === 0) return undefined;
  let communityKey: CommunityKey | undefined;
  if (communityKeyFile !== undefined || environment[COMMUNITY_KEY_ENVIRONMENT_VARIABLE]) {
    communityKey = await loadCommunityKey({ keyFile: communityKeyFile, environment });
  }
  return createPeerIndicatorMatcher(bundles, {
    communityKey,
    now,
    ...(signaturesOf === undefined ? {} : { signaturesOf }),
  });
}
