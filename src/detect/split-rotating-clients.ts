import type { OperatorProfile } from './operator-profile.js';

/** A client value carried by this share of a part is the part's own client build. */
const DOMINANT_SHARE = 0.6;
/** Accounts without it that share any one value at this share run a second build of the same harness. */
const REST_SHARED_SHARE = 0.5;
/** Accounts without the dominant client split off only this many together. */
const MIN_REST = 5;
/** Client builds one operator keeps: a primary and a fallback. */
const KEPT_BUILDS = 2;

export interface SplitRotatingOptions {
  /**
   * Cut first on client builds (user agents, {@link OperatorProfile.clientBuilds}): the part's
   * one or two most carried builds against accounts that share none of them nor one among
   * themselves. Header order and TLS fingerprint are every version's of an SDK, so a rotating
   * operator that draws that SDK shares them with the one that keeps its build.
   */
  byBuild?: boolean;
}

/**
 * Splits from each operator part the accounts that do not run its client, where those run no
 * common client of their own. An operator runs one client build on all its accounts (or two,
 * a primary and a fallback), or rotates clients so that no build is common to most of them; two
 * operators with one task list and sign-up procedure (one public playbook) can still differ
 * there: most of the part on one build and the rest each on its own is one operator that keeps
 * its client and one that rotates. A part of a rotating operator alone has no dominant build and
 * is left whole; an operator with a fallback build keeps it (its carriers share it).
 *
 * @param parts positions into `profiles` ({@link partitionOperators}); returns them re-cut,
 *   ordered by first position.
 * @example
 * splitRotatingClients(profiles, partitionOperators(profiles, { tie: invariantAgreement }));
 */
export function splitRotatingClients(
  profiles: readonly OperatorProfile[],
  parts: readonly (readonly number[])[],
  { byBuild = false }: SplitRotatingOptions = {},
): number[][] {
  const result: number[][] = [];
  for (const part of parts) {
    const cut = (byBuild ? cutByBuilds(profiles, part) : null) ?? cutRotating(profiles, part);
    if (cut) result.push(cut.keeping, cut.rotating);
    else result.push([...part]);
  }
  return result.sort((x, y) => (x[0] as number) - (y[0] as number));
}

function cutRotating(
  profiles: readonly OperatorProfile[],
  part: readonly number[],
): { keeping: number[]; rotating: number[] } | null {
  if (part.length < 2 * MIN_REST) return null;
  const [value, carriers] = mostCarried(profiles, part);
  if (value === null || carriers < DOMINANT_SHARE * part.length) return null;
  const rotating = part.filter(
    (at) => !(profiles[at] as OperatorProfile).softwareKeys.includes(value),
  );
  if (rotating.length < MIN_REST) return null;
  const [, shared] = mostCarried(profiles, rotating);
  if (shared >= REST_SHARED_SHARE * rotating.length) return null;
  const keeping = part.filter((at) =>
    (profiles[at] as OperatorProfile).softwareKeys.includes(value),
  );
  return { keeping, rotating };
}

/**
 * The accounts on the part's {@link KEPT_BUILDS} most carried client builds (together at least
 * {@link DOMINANT_SHARE} of it) against at least {@link MIN_REST} others that share no build at
 * {@link REST_SHARED_SHARE} among themselves: a third build of the same operator is shared.
 */
function cutByBuilds(
  profiles: readonly OperatorProfile[],
  part: readonly number[],
): { keeping: number[]; rotating: number[] } | null {
  if (part.length < 2 * MIN_REST) return null;
  const counts = new Map<number, number>();
  for (const at of part)
    for (const key of (profiles[at] as OperatorProfile).clientBuilds)
      counts.set(key, (counts.get(key) ?? 0) + 1);
  const kept = new Set(
    [...counts]
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, KEPT_BUILDS)
      .map(([key]) => key),
  );
  const keeps = (at: number): boolean =>
    (profiles[at] as OperatorProfile).clientBuilds.some((key) => kept.has(key));
  const keeping = part.filter(keeps);
  const rotating = part.filter((at) => !keeps(at));
  if (keeping.length < DOMINANT_SHARE * part.length || rotating.length < MIN_REST) return null;
  const rest = new Map<number, number>();
  for (const at of rotating)
    for (const key of (profiles[at] as OperatorProfile).clientBuilds)
      rest.set(key, (rest.get(key) ?? 0) + 1);
  for (const count of rest.values()) if (count >= REST_SHARED_SHARE * rotating.length) return null;
  return { keeping, rotating };
}

/** The client value most accounts of `part` carry (lowest id on ties) and how many carry it. */
function mostCarried(
  profiles: readonly OperatorProfile[],
  part: readonly number[],
): [number | null, number] {
  const counts = new Map<number, number>();
  for (const at of part)
    for (const key of (profiles[at] as OperatorProfile).softwareKeys)
      counts.set(key, (counts.get(key) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [key, count] of counts)
    if (count > bestCount || (count === bestCount && best !== null && key < best)) {
      best = key;
      bestCount = count;
    }
  return [best, bestCount];
}
