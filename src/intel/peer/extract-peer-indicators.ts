import type { IndicatorType } from '../../detect/verdict.js';
import { canonicalIp, formatNetwork, parseIpNetwork } from '../../shared/ip-address/index.js';
import { normalizeIndicatorValue } from '../indicator-value.js';
import { KEYED_HASH_TYPE, TLS_FINGERPRINT_TYPE } from '../stix/distillguard-extensions.js';
import type { StixBundle, StixObject } from '../stix/stix-object.js';
import { type PatternComparison, parseStixPattern } from '../stix/stix-pattern.js';
import type { PeerIndicator, PeerIndicatorKey } from './peer-indicator.js';

export interface ExtractPeerIndicatorsOptions {
  /** Overrides the source name taken from the indicator's `created_by_ref` identity. */
  source?: string | undefined;
  /** Indicators whose `valid_until` is before this are skipped. Default: now. */
  now?: Date;
}

/** Indicators a bundle held that cannot be used, by reason (for the import summary). */
export interface SkippedIndicators {
  unsupportedPattern: number;
  revoked: number;
  expired: number;
}

const USER_AGENT_PATH = "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'";
const DEFAULT_CONFIDENCE = 50;

/**
 * Decodes a (validated) bundle's indicators into match keys. Patterns this engine cannot evaluate
 * (other observables, qualifiers, parentheses) are counted and skipped, not errors: a peer may
 * share more than distillguard consumes.
 */
export function extractPeerIndicators(
  bundle: StixBundle,
  { source, now = new Date() }: ExtractPeerIndicatorsOptions = {},
): { indicators: PeerIndicator[]; skipped: SkippedIndicators } {
  const identityNames = new Map<string, string>();
  for (const object of bundle.objects) {
    if (object.type === 'identity' && typeof object.name === 'string') {
      identityNames.set(object.id, object.name);
    }
  }
  const skipped: SkippedIndicators = { unsupportedPattern: 0, revoked: 0, expired: 0 };
  const indicators: PeerIndicator[] = [];
  for (const object of bundle.objects) {
    if (object.type !== 'indicator') continue;
    if (object.revoked === true) {
      skipped.revoked++;
      continue;
    }
    if (typeof object.valid_until === 'string' && Date.parse(object.valid_until) < now.getTime()) {
      skipped.expired++;
      continue;
    }
    const keys = object.pattern_type === 'stix' ? keysOf(String(object.pattern)) : undefined;
    if (!keys || keys.length === 0) {
      skipped.unsupportedPattern++;
      continue;
    }
    const confidence =
      (typeof object.confidence === 'number' ? object.confidence : DEFAULT_CONFIDENCE) / 100;
    const from = sourceOf(object, identityNames, source);
    for (const key of keys)
      indicators.push({ indicatorId: object.id, source: from, confidence, key });
  }
  return { indicators, skipped };
}

function sourceOf(
  indicator: StixObject,
  identityNames: Map<string, string>,
  override: string | undefined,
): string {
  if (override !== undefined) return override;
  const creator = indicator.created_by_ref;
  if (typeof creator !== 'string') return 'unknown peer';
  return identityNames.get(creator) ?? creator;
}

/** Every alternative of the pattern must decode, or the indicator is skipped as a whole. */
function keysOf(pattern: string): PeerIndicatorKey[] | undefined {
  const parsed = parseStixPattern(pattern);
  if (!parsed.success) return undefined;
  const keys: PeerIndicatorKey[] = [];
  for (const conjunction of parsed.value) {
    const key = keyOf(conjunction);
    if (!key) return undefined;
    keys.push(key);
  }
  return keys;
}

function keyOf(comparisons: PatternComparison[]): PeerIndicatorKey | undefined {
  if (comparisons.every((comparison) => comparison.objectPath.startsWith(`${KEYED_HASH_TYPE}:`))) {
    return keyedKeyOf(comparisons);
  }
  if (comparisons.length !== 1) return undefined;
  const [{ objectPath, operator, value } = { objectPath: '', operator: '', value: '' }] =
    comparisons;
  if (
    (objectPath === 'ipv4-addr:value' || objectPath === 'ipv6-addr:value') &&
    typeof value === 'string'
  ) {
    if (operator !== '=' && operator !== 'ISSUBSET') return undefined;
    const network = parseIpNetwork(value);
    if (!network) return undefined;
    const width = network.version === 4 ? 32 : 128;
    if (network.prefixLength === width) {
      const ip = canonicalIp(value.split('/')[0] ?? '');
      return ip === undefined ? undefined : { kind: 'ip', ip };
    }
    return {
      kind: 'network',
      network: formatNetwork(network),
      version: network.version,
      prefixLength: network.prefixLength,
    };
  }
  if (operator !== '=') return undefined;
  if (objectPath === 'autonomous-system:number' && typeof value === 'number') {
    return { kind: 'asn', number: value };
  }
  if (objectPath === USER_AGENT_PATH && typeof value === 'string') {
    return { kind: 'user_agent', value };
  }
  if (objectPath === `${TLS_FINGERPRINT_TYPE}:value` && typeof value === 'string') {
    const normalized = normalizeIndicatorValue('tls_fingerprint', value);
    return normalized === undefined ? undefined : { kind: 'tls_fingerprint', value: normalized };
  }
  return undefined;
}

const KEYED_KINDS = new Set<string>([
  'ipv4',
  'ipv6',
  'subnet',
  'user_agent',
  'header_order',
  'payment_fingerprint',
  'email_domain',
  'template',
  'system_prompt',
  'tool_set',
]);

function keyedKeyOf(comparisons: PatternComparison[]): PeerIndicatorKey | undefined {
  const fields = new Map<string, string | number | boolean>();
  for (const { objectPath, operator, value } of comparisons) {
    if (operator !== '=') return undefined;
    fields.set(objectPath.slice(KEYED_HASH_TYPE.length + 1), value);
  }
  const kind = fields.get('kind');
  const keyId = fields.get('key_id');
  const keyedHash = fields.get('keyed_hash');
  const prefixLength = fields.get('prefix_length');
  if (typeof kind !== 'string' || !KEYED_KINDS.has(kind)) return undefined;
  if (typeof keyId !== 'string' || typeof keyedHash !== 'string') return undefined;
  if (kind === 'subnet' && typeof prefixLength !== 'number') return undefined;
  return {
    kind: 'keyed',
    indicatorType: kind as IndicatorType,
    keyId,
    keyedHash: keyedHash.toLowerCase(),
    ...(typeof prefixLength === 'number' ? { prefixLength } : {}),
  };
}
