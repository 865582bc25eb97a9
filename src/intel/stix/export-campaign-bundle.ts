import type { Campaign, CampaignsFile } from '../../detect/verdict.js';
import type { CommunityKey } from '../community-key.js';
import {
  CAMPAIGN_STATISTICS_EXTENSION_ID,
  distillguardExtensionDefinitions,
  distillguardProjectIdentity,
} from './distillguard-extensions.js';
import { INDICATOR_NAMES, NETWORK_TYPES, shareIndicator } from './share-indicator.js';
import { deterministicStixId, randomStixId, toStixTimestamp } from './stix-identifier.js';
import type { StixBundle, StixObject } from './stix-object.js';
import { renderObservation } from './stix-pattern.js';
import { type TlpLevel, tlpExtensionDefinition, tlpMarking } from './tlp-marking.js';

export interface ExportCampaignBundleOptions {
  communityKey: CommunityKey;
  /** Share IPs and subnets in clear; otherwise they leave as keyed hashes too. Default false. */
  shareIps?: boolean;
  /** TLP 2.0 marking applied to every object. Default `amber`. */
  tlp?: TlpLevel;
  /** The producer's name in its STIX identity (peers see it as the source). Default `distillguard`. */
  producerName?: string;
  /** Indicators expire this many days after last seen. Default 90. */
  validForDays?: number;
  /** Bundle id factory (tests pass a fixed one). */
  createBundleId?: () => string;
}

const DAY_MS = 86_400_000;
const MAXIMUM_SIGHTING_COUNT = 999_999_999;

/**
 * Renders `campaigns.json` as one STIX 2.1 bundle: the producer's identity, TLP 2.0 marking, the
 * extension definitions, and per campaign a `campaign`, its proxy `infrastructure`, one
 * `indicator` (with a STIX pattern) and one `sighting` per shared indicator, the observables,
 * and the relationships between them. Ids are deterministic (UUIDv5), so a re-export is a new
 * version of the same objects. Account ids, prompts, emails and payment data never appear:
 * account-side and prompt-side values leave only as keyed hashes.
 *
 * @example
 * const bundle = exportCampaignBundle(campaignsFile, { communityKey, shareIps: false });
 */
export function exportCampaignBundle(
  campaignsFile: CampaignsFile,
  {
    communityKey,
    shareIps = false,
    tlp = 'amber',
    producerName = 'distillguard',
    validForDays = 90,
    createBundleId = () => randomStixId('bundle'),
  }: ExportCampaignBundleOptions,
): StixBundle {
  const generatedAt = toStixTimestamp(campaignsFile.generated_at);
  const marking = tlpMarking(tlp);
  const producer: StixObject = {
    type: 'identity',
    spec_version: '2.1',
    id: deterministicStixId('identity', `producer:${producerName}`),
    created: generatedAt,
    modified: generatedAt,
    name: producerName,
    identity_class: 'organization',
    object_marking_refs: [marking.id],
  };
  const common = {
    spec_version: '2.1',
    created_by_ref: producer.id,
    created: generatedAt,
    modified: generatedAt,
    object_marking_refs: [marking.id],
  };
  const objects = new Map<string, StixObject>();
  const add = (object: StixObject): StixObject => {
    const existing = objects.get(object.id);
    if (existing) return existing;
    objects.set(object.id, object);
    return object;
  };
  const relate = (sourceRef: string, relationshipType: string, targetRef: string) =>
    add({
      type: 'relationship',
      id: deterministicStixId('relationship', `${sourceRef} ${relationshipType} ${targetRef}`),
      ...common,
      relationship_type: relationshipType,
      source_ref: sourceRef,
      target_ref: targetRef,
    });

  for (const object of [
    tlpExtensionDefinition(),
    marking,
    distillguardProjectIdentity(),
    ...distillguardExtensionDefinitions(),
    producer,
  ]) {
    add(object);
  }

  for (const campaign of campaignsFile.campaigns) {
    const confidence = Math.round(Math.min(1, Math.max(0, campaign.confidence)) * 100);
    const campaignObject = add(campaignToStix(campaign, producer.id, common, confidence));
    const infrastructure = add({
      type: 'infrastructure',
      id: deterministicStixId('infrastructure', `${producer.id}:${campaign.campaign_id}`),
      ...common,
      name: `Proxy infrastructure of distillation campaign ${campaign.campaign_id}`,
      infrastructure_types: ['anonymization'],
      first_seen: toStixTimestamp(campaign.first_seen),
      last_seen: toStixTimestamp(campaign.last_seen),
    });
    relate(campaignObject.id, 'uses', infrastructure.id);

    for (const indicator of campaign.indicators) {
      const shared = shareIndicator(indicator, { communityKey, shareIps });
      if (!shared) continue;
      const { observable, comparisons } = shared;
      const pattern = renderObservation(comparisons);
      const validFrom = toStixTimestamp(indicator.first_seen);
      const validUntil = toStixTimestamp(
        Math.max(Date.parse(indicator.last_seen), Date.parse(indicator.first_seen)) +
          validForDays * DAY_MS,
      );
      const indicatorId = deterministicStixId('indicator', `${producer.id}:${pattern}`);
      const existing = objects.get(indicatorId);
      const stixIndicator = existing
        ? mergeIndicator(existing, confidence, validFrom, validUntil)
        : add({
            type: 'indicator',
            id: indicatorId,
            ...common,
            name: INDICATOR_NAMES[indicator.type],
            indicator_types: ['malicious-activity'],
            pattern,
            pattern_type: 'stix',
            pattern_version: '2.1',
            valid_from: validFrom,
            valid_until: validUntil,
            confidence,
            labels: ['distillation', indicator.type.replaceAll('_', '-')],
          });
      relate(stixIndicator.id, 'indicates', campaignObject.id);
      if (observable) {
        add({ ...observable, object_marking_refs: [marking.id] });
        relate(stixIndicator.id, 'based-on', observable.id);
        if (NETWORK_TYPES.has(indicator.type))
          relate(infrastructure.id, 'consists-of', observable.id);
      }
      add({
        type: 'sighting',
        id: deterministicStixId('sighting', `${stixIndicator.id}:${campaignObject.id}`),
        ...common,
        sighting_of_ref: stixIndicator.id,
        where_sighted_refs: [producer.id],
        first_seen: toStixTimestamp(indicator.first_seen),
        last_seen: toStixTimestamp(indicator.last_seen),
        count: Math.min(MAXIMUM_SIGHTING_COUNT, Math.max(0, Math.round(indicator.count))),
        summary: false,
      });
    }
  }
  return { type: 'bundle', id: createBundleId(), objects: [...objects.values()] };
}

/** One bundle per campaign (each self-contained: identity, marking and definitions included). */
export function exportCampaignBundles(
  campaignsFile: CampaignsFile,
  options: ExportCampaignBundleOptions,
): StixBundle[] {
  return campaignsFile.campaigns.map((campaign) =>
    exportCampaignBundle({ ...campaignsFile, campaigns: [campaign] }, options),
  );
}

function campaignToStix(
  campaign: Campaign,
  producerId: string,
  common: Record<string, unknown>,
  confidence: number,
): StixObject {
  const evidenceCodes = [...new Set(campaign.reasons.map((reason) => reason.code))].sort();
  const statistics: Record<string, unknown> = {
    extension_type: 'property-extension',
    account_count: campaign.accounts.length,
    reseller_account_count: campaign.resellers.length,
    exchange_count: campaign.exchange_count,
  };
  if (Object.keys(campaign.capability_mix).length > 0) {
    statistics.capability_mix = campaign.capability_mix;
  }
  if (Object.keys(campaign.models).length > 0) statistics.models = campaign.models;
  if (evidenceCodes.length > 0) statistics.evidence_codes = evidenceCodes;
  if (campaign.first_flagged_at) {
    statistics.first_flagged_at = toStixTimestamp(campaign.first_flagged_at);
  }
  return {
    type: 'campaign',
    id: deterministicStixId('campaign', `${producerId}:${campaign.campaign_id}`),
    ...common,
    name: `Distillation campaign ${campaign.campaign_id}`,
    description:
      `Model-distillation campaign: ${campaign.accounts.length} accounts, ` +
      `${campaign.exchange_count} exchanges. Evidence: ${evidenceCodes.join(', ') || 'none'}.`,
    objective: 'Harvest model outputs to train a competing model (distillation).',
    first_seen: toStixTimestamp(campaign.first_seen),
    last_seen: toStixTimestamp(campaign.last_seen),
    confidence,
    labels: ['distillation'],
    extensions: { [CAMPAIGN_STATISTICS_EXTENSION_ID]: statistics },
  };
}

function mergeIndicator(
  indicator: StixObject,
  confidence: number,
  validFrom: string,
  validUntil: string,
): StixObject {
  const current = typeof indicator.confidence === 'number' ? indicator.confidence : 0;
  indicator.confidence = Math.max(current, confidence);
  if (typeof indicator.valid_from === 'string' && validFrom < indicator.valid_from) {
    indicator.valid_from = validFrom;
  }
  if (typeof indicator.valid_until === 'string' && validUntil > indicator.valid_until) {
    indicator.valid_until = validUntil;
  }
  return indicator;
}
