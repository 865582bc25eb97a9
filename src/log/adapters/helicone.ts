import { isRecord } from '../../shared/is-record.js';
import type { Exchange } from '../exchange.js';
import {
  count,
  endpointFromPath,
  isoTime,
  missingBody,
  requestBody,
  responseFrom,
  text,
  UNKNOWN_IP,
} from './adapter-fields.js';
import type { LogAdapter } from './log-adapter.js';

/**
 * A request of Helicone's export (`@helicone/export` JSON or JSON Lines, or the request query
 * API's `data`). Mapping and missing evidence: docs/log-adapters.md#helicone.
 */
export const heliconeAdapter: LogAdapter = {
  name: 'helicone',
  label: 'a Helicone export',
  sniff: (value) => isRecord(value) && 'request_id' in value && 'request_created_at' in value,
  convert(value) {
    if (!isRecord(value)) return { success: false, error: 'not a JSON object' };
    const id = text(value.request_id);
    if (!id) return { success: false, error: 'helicone: `request_id` must be a non-empty string' };
    const ts = isoTime(value.request_created_at);
    if (!ts) return { success: false, error: 'helicone: `request_created_at` must be a time' };
    // `request_user_id` is the `Helicone-User-Id` header: the customer a request is made for.
    const account = text(value.request_user_id) ?? text(value.user_id);
    if (!account) {
      return {
        success: false,
        error:
          'helicone: no account (`request_user_id` is empty: send the Helicone-User-Id header)',
      };
    }
    const body = requestBody(value.request_body);
    const endpoint =
      endpointFromPath(value.request_path) ??
      endpointFromPath(value.target_url) ??
      (body && !('messages' in body) && 'prompt' in body ? 'completions' : 'chat.completions');
    const exchange: Exchange = {
      id,
      ts,
      account_id: account,
      ip: UNKNOWN_IP,
      endpoint,
      model:
        text(value.request_model) ??
        text(value.model_override) ??
        text(value.response_model) ??
        text(body?.model) ??
        'unknown',
      request: body ?? missingBody(),
      status: count(value.response_status) ?? 200,
    };
    const response = responseFrom(value.response_body, {
      input: count(value.prompt_tokens),
      output: count(value.completion_tokens),
    });
    if (response) exchange.response = response;
    const latency = count(value.delay_ms);
    if (latency !== undefined) exchange.latency_ms = latency;
    return { success: true, value: exchange };
  },
};
