import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMinHasher, EMPTY_SLOT, estimateSimilarity } from './min-hash.js';
import { mixHash } from './string-hash.js';

/** Two shingle sets of `size` each sharing `shared` members (exact Jaccard known). */
function pair(seed: number, size: number, shared: number): [Uint32Array, Uint32Array, number] {
  const a = new Uint32Array(size);
  const b = new Uint32Array(size);
  for (let index = 0; index < size; index++) {
    a[index] = mixHash(seed * 100_003 + index);
    b[index] = index < shared ? a[index]! : mixHash(seed * 100_003 + 50_000 + index);
  }
  return [a, b, shared / (2 * size - shared)];
}

describe('one-permutation MinHash', () => {
  const hasher = createMinHasher(64, 16);

  it('estimates Jaccard without bias, for short and long sets (densification)', () => {
    for (const size of [6, 40, 400]) {
      let totalError = 0;
      let signedError = 0;
      const trials = 60;
      for (let trial = 0; trial < trials; trial++) {
        const shared = Math.round(((trial % 10) / 10) * size);
        const [a, b, jaccard] = pair(trial + size, size, shared);
        const estimate = estimateSimilarity(hasher.sign(a, size), hasher.sign(b, size));
        totalError += Math.abs(estimate - jaccard);
        signedError += estimate - jaccard;
      }
      // Standard error at 64 slots is at most 0.0625; the mean absolute error is well under it.
      assert.ok(totalError / trials < 0.07, `size ${size}: mean |error| ${totalError / trials}`);
      assert.ok(
        Math.abs(signedError / trials) < 0.03,
        `size ${size}: bias ${signedError / trials}`,
      );
    }
  });

  it('is order-insensitive and deterministic', () => {
    const [a] = pair(7, 50, 0);
    const reversed = Uint32Array.from(a).reverse();
    assert.deepEqual([...hasher.sign(a, 50)], [...createMinHasher(64, 16).sign(reversed, 50)]);
  });

  it('gives the empty set a sentinel signature that matches nothing', () => {
    const empty = hasher.sign(new Uint32Array(0), 0);
    assert.ok(empty.every((value) => value === EMPTY_SLOT));
    assert.equal(estimateSimilarity(empty, empty), 0);
  });

  it('returns independent signatures (views on a slab are not overwritten)', () => {
    const [a, b] = pair(3, 30, 0);
    const first = hasher.sign(a, 30);
    const copy = [...first];
    for (let index = 0; index < 600; index++) hasher.sign(b, 30);
    assert.deepEqual([...first], copy);
  });

  it('gives the first band key without a signature, as bandKeys(sign(…))[0] does', () => {
    for (const [size, bands] of [
      [64, 16],
      [64, 32],
      [48, 12],
      [8, 8],
    ] as const) {
      const sized = createMinHasher(size, bands);
      for (const count of [0, 1, 2, 5, 9, 30, 400]) {
        const [shingles] = pair(count + size, count, 0);
        assert.equal(
          sized.firstBandKey(shingles, count),
          sized.bandKeys(sized.sign(shingles, count))[0],
          `size ${size}, ${count} shingles`,
        );
      }
    }
  });

  it('writes band keys as <band>:<12 hex digits>, for one- and two-digit bands', () => {
    const [shingles] = pair(11, 40, 0);
    const hasher32 = createMinHasher(64, 32);
    const keys = hasher32.bandKeys(hasher32.sign(shingles, 40));
    assert.equal(keys.length, 32);
    for (const [band, key] of keys.entries()) {
      assert.match(key, new RegExp(`^${band}:[0-9a-f]{12}$`));
    }
  });

  it('bands collide as 1-(1-J^r)^b predicts', () => {
    const cases = [
      [0.2, 80],
      [0.5, 80],
      [0.8, 80],
    ] as const;
    for (const [target, trials] of cases) {
      let collided = 0;
      let jaccardSum = 0;
      for (let trial = 0; trial < trials; trial++) {
        const size = 60;
        const shared = Math.round((2 * size * target) / (1 + target));
        const [a, b, jaccard] = pair(1000 + trial, size, shared);
        jaccardSum += jaccard;
        const keys = new Set(hasher.bandKeys(hasher.sign(a, size)));
        if (hasher.bandKeys(hasher.sign(b, size)).some((key) => keys.has(key))) collided += 1;
      }
      const jaccard = jaccardSum / trials;
      const expected = 1 - (1 - jaccard ** 4) ** 16;
      assert.ok(
        Math.abs(collided / trials - expected) < 0.15,
        `J ${jaccard}: ${collided / trials} vs ${expected}`,
      );
    }
  });

  it('rejects a band count that does not divide the size', () => {
    assert.throws(() => createMinHasher(64, 10), RangeError);
    assert.equal(createMinHasher(128, 32).bandKeys(new Uint32Array(128)).length, 32);
  });
});
