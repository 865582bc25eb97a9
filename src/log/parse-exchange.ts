import type { Result } from '../shared/distillguard-error.js';
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for an RFC 3339 date-time with a zone (`Z` or `±hh:mm`) that parses to a real instant. */
export function isRfc3339(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
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
  for (const field of optionalStrings) {
    const fieldValue = value[field];
    if (fieldValue !== undefined && fieldValue !== null && typeof fieldValue !== 'string') {
      return fail(`\`${field}\` must be a string when present`);
    }
  }
  const response = value.response;
  if (response !== undefined && response !== null) {
    if (!isRecord(response)) return fail('`response` must be an object when present');
    for (const field of ['input_tokens', 'output_tokens'] as const) {
      const count = response[field];
      if (count !== undefined && typeof count !== 'number') {
        return fail(`\`response.${field}\` must be a number`);
      }
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
