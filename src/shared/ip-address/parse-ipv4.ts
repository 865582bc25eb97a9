/**
 * IPv4 dotted quad → unsigned 32-bit integer, or -1 when the text is not an IPv4 address.
 * Hand-rolled because `analyze` parses every exchange's address: no allocation, no regex. It
 * accepts leading zeros (`010.0.0.1` is 10.0.0.1), which `node:net`'s `isIPv4` rejects.
 */
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
