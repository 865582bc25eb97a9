import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createGatewayMetrics } from '../gateway-metrics.js';
import { startHarness } from '../test-harness.js';

// Metrics only a fleet or a cluster has (their own tests scrape them).
const ELSEWHERE = /^distillguard_gateway_(fleet_|workers$|cluster_scrape_missing_workers$)/;

test('every metric the Grafana dashboard queries is on /metrics', async () => {
  const dashboard = JSON.parse(
    await readFile(new URL('../../../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
  ) as { panels: { targets?: { expr: string }[] }[] };
  const queried = new Set<string>();
  for (const panel of dashboard.panels)
    for (const target of panel.targets ?? [])
      for (const [name] of target.expr.matchAll(/\b(?:distillguard|process|nodejs)_[a-z0-9_]+/g))
        queried.add(name.replace(/_(bucket|sum|count)$/, ''));
  assert.ok(queried.size >= 15, [...queried].join(' '));

  const harness = await startHarness({
    gatewayOptions: { metrics: createGatewayMetrics({ processMetrics: true }) },
  });
  try {
    await fetch(`${harness.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${harness.keys.acct_a}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        model: 'demo',
        stream: true,
        max_tokens: 3,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    }).then((response) => response.text());
    await harness.settle();
    const scrape = await (
      await fetch(`${harness.url}/metrics`, { headers: { authorization: 'Bearer admin-token' } })
    ).text();
    const exposed = new Set(
      [...scrape.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] as string),
    );
    const missing = [...queried].filter((name) => !exposed.has(name) && !ELSEWHERE.test(name));
    assert.deepEqual(missing, []);
  } finally {
    await harness.close();
  }
});
