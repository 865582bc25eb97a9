import { isIPv4, isIPv6 } from 'node:net';
import { parseIpv4 } from './parse-ipv4.js';
import { parseIpv6 } from './parse-ipv6.js';

/** An IP address or network as a number, so prefixes can be cut with shifts. */
export interface IpNetwork {
  version: 4 | 6;
  bits: bigint;
  prefixLength: number;
}

const WIDTH = { 4: 32, 6: 128 } as const;

/**
 * Parses `203.0.113.7`, `2001:db8::1` or a CIDR `203.0.113.0/24` (host bits are cleared).
 * Strict (`node:net` decides what is an address): for indicators exchanged with peers, not the
 * per-exchange hot path (see `parseIpv4`).
 *
 * @example
 * parseIpNetwork('203.0.113.9/24'); // { version: 4, bits: 0xcb007100n, prefixLength: 24 }
 */
export function parseIpNetwork(text: string): IpNetwork | undefined {
  const [address = '', prefix, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIPv4(address) ? 4 : isIPv6(address) ? 6 : undefined;
  if (version === undefined) return undefined;
  const width = WIDTH[version];
  const prefixLength = prefix === undefined ? width : Number(prefix);
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > width) return undefined;
  const bits = version === 4 ? BigInt(parseIpv4(address)) : parseIpv6(address);
  if (bits === undefined) return undefined;
  return { version, bits: maskBits(bits, width, prefixLength), prefixLength };
}

/** The canonical text of an address (RFC 5952 for IPv6), or undefined if it is not an IP. */
export function canonicalIp(text: string): string | undefined {
  const network = parseIpNetwork(text);
  if (!network || network.prefixLength !== WIDTH[network.version]) return undefined;
  return formatBits(network.version, network.bits);
}

/** The canonical CIDR text of the network of `prefixLength` bits that holds the address. */
export function networkOf(network: IpNetwork, prefixLength: number): string | undefined {
  if (prefixLength > network.prefixLength) return undefined;
  const bits = maskBits(network.bits, WIDTH[network.version], prefixLength);
  return `${formatBits(network.version, bits)}/${prefixLength}`;
}

/** Canonical CIDR text (`203.0.113.0/24`) of a network, host bits cleared. */
export function formatNetwork(network: IpNetwork): string {
  return `${formatBits(network.version, network.bits)}/${network.prefixLength}`;
}

function maskBits(bits: bigint, width: number, prefixLength: number): bigint {
  const hostBits = BigInt(width - prefixLength);
  return (bits >> hostBits) << hostBits;
}

function formatBits(version: 4 | 6, bits: bigint): string {
  if (version === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => ((bits >> shift) & 0xffn).toString()).join('.');
  }
  const groups: string[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n)
    groups.push(((bits >> shift) & 0xffffn).toString(16));
  // The WHATWG URL parser serialises IPv6 in RFC 5952 form (lowercase, longest zero run as `::`).
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
