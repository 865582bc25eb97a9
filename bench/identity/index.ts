// Cost of the identity step per request, in each key mode: who the request is from (key lookup
// or trusted header), the identity headers for the upstream, and the upstream ids relayed back.
// CPU µs per request (median of 5 rounds), with the ratio to the previous minted-key
// authenticator, copied below as the baseline and measured in the same run. "authentication
// only" is the like-for-like figure; the other rows also build the exchange, the upstream's
// identity headers and relay the upstream request id. 1000 keys, each seen many times (cached).

import { hash as digest } from 'node:crypto';
import { createApiKeyHasher } from '../../src/gateway/api-key-hasher.js';
import { createAccountDirectory } from '../../src/gateway/control-plane/account-directory.js';
import {
  createForwardedIdentity,
  createIdentityResolver,
  createKeyDerivations,
  DEFAULT_IDENTITY,
  type IdentitySettings,
  relayUpstreamHeaders,
} from '../../src/gateway/identity/index.js';
import type { Exchange } from '../../src/log/exchange.js';
import { cpuMicros, median, report } from '../shared/measure.js';

const REQUESTS = 200_000;
const ROUNDS = 5;
const KEYS = 1_000;

const hasher = createApiKeyHasher({ secret: 'bench-secret-0123456789' });
const derivations = createKeyDerivations(hasher);
const directory = createAccountDirectory();
const minted: string[] = [];
const imported: string[] = [];
for (let index = 0; index < KEYS; index += 1) {
  const mintedKey = `dg-minted-${index}-${'x'.repeat(24)}`;
  const importedKey = `sk-imported-${index}-${'y'.repeat(24)}`;
  minted.push(mintedKey);
  imported.push(importedKey);
  const at = '2026-01-01T00:00:00Z';
  directory.addKey({
    keyId: `m${index}`,
    accountId: `a${index}`,
    hash: hasher.hash(mintedKey),
    createdAt: at,
    revokedAt: null,
  });
  directory.addKey({
    keyId: `i${index}`,
    accountId: `a${index}`,
    hash: derivations.importedFromSha256(digest('sha256', importedKey, 'hex')),
    createdAt: at,
    revokedAt: null,
  });
}

/** The minted-key authenticator as it was before the key modes (the baseline). */
function previousAuthenticator() {
  const cache = new Map<string, string>();
  return (headers: { get(name: string): string | null }) => {
    const authorization = headers.get('authorization');
    const apiKey =
      authorization && /^bearer /i.test(authorization)
        ? authorization.slice(7).trim()
        : headers.get('x-api-key');
    if (!apiKey) throw new Error('missing');
    const fingerprint = digest('sha256', apiKey, 'base64');
    let stored = cache.get(fingerprint);
    if (stored === undefined) {
      stored = hasher.hash(apiKey);
      if (directory.findKeyByHash(stored)) cache.set(fingerprint, stored);
    } else {
      cache.delete(fingerprint);
      cache.set(fingerprint, stored);
    }
    const key = directory.findKeyByHash(stored);
    if (!key) throw new Error('invalid');
    return key;
  };
}

const bearer = (key: string) => ({
  get: (name: string) => (name === 'authorization' ? `Bearer ${key}` : null),
});
const trusted = (account: string) => ({
  get: (name: string) => (name === 'x-provider-account' ? account : null),
});
const exchange = (): Exchange => ({
  id: 'ex_1',
  ts: '2026-01-01T00:00:00Z',
  account_id: 'a1',
  ip: '203.0.113.9',
  endpoint: 'chat.completions',
  model: 'm',
  request: {},
  status: 0,
});

function identityStep(settings: IdentitySettings, keys: string[], headersOf = bearer) {
  const resolve = createIdentityResolver({
    settings,
    hasher,
    directory,
    trustedProxies: ['10.0.0.0/8'],
  });
  const forward = createForwardedIdentity(settings.forwardHeaders);
  const requests = keys.map(headersOf);
  const upstreamHeaders = { 'x-request-id': 'req_up' };
  return (index: number) => {
    const who = resolve(requests[index % requests.length] ?? bearer(''), 'openai', '10.0.0.5');
    const record = exchange();
    record.account_id = who.accountId;
    forward(record, who);
    relayUpstreamHeaders(
      upstreamHeaders,
      { 'x-request-id': 'ex_1' },
      {
        dialect: 'openai',
        status: 200,
        exchangeId: 'ex_1',
      },
    );
  };
}

const previous = previousAuthenticator();
const cases: Array<[string, (index: number) => void]> = [
  [
    'previous minted authenticator (baseline)',
    (index) => previous(bearer(minted[index % KEYS] ?? '')),
  ],
  [
    'minted, authentication only',
    (() => {
      const resolve = createIdentityResolver({
        settings: DEFAULT_IDENTITY,
        hasher,
        directory,
        trustedProxies: [],
      });
      const requests = minted.map(bearer);
      return (index: number) =>
        resolve(requests[index % KEYS] ?? bearer(''), 'openai', '127.0.0.1');
    })(),
  ],
  ['minted', identityStep(DEFAULT_IDENTITY, minted)],
  ['imported, imported key', identityStep({ ...DEFAULT_IDENTITY, mode: 'imported' }, imported)],
  ['imported, minted key', identityStep({ ...DEFAULT_IDENTITY, mode: 'imported' }, minted)],
  [
    'passthrough, keys nobody imported',
    identityStep(
      { ...DEFAULT_IDENTITY, mode: 'passthrough' },
      minted.map((key) => `sk-unknown-${key}`),
    ),
  ],
  [
    'trusted_header',
    identityStep(
      {
        ...DEFAULT_IDENTITY,
        mode: 'trusted_header',
        trustedHeader: { accountHeader: 'x-provider-account' },
      },
      minted.map((_key, index) => `acct_${index}`),
      trusted,
    ),
  ],
];

const results = new Map<string, number[]>();
for (let round = 0; round < ROUNDS; round += 1)
  for (const [name, step] of cases) {
    const micros = cpuMicros(REQUESTS, () => {
      for (let index = 0; index < REQUESTS; index += 1) step(index);
    });
    results.set(name, [...(results.get(name) ?? []), micros]);
  }
const baseline = median(results.get(cases[0]?.[0] ?? '') ?? []);
for (const [name] of cases) {
  const value = median(results.get(name) ?? []);
  report(
    `identity step: ${name}`,
    value,
    'µs/request',
    `${(value / baseline).toFixed(2)}× baseline`,
  );
}
