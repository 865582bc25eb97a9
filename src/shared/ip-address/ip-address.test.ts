import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalIp, networkOf, parseIpNetwork, parseIpv4, parseIpv6, subnetOf } from './index.js';

describe('parseIpv4 (lenient, the engine hot path)', () => {
  const cases: [string, number][] = [
    ['0.0.0.0', 0],
    ['255.255.255.255', 4294967295],
    ['1.2.3.4', 16909060],
    ['010.0.0.1', 167772161],
    ['1.2.3', -1],
    ['1.2.3.256', -1],
    ['1..3.4', -1],
    ['1.2.3.4/24', -1],
    ['a.b.c.d', -1],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.equal(parseIpv4(text), expected));
  }
});

describe('parseIpv6', () => {
  const cases: [string, bigint | undefined][] = [
    ['::1', 1n],
    ['::', 0n],
    ['::ffff:1.2.3.4', (0xffffn << 32n) | 16909060n],
    ['FE80::1%eth0', (0xfe80n << 112n) | 1n],
    ['1:2:3:4:5:6:7:8', 0x00010002000300040005000600070008n],
    ['1:2:3:4:5:6:7:8:9', undefined],
    ['1:2:3:4:5:6:7', undefined],
    ['1::2::3', undefined],
    ['12345::', undefined],
    ['1.2.3.4', undefined],
  ];
  for (const [text, expected] of cases) {
    it(JSON.stringify(text), () => assert.equal(parseIpv6(text), expected));
  }
});

describe('subnetOf', () => {
  it('keys /24 for IPv4 and /48 for IPv6', () => {
    assert.equal(subnetOf('10.1.2.3'), subnetOf('10.1.2.200'));
    assert.notEqual(subnetOf('10.1.2.3'), subnetOf('10.1.3.3'));
    assert.equal(subnetOf('203.0.113.7'), '13303921/24');
    assert.equal(subnetOf('2001:db8:abcd:12::1'), '20010db8abcd/48');
    assert.equal(subnetOf('garbage'), undefined);
  });
});

describe('parseIpNetwork and canonicalIp (strict, for shared indicators)', () => {
  const canonical: [string, string | undefined][] = [
    ['203.0.113.7', '203.0.113.7'],
    [' 2001:DB8:0:0:0:0:0:42 ', '2001:db8::42'],
    ['::ffff:192.0.2.1', '::ffff:c000:201'],
    ['::', '::'],
    ['fe80::%eth0', 'fe80::'],
    ['010.0.0.1', undefined],
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
    assert.equal(networkOf(address, 33), undefined);
    const v6 = parseIpNetwork('2001:db8:abcd:12::1');
    assert.ok(v6);
    assert.equal(networkOf(v6, 48), '2001:db8:abcd::/48');
    assert.deepEqual(parseIpNetwork('203.0.113.9/24'), {
      version: 4,
      bits: 0xcb007100n,
      prefixLength: 24,
    });
    assert.equal(parseIpNetwork('203.0.113.9/33'), undefined);
    assert.equal(parseIpNetwork('203.0.113.9/24/1'), undefined);
  });
});
