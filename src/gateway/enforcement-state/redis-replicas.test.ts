import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import OpenAI from 'openai';
import { createClient } from 'redis';
import { createScriptedScorer } from '../request-scorer.js';
import { startHarness } from '../test-harness.js';
import { createRedisEnforcementState } from './redis-enforcement-state.js';

// Needs the real local Redis; without it this test FAILS with the connection message.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

test('two gateway replicas on one Redis: a campaign suspended through one is refused by the other', async () => {
  const prefix = `distillguard-test:${randomUUID()}:`;
  const replicaA = await startHarness({
    accounts: ['acct_first'],
    gatewayOptions: {
      state: await createRedisEnforcementState({ url, prefix }),
      scorer: createScriptedScorer({
        acct_first: { score: 0.99, verdict: 'attack', campaignId: 'camp_shared' },
      }),
    },
  });
  const replicaB = await startHarness({
    accounts: ['acct_regrown'],
    gatewayOptions: {
      state: await createRedisEnforcementState({ url, prefix }),
      scorer: createScriptedScorer({
        acct_regrown: { score: 0, verdict: 'clean', campaignId: 'camp_shared' },
      }),
    },
  });
  try {
    const ask = (harness: typeof replicaA, accountId: string) =>
      new OpenAI({
        apiKey: harness.keys[accountId] ?? '',
        baseURL: `${harness.url}/v1`,
        maxRetries: 0,
      }).chat.completions.create({
        model: 'demo',
        max_tokens: 2,
        messages: [{ role: 'user', content: 'hi' }],
      });
    const refusedWith = (code: string) => (error: unknown) =>
      error instanceof OpenAI.PermissionDeniedError && error.code === code;
    await assert.rejects(ask(replicaA, 'acct_first'), refusedWith('account_suspended'));
    await assert.rejects(ask(replicaB, 'acct_regrown'), refusedWith('campaign_suspended'));
    assert.deepEqual(await replicaB.gateway.state.campaignMembers('camp_shared'), [
      'acct_first',
      'acct_regrown',
    ]);
  } finally {
    await replicaA.gateway.state.close();
    await replicaB.gateway.state.close();
    await replicaA.close();
    await replicaB.close();
    const client = createClient({ url, socket: { reconnectStrategy: false } });
    client.on('error', () => {});
    await client.connect().catch(() => {});
    if (client.isOpen) {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 }))
        if (keys.length > 0) await client.del(keys);
      await client.close();
    }
  }
});
