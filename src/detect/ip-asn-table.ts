import { readFile } from 'node:fs/promises';
import { DistillguardError } from '../shared/distillguard-error.js';
import { parseIpv4, parseIpv6 } from './ip-address.js';

/** What the operator's table says about an address. `kind` is free text (`hosting`, `residential`, `mobile`, `proxy`, …). */
export interface AsnInfo {
  asn: number;
  asnOrg: string;
  kind?: string;
}

/** Longest-prefix lookup from an address to its autonomous system. */
export interface IpAsnTable {
  lookup(ip: string): AsnInfo | undefined;
  readonly size: number;
}

/** One row of an IP→ASN table file: `{ "prefix": "203.0.113.0/24", "asn": 64500, "asn_org": "…", "kind"?: "hosting" }`. */
export interface IpAsnRow {
  prefix: string;
  asn: number;
  asn_org: string;
  kind?: string;
}

/**
 * Builds an in-memory longest-prefix table (one hash map per prefix length, so a lookup is at
 * most 33 map probes for IPv4).
 *
 * @example
 * const table = createIpAsnTable([{ prefix: '203.0.113.0/24', asn: 64500, asn_org: 'Example' }]);
 * table.lookup('203.0.113.7')?.asn; // 64500
 */
export function createIpAsnTable(rows: Iterable<IpAsnRow>): IpAsnTable {
  const v4 = new Map<number, Map<number, AsnInfo>>();
  const v6 = new Map<number, Map<bigint, AsnInfo>>();
  let size = 0;
  for (const row of rows) {
    const [address = '', lengthText = ''] = row.prefix.split('/');
    const length = Number(lengthText);
    const info: AsnInfo = { asn: row.asn, asnOrg: row.asn_org };
    if (row.kind !== undefined) info.kind = row.kind;
    const ipv4 = parseIpv4(address);
    if (ipv4 >= 0 && Number.isInteger(length) && length >= 0 && length <= 32) {
      const byPrefix = v4.get(length) ?? new Map<number, AsnInfo>();
      v4.set(length, byPrefix);
      byPrefix.set(maskIpv4(ipv4, length), info);
      size += 1;
      continue;
    }
    const ipv6 = parseIpv6(address);
    if (ipv6 !== undefined && Number.isInteger(length) && length >= 0 && length <= 128) {
      const byPrefix = v6.get(length) ?? new Map<bigint, AsnInfo>();
      v6.set(length, byPrefix);
      byPrefix.set(maskIpv6(ipv6, length), info);
      size += 1;
    }
  }
  const v4Lengths = [...v4.keys()].sort((a, b) => b - a);
  const v6Lengths = [...v6.keys()].sort((a, b) => b - a);
  return {
    size,
    lookup(ip) {
      const ipv4 = parseIpv4(ip);
      if (ipv4 >= 0) {
        for (const length of v4Lengths) {
          const found = v4.get(length)?.get(maskIpv4(ipv4, length));
          if (found) return found;
        }
        return undefined;
      }
      const ipv6 = parseIpv6(ip);
      if (ipv6 === undefined) return undefined;
      for (const length of v6Lengths) {
        const found = v6.get(length)?.get(maskIpv6(ipv6, length));
        if (found) return found;
      }
      return undefined;
    },
  };
}

function maskIpv4(address: number, length: number): number {
  if (length === 0) return 0;
  const block = 2 ** (32 - length);
  return Math.floor(address / block) * block;
}

function maskIpv6(address: bigint, length: number): bigint {
  const shift = BigInt(128 - length);
  return (address >> shift) << shift;
}

/**
 * Loads an IP→ASN table from JSON Lines (`{ prefix, asn, asn_org, kind? }` per line).
 * Throws `ip_asn_invalid` naming the first bad line.
 */
export async function loadIpAsnTable(path: string): Promise<IpAsnTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new DistillguardError(
      'ip_asn_unreadable',
      `cannot read the IP→ASN table ${path}: check the path (${(error as Error).message})`,
      { path },
    );
  }
  const rows: IpAsnRow[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]?.trim() ?? '';
    if (line === '') continue;
    const row = parseRow(line);
    if (!row) {
      throw new DistillguardError(
        'ip_asn_invalid',
        `${path}:${index + 1}: expected {"prefix":"a.b.c.d/n","asn":number,"asn_org":string}`,
        { path, line: index + 1 },
      );
    }
    rows.push(row);
  }
  return createIpAsnTable(rows);
}

function parseRow(line: string): IpAsnRow | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { prefix, asn, asn_org: asnOrg, kind } = record;
  if (typeof prefix !== 'string' || !prefix.includes('/')) return undefined;
  if (typeof asn !== 'number' || !Number.isFinite(asn)) return undefined;
  const row: IpAsnRow = { prefix, asn, asn_org: typeof asnOrg === 'string' ? asnOrg : '' };
  if (typeof kind === 'string') row.kind = kind;
  return row;
}
