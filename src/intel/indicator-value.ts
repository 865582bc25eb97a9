import type { IndicatorType } from '../detect/verdict.js';
import {
  canonicalIp,
  formatNetwork,
  type IpNetwork,
  parseIpNetwork,
} from '../shared/ip-address/index.js';

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
      const network = parseIpNetwork(trimmed) ?? parseEngineSubnet(trimmed);
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

/**
 * The detection engine keys subnets compactly: `<IPv4 address / 256>/24` (decimal) and
 * `<top 48 bits of the IPv6 address>/48` (hex). Shared indicators use CIDR text instead.
 */
function parseEngineSubnet(text: string): IpNetwork | undefined {
  const v4 = /^(\d{1,8})\/24$/.exec(text)?.[1];
  if (v4 !== undefined && Number(v4) < 2 ** 24) {
    return { version: 4, bits: BigInt(v4) << 8n, prefixLength: 24 };
  }
  const v6 = /^([0-9a-f]{1,12})\/48$/i.exec(text)?.[1];
  if (v6 !== undefined) return { version: 6, bits: BigInt(`0x${v6}`) << 80n, prefixLength: 48 };
  return undefined;
}
