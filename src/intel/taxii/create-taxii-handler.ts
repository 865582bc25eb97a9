import { isRecord } from '../../shared/is-record.js';
import type { StixValidator } from '../stix/create-stix-validator.js';
import { randomStixId } from '../stix/stix-identifier.js';
import type { StixObject } from '../stix/stix-object.js';
import { nextToken, parseObjectFilter } from './parse-object-filter.js';
import { TaxiiError } from './taxii-error.js';
import {
  acceptsTaxii,
  isTaxiiMediaType,
  STIX_MEDIA_TYPE,
  TAXII_MEDIA_TYPE,
} from './taxii-media-type.js';
import { hashToken, type TaxiiPeer, type TaxiiServerConfig } from './taxii-server-config.js';
import type { StoredObject, TaxiiStore } from './taxii-store.js';

const OBJECT_PARAMETERS = new Set([
  'added_after',
  'limit',
  'next',
  'match[id]',
  'match[type]',
  'match[version]',
  'match[spec_version]',
]);
const SINGLE_OBJECT_PARAMETERS = new Set([
  'added_after',
  'limit',
  'next',
  'match[version]',
  'match[spec_version]',
]);
const VERSIONS_PARAMETERS = new Set(['added_after', 'limit', 'next', 'match[spec_version]']);

export interface CreateTaxiiHandlerOptions {
  config: TaxiiServerConfig;
  store: TaxiiStore;
  validator: StixValidator;
  now?: () => Date;
  createStatusId?: () => string;
  /** Unexpected failures (bugs, a broken store): the client gets a bare 500, the details go here. */
  onError?: (error: unknown) => void;
}

/** A TAXII 2.1 server as a Web-standard function from a request to a response. */
export type TaxiiHandler = (request: Request) => Promise<Response>;

/**
 * The TAXII 2.1 server core: discovery, API root, collections, objects (GET with `added_after`,
 * `limit`, `next`, `match[…]`; POST returning a status resource), single objects, versions,
 * manifests and status. Every request needs `Authorization: Bearer <token>` of a configured
 * peer (401 otherwise) with the right on the collection (403), and must accept
 * `application/taxii+json;version=2.1` (406); a POST must send it (415).
 * The Node server (`serveTaxii`) is only an adapter around it.
 *
 * @example
 * const handler = createTaxiiHandler({ config, store, validator: createStixValidator() });
 * const response = await handler(new Request('http://x/taxii2/', { headers }));
 */
export function createTaxiiHandler({
  config,
  store,
  validator,
  now = () => new Date(),
  createStatusId = () => randomStixId('status').slice('status--'.length),
  onError = (error) => {
    process.stderr.write(
      `taxii: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  },
}: CreateTaxiiHandlerOptions): TaxiiHandler {
  const peersByTokenHash = new Map(config.peers.map((peer) => [peer.tokenSha256, peer]));
  const collections = new Map(config.collections.map((collection) => [collection.id, collection]));
  const rootPath = `/${config.apiRoot}/`;

  const authenticate = (request: Request): TaxiiPeer => {
    const header = request.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    const peer = token === undefined ? undefined : peersByTokenHash.get(hashToken(token));
    if (!peer) {
      throw new TaxiiError(
        401,
        'Unauthorized',
        'send Authorization: Bearer <token> of a configured peer',
        {
          'www-authenticate': `Bearer realm="${config.apiRoot}"`,
        },
      );
    }
    return peer;
  };

  const collectionFor = (peer: TaxiiPeer, id: string, right: 'read' | 'write') => {
    const collection = collections.get(id);
    if (!collection || (!peer.read.has(id) && !peer.write.has(id))) {
      throw new TaxiiError(404, 'Not found', `no collection ${id}`);
    }
    if (!peer[right].has(id)) {
      throw new TaxiiError(403, 'Forbidden', `peer ${peer.name} may not ${right} collection ${id}`);
    }
    return collection;
  };

  const describeCollection = (peer: TaxiiPeer, id: string) => {
    const collection = collections.get(id);
    return {
      id,
      title: collection?.title ?? id,
      ...(collection?.description === undefined ? {} : { description: collection.description }),
      can_read: peer.read.has(id),
      can_write: peer.write.has(id),
      media_types: [STIX_MEDIA_TYPE],
    };
  };

  const objectsResponse = async (
    collectionId: string,
    parameters: URLSearchParams,
    allowed: ReadonlySet<string>,
    render: (page: StoredObject[], more: boolean, next: string | undefined) => unknown,
    forcedFilter: { ids?: string[]; versions?: 'all' } = {},
  ): Promise<Response> => {
    const query = parseObjectFilter(parameters, { pageSize: config.pageSize, allowed });
    if (forcedFilter.ids) query.filter.ids = forcedFilter.ids;
    if (forcedFilter.versions) query.filter.versions = [{ kind: 'all' }];
    const page = await store.queryObjects(collectionId, query.filter, {
      limit: query.limit,
      ...(query.afterSequence === undefined ? {} : { afterSequence: query.afterSequence }),
    });
    const last = page.objects.at(-1);
    const next = page.more && last ? nextToken(last.sequence) : undefined;
    const headers: Record<string, string> = {};
    const first = page.objects[0];
    if (first && last) {
      headers['x-taxii-date-added-first'] = first.dateAdded;
      headers['x-taxii-date-added-last'] = last.dateAdded;
    }
    if (forcedFilter.ids && page.objects.length === 0 && query.afterSequence === undefined) {
      throw new TaxiiError(404, 'Not found', `no object ${forcedFilter.ids[0]} matches`);
    }
    return taxiiJson(200, render(page.objects, page.more, next), headers);
  };

  const addObjects = async (peer: TaxiiPeer, collectionId: string, request: Request) => {
    const contentType = request.headers.get('content-type') ?? '';
    if (!isTaxiiMediaType(contentType)) {
      throw new TaxiiError(415, 'Unsupported media type', `send Content-Type: ${TAXII_MEDIA_TYPE}`);
    }
    const declaredLength = Number(request.headers.get('content-length') ?? '0');
    if (declaredLength > config.maxContentLength) throw tooLarge(config.maxContentLength);
    const text = await request.text();
    if (Buffer.byteLength(text) > config.maxContentLength) throw tooLarge(config.maxContentLength);
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new TaxiiError(400, 'Bad request', 'the body is not JSON');
    }
    if (!isRecord(envelope) || !Array.isArray(envelope.objects)) {
      throw new TaxiiError(
        400,
        'Bad request',
        'the body must be an envelope: { "objects": [ … ] }',
      );
    }
    const requestTimestamp = now();
    const accepted: { object: StixObject; version: string | undefined }[] = [];
    const failures: { id: string; message: string }[] = [];
    for (const [index, candidate] of envelope.objects.entries()) {
      const result = validator.validateObject(candidate, `/objects/${index}`);
      if (!result.success) {
        const id =
          isRecord(candidate) && typeof candidate.id === 'string' ? candidate.id : `#${index}`;
        const { path, schemaPath, message } = result.error;
        failures.push({ id, message: `${path} (schema ${schemaPath}): ${message}` });
        continue;
      }
      const object = result.value;
      accepted.push({ object, version: object.modified ?? object.created });
    }
    const added = await store.addObjects(collectionId, accepted, requestTimestamp);
    const status = {
      id: createStatusId(),
      status: 'complete',
      request_timestamp: requestTimestamp.toISOString(),
      total_count: envelope.objects.length,
      success_count: added.length,
      successes: added.map(({ id, version, added: isNew }) => ({
        id,
        version,
        ...(isNew ? {} : { message: 'already present' }),
      })),
      failure_count: failures.length,
      failures,
      pending_count: 0,
      pendings: [],
    };
    await store.saveStatus(status.id, peer.name, status);
    return taxiiJson(202, status);
  };

  const route = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const origin = config.publicUrl ?? url.origin;
    const path = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    const peer = authenticate(request);
    if (!acceptsTaxii(request.headers.get('accept'))) {
      throw new TaxiiError(406, 'Not acceptable', `accept ${TAXII_MEDIA_TYPE}`);
    }
    const method = request.method;
    const onlyGet = () => {
      if (method !== 'GET') throw methodNotAllowed('GET');
    };
    if (path === '/taxii2/') {
      onlyGet();
      return taxiiJson(200, {
        title: config.title,
        ...(config.description === undefined ? {} : { description: config.description }),
        ...(config.contact === undefined ? {} : { contact: config.contact }),
        default: `${origin}${rootPath}`,
        api_roots: [`${origin}${rootPath}`],
      });
    }
    if (!path.startsWith(rootPath)) throw new TaxiiError(404, 'Not found', `no resource ${path}`);
    const parts = path.slice(rootPath.length).split('/').filter(Boolean).map(decodeURIComponent);
    if (parts.length === 0) {
      onlyGet();
      return taxiiJson(200, {
        title: config.title,
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: config.maxContentLength,
      });
    }
    const [section, id, child, objectId, grandchild, ...rest] = parts;
    if (section === 'status' && id !== undefined && child === undefined) {
      onlyGet();
      const status = await store.loadStatus(id, peer.name);
      if (!status) throw new TaxiiError(404, 'Not found', `no status ${id}`);
      return taxiiJson(200, status);
    }
    if (section !== 'collections' || rest.length > 0) {
      throw new TaxiiError(404, 'Not found', `no resource ${path}`);
    }
    if (id === undefined) {
      onlyGet();
      const visible = [...collections.keys()].filter(
        (key) => peer.read.has(key) || peer.write.has(key),
      );
      return taxiiJson(
        200,
        visible.length === 0
          ? {}
          : { collections: visible.map((key) => describeCollection(peer, key)) },
      );
    }
    if (child === undefined) {
      onlyGet();
      collectionFor(peer, id, peer.read.has(id) ? 'read' : 'write');
      return taxiiJson(200, describeCollection(peer, id));
    }
    if (child === 'manifest' && objectId === undefined) {
      onlyGet();
      collectionFor(peer, id, 'read');
      return objectsResponse(id, url.searchParams, OBJECT_PARAMETERS, (page, more, next) => ({
        more,
        ...(next === undefined ? {} : { next }),
        ...(page.length === 0
          ? {}
          : {
              objects: page.map((stored) => ({
                id: stored.id,
                date_added: stored.dateAdded,
                version: stored.version,
                media_type: STIX_MEDIA_TYPE,
              })),
            }),
      }));
    }
    if (child !== 'objects') throw new TaxiiError(404, 'Not found', `no resource ${path}`);
    const envelope = (page: StoredObject[], more: boolean, next: string | undefined) => ({
      more,
      ...(next === undefined ? {} : { next }),
      ...(page.length === 0 ? {} : { objects: page.map((stored) => stored.object) }),
    });
    if (objectId === undefined) {
      if (method === 'POST') return addObjects(peer, collectionFor(peer, id, 'write').id, request);
      if (method !== 'GET') throw methodNotAllowed('GET, POST');
      collectionFor(peer, id, 'read');
      return objectsResponse(id, url.searchParams, OBJECT_PARAMETERS, envelope);
    }
    onlyGet();
    collectionFor(peer, id, 'read');
    if (grandchild === undefined) {
      return objectsResponse(id, url.searchParams, SINGLE_OBJECT_PARAMETERS, envelope, {
        ids: [objectId],
      });
    }
    if (grandchild !== 'versions') throw new TaxiiError(404, 'Not found', `no resource ${path}`);
    return objectsResponse(
      id,
      url.searchParams,
      VERSIONS_PARAMETERS,
      (page, more, next) => ({
        more,
        ...(next === undefined ? {} : { next }),
        ...(page.length === 0 ? {} : { versions: page.map((stored) => stored.version) }),
      }),
      { ids: [objectId], versions: 'all' },
    );
  };

  return async (request) => {
    try {
      return await route(request);
    } catch (error) {
      if (error instanceof TaxiiError) return error.toResponse();
      onError(error);
      return new TaxiiError(500, 'Internal error', 'the server failed; see its log').toResponse();
    }
  };
}

function taxiiJson(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': TAXII_MEDIA_TYPE, ...headers },
  });
}

function methodNotAllowed(allow: string): TaxiiError {
  return new TaxiiError(405, 'Method not allowed', `use ${allow}`, { allow });
}

function tooLarge(maximum: number): TaxiiError {
  return new TaxiiError(413, 'Payload too large', `the API root accepts at most ${maximum} bytes`);
}
