import type { AccountRecord, Exchange } from '../log/exchange.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import type { IpAsnTable } from './ip-asn-table.js';
import type { FeatureTap, FittedModel } from './model/index.js';
import type { PeerIndicatorMatcher } from './peer-indicator-matcher.js';
import type { PromptAnalyzer, PromptFeatures } from './prompt/prompt-features.js';
import type { Campaign, Reason, Verdict } from './verdict.js';

export interface DetectorOptions {
  /** Overrides of {@link DEFAULT_THRESHOLDS}. */
  thresholds?: Partial<DetectorThresholds>;
  /** Operator-provided IP→ASN table (`loadIpAsnTable`); without it ASNs come only from account records. */
  ipAsn?: IpAsnTable;
  /** Peers' shared indicators (`src/intel`); a match adds reason `peer_indicator`. */
  peerIndicators?: PeerIndicatorMatcher;
  /** Event-time cadence of the clustering step (default 10 minutes). */
  clusterEveryMs?: number;
  /** Extension: a shared prompt analyser (the gateway reuses one); default `createPromptAnalyzer()`. */
  promptAnalyzer?: PromptAnalyzer;
  /**
   * Memory over exactness of indicator counts (default false): a value an account carries beyond
   * its per-type cap (a rotating proxy's hundredth exit, its hundredth near-duplicate band) is
   * only looked up, not indexed. Verdicts and campaign membership are unchanged (such a value has
   * no carrier, so it links nothing; joins look it up); a campaign indicator's `count`,
   * `first_seen` and `last_seen` then start at the first account that keeps the value. At
   * seed-scale most keys are such values (see docs/detection.md, Memory).
   */
  compactKeys?: boolean;
  /**
   * The fitted model's evidence path (docs/detection.md, Fitted model): `{}` turns on the shipped
   * model, `fitted` replaces it, `tap` receives every evaluation's features (training). Default
   * `false` (opt-in: its cost and its interplay with population grouping are open, see the doc).
   */
  model?: false | { fitted?: FittedModel; tap?: FeatureTap };
}

/** The engine's current judgement of an account, returned for every exchange. */
export interface Assessment {
  accountId: string;
  score: number;
  verdict: 'attack' | 'suspect' | 'clean';
  campaignId: string | null;
  flaggedAt: string | null;
  /** True on the exchange at which the account was first flagged. */
  newlyFlagged: boolean;
  reasons: Reason[];
  /** This exchange attributed to a campaign (reseller accounts mixing traffic). */
  exchangeCampaignId: string | null;
}

/** The streaming detection engine: the same object serves `analyze` (replay) and the gateway (live). */
export interface Detector {
  /** Account records may arrive before or interleaved with exchanges. */
  observeAccount(account: AccountRecord): void;
  /**
   * Exchanges in non-decreasing `ts`; the answer uses only the past. `features`: the exchange's
   * prompt features when already computed (batch `analyze` runs the prompt analysers in worker
   * threads); they must be what the detector's own prompt analyser returns for this exchange
   * (`minhash` and the LSH bands after the first may be dropped: the engine does not read them).
   * The analyser is then not called, so `exchange.request` may lack the message text.
   */
  observe(exchange: Exchange, features?: PromptFeatures): Assessment;
  assessment(accountId: string): Assessment | undefined;
  /** One verdict per account seen. */
  verdicts(): Verdict[];
  campaigns(): Campaign[];
  /**
   * End of input (batch `analyze`): clusters once more at the last exchange's time, so a short
   * log is never silently clean. Flags it raises are stamped with that time: causal.
   */
  flush(): void;
  /**
   * The engine's whole state as plain data (live references: structured-clone it, e.g. with
   * `v8.serialize`, before observing more). See `snapshotDetector` in `detector-state.ts`.
   */
  exportState(): DetectorState;
  /**
   * Replaces the state of a fresh detector (same options) with an exported one: it then goes on
   * exactly as the exported engine would have.
   */
  importState(state: DetectorState): void;
}

/** A detector's state: a versioned envelope over each part's own (docs/fleet.md, Checkpoints). */
export interface DetectorState {
  format: 'distillguard.detector-state';
  /** `DETECTOR_STATE_VERSION` of the build that exported it. */
  version: number;
  parts: Record<string, Record<string, unknown>>;
}
