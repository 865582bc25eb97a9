// The second-resolution prefix of the last timestamp formatted: requests arrive thousands a
// second, so nearly every call only appends the milliseconds (`Date#toISOString` costs about a
// microsecond, a visible share of the gateway's own work per request).
let cachedSecond = Number.NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()` for the gateway's record timestamps, byte for byte, formatting
 * the date and time only when the second changes. Outside years 0–9999 (six-digit years) and for
 * invalid times it defers to `toISOString` itself.
 *
 * @example
 * isoTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 6)); // '2026-01-02T03:04:05.006Z'
 */
export function isoTimestamp(ms: number): string {
  // Date keeps whole milliseconds, truncated toward zero.
  const whole = Math.trunc(ms);
  const second = Math.floor(whole / 1000);
  if (second !== cachedSecond) {
    const text = new Date(second * 1000).toISOString();
    // A plain four-digit year: 'YYYY-MM-DDTHH:MM:SS.000Z' (24 characters).
    if (text.length !== 24) return new Date(ms).toISOString();
    cachedSecond = second;
    cachedPrefix = text.slice(0, 20);
  }
  const milliseconds = whole - second * 1000;
  return `${cachedPrefix}${milliseconds < 10 ? '00' : milliseconds < 100 ? '0' : ''}${milliseconds}Z`;
}
