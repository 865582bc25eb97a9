// The IPC protocol between the cluster primary (`startGatewayCluster`) and its worker processes
// (`gateway-cluster-worker.ts`), in its own file so neither side imports the other.
import type { DirectoryChange } from '../control-plane/account-directory.js';

/** The environment variable carrying the validated config from the primary to its workers. */
export const WORKER_CONFIG_ENV = 'DISTILLGUARD_GATEWAY_WORKER_CONFIG';

/** Worker → primary. */
export type ClusterMessage =
  | { type: 'listening'; url: string }
  /** Records as serialised log-v1 lines (`serialiseExchange`: never fails, whatever the body). */
  | { type: 'exchanges'; id: number; lines: string[] }
  | { type: 'directory'; change: DirectoryChange };

/** Primary → worker. */
export type PrimaryMessage =
  | { type: 'ack'; id: number }
  | { type: 'directory'; change: DirectoryChange }
  | { type: 'drain' };
