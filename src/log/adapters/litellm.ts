import { isRecord } from '../../shared/is-record.js';
import type { Endpoint, Exchange } from '../exchange.js';
import {
  count,
  isoTime,
  missingBody,
  record,
  requestBody,
  responseFrom,
  text,
  UNKNOWN_IP,
} from './adapter-fields.js';
import type { LogAdapter } from './log-adapter.js';

// LiteLLM's `call_type` values (sync and async spellings) for the calls log v1 scores.
const ENDPOINT_OF_CALL: Record<string, Endpoint> = {
  completion: 'chat.completions',
  acompletion: 'chat.completions',
  text_completion: 'completions',
  atext_completion: 'completions',
  responses: 'responses',
  aresponses: 'responses',
  anthropic_messages: 'messages',
  aanthropic_messages: 'messages',
};

/**
 * A row of LiteLLM proxy's `LiteLLM_SpendLogs` table, as `/spend/logs` or a database export
 * gives it (JSON or JSON Lines). Mapping and missing evidence: docs/log-adapters.md#litellm.
 */
export const litellmAdapter: LogAdapter = {
  name: 'litellm',
  label: 'a LiteLLM spend log',
  sniff: (value) =>
    isRecord(value) && 'request_id' in value && 'call_type' in value && 'startTime' in value,
  convert(value) {
    if (!isRecord(value)) return { success: false, error: 'not a JSON object' };
    const id = text(value.request_id);
    if (!id) return { success: false, error: 'litellm: `request_id` must be a non-empty string' };
    const ts = isoTime(value.startTime);
    if (!ts) return { success: false, error: 'litellm: `startTime` must be a time' };
    const callType = text(value.call_type) ?? '';
    const endpoint = ENDPOINT_OF_CALL[callType];
    if (!endpoint) {
      return {
        success: false,
        error: `litellm: call_type \`${callType}\` is not a generation call (log v1 scores chat, messages, responses and completions)`,
      };
    }
    const metadata = record(value.metadata) ?? {};
    // The key's owner is the billing account; a key with no owner is its own account.
    const account =
      text(value.user) ??
      text(metadata.user_api_key_user_id) ??
      text(value.team_id) ??
      text(metadata.user_api_key_team_id) ??
      text(value.api_key) ??
      text(metadata.user_api_key);
    if (!account) {
      return {
        success: false,
        error: 'litellm: no account (`user`, `team_id` and `api_key` are all empty)',
      };
    }
    const proxied = record(value.proxy_server_request);
    const body = requestBody(proxied?.body ?? proxied) ?? requestBody(value.messages);
    const exchange: Exchange = {
      id,
      ts,
      account_id: account,
      ip: text(value.requester_ip_address) ?? text(metadata.requester_ip_address) ?? UNKNOWN_IP,
      endpoint,
      model: text(value.model_group) ?? text(value.model) ?? 'unknown',
      request: body ?? missingBody(),
      status: litellmStatus(value, metadata),
    };
    const apiKey = text(value.api_key) ?? text(metadata.user_api_key);
    if (apiKey) exchange.api_key_id = apiKey;
    const org = text(value.organization_id) ?? text(metadata.user_api_key_org_id);
    if (org) exchange.org_id = org;
    const headers = record(proxied?.headers) ?? record(metadata.headers);
    const agent = text(headers?.['user-agent']) ?? text(metadata.user_agent);
    if (agent) exchange.user_agent = agent;
    const response = responseFrom(value.response, {
      input: count(value.prompt_tokens),
      output: count(value.completion_tokens),
    });
    if (response) exchange.response = response;
    const start = Date.parse(ts);
    const end = Date.parse(isoTime(value.endTime) ?? '');
    if (Number.isFinite(end) && end >= start) exchange.latency_ms = end - start;
    return { success: true, value: exchange };
  },
};

function litellmStatus(row: Record<string, unknown>, metadata: Record<string, unknown>): number {
  const status = text(row.status) ?? text(metadata.status);
  if (status !== 'failure') return 200;
  const code = count(record(metadata.error_information)?.error_code);
  return code !== undefined && Number.isInteger(code) && code >= 400 ? code : 500;
}
