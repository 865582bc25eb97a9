// Route lookup: the gateway's hand-written routing (an exact-path Map, one prefix test, two
// regular expressions for the batch objects) against two well-kept routers, find-my-way (radix
// tree, Fastify's) and Hono's RegExpRouter, on the gateway's own route set and a realistic mix.
// The routers are not dependencies: install them anywhere and point ROUTER_BENCH_MODULES at that
// folder's node_modules (`npm i find-my-way@9.3.0 hono@4.7.10` in /tmp/routerbench). Without it,
// only the baseline is printed.
//
//   npm run build && ROUTER_BENCH_MODULES=/tmp/routerbench/node_modules \
//     node dist/bench/gateway-routing/index.js
import { createRequire } from 'node:module';
import { EXCHANGE_ROUTES, isBatchPath } from '../../src/gateway/routes/exchange-routes.js';
import type { UpstreamClient } from '../../src/gateway/upstream-client.js';
import { createUpstreamRouter } from '../../src/gateway/upstreams/create-upstream-router.js';
import { cpuMicros, median, report } from '../shared/measure.js';

const OPENAI_OBJECT = /^\/v1\/(files|batches)\/([^/]+)(\/content|\/cancel)?$/;
const ANTHROPIC_OBJECT = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/;

// The traffic mix: mostly chat and messages, a few of every other route.
const MIX: [string, string][] = [
  ...Array.from({ length: 60 }, (): [string, string] => ['POST', '/v1/chat/completions']),
  ...Array.from({ length: 20 }, (): [string, string] => ['POST', '/v1/messages']),
  ['POST', '/v1/responses'],
  ['POST', '/v1/completions'],
  ['POST', '/v1/embeddings'],
  ['POST', '/v1/messages/count_tokens'],
  ['GET', '/v1/batches/batch_6790abc'],
  ['GET', '/v1/files/file-abc123/content'],
  ['GET', '/v1/messages/batches/msgbatch_01x/results'],
  ['POST', '/v1/batches'],
  ['GET', '/v1/models'],
  ['GET', '/healthz'],
];

function handWritten(_method: string, path: string): unknown {
  const route = EXCHANGE_ROUTES.get(path);
  if (route) return route;
  if (isBatchPath(path)) return OPENAI_OBJECT.exec(path) ?? ANTHROPIC_OBJECT.exec(path) ?? path;
  return path === '/v1/models' || path === '/healthz' ? path : null;
}

const ROUTES: [string, string][] = [
  ...[...EXCHANGE_ROUTES.keys()].map((path): [string, string] => ['POST', path]),
  ['POST', '/v1/files'],
  ['GET', '/v1/files'],
  ['GET', '/v1/files/:id'],
  ['DELETE', '/v1/files/:id'],
  ['GET', '/v1/files/:id/content'],
  ['POST', '/v1/batches'],
  ['GET', '/v1/batches'],
  ['GET', '/v1/batches/:id'],
  ['POST', '/v1/batches/:id/cancel'],
  ['POST', '/v1/messages/batches'],
  ['GET', '/v1/messages/batches'],
  ['GET', '/v1/messages/batches/:id'],
  ['DELETE', '/v1/messages/batches/:id'],
  ['GET', '/v1/messages/batches/:id/results'],
  ['POST', '/v1/messages/batches/:id/cancel'],
  ['GET', '/v1/models'],
  ['GET', '/healthz'],
];

type Lookup = (method: string, path: string) => unknown;

function loadRouters(): Record<string, Lookup> {
  const folder = process.env.ROUTER_BENCH_MODULES;
  if (!folder) return {};
  const load = createRequire(`${folder}/`);
  const findMyWay = (
    load('find-my-way') as (options?: object) => {
      on(method: string, path: string, handler: () => void): void;
      find(method: string, path: string): unknown;
    }
  )();
  const { RegExpRouter } = load('hono/router/reg-exp-router') as {
    RegExpRouter: new () => {
      add(method: string, path: string, handler: unknown): void;
      match(method: string, path: string): unknown;
    };
  };
  const hono = new RegExpRouter();
  for (const [method, path] of ROUTES) {
    findMyWay.on(method, path, () => {});
    hono.add(method, path, path);
  }
  return {
    'find-my-way 9.3.0': (method, path) => findMyWay.find(method, path),
    'hono 4.7.10 RegExpRouter': (method, path) => hono.match(method, path),
  };
}

const LOOKUPS = 2_000_000;
const RUNS = 7;
const candidates: Record<string, Lookup> = {
  'hand-written (baseline)': handWritten,
  ...loadRouters(),
};
const medians: Record<string, number> = {};
let sink = 0;
for (const [name, lookup] of Object.entries(candidates)) {
  for (let index = 0; index < 200_000; index += 1) {
    const [method, path] = MIX[index % MIX.length] as [string, string];
    if (lookup(method, path)) sink += 1;
  }
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run += 1)
    runs.push(
      cpuMicros(LOOKUPS, () => {
        for (let index = 0; index < LOOKUPS; index += 1) {
          const [method, path] = MIX[index % MIX.length] as [string, string];
          if (lookup(method, path)) sink += 1;
        }
      }) * 1000,
    );
  medians[name] = median(runs);
}
const baseline = medians['hand-written (baseline)'] as number;
for (const [name, value] of Object.entries(medians))
  report(
    `route lookup, ${name}`,
    value,
    'ns CPU',
    `median of ${RUNS}, ×${(value / baseline).toFixed(2)} baseline`,
  );

// Model selection per request with `upstreams:` (three upstreams, exact names and globs): the
// router's only added work on a request that does not fall back.
const idle: UpstreamClient = {
  version: 1,
  send: () => Promise.reject(new Error('not sent')),
  close: async () => {},
};
const router = createUpstreamRouter({
  upstreams: [
    {
      name: 'openai',
      client: idle,
      models: ['gpt-4o', 'gpt-4o-*', 'o?-*', 'text-embedding-3-small'],
    },
    { name: 'anthropic', client: idle, models: ['claude-*'] },
    { name: 'backup', client: idle },
  ],
});
const MODELS = ['gpt-4o', 'claude-3-5-sonnet-latest', 'o3-mini', 'llama-3-70b', 'gpt-4o-mini'];
const selection: number[] = [];
for (let run = 0; run < RUNS; run += 1)
  selection.push(
    cpuMicros(LOOKUPS / 4, () => {
      for (let index = 0; index < LOOKUPS / 4; index += 1)
        sink += router.candidates(MODELS[index % MODELS.length]).length;
    }) * 1000,
  );
report('model selection, 3 upstreams', median(selection), 'ns CPU', `median of ${RUNS}`);
if (sink === 0) console.log('(no route matched)');
