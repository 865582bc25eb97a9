import { DuckDBInstance } from '@duckdb/node-api';
import { DistillguardError } from '../../shared/distillguard-error.js';
import type { StixObject } from '../stix/stix-object.js';
import {
  type AddedObject,
  microsecondsToTimestamp,
  type ObjectFilter,
  type StoredObject,
  type TaxiiStore,
  timestampToMicroseconds,
} from './taxii-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS taxii_objects (
  sequence BIGINT PRIMARY KEY,
  collection_id VARCHAR NOT NULL,
  id VARCHAR NOT NULL,
  type VARCHAR NOT NULL,
  spec_version VARCHAR NOT NULL,
  version VARCHAR NOT NULL,
  version_us BIGINT NOT NULL,
  date_added_us BIGINT NOT NULL,
  object VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS taxii_status (
  id VARCHAR PRIMARY KEY,
  owner VARCHAR NOT NULL,
  status VARCHAR NOT NULL
);`;

/**
 * The TAXII store on DuckDB, the product's embedded store: a file path, or `:memory:` for tests.
 * Writes are serialised in process (one server owns the file).
 *
 * @example
 * const store = await createDuckDbTaxiiStore('intel.duckdb');
 */
export async function createDuckDbTaxiiStore(path = ':memory:'): Promise<TaxiiStore> {
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DistillguardError(
      'intel_store_unavailable',
      `Cannot open the TAXII store ${path}: ${reason}. Is another server using it? Check \`store\` in the config.`,
      { path },
    );
  }
  const connection = await instance.connect();
  await connection.run(SCHEMA);
  const last = await connection.runAndReadAll(
    'SELECT coalesce(max(sequence), 0) AS s, coalesce(max(date_added_us), 0) AS d FROM taxii_objects',
  );
  const [lastRow] = last.getRowObjects();
  let sequence = Number(lastRow?.s ?? 0);
  let lastDateAdded = Number(lastRow?.d ?? 0);
  let writes: Promise<unknown> = Promise.resolve();
  const serialised = <Value>(work: () => Promise<Value>): Promise<Value> => {
    const result = writes.then(work);
    writes = result.catch(() => undefined);
    return result;
  };

  return {
    version: 1,
    addObjects(collectionId, objects, now) {
      return serialised(async () => {
        const results: AddedObject[] = [];
        await connection.run('BEGIN TRANSACTION');
        try {
          for (const { object, version } of objects) {
            const versionMicroseconds =
              version === undefined ? undefined : (timestampToMicroseconds(version) ?? 0);
            const existing = await connection.runAndReadAll(
              versionMicroseconds === undefined
                ? 'SELECT version FROM taxii_objects WHERE collection_id = ? AND id = ? LIMIT 1'
                : 'SELECT version FROM taxii_objects WHERE collection_id = ? AND id = ? AND version_us = ?',
              versionMicroseconds === undefined
                ? [collectionId, object.id]
                : [collectionId, object.id, versionMicroseconds],
            );
            const [present] = existing.getRowObjects();
            if (present) {
              results.push({ id: object.id, version: String(present.version), added: false });
              continue;
            }
            // Strictly increasing, so `added_after` never skips an object added in the same ms.
            lastDateAdded = Math.max(now.getTime() * 1000, lastDateAdded + 1);
            sequence++;
            const storedVersion = version ?? microsecondsToTimestamp(lastDateAdded);
            await connection.run('INSERT INTO taxii_objects VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
              sequence,
              collectionId,
              object.id,
              object.type,
              typeof object.spec_version === 'string' ? object.spec_version : '2.1',
              storedVersion,
              versionMicroseconds ?? lastDateAdded,
              lastDateAdded,
              JSON.stringify(object),
            ]);
            results.push({ id: object.id, version: storedVersion, added: true });
          }
          await connection.run('COMMIT');
        } catch (error) {
          await connection.run('ROLLBACK');
          throw error;
        }
        return results;
      });
    },
    async queryObjects(collectionId, filter, { afterSequence, limit }) {
      const { where, values } = whereClause(collectionId, filter);
      if (afterSequence !== undefined) {
        where.push('o.sequence > ?');
        values.push(afterSequence);
      }
      const reader = await connection.runAndReadAll(
        `SELECT sequence, id, type, spec_version, version, date_added_us, object
         FROM taxii_objects o WHERE ${where.join(' AND ')} ORDER BY sequence LIMIT ?`,
        [...values, limit + 1],
      );
      const rows = reader.getRowObjects();
      const objects: StoredObject[] = rows.slice(0, limit).map((row) => ({
        sequence: Number(row.sequence),
        id: String(row.id),
        type: String(row.type),
        specVersion: String(row.spec_version),
        version: String(row.version),
        dateAdded: microsecondsToTimestamp(Number(row.date_added_us)),
        object: JSON.parse(String(row.object)) as StixObject,
      }));
      return { objects, more: rows.length > limit };
    },
    async saveStatus(id, owner, status) {
      await serialised(() =>
        connection.run('INSERT OR REPLACE INTO taxii_status VALUES (?, ?, ?)', [
          id,
          owner,
          JSON.stringify(status),
        ]),
      );
    },
    async loadStatus(id, owner) {
      const reader = await connection.runAndReadAll(
        'SELECT status FROM taxii_status WHERE id = ? AND owner = ?',
        [id, owner],
      );
      const [row] = reader.getRowObjects();
      return row ? (JSON.parse(String(row.status)) as Record<string, unknown>) : undefined;
    },
    async close() {
      await writes;
      connection.closeSync();
      instance.closeSync();
    },
  };
}

function whereClause(
  collectionId: string,
  filter: ObjectFilter,
): { where: string[]; values: (string | number)[] } {
  const where = ['o.collection_id = ?'];
  const values: (string | number)[] = [collectionId];
  const anyOf = (column: string, list: string[] | undefined) => {
    if (!list || list.length === 0) return;
    where.push(`${column} IN (${list.map(() => '?').join(', ')})`);
    values.push(...list);
  };
  if (filter.addedAfterMicroseconds !== undefined) {
    where.push('o.date_added_us > ?');
    values.push(filter.addedAfterMicroseconds);
  }
  anyOf('o.id', filter.ids);
  anyOf('o.type', filter.types);
  anyOf('o.spec_version', filter.specVersions);
  const versions = filter.versions ?? [{ kind: 'last' }];
  if (!versions.some((version) => version.kind === 'all')) {
    const sameObject =
      'FROM taxii_objects v WHERE v.collection_id = o.collection_id AND v.id = o.id';
    const alternatives = versions.map((version) => {
      if (version.kind === 'last') return `o.version_us = (SELECT max(v.version_us) ${sameObject})`;
      if (version.kind === 'first')
        return `o.version_us = (SELECT min(v.version_us) ${sameObject})`;
      if (version.kind !== 'at') return 'TRUE';
      values.push(version.microseconds);
      return 'o.version_us = ?';
    });
    where.push(`(${alternatives.join(' OR ')})`);
  }
  return { where, values };
}
