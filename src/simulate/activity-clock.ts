import type { Random } from './random.js';
import type { Language } from './scenario.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const MINUTE = 60_000;

/** Where accounts claim to be: UTC offset (hours), language, customer weight. */
export const COUNTRIES: Readonly<
  Record<string, { offset: number; language: Language; weight: number }>
> = {
  US: { offset: -6, language: 'en', weight: 30 },
  IN: { offset: 5.5, language: 'en', weight: 8 },
  GB: { offset: 0, language: 'en', weight: 6 },
  DE: { offset: 1, language: 'de', weight: 6 },
  FR: { offset: 1, language: 'fr', weight: 4 },
  BR: { offset: -3, language: 'pt', weight: 5 },
  JP: { offset: 9, language: 'ja', weight: 5 },
  KR: { offset: 9, language: 'ko', weight: 4 },
  CN: { offset: 8, language: 'zh', weight: 2 },
  ES: { offset: 1, language: 'es', weight: 3 },
  MX: { offset: -6, language: 'es', weight: 3 },
  RU: { offset: 3, language: 'ru', weight: 1 },
  SA: { offset: 3, language: 'ar', weight: 1 },
  SG: { offset: 8, language: 'en', weight: 2 },
  CH: { offset: 1, language: 'de', weight: 1 },
};

const COUNTRY_CODES = Object.keys(COUNTRIES);
const COUNTRY_WEIGHTS = COUNTRY_CODES.map((code) => COUNTRIES[code]?.weight ?? 1);

export function pickCountry(random: Random): string {
  return COUNTRY_CODES[random.weighted(COUNTRY_WEIGHTS)] as string;
}

export function offsetOf(country: string): number {
  return COUNTRIES[country]?.offset ?? 0;
}

/** Relative activity of people by local hour (0–23): low at night, peaks late morning/afternoon. */
export const HUMAN_CURVE: readonly number[] = [
  0.25, 0.15, 0.1, 0.08, 0.08, 0.12, 0.25, 0.5, 0.8, 1, 1, 0.95, 0.9, 0.95, 1, 1, 0.95, 0.85, 0.75,
  0.7, 0.7, 0.65, 0.55, 0.4,
];
/** Office hours only (CI bots triggered by commits, corporate users). */
export const OFFICE_CURVE: readonly number[] = [
  0.03, 0.02, 0.02, 0.02, 0.02, 0.03, 0.08, 0.3, 0.8, 1, 1, 0.9, 0.7, 0.9, 1, 1, 0.9, 0.7, 0.4, 0.2,
  0.12, 0.08, 0.05, 0.04,
];
export const FLAT_CURVE: readonly number[] = new Array(24).fill(1);

/** The shape of an account's activity over the week, in its own time zone. */
export interface ActivityShape {
  curve: readonly number[];
  offsetHours: number;
  /** Activity multiplier on Saturday and Sunday (local). */
  weekend: number;
  /** Cached mean activity over a week (computed on first use). */
  mean?: number;
}

export function localHour(at: number, offsetHours: number): number {
  const hours = at / HOUR + offsetHours;
  return ((Math.floor(hours) % 24) + 24) % 24;
}

export function isWeekend(at: number, offsetHours: number): boolean {
  // 1970-01-01 was a Thursday (day 4 with Sunday = 0).
  const day = (((Math.floor((at + offsetHours * HOUR) / DAY) + 4) % 7) + 7) % 7;
  return day === 0 || day === 6;
}

export function activityAt(shape: ActivityShape, at: number): number {
  const level = shape.curve[localHour(at, shape.offsetHours)] ?? 1;
  return isWeekend(at, shape.offsetHours) ? level * shape.weekend : level;
}

function meanLevel(shape: ActivityShape): number {
  if (shape.mean !== undefined) return shape.mean;
  let sum = 0;
  for (const level of shape.curve) sum += level;
  const mean = (sum / shape.curve.length) * ((5 + 2 * shape.weekend) / 7);
  shape.mean = mean;
  return mean;
}

/**
 * The next event time of an inhomogeneous Poisson process whose mean rate is `perDay` events a
 * day, shaped by `shape` (thinning: candidates at the peak rate, kept in proportion to activity).
 */
export function nextActiveTime(
  random: Random,
  from: number,
  perDay: number,
  shape: ActivityShape,
): number {
  const peakPerMs = perDay / meanLevel(shape) / DAY;
  let at = from;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    at += random.exponential(1 / peakPerMs);
    if (random.next() < activityAt(shape, at)) return at;
  }
  return at;
}
