import assert from 'node:assert/strict';
import { hash as digest } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { type Harness, startHarness } from '../test-harness.js';
import { DEFAULT_IDENTITY } from './identity-config.js';
import { pushKeyImports } from './push-key-imports.js';

describe('pushKeyImports against a gateway in imported mode', () => {
  let harness: Harness;
  const sent: string[] = [];
  // The real fetch to the real gateway, keeping a copy of each body sent.
  const recordingFetch: typeof fetch = (input, init) => {
    sent.push(String(init?.body ?? ''));
    return fetch(input, init);
  };
  before(async () => {
    harness = await startHarness({
      accounts: [],
      gatewayOptions: { identity: { ...DEFAULT_IDENTITY, mode: 'imported' } },
    });
  });
  after(() => harness.close());

  test('batches, totals, and keys in clear never sent (only their SHA-256)', async () => {
    const body = [
      JSON.stringify({ account_id: 'a', key: 'sk-clear-key-0001' }),
      '',
      JSON.stringify({ account_id: 'a', key_sha256: digest('sha256', 'sk-exported-0002', 'hex') }),
      JSON.stringify({ account_id: 'b', key: 'sk-clear-key-0003' }),
    ].join('\n');
    const totals = await pushKeyImports({
      body,
      gateway: `${harness.url}/`,
      adminToken: 'admin-token',
      batchSize: 2,
      fetchImpl: recordingFetch,
    });
    assert.deepEqual(totals, { created: 3, unchanged: 0, revoked: 0, total: 3, batches: 2 });
    assert.equal(sent.length, 2);
    assert.ok(sent.every((text) => !text.includes('sk-clear')));
    assert.equal(harness.gateway.directory.listKeys('a').length, 2);
    const again = await pushKeyImports({ body, gateway: harness.url, adminToken: 'admin-token' });
    assert.deepEqual(again, { created: 0, unchanged: 3, revoked: 0, total: 3, batches: 1 });
  });

  test("a bad line: nothing is sent, the error names the file's line", async () => {
    sent.length = 0;
    const body = `${JSON.stringify({ account_id: 'c', key: 'sk-clear-key-0004' })}\n\n{"account_id":"c"}`;
    await assert.rejects(
      pushKeyImports({
        body,
        gateway: harness.url,
        adminToken: 'admin-token',
        fetchImpl: recordingFetch,
      }),
      (error: unknown) =>
        DistillguardError.is(error) &&
        error.code === 'key_import_invalid' &&
        /line 3: invalid_key_import/.test(error.message),
    );
    assert.equal(sent.length, 0);
  });

  test("a conflict in the second batch: the first stays, the error names the file's line", async () => {
    const body = [
      JSON.stringify({ account_id: 'd', key: 'sk-clear-key-0005' }),
      JSON.stringify({ account_id: 'd', key: 'sk-clear-key-0006' }),
      JSON.stringify({ account_id: 'd', key: 'sk-clear-key-0001' }),
    ].join('\n');
    await assert.rejects(
      pushKeyImports({ body, gateway: harness.url, adminToken: 'admin-token', batchSize: 2 }),
      (error: unknown) =>
        DistillguardError.is(error) &&
        error.code === 'key_import_refused' &&
        /409 import_conflict for lines 3-3 \(line 3: key_conflict/.test(error.message) &&
        !error.message.includes('sk-clear'),
    );
    assert.equal(harness.gateway.directory.listKeys('d').length, 2);
  });

  test('a wrong admin token is refused with the status', async () => {
    await assert.rejects(
      pushKeyImports({
        body: JSON.stringify({ account_id: 'e', key: 'sk-clear-key-0007' }),
        gateway: harness.url,
        adminToken: 'wrong-token',
      }),
      (error: unknown) =>
        DistillguardError.is(error) && / 401 admin_unauthorised /.test(error.message),
    );
  });
});
