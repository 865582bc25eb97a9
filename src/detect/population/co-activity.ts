/** Buckets two accounts must share before their overlap can mean anything. */
const MIN_OVERLAP = 4;
/** Overlap must be this many times what chance predicts. */
const MIN_EXCESS = 3;
/** Jaccard similarity of the two accounts' active buckets. */
const MIN_JACCARD = 0.3;
/** Members counted per bucket (a stride sample beyond): bounds the pair count per bucket. */
const MAX_PER_BUCKET = 128;

export interface CoActivityInput {
  /** The accounts to compare (account indices). */
  members: readonly number[];
  /** Each member's distinct active buckets, ascending. */
  buckets: (account: number) => readonly number[];
  /** Accounts of the whole population active in a bucket (the members included). */
  activeIn: (bucket: number) => number;
  /** Σ over all buckets of {@link activeIn} (the members included). */
  totalActivity: number;
}

export interface CoActivePair {
  a: number;
  b: number;
  overlap: number;
  expected: number;
  jaccard: number;
}

/**
 * Loosely synchronised accounts (SynchroTrap-like): pairs whose active time buckets overlap far
 * more than chance predicts. Chance is the background population's own activity (the members
 * removed, so a large campaign does not raise its own baseline): account B, active in |B|
 * buckets spread like the background, overlaps A's buckets by Σ_{b∈A} |B|·w_b / W. A scheduler
 * walking a pool of accounts in two daily windows puts every account of the pool in the same
 * windows; independent users of one timezone follow the background's diurnal curve. Cost: pairs
 * within each bucket, at most {@link MAX_PER_BUCKET}² / 2 per bucket.
 */
export function coActivePairs({
  members,
  buckets,
  activeIn,
  totalActivity,
}: CoActivityInput): CoActivePair[] {
  const byBucket = new Map<number, number[]>();
  for (const member of members) {
    for (const bucket of buckets(member)) {
      let list = byBucket.get(bucket);
      if (!list) {
        list = [];
        byBucket.set(bucket, list);
      }
      list.push(member);
    }
  }
  // Background weight per bucket: the population's activity without the members themselves.
  const background = new Map<number, number>();
  let total = totalActivity;
  let stride = 1;
  for (const [bucket, list] of byBucket) {
    background.set(bucket, Math.max(1, activeIn(bucket) - list.length));
    total -= list.length;
    for (const member of list) if (member >= stride) stride = member + 1;
  }
  const overlaps = new Map<number, number>();
  for (const list of byBucket.values()) {
    const sample =
      list.length <= MAX_PER_BUCKET
        ? list
        : list.filter((_, position) => position % Math.ceil(list.length / MAX_PER_BUCKET) === 0);
    for (let i = 0; i < sample.length; i += 1) {
      for (let j = i + 1; j < sample.length; j += 1) {
        const a = sample[i] as number;
        const b = sample[j] as number;
        const key = a < b ? a * stride + b : b * stride + a;
        overlaps.set(key, (overlaps.get(key) ?? 0) + 1);
      }
    }
  }
  if (total <= 0) total = 1;
  const mass = (account: number): number => {
    let sum = 0;
    for (const bucket of buckets(account)) sum += background.get(bucket) ?? 1;
    return sum;
  };
  const massOf = new Map<number, number>();
  const pairs: CoActivePair[] = [];
  for (const [key, overlap] of overlaps) {
    if (overlap < MIN_OVERLAP) continue;
    const a = Math.floor(key / stride);
    const b = key % stride;
    const sizeA = buckets(a).length;
    const sizeB = buckets(b).length;
    const jaccard = overlap / (sizeA + sizeB - overlap);
    if (jaccard < MIN_JACCARD) continue;
    const massA = massOf.get(a) ?? mass(a);
    const massB = massOf.get(b) ?? mass(b);
    massOf.set(a, massA);
    massOf.set(b, massB);
    // Each side's buckets, weighted by the background, times the other's activity rate.
    const expected = ((massA * sizeB) / total + (massB * sizeA) / total) / 2;
    if (overlap < MIN_EXCESS * expected) continue;
    pairs.push({ a, b, overlap, expected, jaccard });
  }
  return pairs;
}
