import type {
  PeerIndicatorMatch,
  PeerIndicatorMatcher,
} from '../../detect/peer-indicator-matcher.js';
import type { IndicatorType } from '../../detect/verdict.js';
import type { Exchange } from '../../log/exchange.js';
import { networkOf, parseIpNetwork } from '../../shared/ip-address/index.js';
import type { CommunityKey } from '../community-key.js';
import { normalizeIndicatorValue } from '../indicator-value.js';
import type { StixBundle } from '../stix/stix-object.js';
import { extractPeerIndicators, type SkippedIndicators } from './extract-peer-indicators.js';
import type { PeerIndicator, PeerIndicatorKey } from './peer-indicator.js';

/** A peer's bundle with the name it was imported under. */
export interface PeerBundle {
  bundle: StixBundle;
  source?: string | undefined;
}

/** Exchange-side values the engine computes itself (template skeleton, system-prompt signature…). */
export type ExchangeSignatures = Partial<Record<'template' | 'system_prompt' | 'tool_set', string>>;

export interface CreatePeerIndicatorMatcherOptions {
  /** Needed to match peers' keyed hashes; without it only clear indicators match. */
  communityKey?: CommunityKey | undefined;
  /**
   * The engine's own signatures of an exchange, in the same form as the `value` of its
   * `template` / `system_prompt` / `tool_set` campaign indicators. Without it those kinds of
   * peer indicators cannot match (they are still imported).
   */
  signaturesOf?: (exchange: Exchange) => ExchangeSignatures;
  now?: Date;
}

/** The matcher, with what it loaded (for `intel import` summaries). */
export interface LoadedPeerIndicatorMatcher extends PeerIndicatorMatcher {
  readonly indicatorCount: number;
  readonly skipped: SkippedIndicators & { otherCommunityKey: number };
}

/**
 * Builds the engine's `PeerIndicatorMatcher` from peers' bundles. All work happens here: each
 * call is a constant number of map look-ups (one per indicator kind and per distinct prefix
 * length) and at most a handful of HMACs, whatever the number of indicators. When several
 * indicators match, the most confident wins.
 *
 * @example
 * const matcher = createPeerIndicatorMatcher([{ bundle, source: 'provider-b' }], { communityKey });
 * const match = matcher.matchExchange(exchange); // { source, confidence, indicatorType, indicatorId } | undefined
 */
export function createPeerIndicatorMatcher(
  bundles: readonly (StixBundle | PeerBundle)[],
  { communityKey, signaturesOf, now = new Date() }: CreatePeerIndicatorMatcherOptions = {},
): LoadedPeerIndicatorMatcher {
  const exact = new Map<string, PeerIndicatorMatch>();
  const clearPrefixes: Record<4 | 6, Set<number>> = { 4: new Set(), 6: new Set() };
  const keyedPrefixes = new Set<number>();
  const keyedTypes = new Set<IndicatorType>();
  const skipped = { unsupportedPattern: 0, revoked: 0, expired: 0, otherCommunityKey: 0 };
  let indicatorCount = 0;

  const remember = (lookup: string, indicator: PeerIndicator, indicatorType: string) => {
    const existing = exact.get(lookup);
    if (existing && existing.confidence >= indicator.confidence) return;
    exact.set(lookup, {
      source: indicator.source,
      confidence: indicator.confidence,
      indicatorType,
      indicatorId: indicator.indicatorId,
    });
  };

  for (const entry of bundles) {
    const { bundle, source } = 'bundle' in entry ? entry : { bundle: entry, source: undefined };
    const extracted = extractPeerIndicators(bundle, { source, now });
    skipped.unsupportedPattern += extracted.skipped.unsupportedPattern;
    skipped.revoked += extracted.skipped.revoked;
    skipped.expired += extracted.skipped.expired;
    for (const indicator of extracted.indicators) {
      const { key } = indicator;
      if (key.kind === 'keyed' && key.keyId !== communityKey?.keyId) {
        skipped.otherCommunityKey++;
        continue;
      }
      indicatorCount++;
      remember(lookupKey(key), indicator, indicatorTypeOf(key));
      if (key.kind === 'network') clearPrefixes[key.version].add(key.prefixLength);
      if (key.kind === 'keyed') {
        keyedTypes.add(key.indicatorType);
        if (key.prefixLength !== undefined) keyedPrefixes.add(key.prefixLength);
      }
    }
  }

  // Real traffic repeats itself (an account keeps its IPs, a client its header order), so the
  // per-value work (parsing, HMAC) is memoised; the caches are bounded and simply reset.
  const hashCache = createBoundedCache<string | undefined>();
  const hashed = (type: IndicatorType, raw: string | undefined): string | undefined => {
    if (raw === undefined || !communityKey || !keyedTypes.has(type)) return undefined;
    const cacheKey = `${type}\u0000${raw}`;
    const cached = hashCache.get(cacheKey);
    if (cached !== undefined || hashCache.has(cacheKey)) return cached;
    const value = normalizeIndicatorValue(type, raw);
    const lookup =
      value === undefined ? undefined : `keyed:${type}:${communityKey.hash(type, value)}`;
    hashCache.set(cacheKey, lookup);
    return lookup;
  };

  const ipCache = createBoundedCache<readonly string[]>();
  const ipLookups = (ip: string | undefined, into: (string | undefined)[]) => {
    if (ip === undefined) return;
    let lookups = ipCache.get(ip);
    if (lookups === undefined) {
      lookups = computeIpLookups(ip);
      ipCache.set(ip, lookups);
    }
    into.push(...lookups);
  };

  const computeIpLookups = (ip: string): string[] => {
    const v4 = ipv4Number(ip);
    if (v4 !== undefined) return computeIpv4Lookups(v4);
    const address = parseIpNetwork(ip);
    if (!address || address.prefixLength !== (address.version === 4 ? 32 : 128)) return [];
    const canonical = networkOf(address, address.prefixLength)?.split('/')[0] ?? '';
    const lookups = [`ip:${canonical}`];
    for (const length of clearPrefixes[address.version])
      lookups.push(`net:${networkOf(address, length)}`);
    const hashedIp = hashed(address.version === 4 ? 'ipv4' : 'ipv6', canonical);
    if (hashedIp !== undefined) lookups.push(hashedIp);
    if (communityKey && keyedTypes.has('subnet')) {
      for (const length of keyedPrefixes) {
        const network = networkOf(address, length);
        const lookup = network === undefined ? undefined : hashed('subnet', network);
        if (lookup !== undefined) lookups.push(lookup);
      }
    }
    return lookups;
  };

  // The common case without BigInt: an IPv4 address as a 32-bit number.
  const computeIpv4Lookups = (address: number): string[] => {
    const canonical = dotted(address);
    const lookups = [`ip:${canonical}`];
    for (const length of clearPrefixes[4])
      lookups.push(`net:${dotted(mask(address, length))}/${length}`);
    const hashedIp = hashed('ipv4', canonical);
    if (hashedIp !== undefined) lookups.push(hashedIp);
    if (communityKey && keyedTypes.has('subnet')) {
      for (const length of keyedPrefixes) {
        if (length > 32) continue;
        const lookup = hashed('subnet', `${dotted(mask(address, length))}/${length}`);
        if (lookup !== undefined) lookups.push(lookup);
      }
    }
    return lookups;
  };

  const best = (lookups: (string | undefined)[]): PeerIndicatorMatch | undefined => {
    let found: PeerIndicatorMatch | undefined;
    for (const lookup of lookups) {
      if (lookup === undefined) continue;
      const match = exact.get(lookup);
      if (match && (!found || match.confidence > found.confidence)) found = match;
    }
    return found;
  };

  return {
    indicatorCount,
    skipped,
    matchExchange(exchange) {
      if (exact.size === 0) return undefined;
      const lookups: (string | undefined)[] = [];
      ipLookups(exchange.ip, lookups);
      if (exchange.user_agent !== undefined) {
        lookups.push(`ua:${exchange.user_agent.trim()}`, hashed('user_agent', exchange.user_agent));
      }
      const tls = exchange.tls_fingerprint;
      if (tls !== undefined) lookups.push(`tls:${normalizeIndicatorValue('tls_fingerprint', tls)}`);
      lookups.push(hashed('header_order', exchange.header_order));
      if (signaturesOf && communityKey) {
        const signatures = signaturesOf(exchange);
        lookups.push(
          hashed('template', signatures.template),
          hashed('system_prompt', signatures.system_prompt),
          hashed('tool_set', signatures.tool_set),
        );
      }
      return best(lookups);
    },
    matchAccount(account) {
      if (exact.size === 0) return undefined;
      const lookups: (string | undefined)[] = [];
      ipLookups(account.signup_ip, lookups);
      if (account.asn !== undefined) lookups.push(`asn:${account.asn}`);
      lookups.push(
        hashed('payment_fingerprint', account.payment_fingerprint),
        hashed('email_domain', account.email_domain),
      );
      return best(lookups);
    },
  };
}

function lookupKey(key: PeerIndicatorKey): string {
  switch (key.kind) {
    case 'ip':
      return `ip:${key.ip}`;
    case 'network':
      return `net:${key.network}`;
    case 'asn':
      return `asn:${key.number}`;
    case 'user_agent':
      return `ua:${key.value.trim()}`;
    case 'tls_fingerprint':
      return `tls:${key.value}`;
    case 'keyed':
      return `keyed:${key.indicatorType}:${key.keyedHash}`;
  }
}

function indicatorTypeOf(key: PeerIndicatorKey): string {
  switch (key.kind) {
    case 'ip':
      return key.ip.includes(':') ? 'ipv6' : 'ipv4';
    case 'network':
      return 'subnet';
    case 'keyed':
      return key.indicatorType;
    default:
      return key.kind;
  }
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4Number(text: string): number | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  let value = 0;
  for (let group = 1; group <= 4; group++) {
    const part = match[group] ?? '';
    // Leading zeros are ambiguous (octal in some parsers); leave them to the strict path.
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function mask(address: number, length: number): number {
  return length === 0 ? 0 : (address - (address % 2 ** (32 - length))) >>> 0;
}

function dotted(address: number): string {
  return `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
}

const CACHE_LIMIT = 65_536;

/** A map that forgets everything when full: O(1), no bookkeeping, fine for hot repeated values. */
function createBoundedCache<Value>(): Map<string, Value> {
  const cache = new Map<string, Value>();
  const set = cache.set.bind(cache);
  cache.set = (key, value) => {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    return set(key, value);
  };
  return cache;
}
