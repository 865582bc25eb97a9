import type { Result } from '../shared/distillguard-error.js';
import type { AccountRecord, Exchange } from './exchange.js';

/**
 * Glasswally's JSONL event (an open-source eBPF distillation detector), as its users log it.
 * Mapping to log v1 (docs/log-format.md#glasswally):
 * request_id→id, timestamp→ts (normalised to UTC ms), ip_address→ip, user_agent, model,
 * prompt→request.messages[0] (user), max_tokens→request.max_tokens, token_count→
 * response.input_tokens, org_id, ja3_hash→tls_fingerprint, header_order (array)→joined by `,`;
 * system_prompt_hash→request extension `x_system_prompt_hash`; payment_method_hash, country_code,
 * asn_number and asn_org go to the account side ({@link glasswallyAccount}).
 */
export interface GlasswallyEvent {
  request_id: string;
  account_id: string;
  timestamp: string | number;
  ip_address: string;
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

/** True when a parsed line looks like a Glasswally event rather than a log-v1 exchange. */
export function isGlasswallyEvent(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    'request_id' in value &&
    'ip_address' in value &&
    !('endpoint' in value)
  );
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
  if (typeof event.request_id !== 'string' || event.request_id === '') {
    return { success: false, error: '`request_id` must be a non-empty string' };
  }
  if (typeof event.account_id !== 'string' || event.account_id === '') {
    return { success: false, error: '`account_id` must be a non-empty string' };
  }
  const ts = toIsoTime(event.timestamp);
  if (!ts) return { success: false, error: '`timestamp` must be an ISO 8601 time or epoch number' };
  if (typeof event.ip_address !== 'string' || event.ip_address === '') {
    return { success: false, error: '`ip_address` must be a non-empty string' };
  }
  const exchange: Exchange = {
    id: event.request_id,
    ts,
    account_id: event.account_id,
    ip: event.ip_address,
    endpoint: 'chat.completions',
    model: typeof event.model === 'string' ? event.model : 'unknown',
    request: {
      messages: [{ role: 'user', content: typeof event.prompt === 'string' ? event.prompt : '' }],
    },
    status: 200,
  };
  if (typeof event.max_tokens === 'number') exchange.request.max_tokens = event.max_tokens;
  if (typeof event.system_prompt_hash === 'string') {
    exchange.request.x_system_prompt_hash = event.system_prompt_hash;
  }
  if (typeof event.user_agent === 'string' && event.user_agent !== '') {
    exchange.user_agent = event.user_agent;
  }
  if (typeof event.org_id === 'string') exchange.org_id = event.org_id;
  if (typeof event.ja3_hash === 'string') exchange.tls_fingerprint = event.ja3_hash;
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
