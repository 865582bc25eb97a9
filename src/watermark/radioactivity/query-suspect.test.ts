import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { querySuspect } from './query-suspect.js';
import { withoutCredentials } from './without-credentials.js';

describe('withoutCredentials', () => {
  const cases: [string, string][] = [
    ['https://user:secret@suspect.test/v1', 'https://suspect.test/v1'],
    ['http://127.0.0.1:8080/v1?api_key=sk-live-1', 'http://127.0.0.1:8080/v1'],
    ['https://suspect.test/v1', 'https://suspect.test/v1'],
    ['not a url', '(invalid url)'],
  ];
  for (const [input, expected] of cases) {
    test(input, () => assert.equal(withoutCredentials(input), expected));
  }
});

describe('querySuspect errors', () => {
  const secretUrl = 'https://user:hunter2@suspect.test/v1?api_key=sk-live-secret';
  const failures: [string, typeof globalThis.fetch, string][] = [
    [
      'unreachable',
      async () => {
        throw new TypeError('fetch failed');
      },
      'suspect_unreachable',
    ],
    ['HTTP 500', async () => new Response('nope', { status: 500 }), 'suspect_error'],
    ['not OpenAI-shaped', async () => Response.json({ hello: 1 }), 'suspect_invalid_response'],
  ];
  for (const [name, fetch, code] of failures) {
    test(`${name}: ${code}, and the URL's credentials appear nowhere in the error`, async () => {
      const error = await querySuspect(['hi'], { url: secretUrl, fetch }).then(
        () => assert.fail('expected an error'),
        (caught: unknown) => caught,
      );
      assert.ok(DistillguardError.is(error));
      assert.equal(error.code, code);
      const shown = `${error.message} ${JSON.stringify(error.details)}`;
      for (const secret of ['hunter2', 'sk-live-secret', 'user:']) {
        assert.ok(!shown.includes(secret), `${secret} leaked: ${shown}`);
      }
    });
  }
});
