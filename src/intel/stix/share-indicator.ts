import type { Indicator } from '../../detect/verdict.js';
import type { CommunityKey } from '../community-key.js';
import { normalizeIndicatorValue } from '../indicator-value.js';
import {
  KEYED_HASH_EXTENSION_ID,
  KEYED_HASH_TYPE,
  TLS_FINGERPRINT_EXTENSION_ID,
  TLS_FINGERPRINT_TYPE,
} from './distillguard-extensions.js';
import { deterministicStixId } from './stix-identifier.js';
import type { StixObject } from './stix-object.js';
import type { PatternComparison } from './stix-pattern.js';

/** How one campaign indicator leaves: the pattern to match it and, where one fits, an observable. */
export interface SharedIndicator {
  comparisons: PatternComparison[];
  observable: StixObject | undefined;
}

type Shared =
  | { form: 'clear'; observable: StixObject | undefined; comparisons: PatternComparison[] }
  | { form: 'keyed'; kind: string; hash: string; prefixLength?: number };

/** Indicators of these types describe the proxy infrastructure (`consists-of`). */
export const NETWORK_TYPES = new Set<Indicator['type']>([
  'ipv4',
  'ipv6',
  'subnet',
  'asn',
  'tls_fingerprint',
]);

/**
 * The privacy rule, in one place: network facts of the attacker's infrastructure (ASN, user
 * agent, TLS fingerprint) leave in clear, IPs and subnets only with `shareIps`, and everything
 * account-side or prompt-side (payment, email domain, header order, template, system prompt,
 * tool set) only as HMAC-SHA256 under the community key. Undefined for a malformed value.
 */
export function shareIndicator(
  indicator: Indicator,
  { communityKey, shareIps }: { communityKey: CommunityKey; shareIps: boolean },
): SharedIndicator | undefined {
  const shared = classify(indicator, { communityKey, shareIps });
  if (!shared) return undefined;
  return shared.form === 'clear' ? shared : keyedObservable(shared, communityKey.keyId);
}

export const INDICATOR_NAMES: Record<Indicator['type'], string> = {
  ipv4: 'Distillation proxy IPv4 address',
  ipv6: 'Distillation proxy IPv6 address',
  subnet: 'Distillation proxy network',
  asn: 'Autonomous system hosting distillation proxies',
  user_agent: 'Distillation client user agent',
  tls_fingerprint: 'Distillation client TLS fingerprint',
  header_order: 'Distillation client header order (keyed hash)',
  payment_fingerprint: 'Payment method shared by distillation accounts (keyed hash)',
  email_domain: 'Email domain of distillation accounts (keyed hash)',
  template: 'Distillation prompt template signature (keyed hash)',
  system_prompt: 'Distillation system prompt signature (keyed hash)',
  tool_set: 'Distillation tool set signature (keyed hash)',
};

function classify(
  indicator: Indicator,
  { communityKey, shareIps }: { communityKey: CommunityKey; shareIps: boolean },
): Shared | undefined {
  const value = normalizeIndicatorValue(indicator.type, indicator.value);
  if (value === undefined) return undefined;
  const keyed = (prefixLength?: number): Shared => ({
    form: 'keyed',
    kind: indicator.type,
    hash: communityKey.hash(indicator.type, value),
    ...(prefixLength === undefined ? {} : { prefixLength }),
  });
  switch (indicator.type) {
    case 'ipv4':
    case 'ipv6': {
      if (!shareIps) return keyed();
      const type = indicator.type === 'ipv4' ? 'ipv4-addr' : 'ipv6-addr';
      return {
        form: 'clear',
        observable: { type, spec_version: '2.1', id: scoId(type, { value }), value },
        comparisons: [{ objectPath: `${type}:value`, operator: '=', value }],
      };
    }
    case 'subnet': {
      const prefixLength = Number(value.split('/')[1]);
      if (!shareIps) return keyed(prefixLength);
      const type = value.includes(':') ? 'ipv6-addr' : 'ipv4-addr';
      return {
        form: 'clear',
        observable: { type, spec_version: '2.1', id: scoId(type, { value }), value },
        comparisons: [{ objectPath: `${type}:value`, operator: 'ISSUBSET', value }],
      };
    }
    case 'asn': {
      const number = Number(value);
      return {
        form: 'clear',
        observable: {
          type: 'autonomous-system',
          spec_version: '2.1',
          id: scoId('autonomous-system', { number }),
          number,
        },
        comparisons: [{ objectPath: 'autonomous-system:number', operator: '=', value: number }],
      };
    }
    case 'user_agent':
      return {
        form: 'clear',
        observable: undefined,
        comparisons: [
          {
            objectPath: "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
            operator: '=',
            value,
          },
        ],
      };
    case 'tls_fingerprint':
      return {
        form: 'clear',
        observable: {
          type: TLS_FINGERPRINT_TYPE,
          spec_version: '2.1',
          id: scoId(TLS_FINGERPRINT_TYPE, { value }),
          value,
          fingerprint_format: /^[0-9a-f]{32}$/.test(value)
            ? 'ja3'
            : /^[tqd]\d{2}[di]/.test(value)
              ? 'ja4'
              : 'unknown',
          extensions: { [TLS_FINGERPRINT_EXTENSION_ID]: { extension_type: 'new-sco' } },
        },
        comparisons: [{ objectPath: `${TLS_FINGERPRINT_TYPE}:value`, operator: '=', value }],
      };
    default:
      return keyed();
  }
}

function keyedObservable(
  shared: Extract<Shared, { form: 'keyed' }>,
  keyId: string,
): { observable: StixObject; comparisons: PatternComparison[] } {
  const path = (property: string) => `${KEYED_HASH_TYPE}:${property}`;
  const comparisons: PatternComparison[] = [
    { objectPath: path('kind'), operator: '=', value: shared.kind },
    { objectPath: path('key_id'), operator: '=', value: keyId },
    { objectPath: path('keyed_hash'), operator: '=', value: shared.hash },
  ];
  if (shared.prefixLength !== undefined) {
    comparisons.push({
      objectPath: path('prefix_length'),
      operator: '=',
      value: shared.prefixLength,
    });
  }
  return {
    comparisons,
    observable: {
      type: KEYED_HASH_TYPE,
      spec_version: '2.1',
      id: scoId(KEYED_HASH_TYPE, { kind: shared.kind, keyed_hash: shared.hash }),
      kind: shared.kind,
      keyed_hash: shared.hash,
      key_id: keyId,
      hash_algorithm: 'hmac-sha256',
      ...(shared.prefixLength === undefined ? {} : { prefix_length: shared.prefixLength }),
      extensions: { [KEYED_HASH_EXTENSION_ID]: { extension_type: 'new-sco' } },
    },
  };
}

/** STIX 2.1 §2.9: an observable's id is UUIDv5 over its id-contributing properties as JSON. */
function scoId(type: string, idContributing: Record<string, unknown>): string {
  return deterministicStixId(type, JSON.stringify(idContributing));
}
