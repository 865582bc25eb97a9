import { DistillguardError } from '../shared/distillguard-error.js';
import {
  exponentialScheme,
  greenListScheme,
  type TokenWatermarkScheme,
} from './token/watermark-scheme.js';

/** Scheme settings as a command line or a config file gives them (strings or numbers). */
export interface SchemeSettings {
  scheme?: string;
  gamma?: string | number;
  delta?: string | number;
  contextWidth?: string | number;
  selfHash?: boolean;
}

/**
 * Resolves a token scheme from settings: `green-list` (default), `exponential`, or `none`
 * (text level only → undefined). Invalid values raise a DistillguardError saying how to fix them.
 */
export function schemeFromSettings(settings: SchemeSettings): TokenWatermarkScheme | undefined {
  const name = settings.scheme ?? 'green-list';
  const number = (value: string | number | undefined, option: string) => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) {
      throw new DistillguardError('invalid_option', `${option} must be a number, got "${value}"`);
    }
    return parsed;
  };
  const gamma = number(settings.gamma, '--gamma');
  const delta = number(settings.delta, '--delta');
  const contextWidth = number(settings.contextWidth, '--context-width');
  try {
    if (name === 'none') return undefined;
    if (name === 'exponential') {
      return exponentialScheme(contextWidth === undefined ? {} : { contextWidth });
    }
    if (name === 'green-list') {
      return greenListScheme({
        ...(gamma === undefined ? {} : { gamma }),
        ...(delta === undefined ? {} : { delta }),
        ...(contextWidth === undefined ? {} : { contextWidth }),
        ...(settings.selfHash ? { selfHash: true } : {}),
      });
    }
  } catch (error) {
    throw new DistillguardError('invalid_option', (error as Error).message);
  }
  throw new DistillguardError(
    'invalid_option',
    `--scheme must be green-list, exponential or none, got "${name}"`,
  );
}
