import { subnetOf } from './ip-address.js';
import { refill, type StatefulPart } from './part-state.js';

/** Where an exchange came from, as a reseller's door shows it: the proxy subnet and the client. */
export interface DoorExchange {
  ip: string;
  tls_fingerprint?: string | undefined;
  header_order?: string | undefined;
  user_agent?: string | undefined;
}

/**
 * The doors (subnet and client software) of accounts flagged as resellers. A reseller whose
 * account is suspended opens another one behind the same proxies with the same backend: the new
 * account is known by its first campaign exchanges, not after the usual count of them. Doors are
 * not kept per campaign: clustering may renumber or merge a campaign between two resellers.
 */
export interface ResellerDoors extends StatefulPart {
  /** Records the door of an account just flagged as a reseller. */
  open(exchange: DoorExchange): void;
  /** Whether an exchange comes through a door a flagged reseller used. */
  reused(exchange: DoorExchange): boolean;
  readonly size: number;
}

/**
 * A door: the exchange's subnet and its full client fingerprint (TLS, header order, user agent),
 * or null when any part is missing: a subnet alone is a whole cloud region's.
 */
export function doorOf(exchange: DoorExchange): string | null {
  const subnet = subnetOf(exchange.ip);
  const { tls_fingerprint: tls, header_order: headers, user_agent: agent } = exchange;
  if (!subnet || !tls || !headers || !agent) return null;
  return `${subnet}\u0000${tls}\u0000${headers}\u0000${agent}`;
}

/** Bounds memory: past this many distinct doors no new one is recorded. */
const MAX_DOORS = 65_536;

export function createResellerDoors(): ResellerDoors {
  const doors = new Set<string>();
  return {
    exportState: () => ({ doors }),
    importState(state) {
      refill(doors, state.doors);
    },
    open(exchange) {
      const door = doorOf(exchange);
      if (door !== null && doors.size < MAX_DOORS) doors.add(door);
    },
    reused(exchange) {
      if (doors.size === 0) return false;
      const door = doorOf(exchange);
      return door !== null && doors.has(door);
    },
    get size() {
      return doors.size;
    },
  };
}
