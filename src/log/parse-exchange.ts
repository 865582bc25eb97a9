import type { Result } from '../shared/distillguard-error.js';
import { isRecord } from '../shared/is-record.js';
import { type AccountRecord, ENDPOINTS, type Endpoint, type Exchange } from './exchange.js';

const endpointSet = new Set<string>(ENDPOINTS);
const verificationSet = new Set(['none', 'email', 'phone', 'card', 'id', 'org']);
const programSet = new Set(['edu', 'research', 'startup']);
const optionalStrings = [
  'api_key_id',
  'org_id',
  'user_agent',
  'tls_fingerprint',
  'header_order',
] as const;

function isOptionalString(value: unknown): boolean {
  return value === undefined || value === null || typeof value === 'string';
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** True for an RFC 3339 date-time with a zone (`Z` or `±hh:mm`) that parses to a real instant. */
export function isRfc3339(value: string): boolean {
  return isPlainRfc3339(value) || (RFC_3339.test(value) && !Number.isNaN(Date.parse(value)));
}

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(value: string, at: number): number {
  const tens = value.charCodeAt(at) - 0x30;
  const units = value.charCodeAt(at + 1) - 0x30;
  return tens >= 0 && tens <= 9 && units >= 0 && units <= 9 ? tens * 10 + units : -1;
}

/**
 * The common shape (`2026-11-23T12:00:00.000Z`, `T` separator, every field in its everyday range)
 * checked on character codes: `Date.parse` accepts all of it, so the regex and the parse (~4× the
 * cost of this) are skipped. Anything else (hour 24, a space separator, …) returns false and
 * takes the full check above, so the answer is the same.
 */
function isPlainRfc3339(value: string): boolean {
  const length = value.length;
  if (length < 20) return false;
  for (let at = 0; at < 4; at++) {
    const digit = value.charCodeAt(at) - 0x30;
    if (digit < 0 || digit > 9) return false;
  }
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (
    value.charCodeAt(4) !== 0x2d ||
    value.charCodeAt(7) !== 0x2d ||
    (value.charCodeAt(10) | 0x20) !== 0x74 ||
    value.charCodeAt(13) !== 0x3a ||
    value.charCodeAt(16) !== 0x3a ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > 31 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59 ||
    second < 0 ||
    second > 59
  ) {
    return false;
  }
  let at = 19;
  if (value.charCodeAt(at) === 0x2e) {
    at += 1;
    const digitsFrom = at;
    while (at < length) {
      const digit = value.charCodeAt(at) - 0x30;
      if (digit < 0 || digit > 9) break;
      at += 1;
    }
    if (at === digitsFrom) return false;
  }
  const zone = value.charCodeAt(at);
  if ((zone | 0x20) === 0x7a) return at + 1 === length;
  if (zone !== 0x2b && zone !== 0x2d) return false;
  if (at + 6 !== length || value.charCodeAt(at + 3) !== 0x3a) return false;
  const zoneHour = twoDigits(value, at + 1);
  const zoneMinute = twoDigits(value, at + 4);
  return zoneHour >= 0 && zoneHour <= 23 && zoneMinute >= 0 && zoneMinute <= 59;
}

/**
 * Checks that a parsed JSON value is a log-v1 exchange. Unknown fields are kept (and ignored).
 * Never throws: bad input is an expected failure with a reason naming the field.
 */
export function parseExchange(value: unknown): Result<Exchange, string> {
  if (!isRecord(value)) return fail('not a JSON object');
  const { id, ts, account_id, ip, endpoint, model, request, status } = value;
  if (typeof id !== 'string' || id === '') return fail('`id` must be a non-empty string');
  if (typeof ts !== 'string' || !isRfc3339(ts)) return fail('`ts` must be an RFC 3339 time');
  if (typeof account_id !== 'string' || account_id === '') {
    return fail('`account_id` must be a non-empty string');
  }
  if (typeof ip !== 'string' || ip === '') return fail('`ip` must be a non-empty string');
  if (typeof endpoint !== 'string' || !endpointSet.has(endpoint)) {
    return fail(`\`endpoint\` must be one of ${ENDPOINTS.join(', ')}`);
  }
  if (typeof model !== 'string') return fail('`model` must be a string');
  if (!isRecord(request)) return fail('`request` must be an object');
  if (typeof status !== 'number' || !Number.isInteger(status)) {
    return fail('`status` must be an integer');
  }
  // Named reads, not a loop over field names: a keyed read per field costs more than the check.
  if (
    !isOptionalString(value.api_key_id) ||
    !isOptionalString(value.org_id) ||
    !isOptionalString(value.user_agent) ||
    !isOptionalString(value.tls_fingerprint) ||
    !isOptionalString(value.header_order)
  ) {
    for (const field of optionalStrings) {
      if (!isOptionalString(value[field]))
        return fail(`\`${field}\` must be a string when present`);
    }
  }
  const response = value.response;
  if (response !== undefined && response !== null) {
    if (!isRecord(response)) return fail('`response` must be an object when present');
    const { input_tokens, output_tokens } = response;
    if (input_tokens !== undefined && typeof input_tokens !== 'number') {
      return fail('`response.input_tokens` must be a number');
    }
    if (output_tokens !== undefined && typeof output_tokens !== 'number') {
      return fail('`response.output_tokens` must be a number');
    }
  }
  if (value.latency_ms !== undefined && typeof value.latency_ms !== 'number') {
    return fail('`latency_ms` must be a number when present');
  }
  return { success: true, value: value as unknown as Exchange };
}

/** Checks an account record (`accounts.jsonl`). */
export function parseAccountRecord(value: unknown): Result<AccountRecord, string> {
  if (!isRecord(value)) return fail('not a JSON object');
  const { account_id, created_at, verification, program } = value;
  if (typeof account_id !== 'string' || account_id === '') {
    return fail('`account_id` must be a non-empty string');
  }
  if (typeof created_at !== 'string' || !isRfc3339(created_at)) {
    return fail('`created_at` must be an RFC 3339 time');
  }
  if (verification !== undefined && !verificationSet.has(String(verification))) {
    return fail('`verification` must be one of none, email, phone, card, id, org');
  }
  if (program !== undefined && program !== null && !programSet.has(String(program))) {
    return fail('`program` must be edu, research, startup or null');
  }
  for (const field of [
    'email_domain',
    'email_hash',
    'payment_fingerprint',
    'country',
    'signup_ip',
    'org_id',
  ]) {
    const fieldValue = value[field];
    if (fieldValue !== undefined && fieldValue !== null && typeof fieldValue !== 'string') {
      return fail(`\`${field}\` must be a string when present`);
    }
  }
  return { success: true, value: value as unknown as AccountRecord };
}

export function isEndpoint(value: string): value is Endpoint {
  return endpointSet.has(value);
}

function fail(error: string): { success: false; error: string } {
  return { success: false, error };
}
