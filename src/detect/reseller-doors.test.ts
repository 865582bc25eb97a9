import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createResellerDoors, type DoorExchange, doorOf } from './reseller-doors.js';

const door: DoorExchange = {
  ip: '203.0.113.7',
  tls_fingerprint: 'tls-a',
  header_order: 'accept,content-type',
  user_agent: 'OpenAI/Python 1.40.0',
};

const cases: { name: string; exchange: DoorExchange; reused: boolean }[] = [
  { name: 'the same door', exchange: door, reused: true },
  {
    name: 'another address in the same /24',
    exchange: { ...door, ip: '203.0.113.200' },
    reused: true,
  },
  { name: 'another subnet', exchange: { ...door, ip: '203.0.114.7' }, reused: false },
  { name: 'another client (TLS)', exchange: { ...door, tls_fingerprint: 'tls-b' }, reused: false },
  {
    name: 'another client (headers)',
    exchange: { ...door, header_order: 'accept' },
    reused: false,
  },
  {
    name: 'another client (user agent)',
    exchange: { ...door, user_agent: 'curl/8.0' },
    reused: false,
  },
  {
    name: 'no TLS fingerprint: a subnet and an agent are no door',
    exchange: { ip: door.ip, header_order: 'accept,content-type', user_agent: door.user_agent },
    reused: false,
  },
  { name: 'not an address', exchange: { ...door, ip: 'unknown' }, reused: false },
];

for (const { name, exchange, reused } of cases) {
  test(`reseller doors: ${name}`, () => {
    const doors = createResellerDoors();
    doors.open(door);
    assert.equal(doors.reused(exchange), reused);
  });
}

test('reseller doors: none opened, none reused; an incomplete door is not recorded', () => {
  const doors = createResellerDoors();
  assert.equal(doors.reused(door), false);
  doors.open({ ip: door.ip, user_agent: door.user_agent });
  assert.equal(doors.size, 0);
  assert.equal(doorOf({ ip: door.ip }), null);
});

test('reseller doors: one record per door, bounded', () => {
  const doors = createResellerDoors();
  doors.open(door);
  doors.open({ ...door, ip: '203.0.113.9' });
  assert.equal(doors.size, 1);
  for (let index = 0; index < 70_000; index++)
    doors.open({ ...door, user_agent: `agent ${index}` });
  assert.equal(doors.size, 65_536);
});
