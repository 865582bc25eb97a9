import type { BucketOutcome, BucketRule } from './enforcement-state/enforcement-state.js';
import type { Dialect } from './gateway-error.js';
import { isoTimestamp } from './iso-timestamp.js';

export interface RateLimitSnapshot {
  requests: { rule: BucketRule; outcome: BucketOutcome };
  tokens: { rule: BucketRule; outcome: BucketOutcome } | null;
}

const windowSeconds = (rule: BucketRule) =>
  rule.refillPerSecond > 0 ? Math.ceil(rule.capacity / rule.refillPerSecond) : 0;
// The policy text of a rule never changes (rules are the ladder policy's own objects).
const policyTexts = new WeakMap<BucketRule, string>();
const policyText = (name: string, rule: BucketRule) => {
  let text = policyTexts.get(rule);
  if (text === undefined) {
    text = `q=${rule.capacity};w=${windowSeconds(rule)}`;
    policyTexts.set(rule, text);
  }
  return `"${name}";${text}`;
};
const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));
// `1.500` → `1.5s`, `2.000` → `2s`: trailing zeros, then a bare point, cut by hand (the regex
// replace it stands for was 2% of the gateway's own work per request in the in-process profile).
const duration = (ms: number) => {
  const text = Math.max(0, ms / 1000).toFixed(3);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 48) end -= 1;
  if (end < text.length && text.charCodeAt(end - 1) === 46) end -= 1;
  return `${end === text.length ? text : text.slice(0, end)}s`;
};

/**
 * Advertises the limits the standard way (IETF `RateLimit` / `RateLimit-Policy`) and the way each
 * SDK family's users read them (`x-ratelimit-*` for OpenAI, `anthropic-ratelimit-*` for Anthropic).
 * Written into `headers` (default: a new object), which is returned.
 */
export function rateLimitHeaders(
  dialect: Dialect,
  snapshot: RateLimitSnapshot,
  nowMs: number,
  headers: Record<string, string> = {},
): Record<string, string> {
  const { requests, tokens } = snapshot;
  const requestsLimit = `"requests";r=${Math.max(0, Math.floor(requests.outcome.remaining))};t=${seconds(requests.outcome.resetMs)}`;
  if (tokens) {
    headers['ratelimit-policy'] =
      `${policyText('requests', requests.rule)}, ${policyText('output-tokens', tokens.rule)}`;
    headers.ratelimit = `${requestsLimit}, "output-tokens";r=${Math.max(0, Math.floor(tokens.outcome.remaining))};t=${seconds(tokens.outcome.resetMs)}`;
  } else {
    headers['ratelimit-policy'] = policyText('requests', requests.rule);
    headers.ratelimit = requestsLimit;
  }
  const remainingRequests = String(Math.max(0, Math.floor(requests.outcome.remaining)));
  if (dialect === 'openai') {
    headers['x-ratelimit-limit-requests'] = String(requests.rule.capacity);
    headers['x-ratelimit-remaining-requests'] = remainingRequests;
    headers['x-ratelimit-reset-requests'] = duration(requests.outcome.resetMs);
    if (tokens) {
      headers['x-ratelimit-limit-tokens'] = String(tokens.rule.capacity);
      headers['x-ratelimit-remaining-tokens'] = String(
        Math.max(0, Math.floor(tokens.outcome.remaining)),
      );
      headers['x-ratelimit-reset-tokens'] = duration(tokens.outcome.resetMs);
    }
  } else {
    headers['anthropic-ratelimit-requests-limit'] = String(requests.rule.capacity);
    headers['anthropic-ratelimit-requests-remaining'] = remainingRequests;
    headers['anthropic-ratelimit-requests-reset'] = isoTimestamp(nowMs + requests.outcome.resetMs);
    if (tokens) {
      headers['anthropic-ratelimit-output-tokens-limit'] = String(tokens.rule.capacity);
      headers['anthropic-ratelimit-output-tokens-remaining'] = String(
        Math.max(0, Math.floor(tokens.outcome.remaining)),
      );
      headers['anthropic-ratelimit-output-tokens-reset'] = isoTimestamp(
        nowMs + tokens.outcome.resetMs,
      );
    }
  }
  return headers;
}

/** `Retry-After` (whole seconds, RFC 9110) plus the millisecond hint both official SDKs honour. */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  const ms = Number.isFinite(retryAfterMs) ? Math.max(1, Math.ceil(retryAfterMs)) : 3_600_000;
  return { 'retry-after': String(Math.ceil(ms / 1000)), 'retry-after-ms': String(ms) };
}
