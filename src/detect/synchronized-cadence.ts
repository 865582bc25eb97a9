/** A group of linked accounts taking turns: one operator's dispatcher rotating through its keys. */
export interface SynchronizedCadence {
  code: 'synchronized_cadence';
  /** Accounts of the group whose own timeline follows the shared rotation. */
  accounts: number[];
  /** Share of hand-offs that pass from an account to its usual successor (1: a fixed rotation). */
  handoff: number;
  /** 1 − resultant length of the accounts' phases in the cycle (1: evenly spread turns). */
  phaseSpread: number;
  /** The rotation's period: how long until an account's turn comes again. */
  periodMs: number;
}

export interface SynchronizedCadenceOptions {
  /** Least accounts in rotation (two accounts alternating are too easily a coincidence). */
  minAccounts?: number;
  /** Least activity bursts per account inside the common window. */
  minBursts?: number;
  /** Least share of hand-offs to the usual successor. */
  minHandoff?: number;
  /** Least phase spread: cron jobs firing together have their turns bunched at one phase. */
  minPhaseSpread?: number;
  /**
   * Least share of the group's active accounts that follow the rotation: an operator's pool
   * rotates as a whole, while a few periodic jobs in a crowd line up by chance.
   */
  minGroupShare?: number;
  /**
   * Whether the timelines are the whole group (not a sample of it). Then the merged turns must
   * also be evenly spaced: a dispatcher hands the turn on at a steady pace, while independent
   * hourly jobs that happen to run at different minutes leave uneven spacings.
   */
  complete?: boolean;
  /** A gap is a whole number of periods when within this share of a period of one. */
  latticeTolerance?: number;
}

/** Least share of an account's gaps that are whole periods (a rate-limited key skips turns). */
const MIN_ON_LATTICE = 0.75;
/** Least share of its gaps that are exactly one period (near-equal shares of the rotation). */
const MIN_SINGLE_TURNS = 0.5;

/**
 * Whether linked accounts' activity bursts interleave as a round-robin hand-off: each account
 * active once per cycle at its own phase (turns spread over the cycle, not bunched like cron jobs
 * firing on the hour), the accounts passing the turn in a fixed order, with near-equal periods.
 * `timelines` holds, per account (by index), the start times of its recent bursts in ascending
 * order (see `createActivityTracker`). Linear in the events given, plus one sort of the merged
 * sequence. Only the caller's group is examined: it must already be linked by cheaper evidence,
 * never all pairs of accounts.
 *
 * @example
 * synchronizedCadence(new Map([[1, [0, 30, 60, 90]], [2, [10, 40, 70, 100]], [3, [20, 50, 80, 110]]]))
 * // → { code: 'synchronized_cadence', accounts: [1, 2, 3], handoff: 1, phaseSpread: 1, periodMs: 30 }
 */
export function synchronizedCadence(
  timelines: ReadonlyMap<number, readonly number[]>,
  {
    minAccounts = 3,
    minBursts = 4,
    minHandoff = 0.6,
    minPhaseSpread = 0.5,
    minGroupShare = 0.5,
    complete = true,
    latticeTolerance = 0.2,
  }: SynchronizedCadenceOptions = {},
): SynchronizedCadence | undefined {
  // The common window starts where every account's (ring-limited) history is present.
  let start = Number.NEGATIVE_INFINITY;
  let candidates: [number, readonly number[]][] = [];
  for (const [account, times] of timelines) {
    if (times.length < minBursts) continue;
    candidates.push([account, times]);
  }
  const medianFirst = median(candidates.map(([, times]) => times[0] as number));
  // Accounts that stopped before the others began (suspended, rotated out) leave the window.
  candidates = candidates.filter(([, times]) => (times[times.length - 1] as number) >= medianFirst);
  for (const [, times] of candidates) start = Math.max(start, times[0] as number);
  const members: { account: number; times: number[]; gap: number }[] = [];
  for (const [account, times] of candidates) {
    const inside = times.filter((time) => time >= start);
    if (inside.length < minBursts) continue;
    members.push({ account, times: inside, gap: quantile(gapsOf(inside), 0.25) });
  }
  if (members.length < minAccounts) return undefined;
  // The turn comes back every period; a throttled key skips some turns, so the period is a
  // short gap (lower quartile), not the mean.
  const periodMs = median(members.map((member) => member.gap));
  if (!(periodMs > 0)) return undefined;
  const regular = members.filter((member) =>
    followsRotation(member.times, periodMs, latticeTolerance),
  );
  if (regular.length < Math.max(minAccounts, minGroupShare * members.length)) return undefined;
  const phaseSpread = 1 - resultantLength(regular, periodMs);
  if (phaseSpread < minPhaseSpread) return undefined;
  const merged = regular.flatMap((member) => member.times).sort((a, b) => a - b);
  if (complete && !evenlySpaced(merged, latticeTolerance)) return undefined;
  const handoff = handoffConsistency(regular);
  if (handoff < minHandoff) return undefined;
  return {
    code: 'synchronized_cadence',
    accounts: regular.map((member) => member.account).sort((a, b) => a - b),
    handoff: round(handoff),
    phaseSpread: round(phaseSpread),
    periodMs: Math.round(periodMs),
  };
}

/**
 * Whether an account's bursts recur on a rotation of `periodMs`: most gaps are whole periods
 * (skipped turns allowed) and at least half exactly one.
 */
export function followsRotation(
  times: readonly number[],
  periodMs: number,
  latticeTolerance = 0.2,
): boolean {
  const gaps = gapsOf(times);
  if (gaps.length < 3) return false;
  let onLattice = 0;
  let single = 0;
  for (const gap of gaps) {
    const turns = Math.round(gap / periodMs);
    if (turns < 1 || Math.abs(gap - turns * periodMs) > latticeTolerance * periodMs) continue;
    onLattice += 1;
    if (turns === 1) single += 1;
  }
  return onLattice >= MIN_ON_LATTICE * gaps.length && single >= MIN_SINGLE_TURNS * gaps.length;
}

/**
 * Whether most gaps of the merged sequence are whole multiples of its typical gap (a turn skipped
 * by a throttled key doubles one), as a dispatcher's steady pace leaves them.
 */
function evenlySpaced(merged: readonly number[], latticeTolerance: number): boolean {
  const gaps = gapsOf(merged);
  const step = median(gaps);
  if (!(step > 0)) return false;
  let onLattice = 0;
  for (const gap of gaps) {
    const turns = Math.round(gap / step);
    if (turns >= 1 && Math.abs(gap - turns * step) <= latticeTolerance * step) onLattice += 1;
  }
  return onLattice >= MIN_ON_LATTICE * gaps.length;
}

function gapsOf(times: readonly number[]): number[] {
  const gaps: number[] = [];
  for (let position = 1; position < times.length; position++)
    gaps.push((times[position] as number) - (times[position - 1] as number));
  return gaps;
}

/** Share of consecutive bursts (in the merged sequence) that go from an account to its usual successor. */
function handoffConsistency(members: readonly { account: number; times: number[] }[]): number {
  const events: [number, number][] = [];
  for (const { account, times } of members) for (const time of times) events.push([time, account]);
  events.sort((a, b) => a[0] - b[0]);
  const successors = new Map<number, Map<number, number>>();
  for (let position = 1; position < events.length; position++) {
    const from = (events[position - 1] as [number, number])[1];
    const to = (events[position] as [number, number])[1];
    const counts = successors.get(from) ?? new Map<number, number>();
    counts.set(to, (counts.get(to) ?? 0) + 1);
    successors.set(from, counts);
  }
  let usual = 0;
  let total = 0;
  for (const [from, counts] of successors) {
    let best = 0;
    for (const [to, count] of counts) {
      total += count;
      // The same account's next burst means nobody took the turn: never a hand-off.
      if (to !== from && count > best) best = count;
    }
    usual += best;
  }
  return total === 0 ? 0 : usual / total;
}

/** Mean resultant length of the accounts' mean phases in a cycle of `periodMs` (0 spread, 1 bunched). */
function resultantLength(members: readonly { times: number[] }[], periodMs: number): number {
  let x = 0;
  let y = 0;
  for (const { times } of members) {
    let ax = 0;
    let ay = 0;
    for (const time of times) {
      const angle = (2 * Math.PI * (time % periodMs)) / periodMs;
      ax += Math.cos(angle);
      ay += Math.sin(angle);
    }
    const length = Math.hypot(ax, ay);
    if (length === 0) continue;
    x += ax / length;
    y += ay / length;
  }
  return Math.hypot(x, y) / members.length;
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

function quantile(values: readonly number[], at: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * at;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return (
    (sorted[low] as number) +
    ((sorted[high] as number) - (sorted[low] as number)) * (position - low)
  );
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
