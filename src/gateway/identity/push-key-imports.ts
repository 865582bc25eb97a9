import { DistillguardError } from '../../shared/distillguard-error.js';
import { isRecord } from '../../shared/is-record.js';
import { type KeyImport, type KeyImportIssue, parseKeyImports } from './parse-key-imports.js';

/** Totals over every batch a gateway accepted. */
export interface KeyImportTotals {
  created: number;
  unchanged: number;
  revoked: number;
  total: number;
  batches: number;
}

const describeIssues = (issues: readonly KeyImportIssue[]) =>
  issues
    .slice(0, 5)
    .map((issue) => `line ${issue.line}: ${issue.code}: ${issue.message}`)
    .join('; ');

const wireEntry = (entry: KeyImport) => ({
  account_id: entry.accountId,
  key_sha256: entry.sha256Hex,
  ...(entry.createdAt ? { created_at: entry.createdAt } : {}),
  ...(entry.revokedAt ? { revoked_at: entry.revokedAt } : {}),
});

/**
 * The client side of `POST /admin/keys/import` (the `distillguard keys import` command): checks
 * the whole file with the gateway's own parser first (any bad line and nothing is sent), hashes
 * keys given in clear here, so only their SHA-256 crosses the network, and sends the entries in
 * batches. A refused batch stops the run; the batches before it stay imported, and running again
 * is safe (the import is idempotent). Line numbers in errors are the file's.
 *
 * @example
 * await pushKeyImports({ body: await readFile('keys.jsonl', 'utf8'), gateway, adminToken });
 */
export async function pushKeyImports({
  body,
  gateway,
  adminToken,
  batchSize = 5_000,
  actor = 'cli',
  fetchImpl = fetch,
}: {
  body: string;
  /** The gateway's base URL (`http://gateway:8080`). */
  gateway: string;
  adminToken: string;
  batchSize?: number;
  actor?: string;
  fetchImpl?: typeof fetch;
}): Promise<KeyImportTotals> {
  const { entries, issues } = parseKeyImports(body);
  if (issues.length > 0)
    throw new DistillguardError(
      'key_import_invalid',
      `${issues.length} entries rejected, nothing was sent: ${describeIssues(issues)}`,
      { issues },
    );
  const totals: KeyImportTotals = { created: 0, unchanged: 0, revoked: 0, total: 0, batches: 0 };
  const url = `${gateway.replace(/\/+$/, '')}/admin/keys/import?actor=${encodeURIComponent(actor)}`;
  for (let start = 0; start < entries.length; start += batchSize) {
    const batch = entries.slice(start, start + batchSize);
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${adminToken}`,
          'content-type': 'application/x-ndjson',
        },
        body: batch.map((entry) => JSON.stringify(wireEntry(entry))).join('\n'),
      });
    } catch (error) {
      throw new DistillguardError(
        'gateway_unreachable',
        `cannot reach ${gateway}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const answer: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const failure = isRecord(answer) && isRecord(answer.error) ? answer.error : {};
      // The gateway numbers the batch's own lines; name the file's instead.
      const batchIssues = Array.isArray(failure.issues)
        ? (failure.issues as KeyImportIssue[]).map((issue) => ({
            ...issue,
            line: batch[issue.line - 1]?.line ?? issue.line,
          }))
        : [];
      const first = batch[0]?.line ?? 0;
      const last = batch.at(-1)?.line ?? 0;
      throw new DistillguardError(
        'key_import_refused',
        `the gateway answered ${response.status} ${String(failure.code ?? '')} for lines ${first}-${last}` +
          `${batchIssues.length > 0 ? ` (${describeIssues(batchIssues)})` : `: ${String(failure.message ?? '')}`}; ` +
          `${totals.batches} earlier batch(es) were imported; running again is safe.`,
        { status: response.status, issues: batchIssues },
      );
    }
    const counts = isRecord(answer) ? answer : {};
    for (const name of ['created', 'unchanged', 'revoked', 'total'] as const)
      totals[name] += typeof counts[name] === 'number' ? counts[name] : 0;
    totals.batches += 1;
  }
  return totals;
}
