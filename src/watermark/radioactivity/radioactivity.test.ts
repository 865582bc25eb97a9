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
import { createTextWatermarkStage } from '../text/create-text-watermark-stage.js';
import { createWatermarkHook } from '../token/create-watermark-hook.js';
import { greenListScheme } from '../token/watermark-scheme.js';
import { runRadioactivityAudit } from './run-radioactivity-audit.js';

const teacher = loadDefaultLanguageModel();
const master = createWatermarkKey('master', Buffer.alloc(32, 5));
const accounts = ['acct-a', 'acct-b', 'acct-c', 'acct-d'];
const keys = accounts.map((account) => deriveAccountKey(master, account, 0));
const scheme = greenListScheme({ delta: 3 });

/** What an attacker harvested through account acct-c: token- and text-watermarked answers. */
function harvest(count: number, watermarked: boolean): string[] {
  const random = createSeededRandom(watermarked ? 1 : 2);
  const hook = createWatermarkHook(scheme, keys[2]!);
  return Array.from({ length: count }, () => {
    const ids = [
      ...teacher.generate({
        prompt: '',
        maxTokens: 250,
        random,
        ...(watermarked ? { logitsHook: hook } : {}),
      }),
    ];
    if (!watermarked) return teacher.decode(ids);
    const stage = createTextWatermarkStage({ key: keys[2]! });
    return stage.push(teacher.decode(ids)) + stage.flush();
  });
}

/** A tiny OpenAI-compatible server (Chat Completions, non-streaming) serving a model. */
function serve(model: LanguageModel): Promise<Server> {
  const random = createSeededRandom(99);
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      if (request.url !== '/v1/chat/completions') {
        response.writeHead(404).end();
        return;
      }
      const parsed = JSON.parse(body) as { messages: { content: string }[]; max_tokens: number };
      const prompt = parsed.messages.at(-1)?.content ?? '';
      const ids = [...model.generate({ prompt, maxTokens: parsed.max_tokens, random })];
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: model.decode(ids) } }],
        }),
      );
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('radioactivity audit against an OpenAI-compatible suspect', () => {
  let distilled: Server;
  let independent: Server;
  const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  before(async () => {
    distilled = await serve(trainLanguageModel(harvest(300, true)));
    independent = await serve(trainLanguageModel(harvest(300, false)));
  });
  after(() => {
    distilled.close();
    independent.close();
  });

  test('a student trained on acct-c outputs is caught, and acct-c is named', async () => {
    const report = await runRadioactivityAudit({
      url: urlOf(distilled),
      keys,
      scheme,
      referenceModel: teacher,
      samplesPerPrompt: 4,
      maxTokens: 150,
      random: createSeededRandom(3),
    });
    assert.deepEqual(report.detected, ['acct-c']);
    assert.ok(report.token!.keys[0]!.pValue < 1e-6, `token p = ${report.token!.keys[0]!.pValue}`);
    assert.equal(report.token!.keys[0]!.account, 'acct-c');
    assert.ok(report.token!.scoredPairs > 100);
    assert.equal(report.token!.controls.pValues.length, 20);
    assert.ok(!JSON.stringify(report).includes(Buffer.from(keys[2]!.secret).toString('hex')));
  });

  test('an independent student is not flagged', async () => {
    const report = await runRadioactivityAudit({
      url: urlOf(independent),
      keys,
      scheme,
      referenceModel: teacher,
      samplesPerPrompt: 4,
      maxTokens: 150,
      random: createSeededRandom(3),
    });
    assert.deepEqual(report.detected, []);
    assert.ok(report.token!.keys.every((result) => result.pValue > 1e-4));
  });

  test('an unreachable suspect is a clear error', async () => {
    await assert.rejects(
      runRadioactivityAudit({
        url: 'http://127.0.0.1:9/v1',
        keys,
        referenceModel: teacher,
        prompts: ['hi'],
        samplesPerPrompt: 1,
        random: createSeededRandom(1),
      }),
      (error: unknown) => DistillguardError.is(error) && error.code === 'suspect_unreachable',
    );
  });
});
