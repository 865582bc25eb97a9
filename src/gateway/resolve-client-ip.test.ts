import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClientIpResolver, createProxyTrust } from './resolve-client-ip.js';

const cases: {
  name: string;
  trusted: string[];
  peer: string;
  forwardedFor: string | null;
  expected: string;
}[] = [
  {
    name: 'no proxies: the peer, header ignored',
    trusted: [],
    peer: '203.0.113.9',
    forwardedFor: '1.2.3.4',
    expected: '203.0.113.9',
  },
  {
    name: 'untrusted peer: header ignored',
    trusted: ['10.0.0.0/8'],
    peer: '203.0.113.9',
    forwardedFor: '1.2.3.4',
    expected: '203.0.113.9',
  },
  {
    name: 'trusted peer: the right-most untrusted hop',
    trusted: ['10.0.0.0/8'],
    peer: '10.1.1.1',
    forwardedFor: '6.6.6.6, 198.51.100.7, 10.2.2.2',
    expected: '198.51.100.7',
  },
  {
    name: 'IPv4-mapped IPv6 peer',
    trusted: ['127.0.0.1'],
    peer: '::ffff:127.0.0.1',
    forwardedFor: '198.51.100.8',
    expected: '198.51.100.8',
  },
  {
    name: 'garbage hop: fall back to the peer',
    trusted: ['127.0.0.1'],
    peer: '127.0.0.1',
    forwardedFor: 'not-an-ip',
    expected: '127.0.0.1',
  },
  {
    name: 'IPv6 client',
    trusted: ['127.0.0.1'],
    peer: '127.0.0.1',
    forwardedFor: '2001:db8::1',
    expected: '2001:db8::1',
  },
];

for (const { name, trusted, peer, forwardedFor, expected } of cases) {
  test(`client IP: ${name}`, () => {
    assert.equal(createClientIpResolver(trusted)(peer, forwardedFor), expected);
  });
}

test('proxy trust matches addresses and ranges only', () => {
  const trust = createProxyTrust(['127.0.0.1', '10.0.0.0/8']);
  assert.deepEqual(['127.0.0.1', '10.9.9.9', '11.0.0.1', 'nonsense'].map(trust), [
    true,
    true,
    false,
    false,
  ]);
});
