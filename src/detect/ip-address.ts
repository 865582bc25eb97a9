/** IPv4 dotted quad → unsigned 32-bit integer, or -1 when the text is not an IPv4 address. */
export function parseIpv4(ip: string): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let index = 0; index < ip.length; index += 1) {
    const code = ip.charCodeAt(index);
    if (code === 46) {
      if (digits === 0 || part > 255) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots += 1;
    } else if (code >= 48 && code <= 57) {
      part = part * 10 + (code - 48);
      digits += 1;
      if (digits > 3) return -1;
    } else return -1;
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return value * 256 + part;
}

/** IPv6 text (with `::` compression, optional zone or embedded IPv4) → 128-bit bigint, or undefined. */
export function parseIpv6(ip: string): bigint | undefined {
  const text = ip.replace(/%.*$/, '').toLowerCase();
  if (!text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const toGroups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const groups: number[] = [];
    for (const piece of half.split(':')) {
      if (piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (v4 < 0) return undefined;
        groups.push(Math.floor(v4 / 65536), v4 % 65536);
      } else {
        if (!/^[0-9a-f]{1,4}$/.test(piece)) return undefined;
        groups.push(Number.parseInt(piece, 16));
      }
    }
    return groups;
  };
  const head = toGroups(halves[0]);
  const tail = toGroups(halves[1]);
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return undefined;
  let value = 0n;
  for (const group of [...head, ...new Array<number>(missing).fill(0), ...tail]) {
    value = (value << 16n) | BigInt(group);
  }
  return value;
}

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
