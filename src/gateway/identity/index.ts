// Who a request is from: the key modes (minted, imported, pass-through, trusted header), the
// identity headers the upstream receives, and the admin routes that import existing keys.
export { createForwardedIdentity, type ForwardedIdentity } from './create-forwarded-identity.js';
export {
  createIdentityResolver,
  type IdentityResolver,
  type ResolvedIdentity,
} from './create-identity-resolver.js';
export { createKeyImportApi } from './create-key-import-api.js';
export { createKeyLookup, type KeyDerivation, type KeyLookup } from './create-key-lookup.js';
export {
  checkIdentityConfig,
  DEFAULT_IDENTITY,
  type IdentityConfig,
  type IdentitySettings,
  identityConfigSchema,
  identityFromConfig,
  KEY_MODES,
  type KeyMode,
} from './identity-config.js';
export { createKeyDerivations, type KeyDerivations } from './key-derivations.js';
export {
  type KeyImport,
  type KeyImportIssue,
  parseKeyImport,
  parseKeyImports,
} from './parse-key-imports.js';
export { type KeyImportTotals, pushKeyImports } from './push-key-imports.js';
export { relayUpstreamHeaders } from './relay-upstream-headers.js';
