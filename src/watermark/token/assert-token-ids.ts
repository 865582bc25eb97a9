/**
 * Throws unless every id is an integer in 0..2^32 − 1 (spec §2 hashes them as u32be): the
 * table compares ids as stored uint32.
 */
export function assertTokenIds(ids: ArrayLike<number>): void {
  for (let index = 0; index < ids.length; index += 1) {
    const id = ids[index]!;
    if (id >>> 0 !== id) {
      throw new RangeError(`token id ${id} at ${index} is not an integer in 0..2^32 − 1`);
    }
  }
}
