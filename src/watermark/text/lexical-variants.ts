/**
 * Word pairs that keep meaning when swapped in assistant prose (lower case; spec §4). Each pair is a
 * class; the keyed choice picks one spelling per (previous word, class). Pairs were picked to be
 * interchangeable in most contexts; pairs that break common phrases ("need to" → "require to",
 * "show me" → "demonstrate me", "big enough") were left out.
 */
export const LEXICAL_VARIANTS: readonly (readonly [string, string])[] = [
  ['big', 'large'],
  ['begin', 'start'],
  ['begins', 'starts'],
  ['quick', 'fast'],
  ['help', 'assist'],
  ['often', 'frequently'],
  ['maybe', 'perhaps'],
  ['buy', 'purchase'],
  ['choose', 'select'],
  ['important', 'essential'],
  ['easy', 'simple'],
  ['toward', 'towards'],
  ['among', 'amongst'],
  ['also', 'additionally'],
  ['usually', 'typically'],
  ['try', 'attempt'],
  ['whole', 'entire'],
  ['mostly', 'largely'],
  ['nearly', 'almost'],
  ['therefore', 'thus'],
  ['quickly', 'rapidly'],
];

/** Lower-case word → [class index, variant index]. */
export const VARIANT_INDEX: ReadonlyMap<string, readonly [number, number]> = new Map(
  LEXICAL_VARIANTS.flatMap((pair, classIndex) =>
    pair.map((word, variant) => [word, [classIndex, variant] as const] as const),
  ),
);
