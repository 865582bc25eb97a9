import type { IndicatorType } from '../detect/verdict.js';
import { canonicalIp, formatNetwork, parseIpNetwork } from './ip-address.js';

/**
 * The one normal form of each indicator value, used both when hashing for export and when
 * hashing live traffic for matching; any difference here would silently break matching.
 * Returns undefined for a value that is not of its type (an `ipv4` that is not an address).
 */
export function normalizeIndicatorValue(type: IndicatorType, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  switch (type) {
    case 'ipv4':
    case 'ipv6':
      return canonicalIp(trimmed);
    case 'subnet': {
      const network = parseIpNetwork(trimmed);
      return network ? formatNetwork(network) : undefined;
    }
    case 'asn': {
      const digits = /^(?:AS)?(\d{1,10})$/i.exec(trimmed)?.[1];
      return digits === undefined ? undefined : String(Number(digits));
    }
    case 'email_domain':
      return trimmed.replace(/^@/, '').toLowerCase();
    case 'tls_fingerprint':
    case 'header_order':
      return trimmed.toLowerCase();
    default:
      return trimmed;
  }
}
