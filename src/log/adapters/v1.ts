import { isRecord } from '../../shared/is-record.js';
import { parseExchange } from '../parse-exchange.js';
import type { LogAdapter } from './log-adapter.js';

/** distillguard's own exchange log v1 (docs/log-format.md) as a {@link LogAdapter}. */
export const v1Adapter: LogAdapter = {
  name: 'v1',
  label: 'a log-v1 exchange',
  sniff: (value) =>
    isRecord(value) && 'endpoint' in value && 'account_id' in value && 'request' in value,
  convert: parseExchange,
};
