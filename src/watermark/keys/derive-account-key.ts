import { hkdfSync } from 'node:crypto';
import { createWatermarkKey, type WatermarkKey } from './watermark-key.js';

const SALT = Buffer.from('distillguard-wm-v1', 'ascii');
const DAY_MS = 86_400_000;

/**
 * Derives an account's watermark key for one key epoch from the master secret:
 * HKDF-SHA256(ikm = master, salt = "distillguard-wm-v1",
 * info = "account" ‖ 0x00 ‖ UTF-8(accountId) ‖ 0x00 ‖ u32be(epoch), 32 bytes) (spec §5).
 * Rotation = moving to the next epoch; old epochs stay derivable for detection.
 *
 * @example
 * const key = deriveAccountKey(master, 'acct-17', keyEpochAt(new Date()));
 */
export function deriveAccountKey(
  master: WatermarkKey,
  accountId: string,
  epoch: number,
): WatermarkKey {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) {
    throw new RangeError('epoch must be an integer in 0..2^32-1');
  }
  const epochBytes = Buffer.alloc(4);
  epochBytes.writeUInt32BE(epoch);
  const info = Buffer.concat([
    Buffer.from('account\u0000', 'ascii'),
    Buffer.from(accountId, 'utf8'),
    Buffer.from([0]),
    epochBytes,
  ]);
  const secret = new Uint8Array(hkdfSync('sha256', master.secret, SALT, info, 32));
  return createWatermarkKey(`account:${accountId}@epoch:${epoch}`, secret, {
    account: accountId,
    epoch,
  });
}

/** The key epoch of a moment for a rotation period in days (epoch 0 starts at the Unix epoch). */
export function keyEpochAt(time: Date, rotationDays = 30): number {
  return Math.floor(time.getTime() / (rotationDays * DAY_MS));
}
