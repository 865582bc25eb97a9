/** The gateway in a fleet: publishing exchanges, reading the detector's decisions (docs/fleet.md). */
export { createFleetScorer } from './create-fleet-scorer.js';
export {
  fleetCounters,
  fleetGauges,
  type GatewayFleet,
  openGatewayFleet,
} from './open-gateway-fleet.js';
