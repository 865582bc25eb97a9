import type { StixObject } from './stix-object.js';

/** TLP 2.0 levels (FIRST, 2022). */
export type TlpLevel = 'clear' | 'green' | 'amber' | 'amber+strict' | 'red';

export const TLP_LEVELS: readonly TlpLevel[] = ['clear', 'green', 'amber', 'amber+strict', 'red'];

/** The extension-definition the OASIS CTI TC published for TLP 2.0 markings. */
export const TLP_2_EXTENSION_ID = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

const TLP_2_CREATOR = 'identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01';

// Fixed, specification-assigned ids: every producer uses the same marking objects.
const TLP_2_MARKING_IDS: Record<TlpLevel, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** The TLP 2.0 marking-definition object for a level. */
export function tlpMarking(level: TlpLevel): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: TLP_2_MARKING_IDS[level],
    created_by_ref: TLP_2_CREATOR,
    created: '2022-10-01T00:00:00.000Z',
    name: `TLP:${level.toUpperCase()}`,
    extensions: {
      [TLP_2_EXTENSION_ID]: { extension_type: 'property-extension', tlp_2_0: level },
    },
  };
}

/** The TLP 2.0 extension-definition itself, shipped in bundles so a reader can resolve it. */
export function tlpExtensionDefinition(): StixObject {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: TLP_2_EXTENSION_ID,
    created_by_ref: TLP_2_CREATOR,
    created: '2022-09-01T00:00:00.000Z',
    modified: '2022-09-01T00:00:00.000Z',
    name: 'TLP 2.0',
    description: 'This extension defines Traffic Light Protocol (TLP) 2.0 data markings.',
    schema:
      'https://github.com/oasis-open/cti-stix-common-objects/tree/main/extension-definition-specifications/tlp-2.0',
    version: '1.0.0',
    extension_types: ['property-extension'],
  };
}

/** The TLP level of a marking-definition id, if it is one of the TLP 2.0 markings. */
export function tlpLevelOf(markingId: string): TlpLevel | undefined {
  return TLP_LEVELS.find((level) => TLP_2_MARKING_IDS[level] === markingId);
}
