import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DistillguardError } from '../shared/distillguard-error.js';
import { CommunityKey, loadCommunityKey } from './community-key.js';

const SECRET = 'a community secret of 32+ bytes!';

describe('community key', () => {
  it('loads from a file first, then the environment, never silently', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'distillguard-key-'));
    try {
      const file = join(directory, 'community.key');
      await writeFile(file, `${SECRET}\n`);
      const fromFile = await loadCommunityKey({ keyFile: file, environment: {} });
      const fromEnvironment = await loadCommunityKey({
        environment: { DISTILLGUARD_COMMUNITY_KEY: SECRET },
      });
      assert.equal(fromFile.keyId, fromEnvironment.keyId);
      assert.equal(fromFile.hash('template', 'x'), fromEnvironment.hash('template', 'x'));
      const cases: [Parameters<typeof loadCommunityKey>[0], string][] = [
        [{ environment: {} }, 'community_key_missing'],
        [{ keyFile: join(directory, 'absent'), environment: {} }, 'community_key_unreadable'],
        [{ environment: { DISTILLGUARD_COMMUNITY_KEY: 'short' } }, 'community_key_too_short'],
      ];
      for (const [options, code] of cases) {
        await assert.rejects(loadCommunityKey(options), (error: unknown) => {
          assert.ok(DistillguardError.is(error));
          assert.equal(error.code, code);
          assert.ok(!error.message.includes(SECRET));
          return true;
        });
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('separates kinds, differs per key, and never prints the secret', () => {
    const key = new CommunityKey(Buffer.from(SECRET));
    const other = new CommunityKey(Buffer.from(`${SECRET}?`));
    assert.notEqual(key.hash('email_domain', 'a.example'), key.hash('template', 'a.example'));
    assert.notEqual(key.hash('email_domain', 'a.example'), other.hash('email_domain', 'a.example'));
    assert.match(key.hash('ipv4', '203.0.113.7'), /^[0-9a-f]{64}$/);
    assert.notEqual(key.keyId, other.keyId);
    for (const rendered of [String(key), JSON.stringify({ key }), `${key.keyId}`]) {
      assert.ok(!rendered.includes(SECRET));
    }
  });
});
