/**
 * Exchange log format v1 (contract: docs/log-format.md).
 *
 * One JSON object per line; unknown fields are ignored by readers.
 */

/** The API surface a request was sent to. */
export type Endpoint = 'chat.completions' | 'messages' | 'responses' | 'completions';

export const ENDPOINTS: readonly Endpoint[] = [
  'chat.completions',
  'messages',
  'responses',
  'completions',
];

/** A content part in OpenAI (`text`, `image_url`) or Anthropic (`text`, `image`, `tool_use`, …) shape. */
export interface ContentPart {
  type: string;
  text?: string;
  [field: string]: unknown;
}

/** One chat message in OpenAI Chat Completions or Anthropic Messages shape. */
export interface Message {
  role: string;
  content: string | ContentPart[] | null;
  [field: string]: unknown;
}

/** The body the client sent. Only the fields the engine reads are typed; the rest pass through. */
export interface ExchangeRequest {
  messages?: Message[];
  /** Anthropic top-level system prompt (string or text blocks). */
  system?: string | ContentPart[];
  /** OpenAI `responses` / legacy `completions` input. */
  input?: unknown;
  prompt?: unknown;
  tools?: unknown[];
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stream?: boolean;
  [field: string]: unknown;
}

export interface ExchangeResponse {
  text?: string;
  input_tokens: number;
  output_tokens: number;
  reasoning_tokens?: number;
  stop_reason: string;
}

/**
 * Extension (gateway): the served text carries a watermark. `level` is `text` (the gateway's
 * lexical watermark); the key is the account's key for `key_epoch` (never the key itself).
 */
export interface ExchangeWatermark {
  level: 'text';
  key_epoch: number;
}

/**
 * Extension (gateway): the request was stored in a safe, truncated form (`request` keeps only
 * `model`). `reason`: `unserialisable` (the body could not be serialised, e.g. nested thousands
 * deep), `body_cap` (an unauthenticated or refused request's body over the stored-body cap),
 * `sink_rejected` (the store refused this record alone).
 */
export interface ExchangeTruncation {
  field: 'request';
  reason: 'unserialisable' | 'body_cap' | 'sink_rejected';
  /** Size of the body the client sent, in bytes, when known. */
  bytes?: number;
  /** The first characters of that body, when kept. */
  preview?: string;
}

/**
 * Extension (gateway): what the gateway decided for this request and why, so an appeal can be
 * answered from the record alone. `action` is the ladder rung applied (`allow`, `throttle`,
 * `degrade`, `challenge`, `suspend`) or `none` when the request never reached the ladder;
 * `reasons` are codes (`engine_attack`, `manual`, `persistence`, `rate_limit_requests`, …);
 * `score` is the engine's score when one was computed; `source` says who decided.
 */
export interface ExchangeEnforcement {
  action: string;
  reasons: string[];
  score?: number;
  source: 'engine' | 'manual' | 'applied' | 'persistence' | 'fail_open' | 'gateway';
}

/**
 * Extension (gateway): what a request really was when `endpoint` names its nearest v1 surface.
 * `embeddings`: OpenAI `/v1/embeddings`, recorded with `endpoint: completions` (a prompt in, no
 * text out); `count_tokens`: Anthropic `/v1/messages/count_tokens`, recorded with `endpoint:
 * messages`. Both have a `response` with `input_tokens`, `output_tokens: 0` and no `text`.
 */
export type ExchangeOperation = 'embeddings' | 'count_tokens';

/**
 * Extension (gateway): the exchange is one line of a batch (OpenAI `/v1/batches` or Anthropic
 * `/v1/messages/batches`), scored when the batch was submitted. `id` is the batch's id (absent
 * when the batch was refused), `custom_id` the line's, `line` its position from 1.
 */
export interface ExchangeBatchLine {
  id?: string;
  custom_id: string;
  line: number;
}

/** One API exchange (request and, when served, its response). */
export interface Exchange {
  id: string;
  /** RFC 3339 UTC, millisecond precision, e.g. `2026-02-01T12:00:00.000Z`. */
  ts: string;
  account_id: string;
  api_key_id?: string;
  org_id?: string;
  ip: string;
  user_agent?: string;
  /** JA3/JA4 hash. */
  tls_fingerprint?: string;
  /** Header names joined by `,`. */
  header_order?: string;
  endpoint: Endpoint;
  model: string;
  request: ExchangeRequest;
  response?: ExchangeResponse;
  status: number;
  latency_ms?: number;
  /** Extension: set when the gateway watermarked the served text (see `ExchangeWatermark`). */
  watermark?: ExchangeWatermark;
  /** Extension: set when the gateway stored the request truncated (see `ExchangeTruncation`). */
  truncated?: ExchangeTruncation;
  /** Extension: the gateway's decision for this request (see `ExchangeEnforcement`). */
  enforcement?: ExchangeEnforcement;
  /** Extension: set when the request was embeddings or count_tokens (see `ExchangeOperation`). */
  operation?: ExchangeOperation;
  /** Extension: set when the exchange is one line of a batch (see `ExchangeBatchLine`). */
  batch?: ExchangeBatchLine;
}

export type Verification = 'none' | 'email' | 'phone' | 'card' | 'id' | 'org';
export type Program = 'edu' | 'research' | 'startup';

/** An account record (`accounts.jsonl`, optional input to `analyze`). */
export interface AccountRecord {
  account_id: string;
  /** RFC 3339 UTC. */
  created_at: string;
  email_domain?: string;
  email_hash?: string;
  payment_fingerprint?: string;
  country?: string;
  signup_ip?: string;
  verification?: Verification;
  program?: Program | null;
  org_id?: string;
  /** Extension (documented in docs/log-format.md): autonomous system of the signup IP. */
  asn?: number;
  asn_org?: string;
}

export type TruthLabel = 'attack' | 'legit' | 'mixed';

/** Ground truth per account (`truth.jsonl`, simulator output only; never read by the detector). */
export interface TruthRecord {
  account_id: string;
  label: TruthLabel;
  campaign_id: string | null;
  operator: string | null;
  /** Extension: the persona (legit) or campaign profile (attack) that generated the account. */
  persona?: string;
  /** Extension: for legit accounts, the hard-negative group name, if any (`eval_harness`, `etl`, …). */
  group?: string | null;
}

/** One attack exchange sent through a `mixed` account (`truth-exchanges.jsonl`). */
export interface TruthExchange {
  id: string;
  campaign_id: string;
}
