import { type AccountState, forEachCount, keyCount } from './account-state.js';
import type { ActivityTracker } from './activity-tracker.js';
import type { CampaignState } from './campaign-state.js';
import type { DetectorThresholds } from './detector-thresholds.js';
import { repeatedLanguages } from './evasive-account.js';
import {
  cadenceRegularity,
  capabilityConcentration,
  fixedParameterShare,
} from './individual-score.js';
import type { LinkageIndex } from './linkage-index.js';
import { KEY_TYPE_INDEX, LINKAGE_KEY_TYPES } from './linkage-key-type.js';
import type { ModelFinding } from './model/index.js';
import type { PopulationTracker } from './population/index.js';
import { CAPABILITIES } from './prompt/capability.js';
import { createReason } from './reason-text.js';
import type { Reason } from './verdict.js';

export interface ReasonContext {
  index: LinkageIndex;
  /** Cross-account timing findings (synchronized cadence, model pivots), when tracked. */
  activity?: ActivityTracker;
  campaigns: readonly CampaignState[];
  ownerCampaign: Int32Array;
  thresholds: DetectorThresholds;
  /** Population findings (issue 15), when tracked. */
  population?: PopulationTracker;
  /** The fitted model's findings, when the model runs. */
  model?: ReadonlyMap<number, ModelFinding>;
}

/**
 * Why an account looks the way it does: its own content and behaviour findings, then the
 * cross-account findings that tie it to its campaign, each a code with evidence as data.
 */
export function accountReasons(state: AccountState, context: ReasonContext): Reason[] {
  const n = state.exchanges;
  const reasons: Reason[] = [];
  if (n === 0 && !state.record) return reasons;
  const share = (count: number) => (n === 0 ? 0 : round(count / n));
  const cues = [...state.cues].sort();
  if (n > 0 && state.elicitation / n >= 0.3) {
    reasons.push(
      createReason('reasoning_elicitation', {
        share: share(state.elicitation),
        exchanges: n,
        cues,
      }),
    );
  }
  if (n > 0 && state.rubric / n >= 0.3)
    reasons.push(createReason('rubric_grading', { share: share(state.rubric) }));
  if (n > 0 && state.censorship / n >= 0.3) {
    reasons.push(createReason('censorship_rewrite', { share: share(state.censorship) }));
  }
  if (n >= 5) {
    const concentration = capabilityConcentration(state);
    let topIndex = 0;
    state.capabilities.forEach((count, index) => {
      if (count > (state.capabilities[topIndex] as number)) topIndex = index;
    });
    const topShare = (state.capabilities[topIndex] as number) / n;
    if (concentration >= 0.8) {
      reasons.push(
        createReason('capability_concentration', {
          capability: CAPABILITIES[topIndex],
          share: round(topShare),
        }),
      );
      const templates = keyCount(state.templates);
      if (n >= 10 && state.templateRepeats / n < 0.2 && templates >= 5) {
        reasons.push(createReason('systematic_coverage', { templates }));
      }
    }
  }
  if (n >= 10 && state.templateRepeats / n >= 0.5) {
    reasons.push(createReason('template_reuse', { share: share(state.templateRepeats) }));
  }
  const fixed = fixedParameterShare(state);
  if (n >= 10 && fixed >= 0.9)
    reasons.push(createReason('fixed_parameters', { share: round(fixed) }));
  const meanOutputTokens = n === 0 ? 0 : Math.round(state.outputTokens / n);
  if (n >= 5 && state.singleTurn / n >= 0.9 && meanOutputTokens >= 400) {
    reasons.push(
      createReason('single_turn_harvest', { share: share(state.singleTurn), meanOutputTokens }),
    );
  }
  const regularity = cadenceRegularity(state);
  if (regularity >= 0.7)
    reasons.push(createReason('cadence_regular', { regularity: round(regularity) }));
  const program = state.record?.program;
  if (program) reasons.push(createReason('entry_program', { program }));
  const created = state.record ? Date.parse(state.record.created_at) : Number.NaN;
  if (
    Number.isFinite(created) &&
    Number.isFinite(state.firstMs) &&
    state.firstMs - created < 24 * 3600_000
  ) {
    reasons.push(
      createReason('account_age', { hours: round((state.firstMs - created) / 3600_000) }),
    );
  }
  if (state.flaggedBy === 'evasion') {
    reasons.push(
      createReason('evasive_operator', {
        share: share(state.cueExchanges),
        languages: repeatedLanguages(state),
        subnets: state.keysPerType[KEY_TYPE_INDEX.subnet],
      }),
    );
  }
  if (state.flaggedBy === 'tenant' && state.tenant && state.tenant.ownerAfter === 0) {
    // Flagged by `handed-over.ts` (the stolen-key rule needs the owner to go on).
    const tenant = state.tenant;
    reasons.push(
      createReason('handover', {
        exchanges: tenant.exchanges,
        share: round(tenant.cues / Math.max(1, tenant.exchanges)),
        hops: tenant.hops ?? 0,
      }),
    );
  } else if (state.flaggedBy === 'tenant' && state.tenant) {
    const tenant = state.tenant;
    reasons.push(
      createReason('second_tenant', {
        exchanges: tenant.exchanges,
        share: round(tenant.cues / Math.max(1, tenant.exchanges)),
        subnets: tenant.subnets.length,
      }),
    );
  }
  reasons.push(...linkageReasons(state, context));
  const timing = state.campaign >= 0 ? context.activity?.findings(state.index) : undefined;
  if (timing?.cadence) reasons.push(createReason('synchronized_cadence', timing.cadence));
  if (timing?.pivot) reasons.push(createReason('model_pivot', timing.pivot));
  const found = context.population?.findings.get(state.index); // population (issue 15)
  if (found && !Number.isNaN(state.flaggedMs))
    reasons.push(createReason(found.code, found.evidence));
  const scored = state.flaggedBy === 'model' ? context.model?.get(state.index) : undefined;
  if (scored) reasons.push(createReason('model_score', { ...scored }));
  if (state.peer) {
    reasons.push(
      createReason('peer_indicator', {
        source: state.peer.source,
        confidence: state.peer.confidence,
        indicatorType: state.peer.indicatorType,
        indicatorId: state.peer.indicatorId,
      }),
    );
  }
  return reasons;
}

const FAMILY_CODE: Record<string, string> = {
  network: 'shared_infrastructure',
  affiliation: 'signup_burst',
  software: 'shared_fingerprint',
  content: 'shared_template',
};

function linkageReasons(
  state: AccountState,
  { index, campaigns, ownerCampaign }: ReasonContext,
): Reason[] {
  const reasons: Reason[] = [];
  const campaign = campaigns[state.campaign];
  if (campaign) {
    const byCode = new Map<string, { keys: number; accounts: number }>();
    const linked: string[] = [];
    for (const keyId of state.keys) {
      if (ownerCampaign[keyId] !== campaign.number) continue;
      const type = LINKAGE_KEY_TYPES[index.typeOf(keyId)];
      if (!type) continue;
      const code =
        type.name === 'payment_fingerprint'
          ? 'shared_payment'
          : type.name === 'signup_burst' || type.name === 'email_domain'
            ? 'signup_burst'
            : (FAMILY_CODE[type.family] ?? 'shared_infrastructure');
      const entry = byCode.get(code) ?? { keys: 0, accounts: 0 };
      entry.keys += 1;
      entry.accounts = Math.max(entry.accounts, index.accountCount(keyId) - 1);
      byCode.set(code, entry);
      if (linked.length < 6) linked.push(type.name);
    }
    for (const [code, evidence] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
      reasons.push(createReason(code, evidence));
    }
    if (state.flaggedBy === 'affinity') {
      reasons.push(createReason('regrowth', { campaign: campaign.id, keys: [...new Set(linked)] }));
    }
    reasons.push(
      createReason('campaign_member', {
        campaign: campaign.id,
        accounts: campaign.accounts.size,
        families: [...campaign.families].sort(),
      }),
    );
  }
  const resold: [number, number][] = [];
  forEachCount(state.attributed, (number, count) => {
    if (number !== state.campaign) resold.push([number, count]);
  });
  if (state.flaggedBy === 'reseller' && resold.length > 0 && state.exchanges > 0) {
    const attributed = resold.reduce((total, [, count]) => total + count, 0);
    reasons.push(
      createReason('reseller', {
        share: round(attributed / state.exchanges),
        exchanges: state.exchanges,
        campaigns: resold.map(([number]) => (campaigns[number] as CampaignState).id),
        ...(state.reusedDoor ? { reusedDoor: true } : {}),
      }),
    );
  }
  return reasons;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
