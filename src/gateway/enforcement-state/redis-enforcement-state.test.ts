import { randomUUID } from 'node:crypto';
import { after } from 'node:test';
import { createClient } from 'redis';
import { runEnforcementStateConformance } from './enforcement-state.case.js';
import { createRedisEnforcementState } from './redis-enforcement-state.js';

// Needs the real local Redis; when it is absent these tests FAIL with the connection message.
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = `distillguard-test:${randomUUID()}:`;
let count = 0;

runEnforcementStateConformance('redis', () => {
  count += 1;
  return createRedisEnforcementState({ url, prefix: `${run}${count}:` });
});

after(async () => {
  const client = createClient({ url, socket: { reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${run}*`, COUNT: 500 }))
      keys.push(...batch);
    if (keys.length > 0) await client.del(keys);
    await client.close();
  } catch {
    // Nothing to clean when the server was never reachable.
  }
});
