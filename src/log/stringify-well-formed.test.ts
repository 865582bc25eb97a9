import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stringifyWellFormed } from './stringify-well-formed.js';

test('stringifyWellFormed replaces lone surrogates with U+FFFD and leaves everything else', () => {
  const cases: [string, unknown, unknown][] = [
    ['lone high surrogate', { text: 'a\ud800b' }, { text: 'a\ufffdb' }],
    ['lone low surrogate', { text: '\udfff' }, { text: '\ufffd' }],
    ['reversed pair = two lone halves', { text: '\udc00\ud800' }, { text: '\ufffd\ufffd' }],
    ['in a key and nested', { 'k\ud83d': ['\ude00'] }, { 'k\ufffd': ['\ufffd'] }],
    ['a well-formed pair', { text: 'smile \ud83d\ude00' }, { text: 'smile \ud83d\ude00' }],
    ['escaped backslash before u', { text: '\\ud800' }, { text: '\\ud800' }],
    ['escaped backslash then a lone half', { text: '\\\ud800' }, { text: '\\\ufffd' }],
    ['no surrogate', { n: 1, text: 'plain' }, { n: 1, text: 'plain' }],
  ];
  for (const [name, input, expected] of cases) {
    const text = stringifyWellFormed(input);
    assert.doesNotMatch(text, /\p{Surrogate}/u, name);
    assert.doesNotMatch(text, /(?<!\\)\\u[dD][89a-fA-F]/, name);
    assert.deepEqual(JSON.parse(text), expected, name);
  }
  assert.equal(stringifyWellFormed({ a: 1 }), JSON.stringify({ a: 1 }));
});
