import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSdkErrorBody, type RawAnswer, rawRequest } from './raw-request.js';
import { startHarness } from './test-harness.js';

// A seeded fuzz suite over raw sockets (issue 16): malformed request lines and targets, Host
// tricks, header floods, bodies that lie about their length, bad JSON (deep, truncated, lone
// surrogates), wrong methods, content types and keys. Asserted for every case: no 5xx for a
// client fault, the SDK's error shape on every gateway error, one record per proxied request,
// and canary requests (a real customer) served throughout. Bounded in time (< 20 s).
const SEED = Number(process.env.FUZZ_SEED ?? 16);
const CASES = Number(process.env.FUZZ_CASES ?? 2_000);
const TIME_BOX_MS = 12_000;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const ROUTES = [
  '/v1/chat/completions',
  '/v1/messages',
  '/v1/responses',
  '/v1/models',
  '/admin/accounts',
  '/metrics',
  '/readyz',
  '/nope',
  '//v1/chat/completions',
  '/v1/chat/completions?x=1',
  '/%zz',
  '/v1/../admin/accounts',
];
const METHODS = ['POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'BREW', 'post'];

function fuzzCase(random: () => number, key: string): { category: string; bytes: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const route = pick(ROUTES);
  const json = JSON.stringify({
    model: 'demo',
    max_tokens: 2,
    messages: [{ role: 'user', content: 'hi' }],
  });
  const auth = pick([
    `Authorization: Bearer ${key}\r\n`,
    'Authorization: Bearer wrong\r\n',
    '',
    `x-api-key: ${key}\r\n`,
    'Authorization: Basic Zm9vOmJhcg==\r\n',
  ]);
  const request = (method: string, target: string, headers: string, body: string) =>
    `${method} ${target} HTTP/1.1\r\nHost: gw\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
  switch (Math.floor(random() * 10)) {
    case 0:
      return {
        category: 'request line',
        bytes: pick([
          'GARBAGE\r\n\r\n',
          'GET\r\n\r\n',
          `POST ${route} HTTP/9.9\r\n\r\n`,
          `POST ${route}\r\n\r\n`,
          '\r\n\r\n\r\n',
          'GET / HTTP/1.1\r\n\r\n',
          `GET http://evil${route} HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n`,
          'OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
        ]),
      };
    case 1:
      return {
        category: 'host',
        bytes: `GET ${route} HTTP/1.1\r\nHost: ${pick(['x/admin/accounts#', '', '[::', 'a b', '%', 'gw:99999', 'evil.example'])}\r\nAuthorization: Bearer admin-token\r\nConnection: close\r\n\r\n`,
      };
    case 2:
      return {
        category: 'headers',
        bytes: `POST ${route} HTTP/1.1\r\nHost: gw\r\n${pick([`X-Big: ${'a'.repeat(40_000)}\r\n`, 'Bad Header\r\n', 'X-A:\u0000b\r\n', `${'X-H: 1\r\n'.repeat(500)}`, 'Content-Length: 5\r\nContent-Length: 6\r\n', 'Transfer-Encoding: gzip\r\n'])}Connection: close\r\n\r\n`,
      };
    case 3: {
      const body = pick([
        json.slice(0, Math.floor(random() * json.length)),
        `{"model":"m","messages":${'['.repeat(3_000 + Math.floor(random() * 5_000))}`,
        `{"model":"m","messages":[{"role":"user","content":"\\ud800"}]}`,
        '[]',
        'null',
        '"x"',
        '{"model":',
        '\u00ff\u00fe',
        '{"model":"demo","max_tokens":-1,"messages":"x"}',
      ]);
      return {
        category: 'json',
        bytes: request(
          'POST',
          pick(ROUTES.slice(0, 3)),
          `Content-Type: application/json\r\n${auth}`,
          body,
        ),
      };
    }
    case 4:
      return {
        category: 'content type',
        bytes: request(
          'POST',
          pick(ROUTES.slice(0, 3)),
          `Content-Type: ${pick(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', ''])}\r\n${auth}`,
          json,
        ),
      };
    case 5:
      return {
        category: 'length lies',
        bytes: `POST ${pick(ROUTES.slice(0, 3))} HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n${auth}Content-Length: ${pick([0, 3, 1_000_000_000, 100])}\r\nConnection: close\r\n\r\n${json}`,
      };
    case 6:
      return {
        category: 'method',
        bytes: request(
          pick(METHODS),
          route,
          `Content-Type: application/json\r\n${auth}`,
          random() < 0.5 ? json : '',
        ),
      };
    case 7:
      return {
        category: 'keys',
        bytes: request(
          'POST',
          pick(ROUTES.slice(0, 3)),
          `Content-Type: application/json\r\n${pick(['Authorization: Bearer \r\n', 'Authorization: bearer x\r\n', `x-api-key: ${'k'.repeat(5_000)}\r\n`, 'Authorization: Bearer dg-\u00e9\r\n', auth])}`,
          json,
        ),
      };
    case 8:
      return {
        category: 'expect',
        bytes: request(
          'POST',
          '/v1/chat/completions',
          `Expect: ${pick(['teapot', '100-continue'])}\r\nContent-Type: application/json\r\n${auth}`,
          json,
        ),
      };
    default:
      return {
        category: 'valid',
        bytes: request(
          'POST',
          pick(ROUTES.slice(0, 3)),
          `Content-Type: application/json\r\n${auth}`,
          json,
        ),
      };
  }
}

test(`fuzz over raw sockets: ${CASES} seeded cases (seed ${SEED})`, async () => {
  const harness = await startHarness({
    accounts: ['acct_fuzz', 'acct_canary'],
    bodyLimitBytes: 256 * 1024,
    gatewayOptions: { perIpLimit: null },
  });
  const random = mulberry32(SEED);
  const key = harness.keys.acct_fuzz ?? '';
  const failures: string[] = [];
  const byCategory = new Map<string, number>();
  const canaries: number[] = [];
  const started = Date.now();
  try {
    let index = 0;
    const check = (category: string, bytes: string, answer: RawAnswer) => {
      byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
      const where = `case ${category}: ${JSON.stringify(bytes.slice(0, 80))} → ${answer.status}`;
      // No answer at all is allowed only where the parser gave up on a request that never ended.
      if (answer.status >= 500 && answer.status !== 502) failures.push(`5xx ${where}`);
      const isHead = bytes.startsWith('HEAD ');
      const gatewayError =
        !isHead && answer.status >= 400 && answer.headers['x-distillguard-reason'] !== undefined;
      if (gatewayError && !isSdkErrorBody(answer.body))
        failures.push(`shape ${where} ${answer.body.slice(0, 80)}`);
      if (
        answer.status >= 400 &&
        answer.status < 500 &&
        answer.body &&
        !answer.headers['content-type']?.includes('json')
      )
        failures.push(`not json ${where}`);
    };
    const worker = async () => {
      while (index < CASES && Date.now() - started < TIME_BOX_MS) {
        index += 1;
        const { category, bytes } = fuzzCase(random, key);
        check(category, bytes, await rawRequest(harness.url, bytes, 2_000));
      }
    };
    const canary = async () => {
      while (index < CASES && Date.now() - started < TIME_BOX_MS) {
        const response = await fetch(`${harness.url}/v1/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${harness.keys.acct_canary}`,
          },
          body: JSON.stringify({
            model: 'demo',
            max_tokens: 2,
            messages: [{ role: 'user', content: 'canary' }],
          }),
        });
        await response.text();
        canaries.push(response.status);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker(), canary()]);
    const summary = `${index} cases in ${Date.now() - started} ms; ${[...byCategory].join(' ')}`;
    assert.deepEqual(failures.slice(0, 10), [], summary);
    assert.ok(index >= Math.min(CASES, 500), `only ${index} cases in the time box`);
    assert.ok(byCategory.size >= 10, summary);
    assert.ok(
      canaries.length > 0 && canaries.every((status) => status === 200),
      canaries.join(','),
    );
    await harness.settle();
    assert.equal(harness.sink.exchanges.length, harness.gateway.accepted, `records; ${summary}`);
    assert.equal(
      new Set(harness.sink.exchanges.map((each) => each.id)).size,
      harness.gateway.accepted,
    );
  } finally {
    await harness.close();
  }
});
