/**
 * gzip level of `exchanges.jsonl.gz`. Level 3 compresses about twice as fast as zlib's default
 * (6) for files about a third larger; compression, not generation, bounds the simulator at scale.
 */
export const EXCHANGE_GZIP_LEVEL = 3;
