import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { fixtureCampaignsFile, fixtureCommunityKey } from '../fixture-campaigns.js';
import { createStixValidator } from '../stix/create-stix-validator.js';
import { exportCampaignBundle } from '../stix/export-campaign-bundle.js';
import type { StixObject } from '../stix/stix-object.js';
import { createDuckDbTaxiiStore } from './duckdb-taxii-store.js';
import { startTaxiiServer } from './start-taxii-server.js';
import { resolveTaxiiServerConfig } from './taxii-server-config.js';

const TAXII = 'application/taxii+json;version=2.1';
const CAMPAIGNS = '6b7a3f1e-2c4d-4e5f-8a9b-0c1d2e3f4a5b';
const PRIVATE = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const tokens = {
  writer: 'writer-token-1',
  reader: 'reader-token-2',
  outsider: 'outsider-token-3',
  other: 'other-token-4',
};

let clock = Date.parse('2026-03-01T00:00:00.000Z');
const now = () => {
  clock += 1000;
  return new Date(clock);
};
let server: Awaited<ReturnType<typeof startTaxiiServer>>;
let root = '';
const bundle = exportCampaignBundle(fixtureCampaignsFile(), {
  communityKey: fixtureCommunityKey(),
  shareIps: true,
});

async function call(
  path: string,
  {
    token = tokens.writer,
    accept = TAXII,
    method = 'GET',
    body,
    contentType = TAXII,
  }: {
    token?: string | null;
    accept?: string | null;
    method?: 'GET' | 'POST' | 'DELETE';
    body?: string;
    contentType?: string;
  } = {},
) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (accept !== null) headers.accept = accept;
  if (body !== undefined) headers['content-type'] = contentType;
  const response = await request(`${server.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  };
}

function objectsOf(response: { json?: Record<string, unknown> | undefined }): StixObject[] {
  const objects = response.json?.objects;
  return Array.isArray(objects) ? (objects as StixObject[]) : [];
}

const post = (objects: unknown[], token = tokens.writer, collection = CAMPAIGNS) =>
  call(`${root}collections/${collection}/objects/`, {
    method: 'POST',
    token,
    body: JSON.stringify({ objects }),
  });

describe('TAXII 2.1 server (real HTTP, ephemeral port)', () => {
  before(async () => {
    const environment = Object.fromEntries(
      Object.entries(tokens).map(([name, token]) => [`TOKEN_${name}`, token]),
    );
    const config = resolveTaxiiServerConfig(
      {
        store: ':memory:',
        listen: { port: 0 },
        page_size: 50,
        max_content_length: 200_000,
        collections: [
          { id: CAMPAIGNS, title: 'Distillation campaigns' },
          { id: PRIVATE, title: 'Private' },
        ],
        peers: [
          { name: 'writer', token_env: 'TOKEN_writer', read: [CAMPAIGNS], write: [CAMPAIGNS] },
          { name: 'reader', token_env: 'TOKEN_reader', read: [CAMPAIGNS] },
          { name: 'outsider', token_env: 'TOKEN_outsider' },
          { name: 'other', token_env: 'TOKEN_other', read: [PRIVATE] },
        ],
      },
      { environment },
    );
    server = await startTaxiiServer(config, {
      now,
      store: await createDuckDbTaxiiStore(':memory:'),
    });
    root = '/intel/';
  });
  after(async () => {
    await server.close();
  });

  const statusCases: {
    name: string;
    path: string;
    options: Parameters<typeof call>[1];
    status: number;
  }[] = [
    { name: 'no token', path: '/taxii2/', options: { token: null }, status: 401 },
    { name: 'unknown token', path: '/taxii2/', options: { token: 'nope' }, status: 401 },
    { name: 'no Accept', path: '/taxii2/', options: { accept: null }, status: 406 },
    { name: 'Accept JSON', path: '/taxii2/', options: { accept: 'application/json' }, status: 406 },
    {
      name: 'Accept TAXII 2.0',
      path: '/taxii2/',
      options: { accept: 'application/taxii+json;version=2.0' },
      status: 406,
    },
    {
      name: 'Accept TAXII without version',
      path: '/taxii2/',
      options: { accept: 'application/taxii+json' },
      status: 200,
    },
    {
      name: 'Accept list with TAXII 2.1',
      path: '/taxii2/',
      options: { accept: `text/html, ${TAXII};q=0.9` },
      status: 200,
    },
    { name: 'unknown path', path: '/nowhere/', options: {}, status: 404 },
    {
      name: 'unknown collection',
      path: '/intel/collections/00000000-0000-4000-8000-000000000000/',
      options: {},
      status: 404,
    },
    {
      name: 'collection the peer cannot see',
      path: `/intel/collections/${PRIVATE}/objects/`,
      options: {},
      status: 404,
    },
    {
      name: 'outsider reading',
      path: `/intel/collections/${CAMPAIGNS}/objects/`,
      options: { token: tokens.outsider },
      status: 404,
    },
    {
      name: 'DELETE on objects',
      path: `/intel/collections/${CAMPAIGNS}/objects/`,
      options: { method: 'DELETE' },
      status: 405,
    },
    {
      name: 'limit=0',
      path: `/intel/collections/${CAMPAIGNS}/objects/?limit=0`,
      options: {},
      status: 400,
    },
    {
      name: 'unknown parameter',
      path: `/intel/collections/${CAMPAIGNS}/objects/?match[colour]=red`,
      options: {},
      status: 400,
    },
    {
      name: 'bad added_after',
      path: `/intel/collections/${CAMPAIGNS}/objects/?added_after=yesterday`,
      options: {},
      status: 400,
    },
    {
      name: 'forged next',
      path: `/intel/collections/${CAMPAIGNS}/objects/?next=%%%`,
      options: {},
      status: 400,
    },
  ];
  for (const { name, path, options, status } of statusCases) {
    it(`answers ${status} for ${name}`, async () => {
      const response = await call(path, options);
      assert.equal(response.status, status);
      assert.equal(response.headers['content-type'], TAXII);
      if (status >= 400) assert.equal(response.json?.http_status, String(status));
      if (status === 401) assert.match(String(response.headers['www-authenticate']), /^Bearer/);
    });
  }

  it('serves discovery and the API root', async () => {
    const discovery = await call('/taxii2/');
    assert.equal(discovery.status, 200);
    assert.deepEqual(discovery.json?.api_roots, [`${server.url}/intel/`]);
    const apiRoot = await call(root);
    assert.deepEqual(apiRoot.json?.versions, [TAXII]);
    assert.equal(apiRoot.json?.max_content_length, 200_000);
  });

  it('lists only the collections a peer may use, with its rights', async () => {
    const writer = await call(`${root}collections/`);
    assert.deepEqual(writer.json?.collections, [
      {
        id: CAMPAIGNS,
        title: 'Distillation campaigns',
        can_read: true,
        can_write: true,
        media_types: ['application/stix+json;version=2.1'],
      },
    ]);
    const reader = await call(`${root}collections/${CAMPAIGNS}/`, { token: tokens.reader });
    assert.equal(reader.json?.can_write, false);
    assert.deepEqual((await call(`${root}collections/`, { token: tokens.outsider })).json, {});
  });

  it('refuses writes without the right (403), the media type (415) or beyond the size (413)', async () => {
    assert.equal((await post(bundle.objects, tokens.reader)).status, 403);
    const wrongType = await call(`${root}collections/${CAMPAIGNS}/objects/`, {
      method: 'POST',
      body: JSON.stringify({ objects: bundle.objects }),
      contentType: 'application/json',
    });
    assert.equal(wrongType.status, 415);
    const huge = await post([{ ...bundle.objects[0], padding_text: 'x'.repeat(250_000) }]);
    assert.equal(huge.status, 413);
    const notEnvelope = await call(`${root}collections/${CAMPAIGNS}/objects/`, {
      method: 'POST',
      body: '[1]',
    });
    assert.equal(notEnvelope.status, 400);
  });

  let firstBatchLastAdded = '';
  it('accepts a POST, reports per-object failures in a status resource only its owner can read', async () => {
    const broken = {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--9f0e6f36-ef0c-4d63-9a55-8a2d6f7b1c11',
    };
    const response = await post([...bundle.objects, broken]);
    assert.equal(response.status, 202);
    const status = response.json ?? {};
    assert.equal(status.status, 'complete');
    assert.equal(status.total_count, bundle.objects.length + 1);
    assert.equal(status.success_count, bundle.objects.length);
    assert.equal(status.failure_count, 1);
    const [failure] = status.failures as { id: string; message: string }[];
    assert.equal(failure?.id, broken.id);
    assert.match(failure?.message ?? '', /sdos\/indicator\.json/);
    const statusPath = `${root}status/${String(status.id)}/`;
    assert.equal((await call(statusPath)).json?.success_count, bundle.objects.length);
    assert.equal((await call(statusPath, { token: tokens.reader })).status, 404);
    const again = await post(bundle.objects.slice(0, 3));
    assert.deepEqual(
      ((again.json?.successes ?? []) as { message?: string }[]).map((success) => success.message),
      ['already present', 'already present', 'already present'],
    );
    let next = '';
    do {
      const manifest = await call(`${root}collections/${CAMPAIGNS}/manifest/?limit=50${next}`);
      firstBatchLastAdded = String(manifest.headers['x-taxii-date-added-last']);
      next = manifest.json?.more === true ? `&next=${String(manifest.json.next)}` : '';
    } while (next !== '');
  });

  it('pages with limit / next / more and sets the date-added headers', async () => {
    const seen: string[] = [];
    let next: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: '7', ...(next === undefined ? {} : { next }) });
      const page = await call(`${root}collections/${CAMPAIGNS}/objects/?${query}`, {
        token: tokens.reader,
      });
      assert.equal(page.status, 200);
      const objects = objectsOf(page);
      assert.ok(objects.length <= 7);
      assert.ok(
        String(page.headers['x-taxii-date-added-first']) <=
          String(page.headers['x-taxii-date-added-last']),
      );
      seen.push(...objects.map((object) => object.id));
      next = page.json?.more === true ? String(page.json.next) : undefined;
      pages++;
    } while (next !== undefined);
    assert.equal(pages, Math.ceil(bundle.objects.length / 7));
    assert.deepEqual([...seen].sort(), bundle.objects.map((object) => object.id).sort());
  });

  it('filters by match[type] and match[id], and caps limit at the page size', async () => {
    const indicators = await call(
      `${root}collections/${CAMPAIGNS}/objects/?match[type]=indicator,campaign&limit=1000`,
    );
    const types = new Set(objectsOf(indicators).map((object) => object.type));
    assert.deepEqual([...types].sort(), ['campaign', 'indicator']);
    const expected = bundle.objects.filter((object) =>
      ['indicator', 'campaign'].includes(object.type),
    );
    assert.equal(objectsOf(indicators).length, expected.length);
    const capped = await call(`${root}collections/${CAMPAIGNS}/objects/?limit=1000`);
    assert.equal(objectsOf(capped).length, 50);
    assert.equal(capped.json?.more, true);
    const id = bundle.objects[5]?.id ?? '';
    const one = await call(`${root}collections/${CAMPAIGNS}/objects/?match[id]=${id}`);
    assert.deepEqual(
      objectsOf(one).map((object) => object.id),
      [id],
    );
    const single = await call(`${root}collections/${CAMPAIGNS}/objects/${id}/`);
    assert.equal(objectsOf(single)[0]?.id, id);
    const absent = await call(
      `${root}collections/${CAMPAIGNS}/objects/indicator--00000000-0000-4000-8000-000000000000/`,
    );
    assert.equal(absent.status, 404);
  });

  it('keeps versions: last by default, first / all / exact on request, added_after for the new ones', async () => {
    const campaign = bundle.objects.find((object) => object.type === 'campaign') as StixObject;
    const newer = { ...campaign, modified: '2026-02-22T00:00:00.000Z', confidence: 99 };
    assert.equal((await post([newer])).status, 202);
    const path = `${root}collections/${CAMPAIGNS}/objects/${campaign.id}/`;
    const versionsOf = async (query: string) =>
      objectsOf(await call(`${path}${query}`)).map((object) => object.modified);
    assert.deepEqual(await versionsOf(''), ['2026-02-22T00:00:00.000Z']);
    assert.deepEqual(await versionsOf('?match[version]=first'), [campaign.modified]);
    assert.deepEqual(await versionsOf('?match[version]=all'), [
      campaign.modified,
      '2026-02-22T00:00:00.000Z',
    ]);
    assert.deepEqual(await versionsOf(`?match[version]=${campaign.modified}`), [campaign.modified]);
    const versions = await call(`${path}versions/`);
    assert.deepEqual(versions.json?.versions, [campaign.modified, '2026-02-22T00:00:00.000Z']);
    const added = await call(
      `${root}collections/${CAMPAIGNS}/objects/?added_after=${firstBatchLastAdded}`,
    );
    assert.deepEqual(
      objectsOf(added).map((object) => object.id),
      [campaign.id],
    );
    const nothing = await call(
      `${root}collections/${CAMPAIGNS}/objects/?added_after=2030-01-01T00:00:00Z`,
    );
    assert.deepEqual(nothing.json, { more: false });
  });

  it('lists a manifest with versions, dates added and media types', async () => {
    const manifest = await call(`${root}collections/${CAMPAIGNS}/manifest/?match[type]=campaign`, {
      token: tokens.reader,
    });
    const entries = manifest.json?.objects as Record<string, unknown>[];
    assert.equal(entries.length, 2);
    for (const entry of entries) {
      assert.equal(entry.media_type, 'application/stix+json;version=2.1');
      assert.match(String(entry.date_added), /^2026-03-01T00:00:\d{2}\.\d{6}Z$/);
    }
  });

  it('validates with the STIX validator: what comes out is what went in', async () => {
    const validator = createStixValidator();
    const all = await call(`${root}collections/${CAMPAIGNS}/objects/?limit=50`);
    for (const object of objectsOf(all)) {
      assert.equal(validator.validateObject(object).success, true);
    }
  });
});
