/**
 * IP addresses and networks, parsed once for the whole project: the lenient, allocation-free
 * parsers the engine runs on every exchange, and the strict network value intel shares.
 */
export {
  canonicalIp,
  formatNetwork,
  type IpNetwork,
  networkOf,
  parseIpNetwork,
} from './ip-network.js';
export { parseIpv4 } from './parse-ipv4.js';
export { parseIpv6 } from './parse-ipv6.js';
export { subnetOf } from './subnet-of.js';
