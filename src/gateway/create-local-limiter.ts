import { type BucketRule, refillBucket } from './enforcement-state/enforcement-state.js';

/** In-process token buckets keyed by a string (a client IP), bounded in memory. */
export interface LocalLimiter {
  /** Takes `cost` tokens from `key`'s bucket; false (nothing taken) when too few are left. */
  take(key: string, nowMs: number, cost?: number): boolean;
  /** Whether `key` has at least one token, without taking it. */
  has(key: string, nowMs: number): boolean;
  /** Seconds until `key` has a token again (at least 1). */
  retryAfterSeconds(key: string, nowMs: number): number;
}

/**
 * Buckets for traffic that must be limited before (or without) an account: per client IP, and
 * invalid-key attempts per client IP. Kept in process, never in the shared state: they protect
 * the gateway itself, and must hold while Redis is away. At most `maxKeys` buckets are held (the
 * oldest dropped first: a dropped bucket comes back full, which only errs towards serving).
 */
export function createLocalLimiter(rule: BucketRule, maxKeys = 100_000): LocalLimiter {
  const buckets = new Map<string, { tokens: number; updatedMs: number }>();
  const current = (key: string, nowMs: number) => {
    const bucket = buckets.get(key);
    if (!bucket) return rule.capacity;
    return refillBucket(bucket, rule, nowMs);
  };
  return {
    take(key, nowMs, cost = 1) {
      const tokens = current(key, nowMs);
      if (tokens < cost) return false;
      buckets.delete(key);
      buckets.set(key, { tokens: tokens - cost, updatedMs: nowMs });
      if (buckets.size > maxKeys) buckets.delete(buckets.keys().next().value as string);
      return true;
    },
    has: (key, nowMs) => current(key, nowMs) >= 1,
    retryAfterSeconds(key, nowMs) {
      const missing = 1 - current(key, nowMs);
      if (missing <= 0 || rule.refillPerSecond <= 0) return 1;
      return Math.max(1, Math.ceil(missing / rule.refillPerSecond));
    },
  };
}
