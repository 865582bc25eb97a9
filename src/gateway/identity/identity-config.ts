import { z } from 'zod';
import { DistillguardError } from '../../shared/distillguard-error.js';

/** How the gateway knows who a request is from (docs/gateway.md, "Key modes"). */
export const KEY_MODES = ['minted', 'imported', 'passthrough', 'trusted_header'] as const;
export type KeyMode = (typeof KEY_MODES)[number];

// Headers the gateway itself sets or forwards from the client: an identity header under one of
// these names would either be overwritten or let a client's value through.
const RESERVED_HEADERS = new Set([
  'accept',
  'anthropic-beta',
  'anthropic-version',
  'authorization',
  'connection',
  'content-length',
  'content-type',
  'expect',
  'host',
  'keep-alive',
  'openai-beta',
  'proxy-authorization',
  'te',
  'transfer-encoding',
  'upgrade',
  'x-api-key',
]);

const headerName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'expected a lower-case header name (letters, digits, -)')
  .refine((name) => !RESERVED_HEADERS.has(name), {
    message: 'this header is set or forwarded by the gateway itself; choose another name',
  });

const forwardHeaders = z
  .object({
    account: headerName.nullable().default('x-distillguard-account'),
    client_ip: headerName.nullable().default('x-distillguard-client-ip'),
    request_id: headerName.nullable().default('x-request-id'),
    key_id: headerName.nullable().default(null),
  })
  .strict()
  .superRefine((value, context) => {
    const names = Object.values(value).filter((name) => name !== null);
    if (new Set(names).size !== names.length)
      context.addIssue({ code: 'custom', message: 'each forwarded header needs its own name' });
  });

/**
 * `identity:` in the gateway config. `mode` defaults to `minted` (keys the admin API made);
 * `forward_headers` names the headers the upstream receives (`null` turns one off).
 */
export const identityConfigSchema = z
  .object({
    mode: z.enum(KEY_MODES).default('minted'),
    trusted_header: z
      .object({
        /** Header the provider's auth layer sets to the account id. */
        account_header: headerName,
        /** Optional header with the provider's key id (kept as the exchange's `api_key_id`). */
        key_id_header: headerName.optional(),
      })
      .strict()
      .optional(),
    forward_headers: forwardHeaders.prefault({}),
  })
  .strict()
  .superRefine((value, context) => {
    if (value.mode === 'trusted_header' && !value.trusted_header)
      context.addIssue({
        code: 'custom',
        path: ['trusted_header'],
        message:
          'mode trusted_header needs trusted_header.account_header (the header your auth layer sets)',
      });
  });

export type IdentityConfig = z.infer<typeof identityConfigSchema>;

/** The identity settings the gateway runs with (config resolved once). */
export interface IdentitySettings {
  mode: KeyMode;
  trustedHeader?: { accountHeader: string; keyIdHeader?: string };
  /** Header names for the upstream; absent: not sent. */
  forwardHeaders: { account?: string; clientIp?: string; requestId?: string; keyId?: string };
}

/** Today's behaviour: minted keys, identity forwarded under the default names. */
export const DEFAULT_IDENTITY: IdentitySettings = {
  mode: 'minted',
  forwardHeaders: {
    account: 'x-distillguard-account',
    clientIp: 'x-distillguard-client-ip',
    requestId: 'x-request-id',
  },
};

/** The validated `identity:` section as settings. */
export function identityFromConfig(config: IdentityConfig): IdentitySettings {
  const { account, client_ip, request_id, key_id } = config.forward_headers;
  const forwardHeaders: IdentitySettings['forwardHeaders'] = {};
  if (account) forwardHeaders.account = account;
  if (client_ip) forwardHeaders.clientIp = client_ip;
  if (request_id) forwardHeaders.requestId = request_id;
  if (key_id) forwardHeaders.keyId = key_id;
  const settings: IdentitySettings = { mode: config.mode, forwardHeaders };
  if (config.trusted_header)
    settings.trustedHeader = {
      accountHeader: config.trusted_header.account_header,
      ...(config.trusted_header.key_id_header
        ? { keyIdHeader: config.trusted_header.key_id_header }
        : {}),
    };
  return settings;
}

/**
 * Refuses identity settings that cannot work with the rest of the config: a pass-through key
 * would be overwritten by the gateway's own upstream key, and a trusted header with no trusted
 * proxy would refuse every request.
 */
export function checkIdentityConfig({
  identity,
  upstreamKeyEnv,
  trustedProxies,
}: {
  identity: IdentitySettings;
  upstreamKeyEnv: string | undefined;
  trustedProxies: readonly string[];
}): void {
  if (identity.mode === 'passthrough' && upstreamKeyEnv)
    throw new DistillguardError(
      'gateway_config_invalid',
      "identity.mode passthrough forwards each client's own key: remove upstream.api_key_env.",
      { path: 'upstream.api_key_env' },
    );
  if (identity.mode === 'trusted_header' && trustedProxies.length === 0)
    throw new DistillguardError(
      'gateway_config_invalid',
      'identity.mode trusted_header accepts the header only from trusted_proxies: list your auth layer there.',
      { path: 'trusted_proxies' },
    );
}
