import { parseIpv4 } from './parse-ipv4.js';
import { parseIpv6 } from './parse-ipv6.js';

/**
 * The subnet an address belongs to for linkage: `/24` for IPv4, `/48` for IPv6 (the usual
 * allocation to one customer site), as a compact string key.
 */
export function subnetOf(ip: string): string | undefined {
  const v4 = parseIpv4(ip);
  if (v4 >= 0) return `${Math.floor(v4 / 256)}/24`;
  const v6 = parseIpv6(ip);
  if (v6 === undefined) return undefined;
  return `${(v6 >> 80n).toString(16)}/48`;
}
