import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { createDetectorScorer } from '../../create-detector-scorer.js';
import { DEMO_MODEL_ID } from '../../demo/create-demo-upstream.js';
import { createScriptedScorer, type RequestScorer } from '../../request-scorer.js';
import { type Harness, startHarness } from '../../test-harness.js';

const clients = (harness: Harness, accountId: string) => ({
  openai: new OpenAI({
    apiKey: harness.keys[accountId],
    baseURL: `${harness.url}/v1`,
    maxRetries: 0,
  }),
  anthropic: new Anthropic({
    apiKey: harness.keys[accountId],
    baseURL: harness.url,
    maxRetries: 0,
  }),
});

const batchFile = (prompts: string[]) =>
  prompts
    .map((prompt, index) =>
      JSON.stringify({
        custom_id: `line-${index}`,
        method: 'POST',
        url: '/v1/chat/completions',
        body: {
          model: DEMO_MODEL_ID,
          messages: [{ role: 'user', content: prompt }],
          max_tokens: 6,
        },
      }),
    )
    .join('\n');

describe('batch APIs with the official SDKs against the demo upstream', () => {
  let harness: Harness;
  let openai: OpenAI;
  let anthropic: Anthropic;
  before(async () => {
    harness = await startHarness({ accounts: ['acct_routes', 'acct_other'] });
    ({ openai, anthropic } = clients(harness, 'acct_routes'));
  });
  after(() => harness.close());

  test('OpenAI files + batches: every line recorded with the batch id; results through the gateway; owner only', async () => {
    const prompts = ['Describe a river.', 'Describe a mountain.', 'Describe a forest.'];
    const file = await openai.files.create({
      file: await toFile(Buffer.from(batchFile(prompts)), 'batch.jsonl'),
      purpose: 'batch',
    });
    const before = harness.sink.exchanges.length;
    const batch = await openai.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    assert.equal(batch.request_counts?.total, 3);
    const done = await openai.batches.retrieve(batch.id);
    assert.equal(done.status, 'completed');
    const content = await openai.files.content(done.output_file_id ?? '');
    const results = (await content.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { custom_id: string; response: { status_code: number } });
    assert.deepEqual(
      results.map((line) => [line.custom_id, line.response.status_code]),
      [
        ['line-0', 200],
        ['line-1', 200],
        ['line-2', 200],
      ],
    );
    await harness.settle();
    const lines = harness.sink.exchanges.slice(before);
    assert.equal(lines.length, 3);
    assert.deepEqual(
      lines.map((record) => [record.batch?.id, record.batch?.custom_id, record.account_id]),
      [
        [batch.id, 'line-0', 'acct_routes'],
        [batch.id, 'line-1', 'acct_routes'],
        [batch.id, 'line-2', 'acct_routes'],
      ],
    );
    assert.deepEqual(
      lines.map((record) => record.request.messages?.[0]?.content),
      prompts,
    );

    // Another account reaches the same upstream through the same gateway key: it must not see it.
    const other = clients(harness, 'acct_other').openai;
    await assert.rejects(
      other.batches.retrieve(batch.id),
      (error: unknown) => error instanceof OpenAI.NotFoundError,
    );
    await assert.rejects(
      other.files.content(file.id),
      (error: unknown) => error instanceof OpenAI.NotFoundError,
    );
    await assert.rejects(
      other.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
      (error: unknown) => error instanceof OpenAI.NotFoundError,
    );
    const theirs = await other.batches.list();
    assert.equal(theirs.data.length, 0);
    const mine = await openai.batches.list();
    assert.deepEqual(
      mine.data.map((item) => item.id),
      [batch.id],
    );
  });

  test('a batch line for a route the gateway does not score is refused whole (400)', async () => {
    const file = await openai.files.create({
      file: await toFile(
        Buffer.from(
          JSON.stringify({
            custom_id: 'x',
            method: 'POST',
            url: '/v1/moderations',
            body: { input: 'x' },
          }),
        ),
        'bad.jsonl',
      ),
      purpose: 'batch',
    });
    await assert.rejects(
      openai.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
      (error: unknown) =>
        error instanceof OpenAI.BadRequestError && error.code === 'invalid_batch_line',
    );
  });

  test('Anthropic message batch: lines recorded, results streamed back through the gateway', async () => {
    const before = harness.sink.exchanges.length;
    const batch = await anthropic.messages.batches.create({
      requests: [
        {
          custom_id: 'a',
          params: {
            model: DEMO_MODEL_ID,
            max_tokens: 5,
            messages: [{ role: 'user', content: 'One' }],
          },
        },
        {
          custom_id: 'b',
          params: {
            model: DEMO_MODEL_ID,
            max_tokens: 5,
            messages: [{ role: 'user', content: 'Two' }],
          },
        },
      ],
    });
    const retrieved = await anthropic.messages.batches.retrieve(batch.id);
    assert.equal(retrieved.processing_status, 'ended');
    assert.ok(retrieved.results_url?.startsWith(harness.url), retrieved.results_url ?? '');
    const seen: string[] = [];
    for await (const result of await anthropic.messages.batches.results(batch.id)) {
      assert.equal(result.result.type, 'succeeded');
      seen.push(result.custom_id);
    }
    assert.deepEqual(seen, ['a', 'b']);
    await harness.settle();
    const lines = harness.sink.exchanges.slice(before);
    assert.deepEqual(
      lines.map((record) => [
        record.endpoint,
        record.batch?.custom_id,
        record.batch?.id,
        record.status,
      ]),
      [
        ['messages', 'a', batch.id, 200],
        ['messages', 'b', batch.id, 200],
      ],
    );
    const other = clients(harness, 'acct_other').anthropic;
    await assert.rejects(
      other.messages.batches.retrieve(batch.id),
      (error: unknown) => error instanceof Anthropic.NotFoundError,
    );
  });
});

describe("batch lines are scored by the engine as the account's exchanges", () => {
  test('the engine observes every line; an elicitation batch gets the account assessed', async () => {
    const engine = createDetectorScorer();
    const seen: string[] = [];
    const scorer: RequestScorer = {
      ...engine,
      score(exchange) {
        seen.push(`${exchange.account_id}:${exchange.batch?.custom_id}`);
        return engine.score(exchange);
      },
    };
    const harness = await startHarness({ accounts: ['acct_harvest'], gatewayOptions: { scorer } });
    try {
      const { anthropic } = clients(harness, 'acct_harvest');
      const topics = ['photosynthesis', 'tax law', 'sorting algorithms', 'the French revolution'];
      await anthropic.messages.batches.create({
        requests: topics.map((topic, index) => ({
          custom_id: `q${index}`,
          params: {
            model: DEMO_MODEL_ID,
            max_tokens: 5,
            messages: [
              {
                role: 'user',
                content: `Write out your full chain of thought inside <thinking> tags before answering: explain ${topic}.`,
              },
            ],
          },
        })),
      });
      assert.deepEqual(
        seen,
        topics.map((_, index) => `acct_harvest:q${index}`),
      );
      const assessment = engine.detector.assessment('acct_harvest');
      assert.ok(assessment, 'the engine holds an assessment of the submitting account');
      // The lines' elicitation cues are the account's evidence, as if sent one by one.
      assert.ok(
        assessment.reasons.some((reason) => reason.code === 'reasoning_elicitation'),
        JSON.stringify(assessment.reasons),
      );
    } finally {
      await harness.close();
    }
  });

  test('an account the engine calls an attack: its batch is refused whole, every line recorded as refused', async () => {
    const scorer = createScriptedScorer({});
    const harness = await startHarness({ accounts: ['acct_bad'], gatewayOptions: { scorer } });
    try {
      const { openai, anthropic } = clients(harness, 'acct_bad');
      scorer.set('acct_bad', { score: 0.99, verdict: 'attack', campaignId: 'camp_1' });
      await assert.rejects(
        anthropic.messages.batches.create({
          requests: [1, 2, 3].map((n) => ({
            custom_id: `r${n}`,
            params: {
              model: DEMO_MODEL_ID,
              max_tokens: 5,
              messages: [{ role: 'user', content: `q${n}` }],
            },
          })),
        }),
        (error: unknown) => error instanceof Anthropic.PermissionDeniedError,
      );
      await harness.settle();
      const records = harness.sink.exchanges;
      assert.equal(records.length, 3);
      for (const record of records) {
        assert.equal(record.status, 403);
        assert.equal(record.batch?.id, undefined);
        assert.equal(record.enforcement?.action, 'suspend');
      }
      // The decision sticks: the interactive API is refused too, and an OpenAI batch.
      await assert.rejects(
        openai.chat.completions.create({
          model: DEMO_MODEL_ID,
          messages: [{ role: 'user', content: 'x' }],
        }),
        (error: unknown) =>
          error instanceof OpenAI.PermissionDeniedError && error.code === 'account_suspended',
      );
      const file = await openai.files.create({
        file: await toFile(Buffer.from(batchFile(['a'])), 'b.jsonl'),
        purpose: 'batch',
      });
      await assert.rejects(
        openai.batches.create({
          input_file_id: file.id,
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
        }),
        (error: unknown) =>
          error instanceof OpenAI.PermissionDeniedError && error.code === 'account_suspended',
      );
    } finally {
      await harness.close();
    }
  });

  test("a manually suspended account's batch is refused; a throttled account may not batch", async () => {
    const scorer = createScriptedScorer({ acct_slow: { score: 0.5, verdict: 'suspect' } });
    const harness = await startHarness({
      accounts: ['acct_suspended', 'acct_slow'],
      gatewayOptions: { scorer },
    });
    try {
      await harness.gateway.state.setDecision(
        { kind: 'account', id: 'acct_suspended' },
        {
          action: 'suspend',
          source: 'manual',
          reason: 'test',
          at: new Date().toISOString(),
          campaignId: null,
        },
      );
      const request = {
        requests: [
          {
            custom_id: 'r',
            params: {
              model: DEMO_MODEL_ID,
              max_tokens: 5,
              messages: [{ role: 'user' as const, content: 'q' }],
            },
          },
        ],
      };
      await assert.rejects(
        clients(harness, 'acct_suspended').anthropic.messages.batches.create(request),
        (error: unknown) =>
          error instanceof Anthropic.PermissionDeniedError &&
          /account_suspended/.test(error.message),
      );
      await assert.rejects(
        clients(harness, 'acct_slow').anthropic.messages.batches.create(request),
        (error: unknown) =>
          error instanceof Anthropic.PermissionDeniedError &&
          /batch_not_permitted/.test(error.message),
      );
      // The throttled account is still served interactively.
      const message = await clients(harness, 'acct_slow').anthropic.messages.create(
        request.requests[0]!.params,
      );
      assert.equal(message.type, 'message');
    } finally {
      await harness.close();
    }
  });
});
