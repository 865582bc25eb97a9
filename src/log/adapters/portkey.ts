import { isRecord } from '../../shared/is-record.js';
import type { Exchange } from '../exchange.js';
import {
  contentId,
  count,
  endpointFromPath,
  isoTime,
  missingBody,
  record,
  requestBody,
  responseFrom,
  text,
  UNKNOWN_IP,
} from './adapter-fields.js';
import type { LogAdapter } from './log-adapter.js';

/**
 * A row of Portkey's logs export (JSON Lines; columns `created_at`, `request.body`,
 * `response.body`, `ai_model`, `req_units`, … as requested). Mapping and missing evidence:
 * docs/log-adapters.md#portkey.
 */
export const portkeyAdapter: LogAdapter = {
  name: 'portkey',
  label: 'a Portkey logs export',
  sniff: (value) =>
    isRecord(value) &&
    ('ai_model' in value || 'ai_org' in value) &&
    ('created_at' in value || 'req_units' in value || 'response_time' in value),
  convert(value) {
    if (!isRecord(value)) return { success: false, error: 'not a JSON object' };
    const ts = isoTime(value.created_at);
    if (!ts) return { success: false, error: 'portkey: `created_at` must be a time' };
    const metadata = record(value.metadata) ?? {};
    // `_user` is Portkey's own field for the customer a request is made for.
    const account =
      text(metadata._user) ??
      text(metadata.user_id) ??
      text(metadata.user) ??
      text(value.virtual_key) ??
      text(value.api_key_id);
    if (!account) {
      return {
        success: false,
        error: 'portkey: no account (export the `metadata` column with `_user`, or `virtual_key`)',
      };
    }
    const request = record(value.request);
    const response = record(value.response);
    const sentBody = value['request.body'] ?? request?.body;
    const body = requestBody(sentBody);
    const url = text(value.request_url) ?? text(request?.url);
    const endpoint =
      endpointFromPath(url) ??
      (body && 'messages' in body ? 'chat.completions' : body ? 'completions' : undefined);
    const exchange: Exchange = {
      id:
        text(value.id) ??
        text(value.log_id) ??
        contentId('pk', [ts, account, value.trace_id ?? null, sentBody ?? null]),
      ts,
      account_id: account,
      ip: UNKNOWN_IP,
      endpoint: endpoint ?? 'chat.completions',
      model: text(value.ai_model) ?? text(body?.model) ?? 'unknown',
      request: body ?? missingBody(),
      status: count(value.response_status_code) ?? (successFlag(value.is_success) ? 200 : 500),
    };
    const virtualKey = text(value.virtual_key);
    if (virtualKey) exchange.api_key_id = virtualKey;
    const served = responseFrom(value['response.body'] ?? response?.body, {
      input: count(value.req_units),
      output: count(value.res_units),
    });
    if (served) exchange.response = served;
    const latency = count(value.response_time);
    if (latency !== undefined) exchange.latency_ms = latency;
    return { success: true, value: exchange };
  },
};

function successFlag(value: unknown): boolean {
  return value === undefined || value === true || value === 1 || value === '1' || value === 'true';
}
