import { Pool } from 'undici';
import type { Exchange } from '../../log/exchange.js';
import type { Simulation } from '../../simulate/index.js';
import { LADDER_ACTIONS, type LadderAction } from '../enforcement-state/enforcement-state.js';
import type { Gateway } from '../gateway-types.js';

/** What one group of traffic (a campaign, or the customers) met at the gateway. */
export interface ReplayGroupTally {
  group: string;
  exchanges: number;
  /** Requests answered 200 (allowed, throttled-but-served or degraded). */
  served: number;
  /** Per ladder action the gateway reported for the request. */
  actions: Record<LadderAction, number>;
  /** Requests refused (429, 403, 401). */
  refused: number;
  accounts: number;
  accountsSuspended: number;
}

export interface ReplayTally {
  exchanges: number;
  skipped: number;
  simulatedTime: string | null;
  groups: ReplayGroupTally[];
}

export interface ReplayOptions {
  simulation: Simulation;
  gateway: Gateway;
  /** The gateway's URL; requests go over real HTTP, with the simulated client IP forwarded. */
  url: string;
  /** Moves the gateway's clock to simulated time before each request. */
  setTime: (ms: number) => void;
  /** Stop after this many exchanges. */
  limit?: number;
  onProgress?: (tally: ReplayTally) => void;
  progressEvery?: number;
}

const PATHS: Partial<Record<Exchange['endpoint'], string>> = {
  'chat.completions': '/v1/chat/completions',
  messages: '/v1/messages',
  responses: '/v1/responses',
};

/**
 * Replays a simulation through a running gateway with the closed loop: simulated accounts get
 * real accounts and keys, each exchange's request is sent with its key and its client IP in
 * `x-forwarded-for` (the gateway must trust the local address as a proxy), and every decision the
 * gateway answers with is fed back to the simulation, whose operators react (regrow, pivot).
 */
export async function replaySimulation({
  simulation,
  gateway,
  url,
  setTime,
  limit = Number.POSITIVE_INFINITY,
  onProgress,
  progressEvery = 250,
}: ReplayOptions): Promise<ReplayTally> {
  const pool = new Pool(url, { connections: 1 });
  const keys = new Map<string, string>();
  const groupOfAccount = new Map<string, string>();
  const lastAction = new Map<string, LadderAction>();
  const groups = new Map<
    string,
    ReplayGroupTally & { accountSet: Set<string>; suspendedSet: Set<string> }
  >();
  let exchanges = 0;
  let skipped = 0;
  let simulatedTime: string | null = null;

  const groupFor = (name: string) => {
    let group = groups.get(name);
    if (!group) {
      group = {
        group: name,
        exchanges: 0,
        served: 0,
        actions: Object.fromEntries(LADDER_ACTIONS.map((action) => [action, 0])) as Record<
          LadderAction,
          number
        >,
        refused: 0,
        accounts: 0,
        accountsSuspended: 0,
        accountSet: new Set(),
        suspendedSet: new Set(),
      };
      groups.set(name, group);
    }
    return group;
  };
  const tally = (): ReplayTally => ({
    exchanges,
    skipped,
    simulatedTime,
    groups: [...groups.values()]
      .map(({ accountSet, suspendedSet, ...rest }) => ({
        ...rest,
        accounts: accountSet.size,
        accountsSuspended: suspendedSet.size,
      }))
      .sort((a, b) =>
        a.group === 'customers' ? -1 : b.group === 'customers' ? 1 : a.group.localeCompare(b.group),
      ),
  });

  try {
    for (let event = simulation.next(); event && exchanges < limit; event = simulation.next()) {
      if (event.type === 'account') {
        gateway.provisionAccount(event.account);
        keys.set(event.account.account_id, gateway.createApiKey(event.account.account_id).apiKey);
        groupOfAccount.set(event.account.account_id, event.truth.campaign_id ?? 'customers');
        continue;
      }
      const { exchange } = event;
      const path = PATHS[exchange.endpoint];
      const apiKey = keys.get(exchange.account_id);
      if (!path || !apiKey) {
        skipped += 1;
        continue;
      }
      setTime(event.at);
      simulatedTime = new Date(event.at).toISOString();
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-forwarded-for': exchange.ip,
        ...(exchange.endpoint === 'messages'
          ? { 'x-api-key': apiKey, 'anthropic-version': '2023-06-01' }
          : { authorization: `Bearer ${apiKey}` }),
      };
      if (exchange.user_agent) headers['user-agent'] = exchange.user_agent;
      if (exchange.tls_fingerprint) headers['x-tls-fingerprint'] = exchange.tls_fingerprint;
      const response = await pool.request({
        path,
        method: 'POST',
        headers,
        body: JSON.stringify(exchange.request),
      });
      await response.body.dump();
      exchanges += 1;
      const header = response.headers['x-distillguard-action'];
      const action = (typeof header === 'string' ? header : 'allow') as LadderAction;
      const group = groupFor(
        event.campaignId ?? groupOfAccount.get(exchange.account_id) ?? 'customers',
      );
      group.exchanges += 1;
      group.accountSet.add(exchange.account_id);
      group.actions[action] = (group.actions[action] ?? 0) + 1;
      if (response.statusCode === 200) group.served += 1;
      else group.refused += 1;
      if (action === 'suspend') group.suspendedSet.add(exchange.account_id);
      if (action !== 'allow' && lastAction.get(exchange.account_id) !== action) {
        lastAction.set(exchange.account_id, action);
        simulation.feedback({ accountId: exchange.account_id, action, at: event.at });
      }
      if (onProgress && exchanges % progressEvery === 0) onProgress(tally());
    }
  } finally {
    await pool.close();
  }
  return tally();
}

/** The replay's summary as a terminal table. */
export function formatReplayTally(tally: ReplayTally): string {
  const header = [
    'group',
    'exchanges',
    'served',
    'allow',
    'throttle',
    'degrade',
    'challenge',
    'suspend',
    'refused',
    'accounts',
    'suspended acc.',
  ];
  const rows = tally.groups.map((group) => [
    group.group,
    String(group.exchanges),
    String(group.served),
    ...LADDER_ACTIONS.map((action) => String(group.actions[action])),
    `${((100 * group.refused) / Math.max(1, group.exchanges)).toFixed(1)}%`,
    String(group.accounts),
    String(group.accountsSuspended),
  ]);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) =>
        index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0),
      )
      .join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
