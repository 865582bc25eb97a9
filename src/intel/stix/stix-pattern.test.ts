import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStixPattern, renderObservation } from './stix-pattern.js';

describe('parseStixPattern', () => {
  const cases: { pattern: string; expected: unknown[][] | undefined }[] = [
    {
      pattern: "[ipv4-addr:value = '203.0.113.7']",
      expected: [[{ objectPath: 'ipv4-addr:value', operator: '=', value: '203.0.113.7' }]],
    },
    {
      pattern: "[ipv4-addr:value = '1.1.1.1'] OR [ipv6-addr:value ISSUBSET '2001:db8::/32']",
      expected: [
        [{ objectPath: 'ipv4-addr:value', operator: '=', value: '1.1.1.1' }],
        [{ objectPath: 'ipv6-addr:value', operator: 'ISSUBSET', value: '2001:db8::/32' }],
      ],
    },
    {
      pattern: "[autonomous-system:number = 64500 AND autonomous-system:name = 'It\\'s']",
      expected: [
        [
          { objectPath: 'autonomous-system:number', operator: '=', value: 64500 },
          { objectPath: 'autonomous-system:name', operator: '=', value: "It's" },
        ],
      ],
    },
    {
      pattern:
        "[network-traffic:extensions.'http-request-ext'.request_header.'User-Agent' = 'a b']",
      expected: [
        [
          {
            objectPath: "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'",
            operator: '=',
            value: 'a b',
          },
        ],
      ],
    },
    { pattern: "([ipv4-addr:value = '1.1.1.1'])", expected: undefined },
    { pattern: "[ipv4-addr:value = '1.1.1.1'] WITHIN 5 SECONDS", expected: undefined },
    { pattern: '[file:name]', expected: undefined },
    { pattern: '', expected: undefined },
  ];
  for (const { pattern, expected } of cases) {
    it(pattern || '(empty)', () => {
      const result = parseStixPattern(pattern);
      assert.deepEqual(result.success ? result.value : undefined, expected);
    });
  }

  it('round-trips what renderObservation writes, quotes included', () => {
    const comparisons = [
      { objectPath: 'x-thing:value', operator: '=', value: "o'brien \\ co" },
      { objectPath: 'x-thing:size', operator: '=', value: 24 },
    ];
    const parsed = parseStixPattern(renderObservation(comparisons));
    assert.deepEqual(parsed.success && parsed.value, [comparisons]);
  });
});
