import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX } from './linkage-key-type.js';

/** [case, accounts added in order, cap, stored members, account count]. */
type Row = readonly [string, readonly number[], number, readonly number[], number];
const ROWS: readonly Row[] = [
  ['no carrier', [], 4, [], 0],
  ['one carrier (stored inline)', [7], 4, [7], 1],
  ['carriers in arrival order', [7, 3, 9], 4, [7, 3, 9], 3],
  ['up to the cap', [1, 2, 3, 4], 4, [1, 2, 3, 4], 4],
  ['beyond the cap only the count grows', [1, 2, 3, 4, 5, 6], 4, [1, 2, 3, 4], 6],
  ['a cap of one', [5, 6], 1, [5], 2],
];

describe('createLinkageIndex', () => {
  for (const [name, accounts, cap, stored, count] of ROWS) {
    it(`members: ${name}`, () => {
      const index = createLinkageIndex({ maxMembers: cap });
      const key = index.intern(KEY_TYPE_INDEX.ip, '192.0.2.1');
      accounts.forEach((account, position) => {
        index.addMember(key, account, 1000 - position);
      });
      assert.deepEqual(index.members(key), stored);
      assert.equal(index.accountCount(key), count);
      assert.equal(
        index.firstSeenMs(key),
        accounts.length === 0 ? Infinity : 1001 - accounts.length,
      );
    });
  }

  it('interns per key type and keeps its columns through growth', () => {
    const index = createLinkageIndex();
    const ids: number[] = [];
    for (let value = 0; value < 5000; value += 1) {
      const id = index.intern(KEY_TYPE_INDEX.template, `t${value}`);
      index.touch(id, value);
      index.touch(id, value + 10);
      index.addMember(id, value, value);
      ids.push(id);
    }
    assert.equal(index.intern(KEY_TYPE_INDEX.template, 't42'), ids[42]);
    assert.notEqual(index.intern(KEY_TYPE_INDEX.ip, 't42'), ids[42]);
    assert.equal(index.size, 5001);
    for (const value of [0, 1023, 1024, 4999]) {
      const id = ids[value] as number;
      assert.equal(index.typeOf(id), KEY_TYPE_INDEX.template);
      assert.equal(index.valueOf(id), `t${value}`);
      assert.equal(index.exchangeCount(id), 2);
      assert.equal(index.firstSeenMs(id), value);
      assert.equal(index.lastSeenMs(id), value + 10);
      assert.deepEqual(index.members(id), [value]);
    }
    assert.equal(index.accountCount(99_999), 0);
    assert.deepEqual(index.members(-1), []);
  });

  it('lists keys carried by two graph accounts', () => {
    const index = createLinkageIndex();
    const key = index.intern(KEY_TYPE_INDEX.subnet, '192.0.2.0/24');
    index.adjustGraphMembers(key, 1);
    assert.deepEqual([...index.activeKeys()], []);
    index.adjustGraphMembers(key, 1);
    assert.deepEqual([...index.activeKeys()], [key]);
    index.adjustGraphMembers(key, -1);
    assert.deepEqual([...index.activeKeys()], []);
  });

  it('lists keys carried by two unattached graph accounts, apart from the graph count', () => {
    const index = createLinkageIndex();
    const key = index.intern(KEY_TYPE_INDEX.subnet, '192.0.2.0/24');
    index.adjustGraphMembers(key, 1);
    index.adjustGraphMembers(key, 1);
    index.adjustUnattachedMembers(key, 1);
    assert.deepEqual([...index.unattachedKeys()], []);
    index.adjustUnattachedMembers(key, 1);
    assert.deepEqual([...index.unattachedKeys()], [key]);
    assert.equal(index.unattachedMembers(key), 2);
    // One of them is flagged: still in the graph, no longer unattached.
    index.adjustUnattachedMembers(key, -1);
    assert.deepEqual([...index.unattachedKeys()], []);
    assert.deepEqual([...index.activeKeys()], [key]);
    assert.equal(index.unattachedMembers(-1), 0);
  });
});
