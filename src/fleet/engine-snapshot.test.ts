import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ENGINE_SNAPSHOT_FORMAT,
  ENGINE_SNAPSHOT_VERSION,
  parseEngineSnapshot,
  type SnapshotSettings,
} from './engine-snapshot.js';

const settings: SnapshotSettings = { stream: 'S', reorderWindowMs: 5_000, engine: '{}' };
const valid = {
  format: ENGINE_SNAPSHOT_FORMAT,
  version: ENGINE_SNAPSHOT_VERSION,
  kind: 'replay',
  sequence: 12,
  settings,
  engine: null,
  decisions: [],
  taken_at: '2026-02-02T00:00:00.000Z',
};

const cases: [string, unknown, string | null][] = [
  ['a snapshot of this version and these settings is accepted', valid, null],
  ['not an object', 'text', 'snapshot_malformed'],
  ['another format', { ...valid, format: 'other' }, 'snapshot_malformed'],
  ['a later version', { ...valid, version: 2 }, 'snapshot_version'],
  ['an earlier version', { ...valid, version: 0 }, 'snapshot_version'],
  [
    'an engine-state snapshot this build cannot restore',
    { ...valid, kind: 'state' },
    'snapshot_kind',
  ],
  ['an unknown kind', { ...valid, kind: 'delta' }, 'snapshot_malformed'],
  ['a negative sequence', { ...valid, sequence: -1 }, 'snapshot_malformed'],
  ['decisions not an array', { ...valid, decisions: {} }, 'snapshot_malformed'],
  ['settings missing', { ...valid, settings: null }, 'snapshot_malformed'],
  ['another stream', { ...valid, settings: { ...settings, stream: 'T' } }, 'snapshot_other_stream'],
  [
    'another reorder window',
    { ...valid, settings: { ...settings, reorderWindowMs: 1 } },
    'snapshot_settings',
  ],
  [
    'other engine options',
    { ...valid, settings: { ...settings, engine: '{"x":1}' } },
    'snapshot_settings',
  ],
];

for (const [name, value, code] of cases) {
  test(`engine snapshot: ${name}`, () => {
    const parsed = parseEngineSnapshot(value, settings);
    assert.equal(parsed.success ? null : parsed.error.code, code);
    if (!parsed.success) assert.ok(parsed.error.message.length > 20, parsed.error.message);
  });
}

test('engine snapshot: a state snapshot is accepted where the engine can restore one', () => {
  assert.equal(parseEngineSnapshot({ ...valid, kind: 'state' }, settings, ['state']).success, true);
});
