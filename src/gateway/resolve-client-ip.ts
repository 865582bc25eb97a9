import { BlockList, isIP } from 'node:net';

/**
 * The client address as the provider sees it: the socket's peer, or, only when that peer is one
 * of the configured proxies, the right-most untrusted address in `x-forwarded-for` (a client can
 * prepend anything it likes to that header, so the left-most entry proves nothing).
 */
export function createClientIpResolver(
  trustedProxies: readonly string[],
): (remoteAddress: string, forwardedFor: string | null) => string {
  if (trustedProxies.length === 0) return (remoteAddress) => normalise(remoteAddress);
  const isTrusted = createProxyTrust(trustedProxies);
  return (remoteAddress, forwardedFor) => {
    const peer = normalise(remoteAddress);
    if (!forwardedFor || !isTrusted(peer)) return peer;
    const hops = forwardedFor.split(',').map((hop) => normalise(hop.trim()));
    for (let index = hops.length - 1; index >= 0; index -= 1) {
      const hop = hops[index] ?? '';
      if (isIP(hop) === 0) return peer;
      if (!isTrusted(hop)) return hop;
    }
    return hops[0] ?? peer;
  };
}

/** Whether an address is one of the configured proxies (addresses or CIDR ranges). */
export function createProxyTrust(trustedProxies: readonly string[]): (address: string) => boolean {
  if (trustedProxies.length === 0) return () => false;
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  return (raw) => {
    const address = normalise(raw);
    const family = isIP(address);
    return family !== 0 && trusted.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

const normalise = (address: string) =>
  address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
