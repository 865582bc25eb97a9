import { parseIpv4 } from './parse-ipv4.js';

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
