import { hash as digest } from 'node:crypto';
import { z } from 'zod';

/** One key to import, as validated: only the SHA-256 of the key is kept from here on. */
export interface KeyImport {
  /** Its line (JSON Lines) or position (JSON array), from 1. */
  line: number;
  accountId: string;
  sha256Hex: string;
  createdAt?: string;
  revokedAt?: string;
}

/** A rejected entry: its line (JSONL) or position (JSON array), from 1, and why. */
export interface KeyImportIssue {
  line: number;
  code: string;
  message: string;
}

const text = z.string().min(1).max(256);
const timestamp = z.iso.datetime({ offset: true });
const fields = {
  // The key in clear, when the provider has it: hashed here at once, never stored or echoed.
  key: z
    .string()
    .min(8)
    .max(1024)
    .regex(/^[\x21-\x7e]+$/, 'expected visible ASCII without spaces')
    .optional(),
  // What most key stores keep: the SHA-256 of the key's UTF-8 bytes, in hex.
  key_sha256: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex digits (the SHA-256 of the key)')
    .optional(),
  created_at: timestamp.optional(),
  revoked_at: timestamp.nullable().optional(),
};
const bulkEntry = z.object({ account_id: text, ...fields }).strict();
const singleEntry = z.object(fields).strict();

/** Messages name the field and the rule, never the value (it may be a key). */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}`;
}

function toImport(
  value: { key?: string | undefined; key_sha256?: string | undefined } & {
    created_at?: string | undefined;
    revoked_at?: string | null | undefined;
  },
  accountId: string,
  line: number,
): KeyImport | string {
  if ((value.key === undefined) === (value.key_sha256 === undefined))
    return 'give exactly one of key and key_sha256';
  const sha256Hex =
    value.key !== undefined ? digest('sha256', value.key, 'hex') : (value.key_sha256 ?? '');
  return {
    line,
    accountId,
    sha256Hex: sha256Hex.toLowerCase(),
    ...(value.created_at ? { createdAt: value.created_at } : {}),
    ...(value.revoked_at ? { revokedAt: value.revoked_at } : {}),
  };
}

/**
 * Parses a bulk import body: a JSON array of entries, one JSON object, or JSON Lines (blank
 * lines skipped). Each entry is `{ account_id, key | key_sha256, created_at?, revoked_at? }`.
 */
export function parseKeyImports(body: string): { entries: KeyImport[]; issues: KeyImportIssue[] } {
  let values: Array<{ line: number; value: unknown }> = [];
  const issues: KeyImportIssue[] = [];
  const trimmed = body.trim();
  let whole: unknown;
  let parsedWhole = false;
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      whole = JSON.parse(trimmed);
      parsedWhole = true;
    } catch {
      // Several objects (JSON Lines) do not parse as one document; an array must.
      if (trimmed.startsWith('[')) {
        issues.push({ line: 1, code: 'malformed_json', message: 'the JSON array does not parse' });
        return { entries: [], issues };
      }
    }
  }
  if (parsedWhole) {
    const leading = body.slice(0, body.length - body.trimStart().length);
    values = Array.isArray(whole)
      ? whole.map((value, index) => ({ line: index + 1, value }))
      : [{ line: leading.split('\n').length, value: whole }];
  } else
    body.split('\n').forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        values.push({ line: index + 1, value: JSON.parse(line) });
      } catch {
        issues.push({ line: index + 1, code: 'malformed_json', message: 'the line is not JSON' });
      }
    });
  const entries: KeyImport[] = [];
  for (const { line, value } of values) {
    const parsed = bulkEntry.safeParse(value);
    if (!parsed.success) {
      issues.push({ line, code: 'invalid_key_import', message: describe(parsed.error) });
      continue;
    }
    const entry = toImport(parsed.data, parsed.data.account_id, line);
    if (typeof entry === 'string')
      issues.push({ line, code: 'invalid_key_import', message: entry });
    else entries.push(entry);
  }
  if (values.length === 0 && issues.length === 0)
    issues.push({ line: 1, code: 'empty_import', message: 'the body holds no entries' });
  issues.sort((first, second) => first.line - second.line);
  return { entries, issues };
}

/** Parses the one-key route's body (`{ key | key_sha256, created_at?, revoked_at? }`). */
export function parseKeyImport(value: unknown, accountId: string): KeyImport | KeyImportIssue {
  const parsed = singleEntry.safeParse(value);
  if (!parsed.success)
    return { line: 1, code: 'invalid_key_import', message: describe(parsed.error) };
  const entry = toImport(parsed.data, accountId, 1);
  return typeof entry === 'string'
    ? { line: 1, code: 'invalid_key_import', message: entry }
    : entry;
}
