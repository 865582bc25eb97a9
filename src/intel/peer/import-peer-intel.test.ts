import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import {
  FIXTURE_SECRETS,
  fixtureAccount,
  fixtureCampaignsFile,
  fixtureCommunityKey,
  fixtureExchange,
} from '../fixture-campaigns.js';
import { createStixValidator } from '../stix/create-stix-validator.js';
import { exportCampaignBundle } from '../stix/export-campaign-bundle.js';
import { createPeerIndicatorMatcher } from './create-peer-indicator-matcher.js';
import { importPeerIntel, loadPeerBundles } from './import-peer-intel.js';
import { loadPeerIndicatorMatcher } from './load-peer-indicator-matcher.js';

const validator = createStixValidator();
const communityKey = fixtureCommunityKey();
const now = () => new Date('2026-03-01T00:00:00.000Z');
let directory = '';

describe('importPeerIntel (files)', () => {
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'distillguard-intel-'));
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const breakages: {
    name: string;
    damage: (objects: Record<string, unknown>[]) => void;
    path: RegExp;
    schema: RegExp;
  }[] = [
    {
      name: 'an indicator without a pattern',
      damage: (objects) => {
        const indicator = objects.find((object) => object.type === 'indicator');
        if (indicator) delete indicator.pattern;
      },
      path: /at \/objects\/\d+ /,
      schema: /sdos\/indicator\.json#\/required/,
    },
    {
      name: 'a sighting with a second-precision timestamp',
      damage: (objects) => {
        const sighting = objects.find((object) => object.type === 'sighting');
        if (sighting) sighting.created = '2026-02-21T00:00:00Z';
      },
      path: /at \/objects\/\d+\/created /,
      schema: /timestamp|pattern/,
    },
  ];
  for (const { name, damage, path, schema } of breakages) {
    it(`rejects the whole bundle for ${name}, naming the path and schema path`, async () => {
      const bundle = exportCampaignBundle(fixtureCampaignsFile(), { communityKey });
      damage(bundle.objects as Record<string, unknown>[]);
      const file = join(directory, 'broken.json');
      await writeFile(file, JSON.stringify(bundle));
      const into = join(directory, `store-${name.length}`);
      await assert.rejects(
        importPeerIntel({ from: file, into, validator, now }),
        (error: unknown) => {
          assert.ok(DistillguardError.is(error));
          assert.equal(error.code, 'intel_bundle_invalid');
          assert.match(error.message, path);
          assert.match(error.message, schema);
          return true;
        },
      );
      await assert.rejects(readdir(into), 'nothing may be half-imported');
    });
  }

  it('rejects text that is not JSON', async () => {
    const file = join(directory, 'garbage.json');
    await writeFile(file, '{"type": "bundle", ');
    await assert.rejects(importPeerIntel({ from: file, into: directory, validator, now }), /json/);
  });

  it('stores a valid bundle that loads into a working matcher', async () => {
    const file = join(directory, 'peer.json');
    await writeFile(
      file,
      JSON.stringify(
        exportCampaignBundle(fixtureCampaignsFile(), { communityKey, producerName: 'Provider B' }),
      ),
    );
    const into = join(directory, 'store');
    const summary = await importPeerIntel({ from: file, into, validator, now });
    assert.equal(summary.source, 'Provider B');
    assert.match(summary.file, /provider-b--/);
    assert.ok(summary.indicators >= 12);
    const bundles = await loadPeerBundles(into, validator);
    assert.equal(bundles.length, 1);
    const matcher = createPeerIndicatorMatcher(bundles, { communityKey, now: now() });
    const match = matcher.matchExchange(fixtureExchange({ ip: '203.0.113.7' }));
    assert.equal(match?.source, 'Provider B');
    assert.deepEqual(await loadPeerBundles(join(directory, 'absent'), validator), []);
  });

  it('loads the matcher in one call for analyze and the gateway', async () => {
    const into = join(directory, 'store');
    const environment = { DISTILLGUARD_COMMUNITY_KEY: 'test community key, 32 bytes ok!' };
    const matcher = await loadPeerIndicatorMatcher({ directory: into, environment, now: now() });
    const payment = fixtureAccount({ payment_fingerprint: FIXTURE_SECRETS.paymentFingerprint });
    assert.equal(matcher?.matchAccount(payment)?.indicatorType, 'payment_fingerprint');
    const keyless = await loadPeerIndicatorMatcher({
      directory: into,
      environment: {},
      now: now(),
    });
    assert.equal(keyless?.matchAccount(payment), undefined, 'keyed values need the key');
    assert.equal(
      keyless?.matchExchange(fixtureExchange({ user_agent: 'python-httpx/0.27.0' }))?.indicatorType,
      'user_agent',
    );
    assert.equal(
      await loadPeerIndicatorMatcher({ directory: join(directory, 'absent') }),
      undefined,
    );
  });
});
