import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule from 'ajv-formats';
import type { Result } from '../../shared/distillguard-error.js';
import { isRecord } from '../../shared/is-record.js';
import officialSchemas from './official-stix-schemas.json' with { type: 'json' };
import type { StixBundle, StixObject } from './stix-object.js';

const SCHEMA_BASE =
  'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/';

const SCHEMA_BY_TYPE: Record<string, string> = {
  'attack-pattern': 'sdos/attack-pattern.json',
  campaign: 'sdos/campaign.json',
  'course-of-action': 'sdos/course-of-action.json',
  grouping: 'sdos/grouping.json',
  identity: 'sdos/identity.json',
  incident: 'sdos/incident.json',
  indicator: 'sdos/indicator.json',
  infrastructure: 'sdos/infrastructure.json',
  'intrusion-set': 'sdos/intrusion-set.json',
  location: 'sdos/location.json',
  malware: 'sdos/malware.json',
  'malware-analysis': 'sdos/malware-analysis.json',
  note: 'sdos/note.json',
  'observed-data': 'sdos/observed-data.json',
  opinion: 'sdos/opinion.json',
  report: 'sdos/report.json',
  'threat-actor': 'sdos/threat-actor.json',
  tool: 'sdos/tool.json',
  vulnerability: 'sdos/vulnerability.json',
  relationship: 'sros/relationship.json',
  sighting: 'sros/sighting.json',
  artifact: 'observables/artifact.json',
  'autonomous-system': 'observables/autonomous-system.json',
  directory: 'observables/directory.json',
  'domain-name': 'observables/domain-name.json',
  'email-addr': 'observables/email-addr.json',
  'email-message': 'observables/email-message.json',
  file: 'observables/file.json',
  'ipv4-addr': 'observables/ipv4-addr.json',
  'ipv6-addr': 'observables/ipv6-addr.json',
  'mac-addr': 'observables/mac-addr.json',
  mutex: 'observables/mutex.json',
  'network-traffic': 'observables/network-traffic.json',
  process: 'observables/process.json',
  software: 'observables/software.json',
  url: 'observables/url.json',
  'user-account': 'observables/user-account.json',
  'windows-registry-key': 'observables/windows-registry-key.json',
  'x509-certificate': 'observables/x509-certificate.json',
  'extension-definition': 'common/extension-definition.json',
  'language-content': 'common/language-content.json',
  'marking-definition': 'common/marking-definition.json',
};

/** Where a STIX document first broke the official schemas. */
export interface StixValidationError {
  /** JSON pointer into the document, e.g. `/objects/3/valid_from`. */
  path: string;
  /** JSON pointer into the schema that rejected it, e.g. `sdos/indicator.json#/required`. */
  schemaPath: string;
  message: string;
}

/** Validates STIX 2.1 objects and bundles against the official OASIS JSON schemas (shipped inside). */
export interface StixValidator {
  validateObject(object: unknown, path?: string): Result<StixObject, StixValidationError>;
  /** Checks the envelope and every object; the first failure names its path and schema path. */
  validateBundle(bundle: unknown): Result<StixBundle, StixValidationError>;
}

/**
 * Compiles the official STIX 2.1 schemas (draft 2020-12) once; `$ref`s resolve locally, no network.
 *
 * Each object is checked against the schema of its own type. Custom types (this project's
 * extension-definition SCOs, peers' own) are checked against the common core schemas. The bundle
 * schema itself is not applied as a whole: its `oneOf` over the SDO core and the observable core
 * matches both for any custom SDO or `extension-definition`, so it rejects valid STIX 2.1
 * (docs/intel.md, "Schema caveats").
 *
 * @example
 * const validator = createStixValidator();
 * const result = validator.validateBundle(JSON.parse(text));
 * if (!result.success) console.error(result.error.path, result.error.schemaPath);
 */
export function createStixValidator(): StixValidator {
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: false });
  formatsModule.default(ajv);
  // ajv-formats has no internationalised formats; accepting them is what the schemas' authors do.
  ajv.addFormat('idn-hostname', true);
  ajv.addFormat('idn-email', true);
  for (const schema of officialSchemas.schemas) ajv.addSchema(schema);
  const compiled = new Map<string, ValidateFunction>();
  const validatorFor = (file: string): ValidateFunction => {
    let validate = compiled.get(file);
    if (!validate) {
      validate = ajv.getSchema(SCHEMA_BASE + file);
      if (!validate) throw new Error(`STIX schema ${file} missing from the shipped set`);
      compiled.set(file, validate);
    }
    return validate;
  };
  const customValidator = ajv.compile({
    $id: `${SCHEMA_BASE}distillguard/custom-object.json`,
    anyOf: [{ $ref: '../common/core.json' }, { $ref: '../common/cyber-observable-core.json' }],
  });

  const validateObject = (object: unknown, path = ''): Result<StixObject, StixValidationError> => {
    if (!isRecord(object) || typeof object.type !== 'string' || typeof object.id !== 'string') {
      return failure(path, '#/required', 'a STIX object needs string `type` and `id`');
    }
    const file = SCHEMA_BY_TYPE[object.type];
    const validate = file ? validatorFor(file) : customValidator;
    if (validate(object)) {
      if (!object.id.startsWith(`${object.type}--`)) {
        return failure(`${path}/id`, 'STIX 2.1 §2.9', `id must start with \`${object.type}--\``);
      }
      return { success: true, value: object as StixObject };
    }
    const error = firstError(validate.errors);
    return failure(
      path + (error?.instancePath ?? ''),
      schemaLocation(file ?? 'common/core.json', error?.schemaPath),
      error?.message ?? 'does not match the schema',
    );
  };

  return {
    validateObject,
    validateBundle(bundle) {
      if (!isRecord(bundle) || bundle.type !== 'bundle') {
        return failure('/type', 'common/bundle.json#/properties/type/enum', 'must be `bundle`');
      }
      const envelope = validatorFor('common/bundle.json');
      const { objects } = bundle;
      if (!Array.isArray(objects)) {
        return failure('/objects', 'common/bundle.json#/properties/objects/type', 'must be array');
      }
      // The envelope alone (the objects are checked one by one below, see the JSDoc).
      if (!envelope({ ...bundle, objects: objects.length > 0 ? [placeholderObject] : [] })) {
        const error = firstError(envelope.errors);
        return failure(
          error?.instancePath ?? '',
          schemaLocation('common/bundle.json', error?.schemaPath),
          error?.message ?? 'not a bundle',
        );
      }
      for (const [index, object] of objects.entries()) {
        const result = validateObject(object, `/objects/${index}`);
        if (!result.success) return result;
      }
      return { success: true, value: bundle as unknown as StixBundle };
    },
  };
}

const placeholderObject = {
  type: 'ipv4-addr',
  id: 'ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4',
  value: '198.51.100.3',
};

/** `file#/pointer`, with paths inside `$ref`'d schemas rewritten to their own file. */
function schemaLocation(file: string, schemaPath = ''): string {
  if (schemaPath.startsWith('#')) return `${file}${schemaPath}`;
  const relative = schemaPath.startsWith(SCHEMA_BASE)
    ? schemaPath.slice(SCHEMA_BASE.length)
    : schemaPath.replace(/^(\.\.\/)+/, '');
  const match = /^([a-z]+\/[a-z0-9-]+\.json)#?(.*)$/.exec(relative);
  if (!match) return `${file}#${schemaPath}`;
  const pointer = match[2] ?? '';
  return `${match[1]}#${pointer.startsWith('/') || pointer === '' ? pointer : `/${pointer}`}`;
}

function firstError(errors: ErrorObject[] | null | undefined): ErrorObject | undefined {
  return errors?.[0];
}

function failure(
  path: string,
  schemaPath: string,
  message: string,
): { success: false; error: StixValidationError } {
  return { success: false, error: { path, schemaPath, message } };
}
