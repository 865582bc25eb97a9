import { isRecord } from '../../shared/is-record.js';
import type { AccountDirectory, ApiKeyRecord } from '../control-plane/account-directory.js';
import type { AdminRoute } from '../control-plane/create-admin-api.js';
import type { EnforcementState } from '../enforcement-state/enforcement-state.js';
import type { KeyMode } from './identity-config.js';
import type { KeyDerivations } from './key-derivations.js';
import {
  type KeyImport,
  type KeyImportIssue,
  parseKeyImport,
  parseKeyImports,
} from './parse-key-imports.js';

/** What one entry did: a new key, nothing (already there), or a revocation of a stored key. */
type Outcome = 'created' | 'unchanged' | 'revoked';

// The response lists at most this many rejected entries (the count is always complete).
const MAX_ISSUES_SHOWN = 100;

const json = (value: unknown, status = 200) => Response.json(value, { status });

/**
 * The admin routes that import existing customer keys (identity modes `imported` and
 * `passthrough`): `POST /admin/accounts/:id/keys/import` for one key and `POST /admin/keys/import`
 * for many (JSON array or JSON Lines). The provider sends the SHA-256 of each key (or the key,
 * hashed on arrival); only the keyed hash of that SHA-256 is stored, under a key id derived from
 * it, so importing the same file twice changes nothing. A bulk import is all or nothing: any
 * rejected entry (bad field, a key already bound to another account) and none is applied. Each
 * key created or revoked is audited. No account record is invented for an unknown account: its
 * `created_at` would be the import time, which would make every imported account look a day old
 * to detection (`account_age`) and put them all in one signup burst (a linkage key).
 */
export function createKeyImportApi({
  mode,
  derivations,
  directory,
  state,
  now,
}: {
  mode: KeyMode;
  derivations: KeyDerivations | null;
  directory: AccountDirectory;
  state: EnforcementState;
  now: () => number;
}): AdminRoute {
  const keyIdOf = (hash: string) => `key_imp_${hash.slice(0, 20)}`;

  /** Checks every entry against the directory and the entries before it; applies nothing. */
  function plan(entries: readonly KeyImport[]) {
    const issues: KeyImportIssue[] = [];
    const planned = new Map<string, { entry: KeyImport; outcome: Outcome; record: ApiKeyRecord }>();
    for (const entry of entries) {
      const hash = derivations?.importedFromSha256(entry.sha256Hex) ?? '';
      const held = planned.get(hash)?.record ?? directory.findKeyByHash(hash);
      if (held && held.accountId !== entry.accountId) {
        issues.push({
          line: entry.line,
          code: 'key_conflict',
          message: `this key is already bound to another account (${held.accountId})`,
        });
        continue;
      }
      if (held) {
        const revoke = entry.revokedAt !== undefined && held.revokedAt === null;
        if (revoke && !planned.has(hash))
          planned.set(hash, { entry, outcome: 'revoked', record: held });
        else if (!planned.has(hash))
          planned.set(hash, { entry, outcome: 'unchanged', record: held });
        continue;
      }
      planned.set(hash, {
        entry,
        outcome: 'created',
        record: {
          keyId: keyIdOf(hash),
          accountId: entry.accountId,
          hash,
          createdAt: entry.createdAt ?? new Date(now()).toISOString(),
          revokedAt: entry.revokedAt ?? null,
        },
      });
    }
    return { issues, planned: [...planned.values()] };
  }

  async function apply(
    planned: ReturnType<typeof plan>['planned'],
    actor: string,
  ): Promise<Response | Record<Outcome, number>> {
    const at = new Date(now()).toISOString();
    const counts: Record<Outcome, number> = { created: 0, unchanged: 0, revoked: 0 };
    const audits: Promise<void>[] = [];
    for (const { entry, outcome, record } of planned) {
      counts[outcome] += 1;
      if (outcome === 'unchanged') continue;
      if (outcome === 'created') directory.addKey(record);
      else directory.revokeKey(record.keyId, entry.revokedAt ?? at);
      audits.push(
        state.appendAudit({
          at,
          actor,
          subject: { kind: 'account', id: record.accountId },
          before: null,
          after: null,
          note: `key ${outcome === 'created' ? 'imported' : 'revoked by import'}: ${record.keyId}`,
        }),
      );
    }
    try {
      await Promise.all(audits);
      await directory.flush?.();
    } catch (error) {
      return json(
        {
          error: {
            code: 'control_plane_unavailable',
            message: `Applied on this replica only: ${error instanceof Error ? error.message : String(error)}. Retry (the import is idempotent).`,
          },
        },
        503,
      );
    }
    return counts;
  }

  const refused = (status: number, code: string, message: string, extra = {}) =>
    json({ error: { code, message, ...extra } }, status);

  return async (request, url, parts, readText) => {
    const [, resource, id, sub, action] = parts;
    const single =
      resource === 'accounts' && id !== undefined && sub === 'keys' && action === 'import';
    const bulk = resource === 'keys' && id === 'import' && sub === undefined;
    if (!single && !bulk) return null;
    if (request.method !== 'POST')
      return refused(405, 'method_not_allowed', `Use POST for ${url.pathname}.`);
    if (mode !== 'imported' && mode !== 'passthrough')
      return refused(
        409,
        'key_import_disabled',
        `Key import needs identity.mode imported or passthrough (this gateway runs ${mode}).`,
      );
    const actor = url.searchParams.get('actor') || 'admin';
    const body = await readText();
    let entries: KeyImport[];
    if (single) {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        return refused(400, 'malformed_json', 'The body is not JSON.');
      }
      const entry = parseKeyImport(isRecord(value) ? value : null, id);
      if ('code' in entry) return refused(400, entry.code, entry.message);
      entries = [entry];
    } else {
      const parsed = parseKeyImports(body);
      if (parsed.issues.length > 0)
        return refused(400, 'invalid_import', importIssuesMessage(parsed.issues.length), {
          issues: parsed.issues.slice(0, MAX_ISSUES_SHOWN),
          rejected: parsed.issues.length,
        });
      entries = parsed.entries;
    }
    const { issues, planned } = plan(entries);
    if (issues.length > 0)
      return single
        ? refused(409, issues[0]?.code ?? 'key_conflict', issues[0]?.message ?? '')
        : refused(409, 'import_conflict', importIssuesMessage(issues.length), {
            issues: issues.slice(0, MAX_ISSUES_SHOWN),
            rejected: issues.length,
          });
    const counts = await apply(planned, actor);
    if (counts instanceof Response) return counts;
    if (single) {
      const [only] = planned;
      return json(
        {
          key_id: only?.record.keyId,
          account_id: id,
          status: only?.outcome,
          account_known: directory.getAccount(id) !== undefined,
        },
        counts.created > 0 ? 201 : 200,
      );
    }
    return json({ ...counts, total: entries.length });
  };
}

const importIssuesMessage = (count: number) =>
  `${count} entr${count === 1 ? 'y was' : 'ies were'} rejected; nothing was imported. Fix them and send the whole file again (the import is idempotent).`;
