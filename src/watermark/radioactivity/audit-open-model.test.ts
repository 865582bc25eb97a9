import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  createSeededRandom,
  type LanguageModel,
  loadDefaultLanguageModel,
  trainLanguageModel,
} from '../../language-model/index.js';
import { DistillguardError } from '../../shared/distillguard-error.js';
import { deriveAccountKey } from '../keys/derive-account-key.js';
import { createWatermarkKey } from '../keys/watermark-key.js';
import { createWatermarkHook } from '../token/create-watermark-hook.js';
import { exponentialScheme, greenListScheme } from '../token/watermark-scheme.js';
import {
  argmax,
  auditOpenModelRadioactivity,
  completionsSource,
  logProbabilitySource,
  readPromptLogprobs,
} from './audit-open-model.js';
import { runOpenRadioactivityAudit } from './run-open-radioactivity-audit.js';

const teacher = loadDefaultLanguageModel();
const master = createWatermarkKey('master', Buffer.alloc(32, 6));
const accounts = ['acct-a', 'acct-b', 'acct-c', 'acct-d'];
const keys = accounts.map((account) => deriveAccountKey(master, account, 0));
const scheme = greenListScheme({ delta: 3 });
/** `count` teacher answers, watermarked for acct-c or not. */
function answers(count: number, watermarked: boolean, seed: number): string[] {
  const random = createSeededRandom(seed);
  const hook = createWatermarkHook(scheme, keys[2]!);
  return Array.from({ length: count }, () =>
    teacher.decode([
      ...teacher.generate({
        prompt: '',
        maxTokens: 250,
        random,
        ...(watermarked ? { logitsHook: hook } : {}),
      }),
    ]),
  );
}
// Audit texts: unwatermarked answers of the provider's model, independent of every key, so the
// test is exact under H0.
const texts = answers(120, false, 555);

/** vLLM-style prompt log-probabilities: `echo: true, logprobs: 1, max_tokens: 0`. */
function serveCompletions(model: LanguageModel): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const parsed = JSON.parse(body) as { prompt: string; echo?: boolean; logprobs?: number };
      if (request.url !== '/v1/completions' || parsed.echo !== true || parsed.logprobs !== 1) {
        response.writeHead(404).end();
        return;
      }
      const ids = model.encode(parsed.prompt);
      const topLogprobs = ids.map((_, position) => {
        if (position === 0) return null;
        const logits = model.logits(ids.slice(0, position));
        const best = argmax(logits);
        return { [model.decodeToken(best)]: logits[best] };
      });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'cmpl-test',
          object: 'text_completion',
          choices: [
            {
              index: 0,
              text: parsed.prompt,
              logprobs: {
                tokens: ids.map((id) => model.decodeToken(id)),
                token_logprobs: ids.map(() => null),
                top_logprobs: topLogprobs,
              },
            },
          ],
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('open-model radioactivity audit', () => {
  // A 1,000-answer harvest, 10% of it served watermarked to acct-c, and a clean one.
  const cleanAnswers = answers(1000, false, 1);
  const distilled = trainLanguageModel([...answers(100, true, 2), ...cleanAnswers.slice(100)]);
  const clean = trainLanguageModel(cleanAnswers);
  let server: Server;
  before(async () => {
    server = await serveCompletions(distilled);
  });
  after(() => server.close());

  test('a student trained on a 10% watermarked harvest is caught in process', async () => {
    const evidence = await auditOpenModelRadioactivity({
      scheme,
      keys,
      texts,
      tokenizer: teacher,
      reference: teacher,
      source: logProbabilitySource(distilled),
    });
    assert.equal(evidence.mode, 'open');
    assert.equal(evidence.keys[0]!.account, 'acct-c');
    assert.ok(evidence.keys[0]!.pValue < 1e-6, `p = ${evidence.keys[0]!.pValue}`);
    assert.deepEqual(evidence.detected, ['acct-c']);
    assert.ok(evidence.scoredPairs > 300, `${evidence.scoredPairs} pairs`);
    assert.ok(evidence.scoredPairs < evidence.distinctPairs);
    assert.ok(evidence.distinctPairs <= evidence.predictions!);
    const json = JSON.stringify(evidence);
    for (const key of [master, ...keys]) {
      assert.ok(!json.includes(Buffer.from(key.secret).toString('hex')));
      assert.ok(!json.includes(Buffer.from(key.secret).toString('base64')));
    }
  });

  test('the /v1/completions source gives the same evidence as the in-process one', async () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const options = {
      scheme,
      keys,
      texts: texts.slice(0, 30),
      tokenizer: teacher,
      reference: teacher,
      controls: 0,
    };
    const remote = await auditOpenModelRadioactivity({
      ...options,
      source: completionsSource({ url }),
    });
    const local = await auditOpenModelRadioactivity({
      ...options,
      source: logProbabilitySource(distilled),
    });
    assert.deepEqual(remote.keys, local.keys);
    assert.equal(remote.scoredPairs, local.scoredPairs);
  });

  test('a clean student is not flagged, whatever the key', async () => {
    const randomKeys = Array.from({ length: 6 }, (_, index) =>
      createWatermarkKey(`random-${index}`, Buffer.alloc(32, 100 + index)),
    );
    const evidence = await auditOpenModelRadioactivity({
      scheme,
      keys: [...keys, ...randomKeys],
      texts,
      tokenizer: teacher,
      reference: teacher,
      source: logProbabilitySource(clean),
    });
    assert.deepEqual(evidence.detected, []);
    for (const result of evidence.keys) {
      assert.ok(result.pValue > 1e-3, `${result.key}: p = ${result.pValue}`);
    }
  });

  test('end to end over HTTP with the default texts: acct-c named, no secret in the bundle', async () => {
    const port = (server.address() as AddressInfo).port;
    const report = await runOpenRadioactivityAudit({
      url: `http://127.0.0.1:${port}/v1/`,
      keys,
      scheme,
      referenceModel: teacher,
      maxTokens: 250,
      random: createSeededRandom(7),
    });
    assert.equal(report.texts, 8 * 16);
    assert.deepEqual(report.detected, ['acct-c']);
    assert.equal(report.suspect, `http://127.0.0.1:${port}/v1/`);
    assert.ok(!JSON.stringify(report).includes(Buffer.from(keys[2]!.secret).toString('hex')));
  });

  test('an unreachable endpoint is a clear error', async () => {
    await assert.rejects(
      auditOpenModelRadioactivity({
        scheme,
        keys,
        texts: ['hello there'],
        tokenizer: teacher,
        source: completionsSource({ url: 'http://127.0.0.1:9/v1' }),
      }),
      (error: unknown) => DistillguardError.is(error) && error.code === 'suspect_unreachable',
    );
  });

  test('errors do not repeat credentials from the URL', async () => {
    await assert.rejects(
      auditOpenModelRadioactivity({
        scheme,
        keys,
        texts: ['hello there'],
        tokenizer: teacher,
        source: completionsSource({ url: 'http://user:hunter2@127.0.0.1:9/v1' }),
      }),
      (error: unknown) =>
        DistillguardError.is(error) &&
        !error.message.includes('hunter2') &&
        !JSON.stringify(error.details).includes('hunter2'),
    );
  });
});

test('the exponential scheme is tested with its gamma tail in open mode', async () => {
  const exponential = exponentialScheme({ contextWidth: 2 });
  const random = createSeededRandom(11);
  const hook = createWatermarkHook(exponential, keys[1]!);
  const marked = Array.from({ length: 300 }, () =>
    teacher.decode([...teacher.generate({ prompt: '', maxTokens: 250, random, logitsHook: hook })]),
  );
  const evidence = await auditOpenModelRadioactivity({
    scheme: exponential,
    keys,
    texts: texts.slice(0, 60),
    tokenizer: teacher,
    reference: teacher,
    source: logProbabilitySource(trainLanguageModel(marked)),
    controls: 5,
  });
  assert.match(evidence.test, /gamma tail/);
  assert.deepEqual(evidence.detected, ['acct-b']);
  assert.ok(evidence.keys[0]!.pValue < 1e-6, `p = ${evidence.keys[0]!.pValue}`);
  assert.ok(evidence.keys.slice(1).every((result) => result.pValue > 1e-3));
});

describe('readPromptLogprobs', () => {
  const cases: { name: string; body: unknown; expected: unknown }[] = [
    {
      name: 'top-1 of each position',
      body: {
        choices: [
          {
            logprobs: {
              tokens: ['a', ' b', ' c'],
              top_logprobs: [null, { ' x': -0.5, ' y': -0.1 }, { ' z': -2 }],
            },
          },
        ],
      },
      expected: { pieces: ['a', ' b', ' c'], predictions: [undefined, ' y', ' z'] },
    },
    { name: 'no choices', body: { choices: [] }, expected: undefined },
    {
      name: 'lengths differ',
      body: { choices: [{ logprobs: { tokens: ['a'], top_logprobs: [] } }] },
      expected: undefined,
    },
    { name: 'not an object', body: 'nope', expected: undefined },
  ];
  for (const { name, body, expected } of cases) {
    test(name, () => assert.deepEqual(readPromptLogprobs(body), expected));
  }
});
