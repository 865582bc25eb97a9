import { UNKNOWN_IP } from '../log/adapters/adapter-fields.js';
import type { AccountRecord } from '../log/exchange.js';
import { subnetOf } from './ip-address.js';
import type { IpAsnTable } from './ip-asn-table.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';

/** A shared value: its key type index and its text. */
export type KeyValue = readonly [typeIndex: number, value: string];

const T = KEY_TYPE_INDEX;
/** Signups within one bucket of this many seconds form a burst candidate. */
const SIGNUP_BUCKET_SECONDS = 60;

/**
 * The network values of an address: the address, its subnet, its ASN when a table is given.
 * None for `UNKNOWN_IP` (a log without client addresses): a shared "unknown" is no evidence.
 */
export function networkKeys(ip: string, asnOf: (ip: string) => string | undefined): KeyValue[] {
  if (ip === UNKNOWN_IP) return [];
  const out: KeyValue[] = [[T.ip, ip]];
  const subnet = subnetOf(ip);
  if (subnet) out.push([T.subnet, subnet]);
  const asn = asnOf(ip);
  if (asn) out.push([T.asn, asn]);
  return out;
}

/** Client software values in a fixed order (TLS fingerprint, header order, user agent). */
export const CLIENT_KEY_TYPES: readonly number[] = [
  T.tls_fingerprint,
  T.header_order,
  T.user_agent,
];

/** The shared values an account record carries (identity: payment, email domain, signup burst, signup IP). */
export function accountKeys(record: AccountRecord, ipAsn: IpAsnTable | undefined): KeyValue[] {
  const keys: KeyValue[] = [];
  if (record.payment_fingerprint) keys.push([T.payment_fingerprint, record.payment_fingerprint]);
  if (record.email_domain) keys.push([T.email_domain, record.email_domain.toLowerCase()]);
  const created = Date.parse(record.created_at);
  if (Number.isFinite(created)) {
    keys.push([T.signup_burst, `${Math.floor(created / 1000 / SIGNUP_BUCKET_SECONDS)}`]);
  }
  if (record.signup_ip) {
    keys.push([T.ip, record.signup_ip]);
    const subnet = subnetOf(record.signup_ip);
    if (subnet) keys.push([T.subnet, subnet]);
    const asn = record.asn ?? ipAsn?.lookup(record.signup_ip)?.asn;
    if (asn !== undefined) keys.push([T.asn, `${asn}`]);
  } else if (record.asn !== undefined) {
    keys.push([T.asn, `${record.asn}`]);
  }
  return keys;
}
