import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { checkIdentityConfig, DEFAULT_IDENTITY, identityFromConfig } from './identity-config.js';

test('no identity section: minted keys and the default forwarded header names', () => {
  assert.deepEqual(identityFromConfig(parseGatewayConfig({}).identity), DEFAULT_IDENTITY);
});

test('every field, resolved', () => {
  const config = parseGatewayConfig({
    identity: {
      mode: 'trusted_header',
      trusted_header: { account_header: 'x-provider-account', key_id_header: 'x-provider-key' },
      forward_headers: { account: 'x-account', client_ip: 'x-forwarded-for', request_id: null },
    },
  });
  assert.deepEqual(identityFromConfig(config.identity), {
    mode: 'trusted_header',
    trustedHeader: { accountHeader: 'x-provider-account', keyIdHeader: 'x-provider-key' },
    forwardHeaders: { account: 'x-account', clientIp: 'x-forwarded-for' },
  });
});

const invalid = [
  { name: 'unknown mode', identity: { mode: 'oauth' }, path: 'identity.mode' },
  {
    name: 'trusted_header without its header',
    identity: { mode: 'trusted_header' },
    path: 'identity.trusted_header',
  },
  {
    name: 'a forwarded header the gateway sets itself',
    identity: { forward_headers: { account: 'authorization' } },
    path: 'identity.forward_headers.account',
  },
  {
    name: 'an upper-case header name',
    identity: { forward_headers: { client_ip: 'X-Client-IP' } },
    path: 'identity.forward_headers.client_ip',
  },
  {
    name: 'two forwarded headers under one name',
    identity: { forward_headers: { account: 'x-a', key_id: 'x-a' } },
    path: 'identity.forward_headers',
  },
  {
    name: 'the trusted header is the API key header',
    identity: { mode: 'trusted_header', trusted_header: { account_header: 'x-api-key' } },
    path: 'identity.trusted_header.account_header',
  },
];
for (const { name, identity, path } of invalid)
  test(`invalid identity config: ${name} → error at ${path}`, () => {
    assert.throws(
      () => parseGatewayConfig({ identity }),
      (error: unknown) =>
        error instanceof DistillguardError &&
        error.code === 'gateway_config_invalid' &&
        error.message.includes(`${path}:`),
    );
  });

const undeployable = [
  {
    name: "pass-through with the gateway's own upstream key",
    input: { mode: 'passthrough', upstreamKeyEnv: 'UPSTREAM_KEY', trustedProxies: [] },
    path: 'upstream.api_key_env',
  },
  {
    name: 'a trusted header with no trusted proxy',
    input: { mode: 'trusted_header', upstreamKeyEnv: undefined, trustedProxies: [] },
    path: 'trusted_proxies',
  },
] as const;
for (const { name, input, path } of undeployable)
  test(`checkIdentityConfig refuses ${name}`, () => {
    assert.throws(
      () =>
        checkIdentityConfig({
          identity: {
            ...DEFAULT_IDENTITY,
            mode: input.mode,
            trustedHeader: { accountHeader: 'x-account' },
          },
          upstreamKeyEnv: input.upstreamKeyEnv,
          trustedProxies: input.trustedProxies,
        }),
      (error: unknown) =>
        error instanceof DistillguardError &&
        error.code === 'gateway_config_invalid' &&
        error.details.path === path,
    );
  });
