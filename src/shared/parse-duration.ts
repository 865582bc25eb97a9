import type { Result } from './distillguard-error.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Reads a duration such as `5s`, `250ms`, `2m` or `1h` (a bare number is seconds) into
 * milliseconds.
 *
 * @example
 * parseDuration('5s'); // { success: true, value: 5000 }
 */
export function parseDuration(text: string): Result<number, string> {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return { success: false, error: `not a duration (e.g. 5s, 250ms, 2m): ${text}` };
  const value = Number(match[1]) * (UNIT_MS[match[2] ?? 's'] as number);
  return { success: true, value: Math.round(value) };
}
