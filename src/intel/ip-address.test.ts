import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeIndicatorValue } from './indicator-value.js';
import { canonicalIp, networkOf, parseIpNetwork } from './ip-address.js';
import { uuidVersion5 } from './stix/stix-identifier.js';

describe('ip-address', () => {
  const canonical: [string, string | undefined][] = [
    ['203.0.113.7', '203.0.113.7'],
    [' 2001:DB8:0:0:0:0:0:42 ', '2001:db8::42'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['::', '::'],
    ['203.0.113.0/24', undefined],
    ['not-an-ip', undefined],
    ['256.1.1.1', undefined],
  ];
  for (const [input, expected] of canonical) {
    it(`canonicalIp(${JSON.stringify(input)})`, () => assert.equal(canonicalIp(input), expected));
  }

  it('cuts networks of any prefix length', () => {
    const address = parseIpNetwork('198.51.100.200');
    assert.ok(address);
    assert.equal(networkOf(address, 24), '198.51.100.0/24');
    assert.equal(networkOf(address, 0), '0.0.0.0/0');
    const v6 = parseIpNetwork('2001:db8:abcd:12::1');
    assert.ok(v6);
    assert.equal(networkOf(v6, 48), '2001:db8:abcd::/48');
    assert.equal(parseIpNetwork('203.0.113.9/24')?.prefixLength, 24);
    assert.equal(parseIpNetwork('203.0.113.9/33'), undefined);
  });

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
