import { randomUUID } from 'node:crypto';
import { isRecord } from '../../shared/is-record.js';

/** Runs one batch line against the demo's own synchronous routes. */
export type RunLine = (path: string, body: unknown) => Promise<{ status: number; body: unknown }>;

const notFound = (what: string) =>
  Response.json(
    {
      error: { message: `No such ${what}`, type: 'invalid_request_error', param: null, code: null },
    },
    { status: 404 },
  );
const badRequest = (message: string) =>
  Response.json(
    { error: { message, type: 'invalid_request_error', param: null, code: null } },
    { status: 400 },
  );
const seconds = () => Math.floor(Date.now() / 1000);

/**
 * The demo upstream's files and batch APIs: OpenAI `/v1/files` and `/v1/batches`, Anthropic
 * `/v1/messages/batches`, held in memory. A batch is run to its end when it is created (each
 * line through the demo's own routes), so its results are ready at once.
 */
export function createDemoBatches(run: RunLine): {
  handle(request: Request, path: string, body: Buffer): Promise<Response | null>;
} {
  const files = new Map<string, { meta: Record<string, unknown>; content: string }>();
  const batches = new Map<string, Record<string, unknown>>();
  const messageBatches = new Map<string, { batch: Record<string, unknown>; results: string }>();

  const addFile = (filename: string, purpose: string, content: string) => {
    const id = `file-${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const meta = {
      id,
      object: 'file',
      bytes: Buffer.byteLength(content),
      created_at: seconds(),
      filename,
      purpose,
      status: 'processed',
    };
    files.set(id, { meta, content });
    return meta;
  };

  const createBatch = async (input: Record<string, unknown>) => {
    const file = files.get(String(input.input_file_id));
    if (!file) return notFound('File');
    const endpoint = String(input.endpoint);
    const out: string[] = [];
    let failed = 0;
    for (const row of file.content.split('\n')) {
      if (row.trim() === '') continue;
      const line = JSON.parse(row) as { custom_id: string; body: unknown };
      const answer = await run(endpoint, line.body);
      if (answer.status !== 200) failed += 1;
      out.push(
        JSON.stringify({
          id: `batch_req_${randomUUID().slice(0, 12)}`,
          custom_id: line.custom_id,
          response: { status_code: answer.status, request_id: randomUUID(), body: answer.body },
          error: null,
        }),
      );
    }
    const output = addFile('batch_output.jsonl', 'batch_output', `${out.join('\n')}\n`);
    const now = seconds();
    const batch = {
      id: `batch_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      object: 'batch',
      endpoint,
      errors: null,
      input_file_id: input.input_file_id,
      completion_window: input.completion_window ?? '24h',
      status: 'completed',
      output_file_id: output.id,
      error_file_id: null,
      created_at: now,
      in_progress_at: now,
      expires_at: now + 86_400,
      finalizing_at: now,
      completed_at: now,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: out.length, completed: out.length - failed, failed },
      metadata: isRecord(input.metadata) ? input.metadata : null,
    };
    batches.set(batch.id, batch);
    return Response.json(batch);
  };

  const createMessageBatch = async (input: Record<string, unknown>, origin: string) => {
    const requests = Array.isArray(input.requests) ? input.requests : [];
    const results: string[] = [];
    let errored = 0;
    for (const request of requests) {
      if (!isRecord(request)) continue;
      const answer = await run('/v1/messages', request.params);
      const result =
        answer.status === 200
          ? { type: 'succeeded', message: answer.body }
          : { type: 'errored', error: answer.body };
      if (answer.status !== 200) errored += 1;
      results.push(JSON.stringify({ custom_id: request.custom_id, result }));
    }
    const id = `msgbatch_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const now = new Date().toISOString();
    const batch = {
      id,
      type: 'message_batch',
      processing_status: 'ended',
      request_counts: {
        processing: 0,
        succeeded: results.length - errored,
        errored,
        canceled: 0,
        expired: 0,
      },
      ended_at: now,
      created_at: now,
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: `${origin}/v1/messages/batches/${id}/results`,
    };
    messageBatches.set(id, { batch, results: `${results.join('\n')}\n` });
    return Response.json(batch);
  };

  const list = (items: Iterable<Record<string, unknown>>) => {
    const data = [...items];
    return Response.json({
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: false,
    });
  };

  return {
    async handle(request, path, body) {
      const method = request.method;
      const json = (): Record<string, unknown> => {
        const value: unknown = JSON.parse(body.toString('utf8') || '{}');
        return isRecord(value) ? value : {};
      };
      if (path === '/v1/files' && method === 'POST') {
        const form = await new Response(body, {
          headers: { 'content-type': request.headers.get('content-type') ?? '' },
        }).formData();
        const file = form.get('file');
        if (!file || typeof file === 'string') return badRequest('file is required');
        return Response.json(addFile(file.name, String(form.get('purpose')), await file.text()));
      }
      if (path === '/v1/files' && method === 'GET')
        return list([...files.values()].map((f) => f.meta));
      const file = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
      if (file) {
        const entry = files.get(file[1] as string);
        if (!entry) return notFound('File');
        if (file[2])
          return new Response(entry.content, {
            headers: { 'content-type': 'application/octet-stream' },
          });
        if (method === 'DELETE') {
          files.delete(file[1] as string);
          return Response.json({ id: file[1], object: 'file', deleted: true });
        }
        return Response.json(entry.meta);
      }
      if (path === '/v1/batches' && method === 'POST') return createBatch(json());
      if (path === '/v1/batches' && method === 'GET') return list(batches.values());
      const batch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
      if (batch) {
        const entry = batches.get(batch[1] as string);
        return entry ? Response.json(entry) : notFound('Batch');
      }
      if (path === '/v1/messages/batches' && method === 'POST')
        return createMessageBatch(json(), new URL(request.url).origin);
      if (path === '/v1/messages/batches' && method === 'GET')
        return list([...messageBatches.values()].map((entry) => entry.batch));
      const messageBatch = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/.exec(path);
      if (messageBatch) {
        const entry = messageBatches.get(messageBatch[1] as string);
        if (!entry) return notFound('message batch');
        if (messageBatch[2] === '/results')
          return new Response(entry.results, {
            headers: { 'content-type': 'application/binary' },
          });
        if (method === 'DELETE') {
          messageBatches.delete(messageBatch[1] as string);
          return Response.json({ id: messageBatch[1], type: 'message_batch_deleted' });
        }
        return Response.json(entry.batch);
      }
      return null;
    },
  };
}
