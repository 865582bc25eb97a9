// The Node adapter: the HTTP server over the gateway's fetch-style handler, the single-process
// server built from a config, and the cluster (a primary owning the stores, workers serving).
export {
  type FetchHandler,
  type ServedHandler,
  type ServerLimits,
  serveFetchHandler,
} from './serve-gateway.js';
export {
  defaultWorkerCount,
  type GatewayCluster,
  startGatewayCluster,
} from './start-gateway-cluster.js';
export {
  type GatewayServer,
  policyFromConfig,
  startGatewayServer,
} from './start-gateway-server.js';
