import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DistillguardError } from '../shared/distillguard-error.js';

/** Environment variable that may hold the community key (a file is preferred). */
export const COMMUNITY_KEY_ENVIRONMENT_VARIABLE = 'DISTILLGUARD_COMMUNITY_KEY';

const MINIMUM_KEY_BYTES = 16;

/**
 * The secret a sharing community agrees on. Shared values are HMAC-SHA256 under it, so peers
 * holding it can match and nobody else learns anything. Never printed: `toString`/`toJSON` hide it.
 */
export class CommunityKey {
  readonly #secret: Buffer;
  /** A public fingerprint of the key (so a peer can tell which key a bundle was made with). */
  readonly keyId: string;

  constructor(secret: Buffer) {
    if (secret.length < MINIMUM_KEY_BYTES) {
      throw new DistillguardError(
        'community_key_too_short',
        `The community key must be at least ${MINIMUM_KEY_BYTES} bytes; generate one with \`openssl rand -hex 32\`.`,
      );
    }
    this.#secret = Buffer.from(secret);
    this.keyId = createHmac('sha256', this.#secret)
      .update('distillguard community key id v1')
      .digest('hex')
      .slice(0, 16);
  }

  /**
   * HMAC-SHA256 of a value, separated by kind so that equal strings of different kinds never
   * collide (an email domain and a template hash are different facts).
   */
  hash(kind: string, value: string): string {
    return createHmac('sha256', this.#secret).update(`${kind}\u0000${value}`, 'utf8').digest('hex');
  }

  toString(): string {
    return `CommunityKey(${this.keyId})`;
  }

  toJSON(): string {
    return this.toString();
  }
}

export interface LoadCommunityKeyOptions {
  /** A file holding the key (text; surrounding whitespace is ignored). */
  keyFile?: string | undefined;
  environment?: Record<string, string | undefined>;
}

/**
 * Resolves the community key once: the key file, else `DISTILLGUARD_COMMUNITY_KEY`, never the
 * command line (it would end up in shell history and process lists).
 *
 * @example
 * const key = await loadCommunityKey({ keyFile: 'community.key' });
 */
export async function loadCommunityKey({
  keyFile,
  environment = process.env,
}: LoadCommunityKeyOptions = {}): Promise<CommunityKey> {
  if (keyFile !== undefined) {
    let text: string;
    try {
      text = await readFile(keyFile, 'utf8');
    } catch {
      throw new DistillguardError(
        'community_key_unreadable',
        `Cannot read the community key file ${keyFile}; check the path and its permissions.`,
        { keyFile },
      );
    }
    return new CommunityKey(Buffer.from(text.trim(), 'utf8'));
  }
  const fromEnvironment = environment[COMMUNITY_KEY_ENVIRONMENT_VARIABLE];
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
    return new CommunityKey(Buffer.from(fromEnvironment.trim(), 'utf8'));
  }
  throw new DistillguardError(
    'community_key_missing',
    `No community key: pass --community-key-file <file> or set ${COMMUNITY_KEY_ENVIRONMENT_VARIABLE}. ` +
      'All peers of a sharing community must use the same key.',
  );
}
