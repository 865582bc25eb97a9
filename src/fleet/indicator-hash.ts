import { createHmac } from 'node:crypto';
import type { Indicator, IndicatorType } from '../detect/index.js';

/** Evidence family of an indicator type (as the engine's linkage keys, src/detect/linkage-key-type.ts). */
export type IndicatorFamily = 'network' | 'identity' | 'affiliation' | 'software' | 'content';

const FAMILY: Record<IndicatorType, IndicatorFamily> = {
  ipv4: 'network',
  ipv6: 'network',
  subnet: 'network',
  asn: 'network',
  payment_fingerprint: 'identity',
  email_domain: 'affiliation',
  user_agent: 'software',
  tls_fingerprint: 'software',
  header_order: 'software',
  template: 'content',
  system_prompt: 'content',
  tool_set: 'content',
};

export const indicatorFamily = (type: IndicatorType): IndicatorFamily => FAMILY[type];

/** A campaign indicator as the fleet publishes it: its type and a keyed hash of its value. */
export interface HashedIndicator {
  type: IndicatorType;
  hash: string;
}

/** The fleet's default indicator key: set `fleet.indicator_key_env` to keep values unguessable. */
export const DEFAULT_INDICATOR_KEY = 'distillguard-fleet-indicators-v1';

/**
 * Hashes indicator values with HMAC-SHA256 under the fleet's key, so the decision bucket carries
 * no address, card fingerprint or client string in clear; a gateway hashes what it sees on a
 * request the same way and compares.
 */
export function createIndicatorHasher(key: string = DEFAULT_INDICATOR_KEY) {
  return (type: IndicatorType, value: string): string =>
    createHmac('sha256', key)
      .update(type)
      .update('\0')
      .update(value)
      .digest('base64url')
      .slice(0, 22);
}

/** A campaign's indicators, hashed (the values never leave the detector). */
export function hashIndicators(
  indicators: readonly Indicator[],
  hash: (type: IndicatorType, value: string) => string,
): HashedIndicator[] {
  return indicators.map((indicator) => ({
    type: indicator.type,
    hash: hash(indicator.type, indicator.value),
  }));
}
