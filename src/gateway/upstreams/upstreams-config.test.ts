import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { parseGatewayConfig } from '../gateway-config.js';
import { compileModelPatterns } from './compile-model-pattern.js';
import { openUpstreams, upstreamsWaitBudgetMs } from './open-upstreams.js';
import { upstreamsConfigSchema } from './upstreams-config.js';

describe('upstreams config', () => {
  const invalid = [
    {
      name: 'upstream and upstreams together',
      value: { upstream: { url: 'http://a' }, upstreams: [{ url: 'http://b' }] },
      message: /either upstream \(one\) or upstreams/,
    },
    { name: 'an empty list', value: { upstreams: [] }, message: /upstreams/ },
    {
      name: 'two upstreams with one name',
      value: { upstreams: [{ url: 'http://a' }, { name: 'upstream-1', url: 'http://b' }] },
      message: /duplicate upstream name upstream-1/,
    },
    {
      name: 'an unknown key',
      value: { upstreams: [{ url: 'http://a', weight: 2 }] },
      message: /upstreams\.0/,
    },
  ];
  for (const { name, value, message } of invalid)
    test(`refuses ${name}`, () => {
      assert.throws(
        () => parseGatewayConfig(value),
        (error: unknown) =>
          error instanceof DistillguardError &&
          error.code === 'gateway_config_invalid' &&
          message.test(error.message),
      );
    });

  test('the single `upstream` stays valid, and `upstreams` fills its defaults', () => {
    assert.equal(parseGatewayConfig({ upstream: { url: 'http://a' } }).upstreams, undefined);
    const config = parseGatewayConfig({
      upstreams: [
        { url: 'http://a', models: ['gpt-*'] },
        { name: 'b', url: 'http://b', headers_timeout_ms: 1_000 },
      ],
    });
    assert.deepEqual(config.upstreams?.[0], {
      url: 'http://a',
      models: ['gpt-*'],
      connections: 128,
      headers_timeout_ms: 60_000,
      body_timeout_ms: 60_000,
    });
    // Each candidate may time out before its headers in turn, then the slowest body.
    assert.equal(upstreamsWaitBudgetMs(config.upstreams ?? []), 61_000 + 60_000);
  });

  test('a named key variable that is unset fails at start, naming the variable', () => {
    assert.throws(
      () =>
        openUpstreams(
          upstreamsConfigSchema.parse([{ url: 'http://a', api_key_env: 'NOT_SET_KEY' }]),
          {
            env: {},
          },
        ),
      (error: unknown) =>
        error instanceof DistillguardError &&
        error.code === 'gateway_upstream_key_missing' &&
        /NOT_SET_KEY/.test(error.message),
    );
  });
});

describe('model patterns', () => {
  const cases: [string[] | undefined, string, boolean][] = [
    [undefined, 'anything', true],
    [['*'], 'anything', true],
    [['gpt-4o'], 'gpt-4o', true],
    [['gpt-4o'], 'gpt-4o-mini', false],
    [['gpt-4o*'], 'gpt-4o-mini', true],
    [['claude-*'], 'claude-3-5-sonnet', true],
    [['claude-*'], 'xclaude-3', false],
    [['gpt-?'], 'gpt-5', true],
    [['gpt-?'], 'gpt-55', false],
    [['a.b'], 'axb', false],
    [['m(1)+'], 'm(1)+', true],
  ];
  for (const [patterns, model, expected] of cases)
    test(`${JSON.stringify(patterns)} ${expected ? 'matches' : 'does not match'} ${model}`, () => {
      assert.equal(compileModelPatterns(patterns)(model), expected);
    });
});
