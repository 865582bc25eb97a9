export { parseIpv4, parseIpv6, subnetOf } from '../shared/ip-address/index.js';
