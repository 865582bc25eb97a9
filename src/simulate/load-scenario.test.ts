import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DistillguardError } from '../shared/distillguard-error.js';
import { BUILT_IN_SCENARIOS, loadScenario, parseScenario } from './index.js';

const valid = {
  name: 'tiny',
  start: '2026-02-02T00:00:00Z',
  days: 1,
  personas: [{ persona: 'chat', accounts: 10 }],
  campaigns: [
    {
      id: 'c1',
      operator: 'op',
      profile: 'reasoning',
      tasks: { reasoning_trace: 1 },
      accounts: 3,
      exchanges: 100,
    },
  ],
};

function withChange(change: (copy: Record<string, unknown>) => void): unknown {
  const copy = structuredClone(valid) as unknown as Record<string, unknown>;
  change(copy);
  return copy;
}

const campaign = (copy: Record<string, unknown>) =>
  (copy.campaigns as Record<string, unknown>[])[0] as Record<string, unknown>;

describe('parseScenario', () => {
  it('fills defaults for a minimal scenario', () => {
    const scenario = parseScenario(valid);
    assert.equal(scenario.campaigns[0]?.cadence, 'round-robin');
    assert.deepEqual(scenario.campaigns[0]?.languages, ['en']);
    assert.deepEqual(scenario.models.available, ['atlas-2', 'atlas-2-mini']);
  });

  const cases: { name: string; value: unknown; path: string }[] = [
    {
      name: 'accounts as a string',
      value: withChange((c) => {
        campaign(c).accounts = 'many';
      }),
      path: 'campaigns[0].accounts',
    },
    {
      name: 'unknown persona',
      value: withChange((c) => {
        (c.personas as Record<string, unknown>[])[0] = { persona: 'robot', accounts: 1 };
      }),
      path: 'personas[0].persona',
    },
    {
      name: 'negative days',
      value: withChange((c) => {
        c.days = -1;
      }),
      path: 'days',
    },
    {
      name: 'bad start time',
      value: withChange((c) => {
        c.start = 'yesterday';
      }),
      path: 'start',
    },
    {
      name: 'unknown field',
      value: withChange((c) => {
        c.colour = 'red';
      }),
      path: '(root)',
    },
    {
      name: 'unsupported language',
      value: withChange((c) => {
        campaign(c).languages = ['xx'];
      }),
      path: 'campaigns[0].languages[0]',
    },
    {
      name: 'no task weight',
      value: withChange((c) => {
        campaign(c).tasks = { coding: 0 };
      }),
      path: 'campaigns[0].tasks',
    },
    {
      name: 'pivot without a release',
      value: withChange((c) => {
        campaign(c).pivot = { fraction: 0.5 };
      }),
      path: 'campaigns[0].pivot',
    },
    {
      name: 'duplicate campaign id',
      value: withChange((c) => {
        (c.campaigns as unknown[]).push(structuredClone(campaign(c)));
      }),
      path: 'campaigns[1].id',
    },
    {
      name: 'start past the end',
      value: withChange((c) => {
        campaign(c).startHour = 30;
      }),
      path: 'campaigns[0].startHour',
    },
    { name: 'not an object', value: 42, path: '(root)' },
  ];
  for (const { name, value, path } of cases) {
    it(`rejects ${name}, naming ${path}`, () => {
      assert.throws(
        () => parseScenario(value, 'test.yaml'),
        (error: unknown) =>
          DistillguardError.is(error) &&
          error.code === 'scenario_invalid' &&
          error.message.includes(`${path}:`) &&
          error.message.includes('test.yaml'),
      );
    });
  }
});

describe('loadScenario', () => {
  it('loads every built-in scenario', async () => {
    assert.deepEqual([...BUILT_IN_SCENARIOS].sort(), [
      'adaptive',
      'low-and-slow',
      'quickstart',
      'seed-scale',
    ]);
    for (const name of BUILT_IN_SCENARIOS) {
      const scenario = await loadScenario(name);
      assert.equal(scenario.name, name);
      const groups = new Set(scenario.personas.map((persona) => persona.persona));
      assert.equal(groups.size, 6, `${name} must hold every hard-negative persona`);
    }
  });

  it('reads JSON and YAML files and reports syntax errors and missing files', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'distillguard-scenario-'));
    await writeFile(join(directory, 'a.json'), JSON.stringify(valid));
    await writeFile(
      join(directory, 'b.yaml'),
      'name: tiny\nstart: 2026-02-02T00:00:00Z\ndays: 1\npersonas:\n  - persona: chat\n    accounts: 5\n',
    );
    await writeFile(join(directory, 'broken.json'), '{"name": ');
    assert.equal((await loadScenario(join(directory, 'a.json'))).campaigns.length, 1);
    assert.equal((await loadScenario(join(directory, 'b.yaml'))).personas[0]?.accounts, 5);
    await assert.rejects(loadScenario(join(directory, 'broken.json')), {
      code: 'scenario_invalid',
    });
    await assert.rejects(loadScenario(join(directory, 'absent.yaml')), {
      code: 'scenario_not_found',
    });
    await assert.rejects(loadScenario('no-such-scenario'), { code: 'scenario_not_found' });
    await rm(directory, { recursive: true, force: true });
  });
});
