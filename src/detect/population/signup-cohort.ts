import { COHORT_BUCKET_MS } from './population-tracker.js';

/** Sign-ups in one cohort bucket before it can be a cohort at all. */
const MIN_COHORT = 5;
/** A cohort is this many times the population's sign-ups per bucket, or more. */
const COHORT_EXCESS = 4;

/**
 * The anomalous sign-up cohort an account belongs to, or -1: accounts created in the same
 * {@link COHORT_BUCKET_MS} window when that window holds at least {@link COHORT_EXCESS} times
 * the population's sign-up rate. An operator opens its pool in bursts over hours; the burst is
 * a cohort only against the background rate (a startup programme's week of sign-ups spreads
 * over many windows). On its own it is no evidence: it links only with other families.
 */
export function anomalousCohort(
  createdMs: number,
  signups: (cohort: number) => number,
  baseline: number,
): number {
  if (!Number.isFinite(createdMs)) return -1;
  const cohort = Math.floor(createdMs / COHORT_BUCKET_MS);
  const count = signups(cohort);
  return count >= MIN_COHORT && count >= COHORT_EXCESS * baseline ? cohort : -1;
}
