import type { Result } from '../../shared/distillguard-error.js';
import type { AccountRecord, Exchange } from '../exchange.js';
import { contentId as hashId } from './adapter-fields.js';
import type { LogAdapter } from './log-adapter.js';

/**
 * Glasswally's JSONL event (an open-source eBPF distillation detector), as its users log it.
 * Mapping to log v1 (docs/log-format.md#glasswally):
 * request_id→id (absent: a content hash), timestamp→ts (normalised to UTC ms), ip_address or
 * client_ip→ip, user_agent, model, system_prompt→request.system,
 * prompt→request.messages[0] (user), max_tokens→request.max_tokens, token_count→
 * response.input_tokens, org_id, ja3_hash→tls_fingerprint, header_order (array)→joined by `,`;
 * system_prompt_hash→request extension `x_system_prompt_hash`; payment_method_hash, country_code,
 * asn_number and asn_org go to the account side ({@link glasswallyAccount}).
 */
export interface GlasswallyEvent {
  /** Absent in the dialect of Glasswally's own generator (`tools/loggen.py`). */
  request_id?: string;
  account_id: string;
  timestamp: string | number;
  /** `client_ip` in the dialect of Glasswally's own generator. */
  ip_address?: string;
  client_ip?: string;
  system_prompt?: string | null;
  h2_settings_fp?: string | null;
  user_agent?: string | null;
  model?: string | null;
  prompt?: string | null;
  token_count?: number | null;
  payment_method_hash?: string | null;
  org_id?: string | null;
  country_code?: string | null;
  header_order?: string[] | null;
  ja3_hash?: string | null;
  asn_number?: number | null;
  asn_org?: string | null;
  max_tokens?: number | null;
  system_prompt_hash?: string | null;
}

/**
 * True when a parsed line looks like a Glasswally event rather than a log-v1 exchange: both of
 * Glasswally's dialects (its documented `request_id`/`ip_address` and its generator's
 * `client_ip` with a `timestamp`), never a line with log v1's `endpoint`.
 */
export function isGlasswallyEvent(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || 'endpoint' in value) return false;
  if ('request_id' in value && 'ip_address' in value) return true;
  return 'account_id' in value && 'timestamp' in value && 'client_ip' in value;
}

/** An id for an event that has none (see `contentId`): `gw-` and 24 hex digits. */
function contentId(event: object): string {
  return hashId('gw', event);
}

function toIsoTime(value: unknown): string | undefined {
  if (typeof value === 'number') {
    // Seconds or milliseconds since the epoch.
    const date = new Date(value < 1e12 ? value * 1000 : value);
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  if (typeof value !== 'string') return undefined;
  // Python's isoformat() without a zone means UTC in Glasswally's generators.
  const zoned = /[Zz]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Converts one Glasswally event to a log-v1 exchange. */
export function fromGlasswallyEvent(value: unknown): Result<Exchange, string> {
  if (typeof value !== 'object' || value === null) {
    return { success: false, error: 'not a JSON object' };
  }
  const event = value as Partial<GlasswallyEvent>;
  if (
    event.request_id !== undefined &&
    (typeof event.request_id !== 'string' || event.request_id === '')
  ) {
    return { success: false, error: '`request_id` must be a non-empty string when present' };
  }
  if (typeof event.account_id !== 'string' || event.account_id === '') {
    return { success: false, error: '`account_id` must be a non-empty string' };
  }
  const ts = toIsoTime(event.timestamp);
  if (!ts) return { success: false, error: '`timestamp` must be an ISO 8601 time or epoch number' };
  const ip = event.ip_address ?? event.client_ip;
  if (typeof ip !== 'string' || ip === '') {
    return { success: false, error: '`ip_address` (or `client_ip`) must be a non-empty string' };
  }
  const exchange: Exchange = {
    id: event.request_id ?? contentId(value),
    ts,
    account_id: event.account_id,
    ip,
    endpoint: 'chat.completions',
    model: typeof event.model === 'string' ? event.model : 'unknown',
    request: {
      messages: [{ role: 'user', content: typeof event.prompt === 'string' ? event.prompt : '' }],
    },
    status: 200,
  };
  if (typeof event.max_tokens === 'number') exchange.request.max_tokens = event.max_tokens;
  if (typeof event.system_prompt === 'string' && event.system_prompt !== '') {
    exchange.request.system = event.system_prompt;
  }
  if (typeof event.system_prompt_hash === 'string') {
    exchange.request.x_system_prompt_hash = event.system_prompt_hash;
  }
  if (typeof event.user_agent === 'string' && event.user_agent !== '') {
    exchange.user_agent = event.user_agent;
  }
  if (typeof event.org_id === 'string') exchange.org_id = event.org_id;
  if (typeof event.ja3_hash === 'string') exchange.tls_fingerprint = event.ja3_hash;
  // An HTTP/2 SETTINGS fingerprint identifies the client stack as JA3 does; used when JA3 is absent.
  else if (typeof event.h2_settings_fp === 'string')
    exchange.tls_fingerprint = event.h2_settings_fp;
  if (Array.isArray(event.header_order) && event.header_order.length > 0) {
    exchange.header_order = event.header_order.join(',');
  }
  if (typeof event.token_count === 'number') {
    exchange.response = {
      input_tokens: event.token_count,
      output_tokens: 0,
      stop_reason: 'unknown',
    };
  }
  return { success: true, value: exchange };
}

/** The account-side facts a Glasswally event carries (merged per account by the reader). */
export function glasswallyAccount(value: GlasswallyEvent): Partial<AccountRecord> {
  const account: Partial<AccountRecord> = { account_id: value.account_id };
  if (value.payment_method_hash) account.payment_fingerprint = value.payment_method_hash;
  if (value.country_code) account.country = value.country_code;
  if (typeof value.asn_number === 'number') account.asn = value.asn_number;
  if (value.asn_org) account.asn_org = value.asn_org;
  if (value.org_id) account.org_id = value.org_id;
  return account;
}

/** Glasswally's events as a {@link LogAdapter} (`--format glasswally`). */
export const glasswallyAdapter: LogAdapter = {
  name: 'glasswally',
  label: 'a Glasswally event log',
  sniff: isGlasswallyEvent,
  convert: fromGlasswallyEvent,
};
