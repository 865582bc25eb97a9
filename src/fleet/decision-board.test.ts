import { after } from 'node:test';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from './connect-nats.js';
import { runDecisionBoardConformance } from './decision-board.case.js';
import { createInProcessDecisionBoard } from './decision-board.js';
import { openKvDecisionBoard } from './kv-decision-board.js';

runDecisionBoardConformance('in-process', async () => createInProcessDecisionBoard());

// The machine's NATS JetStream (`.ci/run` starts one): a missing server fails these tests.
const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
let connection: NatsConnection | null = null;
const buckets: string[] = [];
runDecisionBoardConformance('NATS KV', async () => {
  connection ??= await connectNats({ servers, name: 'decision-board-test' });
  const bucket = `dg-test-board-${process.pid}-${buckets.length}`;
  buckets.push(bucket);
  return openKvDecisionBoard({ connection, bucket, storage: 'memory' });
});

after(async () => {
  if (!connection) return;
  const kvm = new Kvm(connection);
  for (const bucket of buckets) await (await kvm.open(bucket)).destroy().catch(() => false);
  await connection.close();
});
