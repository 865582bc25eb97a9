import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inspect } from 'node:util';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { deriveAccountKey, keyEpochAt } from './derive-account-key.js';
import { loadWatermarkKeys, readMasterKey } from './load-watermark-keys.js';
import { parseSecret } from './parse-secret.js';
import { createWatermarkKey, toWatermarkKey } from './watermark-key.js';

const SECRET_HEX = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const master = createWatermarkKey('master', Buffer.from(SECRET_HEX, 'hex'));

describe('deriveAccountKey (HKDF-SHA256, spec §5)', () => {
  const vectors: [string, number, string][] = [
    ['acct-17', 3, 'ee841792a70f99ea35e7fc4320d617d0286d0610c20f83b02414a6ef3e6cc600'],
    ['acct-17', 0, '74168b12a25f05483b41fe816c6c5e8e2bb8a453f5065c37c89881abb25e7d8f'],
  ];
  for (const [account, epoch, expected] of vectors) {
    test(`vector ${account} epoch ${epoch}`, () => {
      const key = deriveAccountKey(master, account, epoch);
      assert.equal(Buffer.from(key.secret).toString('hex'), expected);
      assert.equal(key.account, account);
      assert.equal(key.epoch, epoch);
    });
  }
  test('rotation gives unrelated keys per epoch and per account', () => {
    const secrets = [
      deriveAccountKey(master, 'a', 0),
      deriveAccountKey(master, 'a', 1),
      deriveAccountKey(master, 'b', 0),
    ].map((key) => Buffer.from(key.secret).toString('hex'));
    assert.equal(new Set(secrets).size, 3);
  });
  test('key epochs follow the rotation period', () => {
    assert.equal(keyEpochAt(new Date('1970-01-31T00:00:00Z'), 30), 1);
    assert.equal(keyEpochAt(new Date('1970-01-30T23:59:59Z'), 30), 0);
  });
});

describe('secrets never print', () => {
  test('JSON, inspect and string templates show the name only', () => {
    const key = deriveAccountKey(master, 'acct-1', 0);
    const hex = Buffer.from(key.secret).toString('hex');
    for (const rendered of [JSON.stringify(key), inspect(key), JSON.stringify({ keys: [key] })]) {
      assert.ok(!rendered.includes(hex));
      assert.ok(!rendered.includes(SECRET_HEX));
    }
    assert.match(inspect(key), /account:acct-1@epoch:0/);
  });
  test('short secrets are refused', () => {
    assert.throws(() => createWatermarkKey('x', new Uint8Array(8)), RangeError);
  });
});

describe('loadWatermarkKeys', () => {
  const directory = mkdtempSync(join(tmpdir(), 'distillguard-keys-'));
  test('derives account keys from the master key in the environment', () => {
    const path = join(directory, 'keys.yaml');
    writeFileSync(path, 'master_key_env: TEST_WM_KEY\naccounts: [a, b]\nepochs: [0, 1]\n');
    const keys = loadWatermarkKeys(path, { TEST_WM_KEY: SECRET_HEX });
    assert.deepEqual(
      keys.map((key) => key.name),
      [
        'master',
        'account:a@epoch:0',
        'account:a@epoch:1',
        'account:b@epoch:0',
        'account:b@epoch:1',
      ],
    );
    assert.deepEqual(keys[3]!.secret, deriveAccountKey(master, 'b', 0).secret);
  });
  test('reads named keys and a master key from the file itself', () => {
    const path = join(directory, 'keys.json');
    writeFileSync(
      path,
      JSON.stringify({
        master_key: SECRET_HEX,
        include_master: false,
        accounts: ['x'],
        keys: [{ name: 'partner', secret: `base64:${Buffer.alloc(32, 9).toString('base64')}` }],
      }),
    );
    const keys = loadWatermarkKeys(path, {});
    assert.deepEqual(
      keys.map((key) => key.name),
      ['account:x@epoch:0', 'partner'],
    );
    assert.deepEqual(keys[1]!.secret, new Uint8Array(Buffer.alloc(32, 9)));
  });
  const failures: [string, string, NodeJS.ProcessEnv, string][] = [
    ['missing variable', 'accounts: [a]\n', {}, 'watermark_key_missing'],
    ['short secret', 'master_key: abcd\n', {}, 'watermark_key_invalid'],
    ['bad epochs', `master_key: ${SECRET_HEX}\nepochs: [-1]\n`, {}, 'watermark_keys_invalid'],
  ];
  for (const [name, content, environment, code] of failures) {
    test(`fails with ${code} on ${name}, without echoing secrets`, () => {
      const path = join(directory, `${code}.yaml`);
      writeFileSync(path, content);
      assert.throws(
        () => loadWatermarkKeys(path, environment),
        (error: unknown) =>
          DistillguardError.is(error) && error.code === code && !error.message.includes(SECRET_HEX),
      );
    });
  }
  test('readMasterKey reads the default variable', () => {
    assert.equal(readMasterKey({ DISTILLGUARD_WATERMARK_KEY: SECRET_HEX }).name, 'master');
  });
});

describe('parseSecret is strict (issue 16 item 10)', () => {
  const bytes32 = Buffer.from(SECRET_HEX, 'hex');
  const accepted: [string, string, Buffer][] = [
    ['64 hex digits', SECRET_HEX, bytes32],
    ['64 upper-case hex digits, trailing newline', `${SECRET_HEX.toUpperCase()}\n`, bytes32],
    ['hex: with 32 digits (16 bytes)', `hex:${SECRET_HEX.slice(0, 32)}`, bytes32.subarray(0, 16)],
    ['HEX: with 64 digits', `HEX:${SECRET_HEX}`, bytes32],
    ['base64: prefix', `base64:${bytes32.toString('base64')}`, bytes32],
    [
      'base64: 16 bytes',
      `base64:${bytes32.subarray(0, 16).toString('base64')}`,
      bytes32.subarray(0, 16),
    ],
  ];
  for (const [name, text, expected] of accepted) {
    test(`accepts ${name}`, () => {
      assert.deepEqual(parseSecret(text, 'TEST'), new Uint8Array(expected));
    });
  }
  const refused: [string, string, RegExp][] = [
    ['hex one digit short (was read as base64)', SECRET_HEX.slice(0, 63), /63 hex digits, not 64/],
    ['hex one digit long', `${SECRET_HEX}0`, /65 hex digits, not 64/],
    ['hex one byte short', SECRET_HEX.slice(0, 62), /62 hex digits, not 64/],
    ['hex with a mistyped digit', `${SECRET_HEX.slice(0, 63)}g`, /not hex .*base64:/],
    ['base64 without its prefix', bytes32.toString('base64'), /not hex .*base64:/],
    ['hex: with an odd count', `hex:${SECRET_HEX.slice(0, 33)}`, /odd number of hex digits \(33\)/],
    ['hex: too short', `hex:${SECRET_HEX.slice(0, 30)}`, /15 bytes/],
    ['hex: with a stray character', `hex:${SECRET_HEX.slice(0, 40)}z`, /not a hex digit/],
    ['base64: with stray characters', `base64:${bytes32.toString('base64')}!!`, /not canonical/],
    [
      'base64: unpadded',
      `base64:${bytes32.toString('base64').replace(/=+$/, '')}`,
      /not canonical/,
    ],
    ['base64: too short', `base64:${bytes32.subarray(0, 8).toString('base64')}`, /8 bytes/],
    ['empty', '', /0 hex digits/],
  ];
  for (const [name, text, message] of refused) {
    test(`refuses ${name}, with a clear error that does not echo the secret`, () => {
      assert.throws(
        () => parseSecret(text, 'TEST_VARIABLE'),
        (error: unknown) =>
          DistillguardError.is(error) &&
          error.code === 'watermark_key_invalid' &&
          message.test(error.message) &&
          error.message.startsWith('TEST_VARIABLE: ') &&
          (text.length < 8 || !error.message.includes(text.slice(4, 20))),
      );
    });
  }
  test('key strings given to the APIs follow the same rule', () => {
    assert.deepEqual(toWatermarkKey(SECRET_HEX).secret, new Uint8Array(bytes32));
    assert.throws(() => toWatermarkKey(SECRET_HEX.slice(0, 63)), /watermark key/);
  });
});
