import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger } from './create-logger.js';

/** A pino destination that keeps every line, parsed. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, destination: { write: (line: string) => lines.push(JSON.parse(line)) } };
}

const SECRET = 'sk-live-0123456789abcdef0123456789abcdef';
const PROMPT = 'Explain the derivation of the Navier-Stokes equations step by step';

describe('createLogger', () => {
  const cases = [
    { name: 'authorization header', value: { headers: { authorization: `Bearer ${SECRET}` } } },
    { name: 'x-api-key header', value: { headers: { 'x-api-key': SECRET } } },
    { name: 'api_key field', value: { api_key: SECRET } },
    { name: 'upstream apiKey', value: { upstream: { apiKey: SECRET } } },
    { name: 'password', value: { password: SECRET } },
    { name: 'token field', value: { token: SECRET } },
    { name: 'messages', value: { messages: [{ role: 'user', content: PROMPT }] } },
    { name: 'prompt', value: { prompt: PROMPT } },
    { name: 'request input', value: { request: { input: PROMPT } } },
    { name: 'request messages', value: { request: { messages: [{ content: PROMPT }] } } },
    { name: 'a whole exchange', value: { exchange: { request: { messages: [PROMPT] } } } },
    { name: 'response text', value: { response: { text: PROMPT } } },
  ];
  for (const { name, value } of cases) {
    test(`redacts ${name} by default`, () => {
      const { lines, destination } = capture();
      createLogger({ name: 'test', destination }).info(value, 'event');
      const text = JSON.stringify(lines);
      assert.equal(lines.length, 1);
      assert.ok(!text.includes(SECRET), text);
      assert.ok(!text.includes(PROMPT), text);
      assert.ok(text.includes('[redacted]'), text);
    });
  }

  test('logPrompts lets prompt text through, never keys', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'test', destination, logPrompts: true });
    logger.info({ prompt: PROMPT, headers: { authorization: `Bearer ${SECRET}` } }, 'event');
    const text = JSON.stringify(lines);
    assert.ok(text.includes(PROMPT));
    assert.ok(!text.includes(SECRET));
  });

  test('lines are JSON with an ISO time, the level as a word and the service', () => {
    const { lines, destination } = capture();
    createLogger({ name: 'distillguard-test', destination, level: 'warn' }).info('dropped');
    createLogger({ name: 'distillguard-test', destination, level: 'warn' }).warn('kept');
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line?.level, 'warn');
    assert.equal(line?.msg, 'kept');
    assert.equal(line?.service, 'distillguard-test');
    assert.match(String(line?.time), /^\d{4}-\d\d-\d\dT/);
  });
});
