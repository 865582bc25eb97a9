// The control plane: accounts and API keys (the directory every replica reads), the stores that
// share them between replicas (DuckDB file, Postgres with LISTEN/NOTIFY), and the admin API.
export {
  type AccountDirectory,
  type ApiKeyRecord,
  createAccountDirectory,
  createReplicatedDirectory,
  type DirectoryChange,
} from './account-directory.js';
export type { ControlPlaneSnapshot, ControlPlaneStore } from './control-plane-store.js';
export { createAdminApi } from './create-admin-api.js';
export {
  type ControlPlaneDirectory,
  type ControlPlaneDirectoryOptions,
  createControlPlaneDirectory,
} from './create-control-plane-directory.js';
export { createDuckDbControlPlaneStore } from './duckdb-control-plane-store.js';
export {
  type ControlPlaneSettings,
  openControlPlaneStore,
  resolveControlPlane,
} from './open-control-plane.js';
export {
  CONTROL_PLANE_CHANNEL,
  createPostgresControlPlaneStore,
  type PostgresControlPlaneOptions,
} from './postgres-control-plane-store.js';
