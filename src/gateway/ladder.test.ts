import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { DEMO_MODEL_ID } from './demo/create-demo-upstream.js';
import { DEFAULT_LADDER_POLICY, type LadderPolicy } from './ladder.js';
import { createScriptedScorer } from './request-scorer.js';
import { type Harness, startHarness } from './test-harness.js';

const policy: LadderPolicy = {
  ...DEFAULT_LADDER_POLICY,
  limits: {
    allow: DEFAULT_LADDER_POLICY.limits.allow,
    throttle: {
      requests: { capacity: 2, refillPerSecond: 0.01 },
      outputTokens: { capacity: 1000, refillPerSecond: 1 },
    },
    degrade: {
      requests: { capacity: 50, refillPerSecond: 1 },
      outputTokens: { capacity: 6, refillPerSecond: 0.001 },
    },
  },
  degrade: { maxOutputTokens: 4, reasoning: 'withhold' },
  stepUpUrl: 'https://provider.example/verify',
};

const scorer = createScriptedScorer({
  acct_clean: {},
  acct_suspect: { score: 0.6, verdict: 'suspect' },
  acct_degraded: { score: 0.75, verdict: 'attack' },
  acct_budget: { score: 0.75, verdict: 'attack' },
  acct_degraded_stream: { score: 0.75, verdict: 'attack' },
  acct_challenged: { score: 0.9, verdict: 'attack' },
  acct_suspended: { score: 0.99, verdict: 'attack', campaignId: 'camp_1' },
  acct_regrown: { score: 0.1, verdict: 'clean', campaignId: 'camp_1' },
  acct_override: { score: 0.99, verdict: 'attack' },
});

const ask = (client: OpenAI, extra: Record<string, unknown> = {}) =>
  client.chat.completions
    .create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: 'Explain step by step.' }],
      max_tokens: 30,
      ...extra,
    })
    .withResponse();

const expectRefusal = async (promise: Promise<unknown>, status: number, code: string) =>
  assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof OpenAI.APIError, String(error));
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  });

describe('the ladder, end to end with a scripted engine', () => {
  let harness: Harness;
  const client = (accountId: string) =>
    new OpenAI({
      apiKey: harness.keys[accountId] ?? '',
      baseURL: `${harness.url}/v1`,
      maxRetries: 0,
    });
  before(async () => {
    harness = await startHarness({
      accounts: [
        'acct_clean',
        'acct_suspect',
        'acct_degraded',
        'acct_degraded_stream',
        'acct_budget',
        'acct_challenged',
        'acct_suspended',
        'acct_regrown',
        'acct_override',
      ],
      gatewayOptions: { scorer, policy },
    });
  });
  after(() => harness.close());

  test('clean: allowed, with the limits advertised', async () => {
    const { response, data } = await ask(client('acct_clean'));
    assert.equal(response.headers.get('x-distillguard-action'), 'allow');
    assert.equal(response.headers.get('x-ratelimit-limit-requests'), '600');
    assert.match(response.headers.get('ratelimit-policy') ?? '', /"requests";q=600;w=60/);
    assert.match(response.headers.get('ratelimit') ?? '', /"requests";r=599;t=\d+/);
    assert.equal(data.usage?.completion_tokens, 30);
  });

  test('suspect: throttled to the throttle tier, then 429 with Retry-After', async () => {
    const first = await ask(client('acct_suspect'));
    assert.equal(first.response.headers.get('x-distillguard-action'), 'throttle');
    assert.equal(first.response.headers.get('x-ratelimit-limit-requests'), '2');
    await ask(client('acct_suspect'));
    await assert.rejects(ask(client('acct_suspect')), (error: unknown) => {
      assert.ok(error instanceof OpenAI.RateLimitError);
      assert.equal(error.code, 'rate_limit_requests');
      assert.ok(Number(error.headers?.get('retry-after')) >= 1);
      assert.equal(error.headers?.get('x-ratelimit-remaining-requests'), '0');
      return true;
    });
  });

  test('attack: degraded, reasoning withheld and output capped', async () => {
    const { response, data } = await ask(client('acct_degraded'), { reasoning_effort: 'high' });
    assert.equal(response.headers.get('x-distillguard-action'), 'degrade');
    const message = data.choices[0]?.message as unknown as Record<string, unknown>;
    assert.equal(message.reasoning_content, undefined);
    assert.ok((data.usage?.completion_tokens ?? 99) <= 4);
    await harness.settle();
    assert.equal(
      harness.sink.exchanges.at(-1)?.request.max_tokens,
      30,
      'the record keeps what the client sent',
    );
  });

  test('degraded Anthropic stream: thinking block withheld, indices still consistent for the SDK', async () => {
    const anthropic = new Anthropic({
      apiKey: harness.keys.acct_degraded_stream ?? '',
      baseURL: harness.url,
      maxRetries: 0,
    });
    const stream = anthropic.messages.stream({
      model: DEMO_MODEL_ID,
      max_tokens: 30,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Think first.' }],
    });
    const final = await stream.finalMessage();
    assert.deepEqual(
      final.content.map((block) => block.type),
      ['text'],
    );
  });

  test('token budget: a stream ends cleanly with finish_reason length, then 429 on output tokens', async () => {
    const stream = await client('acct_budget').chat.completions.create({
      model: DEMO_MODEL_ID,
      messages: [{ role: 'user', content: 'Long answer please.' }],
      max_tokens: 50,
      stream: true,
    });
    let deltas = 0;
    let finish: string | null = null;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) deltas += 1;
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    assert.equal(finish, 'length');
    assert.ok(deltas <= 6 && deltas > 0, `deltas ${deltas}`);
    await ask(client('acct_budget'));
    await expectRefusal(ask(client('acct_budget')), 429, 'rate_limit_output_tokens');
  });

  test('challenge: 403 naming the step-up path', async () => {
    await assert.rejects(ask(client('acct_challenged')), (error: unknown) => {
      assert.ok(error instanceof OpenAI.PermissionDeniedError);
      assert.equal(error.code, 'verification_required');
      assert.match(error.message, /provider\.example\/verify/);
      assert.equal(error.headers?.get('x-distillguard-step-up'), 'https://provider.example/verify');
      return true;
    });
  });

  test('suspend sticks, and a regrown account of the same campaign is refused on its first request', async () => {
    await expectRefusal(ask(client('acct_suspended')), 403, 'account_suspended');
    scorer.set('acct_suspended', { score: 0, verdict: 'clean' });
    await expectRefusal(ask(client('acct_suspended')), 403, 'account_suspended');
    await expectRefusal(ask(client('acct_regrown')), 403, 'campaign_suspended');
    const response = await fetch(`${harness.url}/admin/campaigns/camp_1`, {
      headers: { authorization: 'Bearer admin-token' },
    });
    const { campaigns } = (await response.json()) as {
      campaigns: { accounts: string[]; decision: { action: string } }[];
    };
    assert.deepEqual(campaigns[0]?.accounts, ['acct_regrown', 'acct_suspended']);
    assert.equal(campaigns[0]?.decision.action, 'suspend');
  });

  test('manual override through the admin API, with an audit trail', async () => {
    await expectRefusal(ask(client('acct_override')), 403, 'account_suspended');
    const put = await fetch(`${harness.url}/admin/decisions/account/acct_override`, {
      method: 'PUT',
      headers: { authorization: 'Bearer admin-token', 'content-type': 'application/json' },
      body: JSON.stringify({
        action: 'allow',
        actor: 'analyst@provider',
        note: 'false positive: eval harness',
      }),
    });
    assert.equal(put.status, 200);
    const { response } = await ask(client('acct_override'));
    assert.equal(response.headers.get('x-distillguard-action'), 'allow');
    const audit = (await (
      await fetch(`${harness.url}/admin/audit`, {
        headers: { authorization: 'Bearer admin-token' },
      })
    ).json()) as {
      entries: {
        actor: string;
        before: string;
        after: string;
        subject: { id: string };
        exchange_id?: string;
        score?: number;
      }[];
    };
    const ofAccount = audit.entries.filter((entry) => entry.subject.id === 'acct_override');
    assert.deepEqual(
      ofAccount.map(({ actor, before, after }) => ({ actor, before, after })),
      [
        { actor: 'analyst@provider', before: 'suspend', after: 'allow' },
        { actor: 'engine', before: null, after: 'suspend' },
      ],
    );
    // The automatic decision names the request that caused it and the score it was made at.
    const automatic = ofAccount[1];
    assert.match(automatic?.exchange_id ?? '', /^ex_/);
    assert.equal(typeof automatic?.score, 'number');
    await harness.settle();
    const record = harness.sink.exchanges.find((each) => each.id === automatic?.exchange_id);
    assert.equal(record?.enforcement?.action, 'suspend');
    assert.equal(record?.enforcement?.source, 'engine');
    assert.ok(record?.enforcement?.reasons.includes('account_suspended'));
  });

  test('every request, served or refused, has one record', async () => {
    await harness.settle();
    assert.equal(harness.sink.exchanges.length, harness.gateway.accepted);
  });
});
