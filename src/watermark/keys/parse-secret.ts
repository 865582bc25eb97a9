import { DistillguardError } from '../../shared/distillguard-error.js';

const HEX_DIGITS = 64;
const MINIMUM_BYTES = 16;

/**
 * Parses a secret, strictly: exactly 64 hex digits (32 bytes, `openssl rand -hex 32`), or
 * `hex:` followed by an even number of hex digits (at least 32: 16 bytes), or `base64:` followed
 * by canonical base64 of at least 16 bytes (`echo "base64:$(openssl rand -base64 32)"`).
 * Anything else is refused, so a hex key with a digit missing or mistyped is an error rather than
 * a different key read as base64. Errors name `where` and the shape, never the secret.
 *
 * @example
 * parseSecret(process.env.DISTILLGUARD_WATERMARK_KEY ?? '', 'DISTILLGUARD_WATERMARK_KEY');
 */
export function parseSecret(text: string, where: string): Uint8Array {
  const trimmed = text.trim();
  const refuse = (problem: string): never => {
    throw new DistillguardError(
      'watermark_key_invalid',
      `${where}: ${problem}; write a watermark key as ${HEX_DIGITS} hex digits (\`openssl rand -hex 32\`), hex:<hex digits> or base64:<base64>, at least ${MINIMUM_BYTES} bytes`,
      { where },
    );
  };
  const lower = trimmed.toLowerCase();
  if (lower.startsWith('base64:')) {
    const body = trimmed.slice('base64:'.length).trim();
    const bytes = Buffer.from(body, 'base64');
    // Node decodes leniently (skips stray characters): accept only what re-encodes to itself.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || bytes.toString('base64') !== body) {
      refuse('the base64 after "base64:" is not canonical base64 (padded, no stray characters)');
    }
    if (bytes.length < MINIMUM_BYTES) refuse(`the base64 key holds ${bytes.length} bytes`);
    return new Uint8Array(bytes);
  }
  const prefixed = lower.startsWith('hex:');
  const digits = prefixed ? trimmed.slice('hex:'.length).trim() : trimmed;
  if (!/^[0-9a-fA-F]*$/.test(digits)) {
    refuse(
      prefixed
        ? 'the key after "hex:" has a character that is not a hex digit'
        : 'the key is not hex (a base64 key needs the "base64:" prefix)',
    );
  }
  if (!prefixed && digits.length !== HEX_DIGITS) {
    refuse(
      `the key has ${digits.length} hex digits, not ${HEX_DIGITS} (for a key of another length write hex:<digits>)`,
    );
  }
  if (digits.length % 2 !== 0) refuse(`the key has an odd number of hex digits (${digits.length})`);
  if (digits.length < 2 * MINIMUM_BYTES) refuse(`the key has ${digits.length / 2} bytes`);
  return new Uint8Array(Buffer.from(digits, 'hex'));
}
