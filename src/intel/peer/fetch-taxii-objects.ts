import { request } from 'undici';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { isRecord } from '../../shared/is-record.js';
import { TAXII_MEDIA_TYPE } from '../taxii/taxii-media-type.js';

export interface FetchTaxiiObjectsOptions {
  /** Bearer token of this peer at the server (never logged). */
  token?: string | undefined;
  /** Page size asked for; the server may return fewer. */
  limit?: number;
  /** Stop after this many pages (a guard against a server that never ends). */
  maximumPages?: number;
  addedAfter?: string | undefined;
}

/**
 * Reads every object of a TAXII 2.1 collection (`…/collections/<id>/` or its `objects/` URL),
 * following `next` until `more` is false.
 *
 * @example
 * const objects = await fetchTaxiiObjects('https://intel.example/api/collections/9c…/', { token });
 */
export async function fetchTaxiiObjects(
  collectionUrl: string,
  { token, limit = 500, maximumPages = 10_000, addedAfter }: FetchTaxiiObjectsOptions = {},
): Promise<unknown[]> {
  const base = new URL(collectionUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  if (!base.pathname.endsWith('/objects/')) base.pathname += 'objects/';
  const objects: unknown[] = [];
  let next: string | undefined;
  for (let page = 0; page < maximumPages; page++) {
    const url = new URL(base);
    url.searchParams.set('limit', String(limit));
    if (addedAfter !== undefined) url.searchParams.set('added_after', addedAfter);
    if (next !== undefined) url.searchParams.set('next', next);
    let response: Awaited<ReturnType<typeof request>>;
    let text: string;
    try {
      response = await request(url, {
        headers: {
          accept: TAXII_MEDIA_TYPE,
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        },
      });
      text = await response.body.text();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DistillguardError(
        'taxii_unreachable',
        `Cannot reach ${url.origin}: ${reason}. Check the URL and that the server is running.`,
      );
    }
    if (response.statusCode !== 200) {
      throw new DistillguardError(
        'taxii_request_failed',
        `${url.origin}${url.pathname} answered HTTP ${response.statusCode}` +
          (response.statusCode === 401 || response.statusCode === 403
            ? '; check the token (DISTILLGUARD_TAXII_TOKEN or --token-file) and its read right.'
            : '.'),
        { status: response.statusCode },
      );
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch {
      throw new DistillguardError('taxii_response_invalid', `${url.pathname} did not return JSON.`);
    }
    if (!isRecord(envelope)) {
      throw new DistillguardError('taxii_response_invalid', `${url.pathname}: not an envelope.`);
    }
    if (Array.isArray(envelope.objects)) objects.push(...envelope.objects);
    if (envelope.more !== true || typeof envelope.next !== 'string') return objects;
    next = envelope.next;
  }
  throw new DistillguardError(
    'taxii_too_many_pages',
    `Stopped after ${maximumPages} pages; raise the limit or filter with added_after.`,
  );
}
