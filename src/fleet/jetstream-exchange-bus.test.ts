import { after } from 'node:test';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from './connect-nats.js';
import { runExchangeBusConformance } from './exchange-bus.case.js';
import { openJetStreamExchangeBus } from './jetstream-exchange-bus.js';

// The machine's NATS JetStream (`.ci/run` starts one): a missing server fails these tests.
const servers = process.env.NATS_URL ?? '127.0.0.1:4222';
const connections: NatsConnection[] = [];
const streams: string[] = [];
let counter = 0;

runExchangeBusConformance('NATS JetStream', async () => {
  const connection = await connectNats({ servers, name: 'exchange-bus-test' });
  connections.push(connection);
  counter += 1;
  const stream = `DG_TEST_BUS_${process.pid}_${counter}`;
  streams.push(stream);
  return openJetStreamExchangeBus({
    connection,
    stream,
    subject: `distillguard.test.${process.pid}.${counter}`,
    storage: 'memory',
  });
});

after(async () => {
  const first = connections[0];
  if (first) {
    const manager = await jetstreamManager(first);
    for (const stream of streams) await manager.streams.delete(stream).catch(() => false);
  }
  for (const connection of connections) await connection.close();
});
