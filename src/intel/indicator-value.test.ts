import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeIndicatorValue } from './indicator-value.js';
import { uuidVersion5 } from './stix/stix-identifier.js';

describe('uuidVersion5', () => {
  it('makes STIX UUIDv5 identifiers like the reference implementations', () => {
    // python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('00abedb4-…'), '{\"value\":\"198.51.100.3\"}'))"
    assert.equal(
      uuidVersion5('00abedb4-aa42-466c-9c01-fed23315a9b7', '{"value":"198.51.100.3"}'),
      '28bb3599-77cd-5a82-a950-b5bc3caf07c4',
    );
  });
});

describe('normalizeIndicatorValue', () => {
  const cases: [Parameters<typeof normalizeIndicatorValue>, string | undefined][] = [
    [['subnet', '203.0.113.99/24'], '203.0.113.0/24'],
    [['subnet', '13303921/24'], '203.0.113.0/24'],
    [['subnet', '20010db8abcd/48'], '2001:db8:abcd::/48'],
    [['asn', 'AS64500'], '64500'],
    [['asn', 'sixty'], undefined],
    [['email_domain', '@Example.COM '], 'example.com'],
    [['ipv4', '203.0.113.7'], '203.0.113.7'],
    [['ipv4', 'nope'], undefined],
    [['template', ' 3b9f0c1e77aa4d21 '], '3b9f0c1e77aa4d21'],
  ];
  for (const [[type, value], expected] of cases) {
    it(`${type} ${JSON.stringify(value)}`, () =>
      assert.equal(normalizeIndicatorValue(type, value), expected));
  }
});
