import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dialect } from '../gateway-error.js';
import { relayUpstreamHeaders } from './relay-upstream-headers.js';

const own = (dialect: Dialect) =>
  dialect === 'openai' ? { 'x-request-id': 'ex_1' } : { 'request-id': 'ex_1' };

const cases: Array<{
  name: string;
  dialect: Dialect;
  status: number;
  upstream: Record<string, string>;
  expected: Record<string, string>;
}> = [
  {
    name: 'no upstream id: the exchange id stays',
    dialect: 'openai',
    status: 200,
    upstream: {},
    expected: { 'x-request-id': 'ex_1' },
  },
  {
    name: "OpenAI upstream id replaces the gateway's",
    dialect: 'openai',
    status: 200,
    upstream: { 'x-request-id': 'req_up' },
    expected: { 'x-request-id': 'req_up', 'x-distillguard-exchange-id': 'ex_1' },
  },
  {
    name: 'an Anthropic upstream behind an OpenAI client: both names carry it',
    dialect: 'openai',
    status: 200,
    upstream: { 'request-id': 'req_up' },
    expected: {
      'x-request-id': 'req_up',
      'request-id': 'req_up',
      'x-distillguard-exchange-id': 'ex_1',
    },
  },
  {
    name: 'Anthropic client, 529 with Retry-After',
    dialect: 'anthropic',
    status: 529,
    upstream: { 'request-id': 'req_up', 'retry-after': '30' },
    expected: {
      'request-id': 'req_up',
      'x-distillguard-exchange-id': 'ex_1',
      'retry-after': '30',
    },
  },
  {
    name: "Retry-After on a served answer is not passed (the gateway's limits speak)",
    dialect: 'openai',
    status: 200,
    upstream: { 'retry-after': '5', 'retry-after-ms': '5000' },
    expected: { 'x-request-id': 'ex_1' },
  },
  {
    name: '429: both retry headers',
    dialect: 'openai',
    status: 429,
    upstream: { 'retry-after': '5', 'retry-after-ms': '5000' },
    expected: { 'x-request-id': 'ex_1', 'retry-after': '5', 'retry-after-ms': '5000' },
  },
];
for (const { name, dialect, status, upstream, expected } of cases)
  test(`relayUpstreamHeaders: ${name}`, () => {
    const headers: Record<string, string> = own(dialect);
    relayUpstreamHeaders(upstream, headers, { dialect, status, exchangeId: 'ex_1' });
    assert.deepEqual(headers, expected);
  });
