// The IPC protocol between the cluster primary (`startGatewayCluster`) and its worker processes
// (`gateway-cluster-worker.ts`), in its own file so neither side imports the other.
import type { AccountDecision, CampaignDecision } from '../../fleet/index.js';
import type { DirectoryChange } from '../control-plane/account-directory.js';
import type { GatewayConfig } from '../gateway-config.js';

/** The environment variable carrying the validated config from the primary to its workers. */
export const WORKER_CONFIG_ENV = 'DISTILLGUARD_GATEWAY_WORKER_CONFIG';

/** Worker → primary. */
export type ClusterMessage =
  | { type: 'listening'; url: string }
  /** Records as serialised log-v1 lines (`serialiseExchange`: never fails, whatever the body). */
  | { type: 'exchanges'; id: number; lines: string[] }
  | { type: 'directory'; change: DirectoryChange }
  /** A scrape reached this worker: the primary is asked for the whole cluster's metrics. */
  | { type: 'metrics-request'; id: number }
  /** This worker's registry (prom-client `getMetricsAsJSON`), for the primary to aggregate. */
  | { type: 'metrics-snapshot'; id: number; metrics: unknown[] };

/**
 * Whether the primary runs the one engine for all its workers (`engine: detector` without a
 * `fleet:` block, where the fleet's detector decides): workers then read its decisions.
 */
export const primaryRunsEngine = (config: GatewayConfig): boolean =>
  config.engine === 'detector' && !config.fleet;

/** Primary → worker. */
export type PrimaryMessage =
  | { type: 'ack'; id: number }
  /** The primary engine's decisions, for the worker's `FleetDecisionView`. */
  | { type: 'decisions'; accounts: AccountDecision[]; campaigns: CampaignDecision[] }
  | { type: 'directory'; change: DirectoryChange }
  | { type: 'drain' }
  | { type: 'metrics-collect'; id: number }
  /** The aggregated exposition text (`null` and `error` when the scrape failed). */
  | { type: 'metrics'; id: number; text: string | null; error?: string };
