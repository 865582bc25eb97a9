import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FIXTURE_SECRETS,
  fixtureCampaignsFile,
  fixtureCommunityKey,
} from '../fixture-campaigns.js';
import { createStixValidator } from './create-stix-validator.js';
import { exportCampaignBundle, exportCampaignBundles } from './export-campaign-bundle.js';
import type { StixObject } from './stix-object.js';

const validator = createStixValidator();
const communityKey = fixtureCommunityKey();
const fixedBundleId = () => 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d';

describe('exportCampaignBundle', () => {
  for (const shareIps of [false, true]) {
    it(`emits only schema-valid objects (shareIps=${shareIps})`, () => {
      const bundle = exportCampaignBundle(fixtureCampaignsFile(), {
        communityKey,
        shareIps,
        createBundleId: fixedBundleId,
      });
      const result = validator.validateBundle(bundle);
      assert.equal(result.success, true, JSON.stringify(!result.success && result.error));
      for (const object of bundle.objects) {
        const single = validator.validateObject(object);
        assert.equal(single.success, true, `${object.id}: ${JSON.stringify(single)}`);
      }
      const types = new Set(bundle.objects.map((object) => object.type));
      for (const type of [
        'identity',
        'marking-definition',
        'extension-definition',
        'campaign',
        'infrastructure',
        'indicator',
        'sighting',
        'relationship',
        'autonomous-system',
        'distillguard-keyed-hash',
        'distillguard-tls-fingerprint',
      ]) {
        assert.ok(types.has(type), `missing ${type}`);
      }
      assert.equal(types.has('ipv4-addr'), shareIps);
    });
  }

  it('never lets a raw prompt, email, payment value or account id leave', () => {
    const text = JSON.stringify(exportCampaignBundle(fixtureCampaignsFile(), { communityKey }));
    for (const [name, secret] of Object.entries(FIXTURE_SECRETS)) {
      assert.ok(!text.includes(secret), `${name} leaked`);
    }
    assert.ok(!text.includes('203.0.113.7'), 'IP in clear without shareIps');
    assert.ok(!text.includes('198.51.100.0'), 'subnet in clear without shareIps');
    assert.ok(!text.includes('test community key'), 'key leaked');
  });

  it('shares IPs in clear only when asked', () => {
    const bundle = exportCampaignBundle(fixtureCampaignsFile(), { communityKey, shareIps: true });
    const patterns = bundle.objects.flatMap((object) =>
      object.type === 'indicator' ? [String(object.pattern)] : [],
    );
    assert.ok(patterns.includes("[ipv4-addr:value = '203.0.113.7']"));
    assert.ok(patterns.includes("[ipv6-addr:value = '2001:db8::42']"));
    assert.ok(patterns.includes("[ipv4-addr:value ISSUBSET '198.51.100.0/24']"));
    assert.ok(patterns.includes('[autonomous-system:number = 64500]'));
  });

  it('merges an indicator shared by two campaigns and sights it once per campaign', () => {
    const bundle = exportCampaignBundle(fixtureCampaignsFile(), { communityKey, shareIps: true });
    const ipIndicators = bundle.objects.filter(
      (object) =>
        object.type === 'indicator' && object.pattern === "[ipv4-addr:value = '203.0.113.7']",
    );
    assert.equal(ipIndicators.length, 1);
    const indicator = ipIndicators[0] as StixObject;
    assert.equal(indicator.confidence, 92);
    const sightings = bundle.objects.filter(
      (object) => object.type === 'sighting' && object.sighting_of_ref === indicator.id,
    );
    assert.deepEqual(sightings.map((sighting) => sighting.count).sort(), [40, 5120]);
    const indicates = bundle.objects.filter(
      (object) =>
        object.type === 'relationship' &&
        object.source_ref === indicator.id &&
        object.relationship_type === 'indicates',
    );
    assert.equal(indicates.length, 2);
  });

  it('is deterministic: the same campaigns give the same object ids', () => {
    const ids = () =>
      exportCampaignBundle(fixtureCampaignsFile(), { communityKey, createBundleId: fixedBundleId })
        .objects.map((object) => object.id)
        .sort();
    assert.deepEqual(ids(), ids());
  });

  it('exports one self-contained bundle per campaign', () => {
    const bundles = exportCampaignBundles(fixtureCampaignsFile(), { communityKey });
    assert.equal(bundles.length, 2);
    for (const bundle of bundles) {
      assert.equal(bundle.objects.filter((object) => object.type === 'campaign').length, 1);
      assert.equal(validator.validateBundle(bundle).success, true);
    }
  });
});
