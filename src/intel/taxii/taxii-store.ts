import type { StixObject } from '../stix/stix-object.js';

/** One stored version of an object in a collection. */
export interface StoredObject {
  /** Insertion order; pagination continues after it. */
  sequence: number;
  id: string;
  type: string;
  specVersion: string;
  /** The object's `modified`, else `created`, else its `date_added`. */
  version: string;
  /** When this server added it (microsecond precision, monotonic). */
  dateAdded: string;
  object: StixObject;
}

/** `match[version]`: `first`, `last`, `all`, or exact version timestamps. */
export type VersionMatch =
  | { kind: 'first' | 'last' | 'all' }
  | { kind: 'at'; microseconds: number };

export interface ObjectFilter {
  addedAfterMicroseconds?: number;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  /** Any of these (OR). Default `last`. */
  versions?: VersionMatch[];
}

export interface ObjectPage {
  objects: StoredObject[];
  more: boolean;
}

/** Outcome of adding one object. */
export interface AddedObject {
  id: string;
  version: string;
  /** False when that exact version was already there (a repeated POST is not an error). */
  added: boolean;
}

/**
 * Storage port of the TAXII server, versioned like the others: v1 keeps objects by collection,
 * id and version, in insertion order. `createDuckDbTaxiiStore` is the embedded default.
 */
export interface TaxiiStore {
  readonly version: 1;
  addObjects(
    collectionId: string,
    /** `version` undefined: an object without timestamps (an SCO), stored once per id. */
    objects: { object: StixObject; version: string | undefined }[],
    now: Date,
  ): Promise<AddedObject[]>;
  queryObjects(
    collectionId: string,
    filter: ObjectFilter,
    page: { afterSequence?: number; limit: number },
  ): Promise<ObjectPage>;
  saveStatus(id: string, owner: string, status: Record<string, unknown>): Promise<void>;
  loadStatus(id: string, owner: string): Promise<Record<string, unknown> | undefined>;
  close(): Promise<void>;
}

/** `2026-02-21T00:00:00.123456Z` → microseconds since the epoch; undefined if not a timestamp. */
export function timestampToMicroseconds(text: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}Z`);
  if (Number.isNaN(seconds)) return undefined;
  const fraction = (match[2] ?? '').padEnd(6, '0').slice(0, 6);
  return seconds * 1000 + Number(fraction);
}

/** Microseconds since the epoch → `2026-02-21T00:00:00.123456Z`. */
export function microsecondsToTimestamp(microseconds: number): string {
  const milliseconds = Math.floor(microseconds / 1000);
  const iso = new Date(milliseconds).toISOString();
  return `${iso.slice(0, -1)}${String(microseconds % 1000).padStart(3, '0')}Z`;
}
