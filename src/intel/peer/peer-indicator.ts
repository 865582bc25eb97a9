import type { IndicatorType } from '../../detect/verdict.js';

/** What a peer's indicator matches, decoded from its STIX pattern. */
export type PeerIndicatorKey =
  | { kind: 'ip'; ip: string }
  | { kind: 'network'; network: string; version: 4 | 6; prefixLength: number }
  | { kind: 'asn'; number: number }
  | { kind: 'user_agent'; value: string }
  | { kind: 'tls_fingerprint'; value: string }
  | {
      kind: 'keyed';
      indicatorType: IndicatorType;
      keyId: string;
      keyedHash: string;
      prefixLength?: number;
    };

/** One usable indicator from a peer's bundle. */
export interface PeerIndicator {
  indicatorId: string;
  /** The peer: its STIX identity name, or the import's `source` label. */
  source: string;
  /** 0–1. */
  confidence: number;
  key: PeerIndicatorKey;
}
