// The gateway's observability: per-request metrics, logs and spans on the request path, the
// `/metrics` route with its own token, the cluster-wide scrape, and the config block.
export {
  type ClusterMetricsAggregator,
  createClusterMetricsAggregator,
} from './aggregate-cluster-metrics.js';
export { createBoundedLabel } from './create-bounded-label.js';
export {
  createGatewayTracing,
  type GatewayTracing,
  type GatewayTracingOptions,
} from './create-gateway-tracing.js';
export { createMetricsEndpoint, type MetricsEndpointOptions } from './create-metrics-endpoint.js';
export {
  createRequestObserver,
  type GatewayObservability,
  type RequestObservation,
  type RequestObserver,
} from './create-request-observer.js';
export { type ObservabilityConfig, observabilityConfigSchema } from './observability-config.js';
export { registerGatewayReadings } from './register-gateway-readings.js';
export { registerRecorderReadings } from './register-recorder-readings.js';
export {
  type ClusterMetricsRequester,
  createClusterMetricsRequester,
} from './request-cluster-metrics.js';
export { type ResolvedObservability, resolveObservability } from './resolve-observability.js';
