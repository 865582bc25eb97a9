import { readFileSync } from 'node:fs';
import type { ExchangeWatermark } from '../log/exchange.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import {
  createTextWatermarkStage,
  createWatermarkKey,
  deriveAccountKey,
  keyEpochAt,
  parseSecret,
  readMasterKey,
  type TextWatermarkStage,
  type WatermarkKey,
} from '../watermark/index.js';
import type { LadderAction } from './enforcement-state/enforcement-state.js';

/** Which responses get the text watermark: none, degraded ones, or every served one. */
export type WatermarkMode = 'off' | 'degrade' | 'always';

/** How one response is marked: a stage per served text, and what its exchange record says. */
export interface ResponseWatermark {
  createStage: () => TextWatermarkStage;
  record: ExchangeWatermark;
}

/** Decides, per response, whether and under which account key its text is watermarked. */
export interface GatewayWatermark {
  readonly mode: WatermarkMode;
  /** The marking for a response served at `action` to `accountId` at `time`, or null. */
  forResponse(accountId: string, action: LadderAction, time: number): ResponseWatermark | null;
}

// Derived keys by account and epoch: HKDF costs ~10 µs, a map lookup well under 1 µs.
const KEY_CACHE_LIMIT = 10_000;

/**
 * The degrade step's text watermark: each account's answers carry the text-level watermark of
 * its own key (HKDF of the master key, account id and key epoch), so a leaked or distilled text
 * names the accounts it came from. The master key stays inside; records only name the epoch.
 *
 * @example
 * const watermark = createGatewayWatermark({ master: readMasterKey(), mode: 'degrade' });
 * const gateway = createGateway({ upstream, hasher, recorder, watermark });
 */
export function createGatewayWatermark({
  master,
  mode = 'degrade',
  rotationDays = 30,
}: {
  master: WatermarkKey;
  mode?: WatermarkMode;
  rotationDays?: number;
}): GatewayWatermark {
  const keys = new Map<string, WatermarkKey>();
  const keyFor = (accountId: string, epoch: number) => {
    const cacheKey = `${epoch}\u0000${accountId}`;
    let key = keys.get(cacheKey);
    if (!key) {
      key = deriveAccountKey(master, accountId, epoch);
      if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
      keys.set(cacheKey, key);
    }
    return key;
  };
  return {
    mode,
    forResponse(accountId, action, time) {
      if (mode === 'off' || (mode === 'degrade' && action !== 'degrade')) return null;
      const epoch = keyEpochAt(new Date(time), rotationDays);
      const key = keyFor(accountId, epoch);
      return {
        createStage: () => createTextWatermarkStage({ key }),
        record: { level: 'text', key_epoch: epoch },
      };
    },
  };
}

/** The `watermark` section of the gateway config. */
export interface WatermarkSettings {
  mode?: WatermarkMode | undefined;
  master_key_env: string;
  master_key_file?: string | undefined;
  rotation_days: number;
}

/**
 * Resolves the gateway's watermark once at start: the master key from `master_key_file` or the
 * `master_key_env` variable (never from the config itself or the command line), or the one given
 * in memory (`gateway --demo`). Without a key the mode defaults to `off`; asking for a mode
 * without a key is an error that names where the key was looked for, never a value.
 */
export function resolveGatewayWatermark(
  settings: WatermarkSettings,
  { env = process.env, master: given }: { env?: NodeJS.ProcessEnv; master?: WatermarkKey } = {},
): GatewayWatermark | null {
  if (settings.mode === 'off') return null;
  let master = given;
  if (!master && settings.master_key_file) {
    let text: string;
    try {
      text = readFileSync(settings.master_key_file, 'utf8');
    } catch {
      throw new DistillguardError(
        'watermark_key_missing',
        `cannot read the watermark master key file ${settings.master_key_file} (watermark.master_key_file)`,
        { path: settings.master_key_file },
      );
    }
    master = createWatermarkKey('master', parseSecret(text, settings.master_key_file));
  }
  if (!master && env[settings.master_key_env]) master = readMasterKey(env, settings.master_key_env);
  if (!master) {
    if (settings.mode === undefined) return null;
    throw new DistillguardError(
      'watermark_key_missing',
      `watermark.mode is ${settings.mode}: set ${settings.master_key_env} (watermark.master_key_env) or watermark.master_key_file to the watermark master key`,
      { variable: settings.master_key_env },
    );
  }
  return createGatewayWatermark({
    master,
    mode: settings.mode ?? 'degrade',
    rotationDays: settings.rotation_days,
  });
}
