import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseGatewayConfig } from '../gateway-config.js';
import { resolveObservability } from './resolve-observability.js';

describe('resolveObservability', () => {
  const cases: {
    name: string;
    observability?: unknown;
    env: Record<string, string>;
    tracing: boolean;
  }[] = [
    { name: 'nothing configured: tracing off', env: {}, tracing: false },
    {
      name: 'an endpoint in the config',
      observability: { tracing: { endpoint: 'http://127.0.0.1:4318/v1/traces' } },
      env: {},
      tracing: true,
    },
    {
      name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' },
      tracing: true,
    },
    {
      name: 'OTEL_SDK_DISABLED wins over the variable',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'true' },
      tracing: false,
    },
    {
      name: 'enabled: false wins over an endpoint',
      observability: { tracing: { enabled: false, endpoint: 'http://127.0.0.1:4318/v1/traces' } },
      env: {},
      tracing: false,
    },
  ];
  for (const { name, observability, env, tracing } of cases) {
    test(name, async () => {
      const config = parseGatewayConfig(observability ? { observability } : {});
      const resolved = resolveObservability(config.observability, { env });
      assert.equal(resolved.tracing !== null, tracing);
      await resolved.tracing?.shutdown();
    });
  }

  test('defaults: info request logs without prompts, process metrics on', () => {
    const { observability } = parseGatewayConfig({});
    assert.deepEqual(observability.logs, {
      level: 'info',
      requests: true,
      prompts: false,
      destination: 'stdout',
    });
    assert.equal(observability.process_metrics, true);
  });

  test('an unknown field is refused with its path', () => {
    assert.throws(
      () => parseGatewayConfig({ observability: { logs: { prompt: true } } }),
      /observability\.logs/,
    );
  });
});
