import type { AccountRecord } from '../log/exchange.js';
import { createApiKeyHasher } from './api-key-hasher.js';
import { createGateway, type Gateway, type GatewayOptions } from './create-gateway.js';
import { createDemoUpstream } from './demo/create-demo-upstream.js';
import {
  createBatchingRecorder,
  createMemoryExchangeSink,
} from './exchange-store/exchange-recorder.js';
import { type FetchHandler, type ServedHandler, serveFetchHandler } from './node/serve-gateway.js';
import { createUndiciUpstream, type UndiciUpstreamOptions } from './upstream-client.js';

export interface Harness {
  gateway: Gateway;
  url: string;
  upstreamUrl: string;
  sink: ReturnType<typeof createMemoryExchangeSink>;
  /** One API key per provisioned account id. */
  keys: Record<string, string>;
  keyIds: Record<string, string>;
  /** Waits until every accepted request has its record written. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts an upstream (the demo model unless given) and a gateway in front of it, both on real
 * local sockets, with `accounts` provisioned. For tests and the benchmark only.
 */
export async function startHarness({
  upstream = createDemoUpstream(),
  accounts = ['acct_a'],
  gatewayOptions = {},
  upstreamOptions = {},
  bodyLimitBytes,
}: {
  upstream?: FetchHandler;
  accounts?: string[];
  gatewayOptions?: Partial<GatewayOptions>;
  upstreamOptions?: Partial<UndiciUpstreamOptions>;
  bodyLimitBytes?: number;
} = {}): Promise<Harness> {
  const upstreamServer: ServedHandler = await serveFetchHandler(upstream);
  const sink = createMemoryExchangeSink();
  const recorder = createBatchingRecorder({ sink, flushIntervalMs: 5 });
  const gateway = createGateway({
    upstream: createUndiciUpstream({ baseUrl: upstreamServer.url, ...upstreamOptions }),
    hasher: createApiKeyHasher({ secret: 'test-secret-0123456789' }),
    recorder,
    adminToken: 'admin-token',
    ...(bodyLimitBytes === undefined ? {} : { bodyLimitBytes }),
    ...gatewayOptions,
  });
  const keys: Record<string, string> = {};
  const keyIds: Record<string, string> = {};
  for (const accountId of accounts) {
    const account: AccountRecord = {
      account_id: accountId,
      created_at: '2026-01-01T00:00:00.000Z',
    };
    gateway.provisionAccount(account);
    const { apiKey, keyId } = gateway.createApiKey(accountId);
    keys[accountId] = apiKey;
    keyIds[accountId] = keyId;
  }
  const served = await serveFetchHandler(
    gateway,
    bodyLimitBytes === undefined ? {} : { bodyLimitBytes },
  );
  const settle = async () => {
    const deadline = Date.now() + 5_000;
    while (gateway.inFlight > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    await recorder.flush();
  };
  return {
    gateway,
    url: served.url,
    upstreamUrl: upstreamServer.url,
    sink,
    keys,
    keyIds,
    settle,
    async close() {
      await served.close(1_000);
      await recorder.close();
      await upstreamServer.close(1_000);
    },
  };
}
