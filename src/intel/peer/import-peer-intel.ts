import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DistillguardError, type Result } from '../../shared/distillguard-error.js';
import { isRecord } from '../../shared/is-record.js';
import type { StixValidationError, StixValidator } from '../stix/create-stix-validator.js';
import { randomStixId } from '../stix/stix-identifier.js';
import type { StixBundle } from '../stix/stix-object.js';
import type { PeerBundle } from './create-peer-indicator-matcher.js';
import { extractPeerIndicators } from './extract-peer-indicators.js';
import { fetchTaxiiObjects } from './fetch-taxii-objects.js';

const STORED_FORMAT = 'distillguard-peer-intel/1';

/** Parses and validates a whole bundle; the first error names its JSON path and schema path. */
export function parsePeerBundle(
  text: string,
  validator: StixValidator,
): Result<StixBundle, StixValidationError> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { success: false, error: { path: '', schemaPath: 'json', message } };
  }
  return validator.validateBundle(value);
}

export interface ImportPeerIntelOptions {
  /** A bundle file, or a TAXII 2.1 collection URL (`http(s)://…/collections/<id>/`). */
  from: string;
  /** Directory of imported intelligence read by `analyze` and the gateway. */
  into: string;
  validator: StixValidator;
  /** Name the peer's indicators are reported under; default: the producer identity's name. */
  source?: string | undefined;
  token?: string | undefined;
  now?: () => Date;
}

export interface ImportPeerIntelSummary {
  file: string;
  source: string;
  objects: number;
  indicators: number;
  unsupportedIndicators: number;
  expiredIndicators: number;
  revokedIndicators: number;
}

/**
 * Imports a peer's bundle (file or TAXII collection) all or nothing: the whole bundle is
 * validated first, and only then written (atomically) into the `into` directory.
 *
 * @example
 * await importPeerIntel({ from: 'peer-b.json', into: '.distillguard/intel', validator });
 */
export async function importPeerIntel({
  from,
  into,
  validator,
  source,
  token,
  now = () => new Date(),
}: ImportPeerIntelOptions): Promise<ImportPeerIntelSummary> {
  const isUrl = /^https?:\/\//i.test(from);
  let text: string;
  if (isUrl) {
    const objects = await fetchTaxiiObjects(from, { token });
    text = JSON.stringify({ type: 'bundle', id: randomStixId('bundle'), objects });
  } else {
    try {
      text = await readFile(from, 'utf8');
    } catch {
      throw new DistillguardError('intel_file_unreadable', `Cannot read ${from}.`, { file: from });
    }
  }
  const parsed = parsePeerBundle(text, validator);
  if (!parsed.success) {
    const { path, schemaPath, message } = parsed.error;
    throw new DistillguardError(
      'intel_bundle_invalid',
      `Rejected the whole bundle from ${isUrl ? new URL(from).origin : from}: at ${path || '/'} ` +
        `(schema ${schemaPath}): ${message}. Nothing was imported; ask the peer to fix it.`,
      { path, schemaPath },
    );
  }
  const bundle = parsed.value;
  const { indicators, skipped } = extractPeerIndicators(bundle, { source, now: now() });
  const sourceName = source ?? indicators[0]?.source ?? producerName(bundle);
  await mkdir(into, { recursive: true });
  const file = join(into, `${slug(sourceName)}--${bundle.id.slice('bundle--'.length)}.json`);
  const stored = {
    format: STORED_FORMAT,
    source: source ?? null,
    origin: isUrl ? new URL(from).origin + new URL(from).pathname : from,
    imported_at: now().toISOString(),
    bundle,
  };
  await writeFile(`${file}.partial`, `${JSON.stringify(stored)}\n`);
  await rename(`${file}.partial`, file);
  return {
    file,
    source: sourceName,
    objects: bundle.objects.length,
    indicators: new Set(indicators.map((indicator) => indicator.indicatorId)).size,
    unsupportedIndicators: skipped.unsupportedPattern,
    expiredIndicators: skipped.expired,
    revokedIndicators: skipped.revoked,
  };
}

/**
 * Reads every imported bundle of a directory (re-validated: the directory may have been edited).
 * A missing directory means no peer intelligence yet.
 */
export async function loadPeerBundles(
  directory: string,
  validator: StixValidator,
): Promise<PeerBundle[]> {
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  } catch {
    return [];
  }
  const bundles: PeerBundle[] = [];
  for (const name of names) {
    const file = join(directory, name);
    const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!isRecord(stored) || stored.format !== STORED_FORMAT) continue;
    const result = validator.validateBundle(stored.bundle);
    if (!result.success) {
      throw new DistillguardError(
        'intel_store_corrupt',
        `${file} is not a valid bundle any more (${result.error.path}: ${result.error.message}); ` +
          'delete it and import it again.',
      );
    }
    bundles.push({
      bundle: result.value,
      source: typeof stored.source === 'string' ? stored.source : undefined,
    });
  }
  return bundles;
}

/** The name of the identity that created the bundle's SDOs (the project's own identity aside). */
function producerName(bundle: StixBundle): string {
  const names = new Map<string, string>();
  for (const object of bundle.objects) {
    if (object.type === 'identity' && typeof object.name === 'string')
      names.set(object.id, object.name);
  }
  for (const object of bundle.objects) {
    if (object.type === 'extension-definition' || object.type === 'marking-definition') continue;
    const creator =
      typeof object.created_by_ref === 'string' ? names.get(object.created_by_ref) : undefined;
    if (creator !== undefined) return creator;
  }
  return 'unknown peer';
}

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'peer'
  );
}
