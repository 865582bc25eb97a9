// Gateway builds side by side: the bare node:http + undici proxy and one gateway per build (or
// per bench variant), all pinned to cpu 0 (client and upstream on cpu 1), CPU per request of
// each server's own process in rounds that interleave them, ratios taken within each round;
// then added latency at c=1 with the calls alternating. For before/after figures on a loaded
// machine, where runs minutes apart are not comparable.
//
//   node scripts/gateway-ab.mjs <rounds> <requests> main=/work/main/dist new=dist
//   a variant: name=<dist>:BENCH_STORE#memory,BENCH_SCORER#none   (env for that gateway only)
//   AB_LATENCY=2000: also the c=1 latency pass, 2000 calls per server.
// Each <dist> is a build's dist/ (its bench/gateway/server-process.js runs the servers).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Pool } from 'undici';

const [rounds, samples, ...specs] = process.argv.slice(2);
const R = Number(rounds),
  N = Number(samples);
const LAT = Number(process.env.AB_LATENCY ?? 0);
function start(entry, role, cpus, upstream = '', env = {}, flags = []) {
  const child = spawn('taskset', ['-c', cpus, process.execPath, ...flags, entry, role, upstream], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, ...env },
  });
  const waiting = [];
  child.on('message', (m) => waiting.shift()?.(m));
  const ask = (c) =>
    new Promise((r) => {
      waiting.push(r);
      if (c) child.send(c);
    });
  return ask(null).then((ready) => ({
    url: ready.url,
    keys: ready.keys,
    sample: () => ask({ type: 'sample' }),
    close: () => ask({ type: 'close' }),
  }));
}
const ep = (dist) => resolve(dist, 'bench/gateway/server-process.js');
const first = specs[0].split('=')[1].split(':')[0];
const upstream = await start(ep(first), 'upstream', '1');
const servers = [{ name: 'bare', s: await start(ep(first), 'bare', '0', upstream.url) }];
for (const spec of specs) {
  const [name, rest] = spec.split('=');
  const [dist, envs] = rest.split(':');
  const env = Object.fromEntries(
    (envs ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('#')),
  );
  const flags = env.FLAGS ? env.FLAGS.split(' ') : [];
  servers.push({ name, s: await start(ep(dist), 'gateway', '0', upstream.url, env, flags) });
}
const keys = servers[1].s.keys;
const body = (i, streamed) =>
  JSON.stringify({
    model: 'm',
    stream: streamed,
    max_tokens: 64,
    messages: [
      {
        role: 'user',
        content: `Question ${i % 997}: what is ${i % 89} times ${i % 13}? Explain briefly.`,
      },
    ],
  });
async function call(pool, i, keyList) {
  const t = performance.now();
  const r = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${keyList[i % keyList.length]}`,
    },
    body: body(i, false),
  });
  for await (const _ of r.body);
  if (r.statusCode !== 200) throw new Error(`status ${r.statusCode}`);
  return performance.now() - t;
}
async function load(url, count, c, keyList) {
  const pool = new Pool(url, { connections: c, pipelining: 1 });
  let i = 0;
  await Promise.all(
    Array.from({ length: c }, async () => {
      while (i < count) await call(pool, i++, keyList);
    }),
  );
  await pool.close();
}
const med = (v) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (v, f) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};
for (const { s } of servers) await load(s.url, 1500, 8, s.keys.length ? s.keys : keys);
const cpu = Object.fromEntries(servers.map(({ name }) => [name, []]));
for (let r = 0; r < R; r++) {
  const order = servers.map((_, k) => servers[(k + r) % servers.length]);
  for (const { name, s } of order) {
    await s.sample();
    await load(s.url, N, 8, s.keys.length ? s.keys : keys);
    cpu[name].push((await s.sample()).cpuMicroseconds / N);
  }
  console.log(
    `round ${r}: ` + servers.map(({ name }) => `${name} ${cpu[name][r].toFixed(0)}`).join('  '),
  );
}
const fmt = (v) =>
  `${med(v).toFixed(2)} [${Math.min(...v).toFixed(2)}–${Math.max(...v).toFixed(2)}]`;
console.log('CPU µs/request c=8, median [range]:');
for (const { name } of servers)
  console.log(
    `  ${name.padEnd(10)} ${fmt(cpu[name])}  req/CPU-s ${(1e6 / med(cpu[name])).toFixed(0)}`,
  );
console.log('ratio to bare per round, median [range]:');
for (const { name } of servers.slice(1))
  console.log(`  ${name.padEnd(10)} ${fmt(cpu[name].map((v, r) => v / cpu.bare[r]))}`);
if (servers.length > 2) {
  const a = servers[1].name;
  for (const { name } of servers.slice(2))
    console.log(`  ${name}/${a} per round ${fmt(cpu[name].map((v, r) => v / cpu[a][r]))}`);
}
if (LAT) {
  const targets = [
    { name: 'direct', url: upstream.url, keys },
    ...servers.map(({ name, s }) => ({ name, url: s.url, keys: s.keys.length ? s.keys : keys })),
  ];
  const pools = targets.map((t) => new Pool(t.url, { connections: 1 }));
  const times = targets.map(() => []);
  for (let i = 0; i < 300; i++)
    for (const [k, p] of pools.entries()) await call(p, i, targets[k].keys);
  for (let i = 0; i < LAT; i++)
    for (const [k, p] of pools.entries()) times[k].push(await call(p, i, targets[k].keys));
  await Promise.all(pools.map((p) => p.close()));
  const d50 = pct(times[0], 0.5),
    d99 = pct(times[0], 0.99);
  const b99 = pct(times[1], 0.99) - d99;
  console.log(`latency c=1 (${LAT} each): direct p50 ${d50.toFixed(3)} p99 ${d99.toFixed(3)} ms`);
  for (const [k, t] of targets.entries())
    if (k > 0)
      console.log(
        `  ${t.name.padEnd(10)} added p50 ${(pct(times[k], 0.5) - d50).toFixed(3)}  added p99 ${(pct(times[k], 0.99) - d99).toFixed(3)}  (${((pct(times[k], 0.99) - d99) / b99).toFixed(2)}x bare)`,
      );
}
for (const { s } of servers) await s.close();
await upstream.close();
process.exit(0);
