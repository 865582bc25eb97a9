import { inspect } from 'node:util';
import { parseSecret } from './parse-secret.js';

/** A secret watermark key with a public label. The secret never serialises or prints. */
export interface WatermarkKey {
  /** Public label used in reports (`account:acct-17@epoch:2`, `master`, a file entry name). */
  readonly name: string;
  readonly account?: string;
  readonly epoch?: number;
  /** The secret bytes (32 for derived keys). Non-enumerable: JSON and console output skip it. */
  readonly secret: Uint8Array;
}

const MINIMUM_SECRET_BYTES = 16;

/**
 * Wraps secret bytes as a key whose secret is hidden from `JSON.stringify`, `console.log` and
 * `util.inspect`, so a key cannot leak through a report or a log line by accident.
 */
export function createWatermarkKey(
  name: string,
  secret: Uint8Array,
  labels: { account?: string; epoch?: number } = {},
): WatermarkKey {
  if (secret.length < MINIMUM_SECRET_BYTES) {
    throw new RangeError(`a watermark key needs at least ${MINIMUM_SECRET_BYTES} secret bytes`);
  }
  const key = { name, ...labels };
  Object.defineProperty(key, 'secret', { value: Uint8Array.from(secret), enumerable: false });
  Object.defineProperty(key, inspect.custom, {
    value: () => `WatermarkKey(${name})`,
    enumerable: false,
  });
  return key as WatermarkKey;
}

/** What APIs accept as a key: a key object, raw secret bytes, or a secret string (`parseSecret`). */
export type WatermarkKeyInput = WatermarkKey | Uint8Array | string;

/** Normalises a key input (raw bytes and strings get the label `key`). */
export function toWatermarkKey(input: WatermarkKeyInput): WatermarkKey {
  if (typeof input === 'string') return createWatermarkKey('key', parseSecret(input, 'key'));
  if (input instanceof Uint8Array) return createWatermarkKey('key', input);
  return input;
}
