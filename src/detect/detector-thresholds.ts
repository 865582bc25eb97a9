/**
 * Tunable thresholds of the detection engine. Every field has a documented default
 * ({@link DEFAULT_THRESHOLDS}); `createDetector({ thresholds })` overrides any subset.
 */
export interface DetectorThresholds {
  /** Per-exchange prompt cue (elicitation, rubric, censorship) counts when its analyser score is at least this. */
  cueScore: number;
  /** An account becomes a linkage candidate when its individual (content + behaviour) score reaches this. */
  candidateScore: number;
  /** A lone account with this individual score and {@link suspectMinExchanges} exchanges is `suspect`. */
  suspectScore: number;
  suspectMinExchanges: number;
  /** A shared value links candidates only when at least this share of its accounts are candidates. */
  keyPurity: number;
  /** Louvain resolution on the linkage graph (below 1: fewer, larger communities; an operator's sub-groups stay one campaign). */
  clusterResolution: number;
  /** Evasion path (no shared infrastructure): least exchanges, cue share and prompt languages. */
  evasionMinExchanges: number;
  evasionCueShare: number;
  evasionLanguages: number;
  /**
   * An account whose most-used /24 (or /48) carries at least this share of its exchanges has a
   * home network and is not rotating exits, whatever its dynamic address's occasional moves
   * (above 1: off, every account rotating by subnet count alone). Off by default: at 0.5 it
   * cleared three exam teachers (matrix seed 3, red team 6) but also every aged account of the
   * red-team-b `aged` campaign (42 → 0 of 50 on seeds 6 and 7): a bought account with a sticky
   * residential session has exactly a month-old home network (docs/detection.md).
   */
  evasionHomeShare: number;
  /**
   * Whether the evasion path counts exit networks away from the account's busiest /24 (its home):
   * four or more others, one per dozen requests. Off (the default): the home counts as one of the
   * four, and an exam teacher whose home line moved three times in 40 requests reads as rotating
   * exits. On, it cleared the teachers (matrix seeds 8 and 3 no-identity) but lost five accounts of
   * the adaptive operator, whose new accounts sit on sticky residential sessions too (seed 3
   * no-network, recall 98.1% → 96.8%; docs/detection.md).
   */
  evasionAwayFromHome: boolean;
  /**
   * An account is not placed as a member by its share of campaign traffic when the campaign's
   * value it sends is already carried by established accounts from this many networks (a public
   * agent not yet judged public; `Infinity`: off, the default — see docs/detection.md).
   */
  memberPublicNetworks: number;
  /** Smallest community of linked candidates that becomes a campaign. */
  minCampaignAccounts: number;
  /** Smallest mean individual score of a campaign's members. */
  minCampaignScore: number;
  /** Smallest mean cue share (elicitation, rubric, censorship) of a campaign linked by network values only. */
  minNetworkOnlyCueShare: number;
  /** Smallest linkage weight (sum over shared values) that keeps an account in its campaign. */
  minMemberLinkage: number;
  /** Of which at least this much from network or identity values (addresses, payment, signups). */
  minOperatorLinkage: number;
  /** Affinity (weighted shared values owned by a campaign) that flags a new account on its first exchanges. */
  joinAffinity: number;
  /** Shared values stored per key (beyond it, only the count grows: a huge NAT is weak evidence). */
  maxKeyMembers: number;
  /** Re-cluster when the candidate set changed by this fraction since the last clustering… */
  reclusterGrowth: number;
  /** …or when this much event time passed since the last clustering and anything changed. */
  reclusterMaxDelayMs: number;
  /** An account whose attributed campaign share is below this (and above zero) is a reseller. */
  resellerMaxShare: number;
  /** Campaign-attributed exchanges (owned content plus a cue) that flag an unlinked account as a reseller. */
  resellerMinExchanges: number;
  /**
   * Campaign-attributed exchanges (any campaign's) that flag a reseller when they come through the
   * door (subnet and full client fingerprint) of an account already flagged as a reseller.
   */
  resellerDoorMinExchanges: number;
  /**
   * An account carrying campaign traffic whose own individual score reaches this is a member, not
   * a reseller, whatever its attributed share: a reseller's door is an established business account
   * whose own mix looks like its customers', not a young harvesting account.
   */
  resellerMemberScore: number;
  /**
   * Whether the harness-swarm finding runs (`population/harness-swarm.ts`). On by default: it
   * catches the red-team cell's agent-trajectory campaign (0 → 30 of 30, seeds 4–7). The campus
   * classroom once flagged beside it (seed 6) was not its finding but the linkage clustering's,
   * which borrowed a campus crowd's content score (`acceptCommunity` now asks the members' own).
   */
  harnessSwarm: boolean;
  /**
   * Whether the answer-sweep finding runs (`population/answer-sweep.ts`): new accounts on exits
   * rotating across residential networks harvesting long single-turn answers to overlapping
   * questions (the red team's slow drip). On by default: red-team seeds 6 / 7 slow drip 0 → 132 /
   * 133 of 150 with no customer false positive; a course's new students behind consumer VPNs or on
   * mobile data, flagged whole before the exit-kind condition (~37 of 40 each), are clean. Needs
   * an IP→ASN table with kinds (`--ip-asn`): without one it never fires (docs/detection.md).
   */
  answerSweep: boolean;
  /**
   * Whether a young organisation's seats are judged pooled (`population/young-organisation.ts`):
   * ten or more seats, nearly all new, whose traffic together elicits reasoning with long answers
   * (the red-team-b front company's `enterprise-seat` campaign, docs/detection.md). Off by default:
   * a class given course seats in a new university organisation, each student pasting the course's
   * exercises once for step-by-step worked answers, pools the same way, and one flag takes the
   * whole organisation. The breadth guard (distinct questions per seat) spares the simulated class
   * (red-team-b `course_org`: 56/58, 58/58 → 0 on tuning seeds 4/5; 0 on seeds 6/7) while the
   * seats stay 50/50 on seeds 4–7; left off for the lead to decide (docs/detection.md).
   */
  youngOrganisation: boolean;
  /**
   * Whether machine-paced new accounts are grouped as one population
   * (`population/machine-paced-swarm.ts`, branch self-play): ten or more new accounts, multi-turn
   * without tools, each sending ≥ 80 % of its next user turns before the previous long answer could
   * be read. Off by default: a developer scripting tests of a new chatbot is paced the same way,
   * and the quality rows of the battery were not run (red-team-c self-play 0 → 99/100 on seeds
   * 4–7, customer FP unchanged; the matrix seeds 2/3 and red-team(-b) 6/7 verdicts identical;
   * docs/detection.md#machine-paced-conversations-branch-self-play).
   */
  machinePacedSwarm: boolean;
  /**
   * Whether a population value's purity leaves out the carriers a campaign already holds
   * (`population/unexplained-purity.ts`). Off by default: on the evasion matrix (scale 0.05) it
   * lifted no-network, human-timing and no-network+no-identity recall (seed 2: 98.7 → 100 %,
   * 96.3 → 98.9 %, 98.1 → 99.7 %), but seed 3 no-network+no-identity gained a customer false
   * positive (1 → 2), adaptive (0.3, seed 2) ARI fell 0.83 → 0.22 and seed 2 baseline recall
   * 100 → 98.7 % (docs/detection.md).
   */
  explainHeldCarriers: boolean;
  /**
   * Whether an unflagged account that carries a campaign's own values of two families (its
   * prompts and its domain or client build, the campaign's members nearly their only carriers)
   * and shows its own operator trace and harvest joins that campaign
   * (`population/operator-remnant.ts`): the operator's accounts with a card and exits of their own.
   */
  operatorRemnant: boolean;
  /**
   * With `operatorRemnant`: a value no campaign owns counts for the campaign most of its flagged
   * carriers are in (a campaign whose community the last clustering left out keeps its members
   * but owns nothing). Off: measured on no-network+no-identity only (seed 9 tuning, 2 and 3
   * reported: 99.7 → 100 %, 97.6 → 99.2 %, 100 → 100 %, FP unchanged), not on the full battery.
   */
  operatorRemnantByCarriers: boolean;
  /**
   * Tool-offering requests an account's own tool sweep needs to make it a population candidate
   * and to count as its operator trace; a sweeping account then needs no other minimum of traffic
   * (others need five exchanges). Off at 5, the general minimum: at 3 a round-robin
   * function-calling harvest is grouped on its third round (seed 1, scale 0.05: harvest first
   * flag 100 → 60 min), but the earlier flags moved the clusterings that follow and cost
   * elsewhere (seed 1 baseline leakage 5.4 → 6.4 %, human-timing customer FP 0 → 1; with
   * {@link populationJoinMinExchanges} at 3 too, seed 2 baseline recall 100 → 96.8 %;
   * docs/detection.md).
   */
  toolSweepMinExchanges: number;
  /**
   * Exchanges an account needs to join a population placed before (the pass that ties later
   * accounts to a placed pool: two families each with two or more members, its own operator
   * trace); a first grouping always needs five. Off at 5; see docs/detection.md for the
   * measured figures at 3.
   */
  populationJoinMinExchanges: number;
  /**
   * Exchanges after which a new account tied to two or more flagged members of a population
   * campaign by two families each (the population's binding values) joins it on that exchange
   * (`population-join.ts`), instead of waiting for five exchanges and the next pass. Infinity:
   * off. See docs/detection.md.
   */
  populationQuickJoinExchanges: number;
  /**
   * Whether a stolen key is flagged (`second-tenant.ts`): an established account whose owner goes
   * on using it while another client harvests through it from a pool of exits the owner never
   * used (the red-team-b `takeover` campaign, docs/detection.md#red-team-b-campaigns).
   */
  secondTenant: boolean;
  /**
   * Whether a bought account is flagged (`handed-over.ts`): an established account whose first
   * client stops while another, from rotating residential exits it never used, harvests (the
   * red-team-b `aged` campaign keeping one language, docs/detection.md#handover-bought-aged-accounts).
   * On since the hop count went from 3 to 5 (no honest group's FP up on tuning or reported runs).
   */
  handover: boolean;
  /**
   * Whether operator labels cut a part on client builds (user agents: SDK and version) before any
   * client value (`split-rotating-clients.ts`). On: the rotating operator's accounts on the kept
   * operator's SDK (same header order, other versions) no longer hold the cut back; matrix ARI
   * seeds 2 and 3 up in every cell, flags unchanged (docs/detection.md).
   */
  splitByClientBuild: boolean;
}

export const DEFAULT_THRESHOLDS: DetectorThresholds = {
  cueScore: 0.5,
  candidateScore: 0.35,
  suspectScore: 0.7,
  suspectMinExchanges: 30,
  keyPurity: 0.5,
  clusterResolution: 0.5,
  evasionMinExchanges: 15,
  evasionCueShare: 0.35,
  evasionLanguages: 4,
  evasionHomeShare: Number.POSITIVE_INFINITY,
  evasionAwayFromHome: false,
  memberPublicNetworks: Number.POSITIVE_INFINITY,
  minCampaignAccounts: 3,
  minCampaignScore: 0.42,
  minNetworkOnlyCueShare: 0.5,
  minMemberLinkage: 1.5,
  minOperatorLinkage: 0.7,
  joinAffinity: 2.5,
  maxKeyMembers: 2048,
  reclusterGrowth: 0.02,
  reclusterMaxDelayMs: 6 * 3600_000,
  resellerMaxShare: 0.8,
  resellerMinExchanges: 5,
  resellerDoorMinExchanges: 2,
  resellerMemberScore: 0.5,
  harnessSwarm: true,
  answerSweep: true,
  youngOrganisation: false,
  machinePacedSwarm: false,
  explainHeldCarriers: false,
  operatorRemnant: true,
  operatorRemnantByCarriers: false,
  toolSweepMinExchanges: 5,
  populationJoinMinExchanges: 5,
  populationQuickJoinExchanges: Number.POSITIVE_INFINITY,
  secondTenant: true,
  handover: true,
  splitByClientBuild: true,
};
