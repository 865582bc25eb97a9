import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { deriveAccountKey } from './derive-account-key.js';
import { parseSecret } from './parse-secret.js';
import { createWatermarkKey, type WatermarkKey } from './watermark-key.js';

/** Environment variable read for the master key when the keys file names none. */
export const MASTER_KEY_VARIABLE = 'DISTILLGUARD_WATERMARK_KEY';

/**
 * Reads the master key from `DISTILLGUARD_WATERMARK_KEY` (or the variable given). Keys are never
 * taken from the command line: arguments leak through shell history and process listings.
 */
export function readMasterKey(
  environment: NodeJS.ProcessEnv = process.env,
  variable = MASTER_KEY_VARIABLE,
): WatermarkKey {
  const value = environment[variable];
  if (!value) {
    throw new DistillguardError(
      'watermark_key_missing',
      `set ${variable} to the watermark master key (64 hex digits, hex:… or base64:…), or name a key file`,
      { variable },
    );
  }
  return createWatermarkKey('master', parseSecret(value, variable));
}

/**
 * Loads the keys to test from a YAML/JSON key file:
 * ```yaml
 * master_key_env: DISTILLGUARD_WATERMARK_KEY   # or master_key_file: ./master.key, or master_key: <hex>
 * accounts: [acct-1, acct-2]                   # derive one key per account and epoch
 * epochs: [0, 1]                               # default [0]
 * include_master: true                         # also test the master key itself (default true)
 * keys: [{ name: partner-a, secret: <64 hex digits | hex:… | base64:…> }]   # extra named keys
 * ```
 */
export function loadWatermarkKeys(
  path: string,
  environment: NodeJS.ProcessEnv = process.env,
): WatermarkKey[] {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DistillguardError(
      'watermark_keys_unreadable',
      `cannot read the key file ${path}: ${(error as Error).message.split('\n')[0]}`,
      { path },
    );
  }
  if (typeof document !== 'object' || document === null) {
    throw new DistillguardError('watermark_keys_invalid', `${path} must hold a mapping`, { path });
  }
  const fields = document as Record<string, unknown>;
  const keys: WatermarkKey[] = [];
  let master: WatermarkKey | undefined;
  if (typeof fields.master_key === 'string') {
    master = createWatermarkKey('master', parseSecret(fields.master_key, `${path}: master_key`));
  } else if (typeof fields.master_key_file === 'string') {
    master = createWatermarkKey(
      'master',
      parseSecret(readFileSync(fields.master_key_file, 'utf8'), fields.master_key_file),
    );
  } else if (typeof fields.master_key_env === 'string' || fields.keys === undefined) {
    const variable =
      typeof fields.master_key_env === 'string' ? fields.master_key_env : MASTER_KEY_VARIABLE;
    master = readMasterKey(environment, variable);
  }
  if (master) {
    if (fields.include_master !== false) keys.push(master);
    const accounts = stringList(fields.accounts, 'accounts', path);
    const epochs = fields.epochs === undefined ? [0] : numberList(fields.epochs, path);
    for (const account of accounts) {
      for (const epoch of epochs) keys.push(deriveAccountKey(master, account, epoch));
    }
  }
  if (fields.keys !== undefined) {
    if (!Array.isArray(fields.keys)) {
      throw new DistillguardError('watermark_keys_invalid', `${path}: keys must be a list`, {
        path,
      });
    }
    fields.keys.forEach((entry: unknown, index) => {
      const item = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
        string,
        unknown
      >;
      if (typeof item.name !== 'string' || typeof item.secret !== 'string') {
        throw new DistillguardError(
          'watermark_keys_invalid',
          `${path}: keys[${index}] needs a name and a secret (64 hex digits, hex:… or base64:…)`,
          { path, index },
        );
      }
      keys.push(createWatermarkKey(item.name, parseSecret(item.secret, `${path}: keys[${index}]`)));
    });
  }
  if (keys.length === 0) {
    throw new DistillguardError('watermark_keys_invalid', `${path} defines no key`, { path });
  }
  return keys;
}

function stringList(value: unknown, field: string, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new DistillguardError(
      'watermark_keys_invalid',
      `${path}: ${field} must be a list of strings`,
      {
        path,
      },
    );
  }
  return value as string[];
}

function numberList(value: unknown, path: string): number[] {
  if (!Array.isArray(value) || !value.every((item) => Number.isInteger(item) && item >= 0)) {
    throw new DistillguardError(
      'watermark_keys_invalid',
      `${path}: epochs must be a list of integers ≥ 0`,
      {
        path,
      },
    );
  }
  return value as number[];
}
