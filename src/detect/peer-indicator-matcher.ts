import type { AccountRecord, Exchange } from '../log/exchange.js';

/** A peer provider's indicator that matched an exchange or account (reason code `peer_indicator`). */
export interface PeerIndicatorMatch {
  /** The sharing peer (STIX identity name or id). */
  source: string;
  /** 0–1, from the peer's indicator confidence (STIX 0–100 scaled). */
  confidence: number;
  /** Which observable matched, e.g. `ipv4`, `tls_fingerprint`, `payment_fingerprint`. */
  indicatorType: string;
  /** The STIX indicator id, for the audit trail (never the raw shared value). */
  indicatorId: string;
}

/**
 * The detection engine's port for peers' shared indicators (implemented by `src/intel`).
 * The engine calls it for every exchange and account record; it must be O(1) per call.
 */
export interface PeerIndicatorMatcher {
  matchExchange(exchange: Exchange): PeerIndicatorMatch | undefined;
  matchAccount(account: AccountRecord): PeerIndicatorMatch | undefined;
}
