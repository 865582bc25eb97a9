import type { IndicatorType } from './verdict.js';

/**
 * Evidence families. A campaign must be held together by more than one family: software
 * fingerprints and templates alone are shared by every user of a popular IDE or SaaS, a shared
 * NAT alone joins unrelated customers, and an e-mail domain (affiliation) is shared by a whole
 * university. Identity means what an operator pays with or signs up with in bulk.
 */
export type KeyFamily = 'network' | 'identity' | 'affiliation' | 'software' | 'content';

/** A kind of shared value that links accounts. */
export interface LinkageKeyType {
  name: string;
  family: KeyFamily;
  /** Strength of one shared value of this kind (before the purity factor). */
  weight: number;
  /** How the value is exported as a campaign indicator (undefined: not exported). */
  indicator: IndicatorType | undefined;
  /** Most distinct values of this kind remembered per account (bounds memory per account). */
  perAccount: number;
  /**
   * Chosen by whoever runs the accounts (an address, a proxy subnet, a card, a sign-up batch):
   * the evidence a campaign needs besides software and content. An ASN is network but not
   * operator-controlled: a residential ISP, a cloud or a university network is everyone's.
   */
  operator: boolean;
}

export const LINKAGE_KEY_TYPES = [
  { name: 'ip', family: 'network', weight: 1.5, indicator: 'ipv4', perAccount: 24, operator: true },
  {
    name: 'subnet',
    family: 'network',
    weight: 1,
    indicator: 'subnet',
    perAccount: 16,
    operator: true,
  },
  { name: 'asn', family: 'network', weight: 0.3, indicator: 'asn', perAccount: 4, operator: false },
  {
    name: 'tls_fingerprint',
    family: 'software',
    weight: 0.3,
    indicator: 'tls_fingerprint',
    perAccount: 4,
    operator: false,
  },
  {
    name: 'header_order',
    family: 'software',
    weight: 0.3,
    indicator: 'header_order',
    perAccount: 4,
    operator: false,
  },
  {
    name: 'user_agent',
    family: 'software',
    weight: 0.3,
    indicator: 'user_agent',
    perAccount: 4,
    operator: false,
  },
  {
    name: 'payment_fingerprint',
    family: 'identity',
    weight: 3,
    indicator: 'payment_fingerprint',
    perAccount: 2,
    operator: true,
  },
  {
    name: 'email_domain',
    family: 'affiliation',
    weight: 0.8,
    indicator: 'email_domain',
    perAccount: 1,
    operator: false,
  },
  {
    name: 'signup_burst',
    family: 'identity',
    weight: 0.7,
    indicator: undefined,
    perAccount: 1,
    operator: true,
  },
  {
    name: 'template',
    family: 'content',
    weight: 0.5,
    indicator: 'template',
    perAccount: 16,
    operator: false,
  },
  {
    name: 'near_duplicate',
    family: 'content',
    weight: 0.2,
    indicator: undefined,
    perAccount: 32,
    operator: false,
  },
  {
    name: 'system_prompt',
    family: 'content',
    weight: 0.6,
    indicator: 'system_prompt',
    perAccount: 4,
    operator: false,
  },
  {
    name: 'tool_set',
    family: 'content',
    weight: 0.6,
    indicator: 'tool_set',
    perAccount: 4,
    operator: false,
  },
] as const satisfies readonly LinkageKeyType[];

export type LinkageKeyName = (typeof LINKAGE_KEY_TYPES)[number]['name'];

/** Index of each key type in {@link LINKAGE_KEY_TYPES} (compact per-account counters use it). */
export const KEY_TYPE_INDEX: Readonly<Record<LinkageKeyName, number>> = Object.fromEntries(
  LINKAGE_KEY_TYPES.map((type, index) => [type.name, index]),
) as Record<LinkageKeyName, number>;

export const FAMILIES: readonly KeyFamily[] = [
  'network',
  'identity',
  'affiliation',
  'software',
  'content',
];
