import { createHash, randomUUID } from 'node:crypto';

/** The namespace STIX 2.1 §2.9 assigns for deterministic (UUIDv5) identifiers of cyber observables. */
export const STIX_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * A deterministic STIX identifier `<type>--<UUIDv5(namespace, name)>`: re-exporting the same
 * campaign gives the same ids, so a TAXII server stores a new version rather than a duplicate.
 *
 * @example
 * deterministicStixId('ipv4-addr', '{"value":"203.0.113.7"}') // 'ipv4-addr--…'
 */
export function deterministicStixId(
  type: string,
  name: string,
  namespace = STIX_NAMESPACE,
): string {
  return `${type}--${uuidVersion5(namespace, name)}`;
}

/** A random STIX identifier (bundles, status resources). */
export function randomStixId(type: string): string {
  return `${type}--${randomUUID()}`;
}

/** RFC 9562 UUIDv5 (SHA-1, name-based). */
export function uuidVersion5(namespace: string, name: string): string {
  const namespaceBytes = Buffer.from(namespace.replaceAll('-', ''), 'hex');
  const digest = createHash('sha1').update(namespaceBytes).update(name, 'utf8').digest();
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** STIX timestamps need millisecond precision and a `Z` suffix. */
export function toStixTimestamp(value: string | number | Date): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${String(value)}`);
  return date.toISOString();
}
