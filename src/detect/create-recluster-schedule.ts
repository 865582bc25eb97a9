import type { DetectorThresholds } from './detector-thresholds.js';
import type { StatefulPart } from './part-state.js';

/** When to cluster, decided on event time and work done, never on wall time. */
export interface ReclusterSchedule extends StatefulPart {
  /** Called before each exchange is observed, in event-time order; runs a clustering when due. */
  advance(timeMs: number): void;
  /** End of input: a whole clustering at the latest event time (none before any exchange). */
  flush(): void;
  /** The latest event time seen (`-Infinity` before the first exchange). */
  readonly latestMs: number;
}

export interface ReclusterScheduleOptions {
  thresholds: Pick<DetectorThresholds, 'reclusterGrowth' | 'reclusterMaxDelayMs'>;
  /** Event-time cadence of ticks. */
  clusterEveryMs: number;
  /** Accounts in the linkage graph now, and entries and exits since the last whole clustering. */
  graph: { readonly candidates: number; readonly changes: number; settle(): void };
  /** The clusterings; each returns the memberships of the graph it clustered. */
  cluster: {
    whole(tickMs: number): number;
    unattached(tickMs: number): number;
    /** The population grouping alone (paced by itself; no graph to wait for). */
    population(tickMs: number): void;
  };
}

/** Exchanges observed per graph membership before the next clustering may run. */
const RECLUSTER_WORK_RATIO = 1;
/** Below this many candidates at the last clustering, every tick with a change reclusters. */
const SMALL_GRAPH = 50;

/**
 * Creates the clustering schedule. On each tick of `clusterEveryMs` with the graph changed, a
 * whole clustering is due once the graph grew by `reclusterGrowth` or `reclusterMaxDelayMs`
 * passed (always while it is small); it then waits for its work quota: clustering a graph of m
 * memberships costs about as much as observing m exchanges, so it waits for that many. Meanwhile
 * the candidates no campaign holds yet, a far smaller graph, are clustered on their own quota,
 * and on every other tick the population grouping runs alone (it paces itself).
 *
 * @example
 * const schedule = createReclusterSchedule({ thresholds, clusterEveryMs: 600_000, graph: membership, cluster: reclustering });
 * schedule.advance(Date.parse(exchange.ts));
 */
export function createReclusterSchedule({
  thresholds,
  clusterEveryMs,
  graph,
  cluster,
}: ReclusterScheduleOptions): ReclusterSchedule {
  let nextTickMs = Number.NaN;
  let lastClusterMs = Number.NEGATIVE_INFINITY;
  let candidatesAtLastCluster = 0;
  let latestMs = Number.NEGATIVE_INFINITY;
  let exchangesSinceCluster = 0;
  let lastGraphSize = 0;
  let exchangesSinceUnattached = 0;
  let lastUnattachedSize = 0;

  /** Whether a clustering (which includes the population grouping) ran on this tick. */
  const tick = (tickMs: number): boolean => {
    if (graph.changes === 0) return false;
    const grown = Math.abs(graph.candidates - candidatesAtLastCluster);
    const dueByGrowth = grown >= Math.max(1, thresholds.reclusterGrowth * candidatesAtLastCluster);
    const dueByDelay = tickMs - lastClusterMs >= thresholds.reclusterMaxDelayMs;
    if (!dueByGrowth && !dueByDelay && candidatesAtLastCluster >= SMALL_GRAPH) return false;
    if (exchangesSinceCluster < RECLUSTER_WORK_RATIO * lastGraphSize) {
      if (exchangesSinceUnattached < RECLUSTER_WORK_RATIO * lastUnattachedSize) return false;
      lastUnattachedSize = cluster.unattached(tickMs);
      exchangesSinceUnattached = 0;
      return true;
    }
    lastGraphSize = cluster.whole(tickMs);
    exchangesSinceCluster = 0;
    exchangesSinceUnattached = 0;
    lastClusterMs = tickMs;
    candidatesAtLastCluster = graph.candidates;
    graph.settle();
    return true;
  };

  const exportState = () => ({
    nextTickMs,
    lastClusterMs,
    candidatesAtLastCluster,
    latestMs,
    exchangesSinceCluster,
    lastGraphSize,
    exchangesSinceUnattached,
    lastUnattachedSize,
  });
  return {
    exportState,
    importState(state) {
      ({
        nextTickMs,
        lastClusterMs,
        candidatesAtLastCluster,
        latestMs,
        exchangesSinceCluster,
        lastGraphSize,
        exchangesSinceUnattached,
        lastUnattachedSize,
      } = state as ReturnType<typeof exportState>);
    },
    advance(timeMs) {
      if (Number.isNaN(nextTickMs))
        nextTickMs = Math.floor(timeMs / clusterEveryMs) * clusterEveryMs + clusterEveryMs;
      if (timeMs >= nextTickMs) {
        const tickMs = Math.floor(timeMs / clusterEveryMs) * clusterEveryMs;
        // Population evidence grows with traffic, not with the linkage graph: its grouping runs
        // on every tick the graph's clustering does not (it paces itself, reading no graph).
        if (!tick(tickMs)) cluster.population(tickMs);
        nextTickMs = tickMs + clusterEveryMs;
      }
      if (timeMs > latestMs) latestMs = timeMs;
      exchangesSinceCluster += 1;
      exchangesSinceUnattached += 1;
    },
    flush() {
      if (!Number.isFinite(latestMs)) return;
      lastGraphSize = cluster.whole(latestMs);
      exchangesSinceCluster = 0;
      exchangesSinceUnattached = 0;
      lastClusterMs = latestMs;
      candidatesAtLastCluster = graph.candidates;
      graph.settle();
    },
    get latestMs() {
      return latestMs;
    },
  };
}
