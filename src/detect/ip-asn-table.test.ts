import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DistillguardError } from '../shared/distillguard-error.js';
import { parseIpv4, parseIpv6, subnetOf } from './ip-address.js';
import { createIpAsnTable, loadIpAsnTable } from './ip-asn-table.js';

const table = createIpAsnTable([
  { prefix: '73.0.0.0/8', asn: 7922, asn_org: 'COMCAST' },
  { prefix: '73.5.0.0/16', asn: 64512, asn_org: 'MORE-SPECIFIC', kind: 'hosting' },
  { prefix: '2600:1f18::/32', asn: 14618, asn_org: 'AMAZON' },
]);

const lookups: [string, number | undefined][] = [
  ['73.1.2.3', 7922],
  ['73.5.9.9', 64512],
  ['74.0.0.1', undefined],
  ['2600:1f18:ab::1', 14618],
  ['2600:1f19::1', undefined],
  ['not an ip', undefined],
];

for (const [ip, asn] of lookups) {
  test(`IpAsnTable: ${ip} → ${asn}`, () => assert.equal(table.lookup(ip)?.asn, asn));
}

test('IpAsnTable: kind is kept', () => assert.equal(table.lookup('73.5.0.1')?.kind, 'hosting'));

const addresses: [string, number][] = [
  ['0.0.0.0', 0],
  ['255.255.255.255', 4294967295],
  ['1.2.3.4', 16909060],
  ['1.2.3', -1],
  ['1.2.3.256', -1],
  ['1..3.4', -1],
  ['a.b.c.d', -1],
];
for (const [ip, value] of addresses) {
  test(`parseIpv4: ${ip}`, () => assert.equal(parseIpv4(ip), value));
}

test('parseIpv6: compression and embedded IPv4', () => {
  assert.equal(parseIpv6('::1'), 1n);
  assert.equal(parseIpv6('::ffff:1.2.3.4'), (0xffffn << 32n) | 16909060n);
  assert.equal(parseIpv6('1:2:3:4:5:6:7:8:9'), undefined);
  assert.equal(parseIpv6('1::2::3'), undefined);
});

test('subnetOf: /24 for IPv4, /48 for IPv6', () => {
  assert.equal(subnetOf('10.1.2.3'), subnetOf('10.1.2.200'));
  assert.notEqual(subnetOf('10.1.2.3'), subnetOf('10.1.3.3'));
  assert.equal(subnetOf('2a01:4f8:1:2::1'), subnetOf('2a01:4f8:1:ffff::9'));
  assert.notEqual(subnetOf('2a01:4f8:1::1'), subnetOf('2a01:4f8:2::1'));
  assert.equal(subnetOf('garbage'), undefined);
});

test('loadIpAsnTable: reads JSONL and names a bad line', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'ip-asn-'));
  const good = join(directory, 'good.jsonl');
  await writeFile(
    good,
    '{"prefix":"10.0.0.0/8","asn":1,"asn_org":"X"}\n\n{"prefix":"11.0.0.0/8","asn":2,"asn_org":"Y"}\n',
  );
  const loaded = await loadIpAsnTable(good);
  assert.equal(loaded.size, 2);
  assert.equal(loaded.lookup('11.9.9.9')?.asn, 2);
  const bad = join(directory, 'bad.jsonl');
  await writeFile(bad, '{"prefix":"10.0.0.0/8","asn":1,"asn_org":"X"}\n{"prefix":"oops"}\n');
  await assert.rejects(loadIpAsnTable(bad), (error: unknown) => {
    assert.ok(DistillguardError.is(error));
    assert.equal(error.code, 'ip_asn_invalid');
    assert.match(error.message, /bad\.jsonl:2/);
    return true;
  });
});
