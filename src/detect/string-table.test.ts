import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createStringTable } from './string-table.js';

/** [case, namespace, value]: each must come back as itself and keep its id. */
const VALUES: readonly (readonly [string, number, string])[] = [
  ['an IPv4 address', 0, '192.0.2.1'],
  ['the same text in another namespace', 1, '192.0.2.1'],
  ['an IPv6 subnet', 1, '2001:db8::/48'],
  ['a 16-digit hash', 9, '9f86d081884c7d65'],
  ['the empty string', 3, ''],
  ['Latin-1 beyond ASCII', 4, 'universität.de'],
  ['a character beyond Latin-1 (side map)', 4, 'université-€.fr'],
  ['an emoji (surrogate pair, side map)', 5, 'agent 🤖/1.0'],
  ['255 characters (packed)', 6, 'a'.repeat(255)],
  ['256 characters (side map)', 6, 'a'.repeat(256)],
  ['a prefix of a stored value', 6, 'a'.repeat(254)],
  ['the highest namespace', 127, 'x'],
];

describe('createStringTable', () => {
  it('assigns dense ids in order of first sight and returns the values', () => {
    const table = createStringTable();
    VALUES.forEach(([name, namespace, value], position) => {
      assert.equal(table.intern(namespace, value), position, name);
    });
    VALUES.forEach(([name, namespace, value], position) => {
      assert.equal(table.intern(namespace, value), position, `again: ${name}`);
      assert.equal(table.valueOf(position), value, name);
      assert.equal(table.namespaceOf(position), namespace, name);
    });
    assert.equal(table.size, VALUES.length);
  });

  it('keeps every id through growth of columns, slots and arena chunks', () => {
    const table = createStringTable();
    // ~3.4 MB of text: several 1 MiB arena chunks, many slot-table doublings.
    const count = 150_000;
    const textOf = (number: number) => `${number.toString(16).padStart(16, '0')}-${number % 7}`;
    for (let number = 0; number < count; number += 1) {
      assert.equal(table.intern(number % 3, textOf(number)), number);
    }
    for (let number = 0; number < count; number += 997) {
      assert.equal(table.intern(number % 3, textOf(number)), number);
      assert.equal(table.valueOf(number), textOf(number));
      assert.equal(table.intern((number + 1) % 3, textOf(number)), count + number / 997);
    }
  });

  it('rejects a namespace outside 0–127', () => {
    const table = createStringTable();
    assert.throws(() => table.intern(128, 'x'), RangeError);
    assert.throws(() => table.intern(-1, 'x'), RangeError);
  });
});
