import type { GatewayMetrics } from '../gateway-metrics.js';
import type { Gateway } from '../gateway-types.js';
import { registerRecorderReadings } from './register-recorder-readings.js';

/** A gateway's own numbers on `/metrics`: in flight, readiness, records handed over, errors. */
export function registerGatewayReadings(
  metrics: GatewayMetrics,
  gateway: Gateway,
  { ownsStore }: { ownsStore: boolean },
): void {
  metrics.addGauges(() => ({
    in_flight: gateway.inFlight,
    ready: gateway.readiness().ready ? 1 : 0,
  }));
  metrics.addCounters(() => ({
    // Finished requests handed to the recorder (some of them may have been dropped).
    exchanges_recorded: gateway.accepted - gateway.inFlight,
    enforcement_errors: gateway.enforcementErrors,
  }));
  registerRecorderReadings(metrics, gateway.recorder, { ownsStore });
}
