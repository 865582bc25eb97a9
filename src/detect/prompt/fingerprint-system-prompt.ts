import { fingerprintString } from './string-hash.js';

const WHITESPACE = /\s+/g;
const DIGITS = /\d+/g;

/**
 * Fingerprint of a system prompt: lowercased, whitespace collapsed, digit runs replaced by `0`
 * (operators stamp dates, counters and ids into otherwise fixed system prompts). Null when empty.
 *
 * @example fingerprintSystemPrompt('You are a helpful assistant. Today is 2026-02-01.')
 */
export function fingerprintSystemPrompt(systemText: string): string | null {
  const normalised = systemText.toLowerCase().replace(WHITESPACE, ' ').replace(DIGITS, '0').trim();
  return normalised === '' ? null : fingerprintString(normalised);
}
