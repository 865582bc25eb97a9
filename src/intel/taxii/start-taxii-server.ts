import { readFile } from 'node:fs/promises';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { parsePeerBundle } from '../peer/import-peer-intel.js';
import { createStixValidator, type StixValidator } from '../stix/create-stix-validator.js';
import { createTaxiiHandler } from './create-taxii-handler.js';
import { createDuckDbTaxiiStore } from './duckdb-taxii-store.js';
import { type RunningTaxiiServer, serveTaxii } from './serve-taxii.js';
import type { TaxiiServerConfig } from './taxii-server-config.js';
import type { TaxiiStore } from './taxii-store.js';

export interface StartTaxiiServerOptions {
  validator?: StixValidator;
  /** Defaults to the DuckDB store at `config.store`. */
  store?: TaxiiStore;
  now?: () => Date;
}

/**
 * Opens the store, loads the collections' `load` bundles (validated whole, like an import),
 * and serves TAXII 2.1 on `config.listen`.
 *
 * @example
 * const server = await startTaxiiServer(await loadTaxiiServerConfig('taxii.yaml'));
 * console.log(`${server.url}/taxii2/`);
 */
export async function startTaxiiServer(
  config: TaxiiServerConfig,
  {
    validator = createStixValidator(),
    store,
    now = () => new Date(),
  }: StartTaxiiServerOptions = {},
): Promise<RunningTaxiiServer & { store: TaxiiStore; loaded: number }> {
  const taxiiStore = store ?? (await createDuckDbTaxiiStore(config.store));
  let loaded = 0;
  for (const collection of config.collections) {
    for (const file of collection.load) {
      const parsed = parsePeerBundle(await readFile(file, 'utf8'), validator);
      if (!parsed.success) {
        const { path, schemaPath, message } = parsed.error;
        throw new DistillguardError(
          'intel_bundle_invalid',
          `${file}: at ${path || '/'} (schema ${schemaPath}): ${message}.`,
          { path, schemaPath },
        );
      }
      const added = await taxiiStore.addObjects(
        collection.id,
        parsed.value.objects.map((object) => ({
          object,
          version: object.modified ?? object.created,
        })),
        now(),
      );
      loaded += added.filter((entry) => entry.added).length;
    }
  }
  const handler = createTaxiiHandler({ config, store: taxiiStore, validator, now });
  const server = await serveTaxii(handler, {
    host: config.listen.host,
    port: config.listen.port,
    maxContentLength: config.maxContentLength,
  });
  return {
    ...server,
    store: taxiiStore,
    loaded,
    close: async () => {
      await server.close();
      await taxiiStore.close();
    },
  };
}
