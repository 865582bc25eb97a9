import { dirname, join } from 'node:path';
import type { GatewayConfig } from '../gateway-config.js';
import type { ControlPlaneStore } from './control-plane-store.js';
import { createDuckDbControlPlaneStore } from './duckdb-control-plane-store.js';
import { createPostgresControlPlaneStore } from './postgres-control-plane-store.js';

/** Where a gateway keeps its accounts and keys, with the defaults filled in. */
export type ControlPlaneSettings =
  | { kind: 'memory' }
  | { kind: 'duckdb'; path: string }
  | { kind: 'postgres'; url: string; schema: string; pollIntervalMs: number };

/**
 * The control plane a config asks for. Without a `control_plane` section: a DuckDB file
 * `control-plane.duckdb` beside the exchange store (the gateway's data directory), or memory
 * when the exchange store is in memory too.
 */
export function resolveControlPlane(config: GatewayConfig): ControlPlaneSettings {
  const section = config.control_plane;
  if (section?.kind === 'postgres')
    return {
      kind: 'postgres',
      url: section.url,
      schema: section.schema,
      pollIntervalMs: section.poll_interval_ms,
    };
  if (section?.kind === 'memory') return { kind: 'memory' };
  const dataDirectory = config.store.kind === 'memory' ? null : dirname(config.store.path);
  if (section?.kind === 'duckdb')
    return {
      kind: 'duckdb',
      path: section.path ?? join(dataDirectory ?? '.', 'control-plane.duckdb'),
    };
  return dataDirectory === null
    ? { kind: 'memory' }
    : { kind: 'duckdb', path: join(dataDirectory, 'control-plane.duckdb') };
}

/** Opens the store for settings other than `memory`. */
export function openControlPlaneStore(
  settings: Exclude<ControlPlaneSettings, { kind: 'memory' }>,
  { onError }: { onError?: (error: Error) => void } = {},
): Promise<ControlPlaneStore> {
  if (settings.kind === 'duckdb') return createDuckDbControlPlaneStore({ path: settings.path });
  return createPostgresControlPlaneStore({
    url: settings.url,
    schema: settings.schema,
    ...(onError ? { onError } : {}),
  });
}
