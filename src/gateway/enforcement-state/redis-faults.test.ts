import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { test } from 'node:test';
import type { StateErrorPolicy } from '../create-decision-step.js';
import { createScriptedScorer } from '../request-scorer.js';
import { type Harness, startHarness } from '../test-harness.js';
import { createRedisEnforcementState } from './redis-enforcement-state.js';

// A real redis-server of our own on another port, killed, restarted and stalled (SIGSTOP) by
// the test. Without the binary this test FAILS (spawn ENOENT).
const port = 20_000 + Math.floor(Math.random() * 20_000);

const startRedis = async (): Promise<ChildProcess> => {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    { stdio: 'ignore' },
  );
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (up) return child;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('redis-server did not start');
};
const stop = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGKILL');
  await once(child, 'exit');
};
const waitFor = async (condition: () => boolean, what: string) => {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

const statusOf = async (harness: Harness, accountId: string): Promise<[number, string]> => {
  const response = await fetch(`${harness.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${harness.keys[accountId]}`,
    },
    body: JSON.stringify({
      model: 'demo',
      max_tokens: 2,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await response.text();
  return [response.status, response.headers.get('x-distillguard-reason') ?? ''];
};

for (const mode of ['open', 'closed'] as const) {
  test(`Redis killed, restarted empty, stalled: on_state_error ${mode} holds, a suspended account is never served`, async () => {
    let redis = await startRedis();
    const scorer = createScriptedScorer({ acct_bad: { score: 0.99, verdict: 'attack' } });
    const onStateError: StateErrorPolicy = { mode, keepFromCache: ['suspend', 'challenge'] };
    const harness = await startHarness({
      accounts: ['acct_bad', 'acct_good'],
      gatewayOptions: {
        state: await createRedisEnforcementState({
          url: `redis://127.0.0.1:${port}`,
          prefix: `faults-${mode}:`,
          commandTimeoutMs: 150,
          reconnectMaxDelayMs: 100,
        }),
        scorer,
        onStateError,
      },
    });
    const healthyGood: [number, string] = [200, ''];
    const stateDown: [number, string] =
      mode === 'open' ? healthyGood : [503, 'enforcement_unavailable'];
    const suspended: [number, string] = [403, 'account_suspended'];
    try {
      assert.deepEqual(await statusOf(harness, 'acct_bad'), suspended);
      // The decision is sticky: from now on only the stored (or cached) suspension refuses it.
      scorer.set('acct_bad', { score: 0, verdict: 'clean' });
      assert.deepEqual(await statusOf(harness, 'acct_good'), healthyGood);

      // 1. Killed.
      await stop(redis);
      assert.deepEqual(await statusOf(harness, 'acct_bad'), suspended);
      assert.deepEqual(await statusOf(harness, 'acct_good'), stateDown);
      assert.equal(harness.gateway.readiness().ready, false);
      const readyz = await fetch(`${harness.url}/readyz`);
      assert.equal(readyz.status, 503);
      assert.equal(
        ((await readyz.json()) as { checks: { state: { ok: boolean } } }).checks.state.ok,
        false,
      );
      assert.equal((await fetch(`${harness.url}/healthz`)).status, 200);

      // 2. Restarted, empty (no persistence): service resumes without restarting the gateway,
      // and the suspension this replica knew is written back.
      redis = await startRedis();
      await waitFor(() => harness.gateway.readiness().checks.state?.ok === true, 'reconnection');
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(await statusOf(harness, 'acct_good'), healthyGood);
      assert.deepEqual(await statusOf(harness, 'acct_bad'), suspended);
      assert.equal(
        (await harness.gateway.state.getDecision({ kind: 'account', id: 'acct_bad' }))?.action,
        'suspend',
      );

      // 3. Stalled: commands time out (150 ms) instead of holding requests.
      redis.kill('SIGSTOP');
      try {
        const started = Date.now();
        assert.deepEqual(await statusOf(harness, 'acct_good'), stateDown);
        assert.ok(Date.now() - started < 2_000, `answered in ${Date.now() - started} ms`);
        assert.deepEqual(await statusOf(harness, 'acct_bad'), suspended);
        assert.equal(harness.gateway.readiness().ready, false);
      } finally {
        redis.kill('SIGCONT');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(await statusOf(harness, 'acct_good'), healthyGood);
      assert.deepEqual(await statusOf(harness, 'acct_bad'), suspended);

      // Every request, whatever the state did, has its record.
      await harness.settle();
      assert.equal(harness.sink.exchanges.length, harness.gateway.accepted);
      assert.ok(harness.gateway.enforcementErrors >= 3);
    } finally {
      await harness.gateway.state.close();
      await harness.close();
      await stop(redis);
    }
  });
}
