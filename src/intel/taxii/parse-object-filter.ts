import { TaxiiError } from './taxii-error.js';
import type { ObjectFilter, VersionMatch } from './taxii-store.js';
import { timestampToMicroseconds } from './taxii-store.js';

/** Pagination state carried in the opaque `next` parameter. */
export interface ParsedQuery {
  filter: ObjectFilter;
  limit: number;
  afterSequence?: number;
}

/**
 * Reads TAXII 2.1 query parameters (`added_after`, `limit`, `next`, `match[id|type|version|spec_version]`).
 * A malformed one is a 400 with the parameter's name, never silently ignored.
 */
export function parseObjectFilter(
  parameters: URLSearchParams,
  { pageSize, allowed }: { pageSize: number; allowed: ReadonlySet<string> },
): ParsedQuery {
  for (const name of parameters.keys()) {
    if (!allowed.has(name)) throw badRequest(`unsupported query parameter ${name}`);
  }
  const filter: ObjectFilter = {};
  const addedAfter = parameters.get('added_after');
  if (addedAfter !== null) {
    const microseconds = timestampToMicroseconds(addedAfter);
    if (microseconds === undefined)
      throw badRequest('added_after must be a timestamp like 2026-02-21T00:00:00.000Z');
    filter.addedAfterMicroseconds = microseconds;
  }
  const list = (name: string) => {
    const value = parameters.get(name);
    return value === null
      ? undefined
      : value
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
  };
  const ids = list('match[id]');
  if (ids) filter.ids = ids;
  const types = list('match[type]');
  if (types) filter.types = types;
  const specVersions = list('match[spec_version]');
  if (specVersions) filter.specVersions = specVersions;
  const versions = list('match[version]');
  if (versions) {
    filter.versions = versions.map((version): VersionMatch => {
      if (version === 'first' || version === 'last' || version === 'all') return { kind: version };
      const microseconds = timestampToMicroseconds(version);
      if (microseconds === undefined)
        throw badRequest(`match[version] value ${version} is not first, last, all or a timestamp`);
      return { kind: 'at', microseconds };
    });
  }
  let limit = pageSize;
  const limitText = parameters.get('limit');
  if (limitText !== null) {
    const requested = Number(limitText);
    if (!Number.isInteger(requested) || requested < 1)
      throw badRequest('limit must be a positive integer');
    limit = Math.min(requested, pageSize);
  }
  const next = parameters.get('next');
  const parsed: ParsedQuery = { filter, limit };
  if (next !== null) {
    const decoded = /^[A-Za-z0-9_-]+$/.test(next)
      ? Buffer.from(next, 'base64url').toString('utf8')
      : '';
    const afterSequence = /^\d+$/.test(decoded) ? Number(decoded) : Number.NaN;
    if (!Number.isSafeInteger(afterSequence))
      throw badRequest('next is not a value this server issued');
    parsed.afterSequence = afterSequence;
  }
  return parsed;
}

/** The opaque `next` value continuing after an object. */
export function nextToken(sequence: number): string {
  return Buffer.from(String(sequence), 'utf8').toString('base64url');
}

function badRequest(description: string): TaxiiError {
  return new TaxiiError(400, 'Bad request', description);
}
