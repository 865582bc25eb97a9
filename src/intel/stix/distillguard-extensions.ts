import { deterministicStixId } from './stix-identifier.js';
import type { StixObject } from './stix-object.js';

/** The project's own identity: creator of the extension definitions every peer shares. */
export const DISTILLGUARD_PROJECT_IDENTITY_ID = deterministicStixId(
  'identity',
  'distillguard project',
);

/** Custom observable: a value shared only as HMAC-SHA256 under the community key. */
export const KEYED_HASH_TYPE = 'distillguard-keyed-hash';
/** Custom observable: a TLS client fingerprint (JA3/JA4), shared in clear. */
export const TLS_FINGERPRINT_TYPE = 'distillguard-tls-fingerprint';

export const KEYED_HASH_EXTENSION_ID = deterministicStixId(
  'extension-definition',
  `${KEYED_HASH_TYPE} v1`,
);
export const TLS_FINGERPRINT_EXTENSION_ID = deterministicStixId(
  'extension-definition',
  `${TLS_FINGERPRINT_TYPE} v1`,
);
/** Property extension on `campaign`: aggregate statistics, never account ids or prompts. */
export const CAMPAIGN_STATISTICS_EXTENSION_ID = deterministicStixId(
  'extension-definition',
  'distillguard-campaign-statistics v1',
);

const DEFINED_AT = '2026-11-01T00:00:00.000Z';
const SCHEMA_DOCUMENT = 'https://github.com/distillguard/distillguard/blob/main/docs/intel.md';

/** The extension-definition objects the exporter relies on (stable ids, shared by every peer). */
export function distillguardExtensionDefinitions(): StixObject[] {
  const definition = (
    id: string,
    name: string,
    description: string,
    extensionType: 'new-sco' | 'property-extension',
  ): StixObject => ({
    type: 'extension-definition',
    spec_version: '2.1',
    id,
    created_by_ref: DISTILLGUARD_PROJECT_IDENTITY_ID,
    created: DEFINED_AT,
    modified: DEFINED_AT,
    name,
    description,
    schema: `${SCHEMA_DOCUMENT}#${name}`,
    version: '1.0.0',
    extension_types: [extensionType],
  });
  return [
    definition(
      KEYED_HASH_EXTENSION_ID,
      KEYED_HASH_TYPE,
      'A value (payment fingerprint, email domain, prompt template or system-prompt signature, ' +
        'header order, tool set, or an IP when IPs are not shared in clear) as HMAC-SHA256 under ' +
        'a key the sharing community agrees on. Properties: kind, keyed_hash (hex), key_id, ' +
        'hash_algorithm (hmac-sha256), prefix_length (subnets only).',
      'new-sco',
    ),
    definition(
      TLS_FINGERPRINT_EXTENSION_ID,
      TLS_FINGERPRINT_TYPE,
      'A TLS client fingerprint. Properties: value, fingerprint_format (ja3, ja4 or unknown).',
      'new-sco',
    ),
    definition(
      CAMPAIGN_STATISTICS_EXTENSION_ID,
      'distillguard-campaign-statistics',
      'Aggregate statistics of a distillation campaign: account_count, reseller_account_count, ' +
        'exchange_count, capability_mix, models, evidence_codes, first_flagged_at.',
      'property-extension',
    ),
  ];
}

/** The project identity object referenced by the extension definitions. */
export function distillguardProjectIdentity(): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: DISTILLGUARD_PROJECT_IDENTITY_ID,
    created: DEFINED_AT,
    modified: DEFINED_AT,
    name: 'distillguard project',
    identity_class: 'organization',
  };
}
