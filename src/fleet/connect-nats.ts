import { connect, type NatsConnection } from '@nats-io/transport-node';

export interface ConnectNatsOptions {
  /** `host:port` list, e.g. `127.0.0.1:4222`. */
  servers: string | string[];
  /** Shown in the server's connection list (`gateway-3`, `detector`). */
  name?: string;
  /** Milliseconds to wait for one server at start (default 5 s). */
  timeoutMs?: number;
}

/**
 * Opens a NATS connection that never gives up reconnecting: a gateway must outlive a NATS
 * restart (the client's default stops after ten tries and closes the connection for good).
 */
export function connectNats({
  servers,
  name,
  timeoutMs = 5_000,
}: ConnectNatsOptions): Promise<NatsConnection> {
  return connect({
    servers,
    ...(name === undefined ? {} : { name }),
    timeout: timeoutMs,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: false,
  });
}
