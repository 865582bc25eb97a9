import { DAY, HOUR } from './activity-clock.js';

/** Daily UTC windows a scheduler works in, as `[fromHour, toHour)` pairs. */
export type Windows = readonly (readonly [number, number])[];

/** Share of a day the windows cover (1 when there are none). */
export function windowShare(windows: Windows | undefined): number {
  if (!windows || windows.length === 0) return 1;
  let hours = 0;
  for (const [from, to] of windows) hours += Math.max(0, to - from);
  return Math.max(hours, 0.25) / 24;
}

/** `at` itself when it falls in a window, else the start of the next window. */
export function nextInWindow(at: number, windows: Windows | undefined): number {
  if (!windows || windows.length === 0) return at;
  const dayStart = Math.floor(at / DAY) * DAY;
  const hour = (at - dayStart) / HOUR;
  let earliest = Number.POSITIVE_INFINITY;
  for (const [from, to] of windows) {
    if (hour >= from && hour < to) return at;
    if (hour < from) earliest = Math.min(earliest, from);
  }
  if (Number.isFinite(earliest)) return dayStart + earliest * HOUR;
  const first = Math.min(...windows.map(([from]) => from));
  return dayStart + DAY + first * HOUR;
}

/**
 * Counts an operator's exchanges per account per UTC day so it can stay under a daily cap (the
 * low-and-slow discipline: no key ever looks busy).
 */
export function createDailyCounter() {
  const counts = new Map<string, { day: number; count: number }>();
  return {
    /** Exchanges the account sent on the UTC day of `at`. */
    used(accountId: string, at: number): number {
      const entry = counts.get(accountId);
      return entry && entry.day === Math.floor(at / DAY) ? entry.count : 0;
    },
    add(accountId: string, at: number): void {
      const day = Math.floor(at / DAY);
      const entry = counts.get(accountId);
      if (entry && entry.day === day) entry.count += 1;
      else counts.set(accountId, { day, count: 1 });
    },
  };
}
