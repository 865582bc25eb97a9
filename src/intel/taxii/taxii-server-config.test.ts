import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { createStixValidator } from '../stix/create-stix-validator.js';
import { createTaxiiHandler } from './create-taxii-handler.js';
import { hashToken, resolveTaxiiServerConfig } from './taxii-server-config.js';
import type { TaxiiStore } from './taxii-store.js';

const COLLECTION = '6b7a3f1e-2c4d-4e5f-8a9b-0c1d2e3f4a5b';
const base = {
  collections: [{ id: COLLECTION, title: 'Campaigns' }],
  peers: [{ name: 'b', token_sha256: hashToken('secret-b'), read: ['*'] }],
};

describe('TAXII server config', () => {
  const invalid: { name: string; config: unknown; message: RegExp }[] = [
    { name: 'no collections', config: { ...base, collections: [] }, message: /collections/ },
    {
      name: 'collection id not a UUID',
      config: { ...base, collections: [{ id: 'campaigns', title: 'x' }] },
      message: /collections\.0\.id: a collection id must be a UUID/,
    },
    {
      name: 'right on an unknown collection',
      config: {
        ...base,
        peers: [{ name: 'b', token_env: 'T', write: ['1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9'] }],
      },
      message: /unknown collection/,
    },
    {
      name: 'token environment variable not set',
      config: { ...base, peers: [{ name: 'b', token_env: 'UNSET_TOKEN' }] },
      message: /UNSET_TOKEN, which is not set/,
    },
    {
      name: 'both token forms',
      config: { ...base, peers: [{ name: 'b', token_env: 'T', token_sha256: hashToken('x') }] },
      message: /exactly one of token_sha256 and token_env/,
    },
  ];
  for (const { name, config, message } of invalid) {
    it(`rejects ${name}`, () => {
      assert.throws(
        () => resolveTaxiiServerConfig(config, { environment: { T: 'token' } }),
        (error: unknown) => DistillguardError.is(error) && message.test(error.message),
      );
    });
  }

  it('resolves defaults, "*" rights, hashed tokens and relative paths', () => {
    const config = resolveTaxiiServerConfig(
      { ...base, store: 'intel.duckdb', public_url: 'https://intel.example/' },
      { baseDirectory: '/srv/distillguard' },
    );
    assert.equal(config.store, '/srv/distillguard/intel.duckdb');
    assert.equal(config.apiRoot, 'intel');
    assert.deepEqual(config.listen, { host: '127.0.0.1', port: 9500 });
    assert.deepEqual([...(config.peers[0]?.read ?? [])], [COLLECTION]);
    assert.equal(config.peers[0]?.tokenSha256, hashToken('secret-b'));
    assert.equal(config.publicUrl, 'https://intel.example');
  });

  it('advertises the public URL and hides internal failures behind a bare 500', async () => {
    const config = resolveTaxiiServerConfig({ ...base, public_url: 'https://intel.example' });
    const failures: unknown[] = [];
    const brokenStore = {
      version: 1,
      queryObjects: () => Promise.reject(new Error('disk on fire')),
    } as unknown as TaxiiStore;
    const handler = createTaxiiHandler({
      config,
      store: brokenStore,
      validator: createStixValidator(),
      onError: (error) => failures.push(error),
    });
    const headers = {
      authorization: 'Bearer secret-b',
      accept: 'application/taxii+json;version=2.1',
    };
    const discovery = await handler(new Request('http://10.0.0.5:9500/taxii2/', { headers }));
    assert.deepEqual(((await discovery.json()) as { api_roots: string[] }).api_roots, [
      'https://intel.example/intel/',
    ]);
    const broken = await handler(
      new Request(`http://10.0.0.5:9500/intel/collections/${COLLECTION}/objects/`, { headers }),
    );
    assert.equal(broken.status, 500);
    assert.ok(!(await broken.text()).includes('disk on fire'));
    assert.equal(failures.length, 1);
  });
});
