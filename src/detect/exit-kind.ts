/**
 * The kinds of network a request can leave from, as an IP→ASN table labels them. Index 0 is
 * `unknown`: no table, an address outside it, a row without `kind`, or a label not listed here.
 */
export const EXIT_KINDS = [
  'unknown',
  'residential',
  'mobile',
  'hosting',
  'business',
  'education',
] as const;

export type ExitKind = (typeof EXIT_KINDS)[number];

/** Position of each kind in {@link EXIT_KINDS} (the per-account counters' layout). */
export const EXIT_KIND_INDEX = Object.fromEntries(EXIT_KINDS.map((kind, at) => [kind, at])) as {
  readonly [Kind in ExitKind]: number;
};

// The `kind` column is free text: the simulator writes its own words, commercial tables theirs
// (ipinfo `isp`/`hosting`/`business`/`education`, others `datacenter`, `cellular`, …). A consumer
// VPN, a proxy service or Tor exits from hosted machines; a label that names none of these
// stays unknown rather than guessed.
const LABELS: Readonly<Record<string, ExitKind>> = {
  residential: 'residential',
  isp: 'residential',
  broadband: 'residential',
  consumer: 'residential',
  mobile: 'mobile',
  cellular: 'mobile',
  wireless: 'mobile',
  hosting: 'hosting',
  datacenter: 'hosting',
  'data center': 'hosting',
  cloud: 'hosting',
  vpn: 'hosting',
  business: 'business',
  corporate: 'business',
  enterprise: 'business',
  education: 'education',
  university: 'education',
  research: 'education',
};

/**
 * The {@link EXIT_KINDS} index of a table's `kind` label (case-insensitive; 0, unknown, when
 * absent or not recognised).
 *
 * @example
 * exitKindIndex('ISP'); // EXIT_KIND_INDEX.residential
 * exitKindIndex(undefined); // EXIT_KIND_INDEX.unknown
 */
export function exitKindIndex(label: string | undefined): number {
  if (label === undefined) return EXIT_KIND_INDEX.unknown;
  const kind = LABELS[label.trim().toLowerCase()];
  return kind === undefined ? EXIT_KIND_INDEX.unknown : EXIT_KIND_INDEX[kind];
}
