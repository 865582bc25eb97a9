import type { NatsConnection } from '@nats-io/transport-node';
import {
  connectNats,
  createExchangePublisher,
  createFleetDecisionView,
  type DecisionWatch,
  type ExchangePublisher,
  type FleetDecisionView,
  openJetStreamExchangeBus,
  watchKvDecisions,
} from '../../fleet/index.js';
import type { GatewayConfig } from '../gateway-config.js';

/** A gateway's part in a fleet: its publisher and its copy of the detector's decisions. */
export interface GatewayFleet {
  publisher: ExchangePublisher;
  view: FleetDecisionView;
  /** Resolves once the decision bucket's current values are in the view. */
  ready: Promise<void>;
  /** For `/metrics`: the publisher's counters and the view's size. */
  gauges(): Record<string, number>;
  /** Publishes what is queued (bounded by the publisher's close timeout), stops the watch. */
  close(): Promise<void>;
}

/** Gauges of a publisher and a view, as `/metrics` names them (`distillguard_gateway_<name>`). */
export function fleetGauges(
  publisher: ExchangePublisher | null,
  view: FleetDecisionView,
): Record<string, number> {
  const gauges: Record<string, number> = {
    fleet_decisions_accounts: view.size.accounts,
    fleet_decisions_campaigns: view.size.campaigns,
  };
  if (publisher) gauges.fleet_pending = publisher.counters().pending;
  return gauges;
}

/** A publisher's monotonic counts, as `/metrics` names them (`distillguard_gateway_<name>_total`). */
export function fleetCounters(publisher: ExchangePublisher): Record<string, number> {
  const counters = publisher.counters();
  return {
    fleet_published: counters.published,
    fleet_duplicates: counters.duplicates,
    fleet_retried: counters.retried,
    fleet_dropped: counters.dropped,
    fleet_accounts_published: counters.accounts,
  };
}

/**
 * Opens the `fleet:` block of the gateway config: a NATS connection that reconnects forever, the
 * exchange stream's publisher and the decision bucket's watch into a local view.
 */
export async function openGatewayFleet(
  fleet: NonNullable<GatewayConfig['fleet']>,
  {
    env = process.env,
    name = 'distillguard-gateway',
    now = Date.now,
  }: {
    env?: NodeJS.ProcessEnv;
    name?: string;
    /** The gateway's clock (its records' `ts`): the publisher's watermarks are in it. */
    now?: () => number;
  } = {},
): Promise<GatewayFleet> {
  const connection: NatsConnection = await connectNats({ servers: fleet.nats, name });
  const indicatorKey = fleet.indicator_key_env ? env[fleet.indicator_key_env] : undefined;
  const view = createFleetDecisionView(indicatorKey ? { indicatorKey } : {});
  let watch: DecisionWatch | null = null;
  try {
    const bus = await openJetStreamExchangeBus({
      connection,
      stream: fleet.stream,
      subject: fleet.subject,
    });
    watch = await watchKvDecisions({ connection, bucket: fleet.bucket, apply: view.apply });
    const publisher = createExchangePublisher({ bus, now });
    const opened = watch;
    return {
      publisher,
      view,
      ready: opened.ready,
      gauges: () => fleetGauges(publisher, view),
      async close() {
        await publisher.close();
        await opened.stop();
        await connection.close();
      },
    };
  } catch (error) {
    await watch?.stop();
    await connection.close();
    throw error;
  }
}
