// Past the ~400-line guide: one closure holds the event loop that interleaves every persona and
// operator in time order and the draft-to-exchange step they share; splitting it would pass the
// loop's state through every call. Candidate split: the draft-to-exchange step into its own file.
import type { Exchange, ExchangeResponse } from '../log/exchange.js';
import { DistillguardError } from '../shared/distillguard-error.js';
import { createAccountFactory } from './account-factory.js';
import { HOUR, MINUTE } from './activity-clock.js';
import type { Behaviour, Draft, SimulationContext } from './behaviour.js';
import { type CampaignOperator, createCampaignOperator } from './campaign-operator.js';
import { createCustomerPopulation } from './customer-population.js';
import { createEventQueue } from './event-queue.js';
import { formatTimestamp } from './format-timestamp.js';
import { createBuiltInPools, createCorporaPools } from './prompt-pools.js';
import { createRandom } from './random.js';
import { buildRequest, turnCharacters } from './request-builder.js';
import type { Scenario } from './scenario.js';
import { pickAddress, type SimulatedAccount } from './simulated-account.js';
import type {
  EnforcementDecision,
  PersonaSummary,
  Simulation,
  SimulationEvent,
  SimulationOptions,
  SimulationSummary,
} from './simulation-types.js';
import {
  estimateTokens,
  OUTPUT_LENGTHS,
  REASONING_LENGTHS,
  sampleLength,
} from './token-lengths.js';

type Task =
  | {
      kind: 'signup';
      account: SimulatedAccount;
      operator?: CampaignOperator;
      behaviour?: Behaviour;
    }
  | {
      kind: 'agent';
      account: SimulatedAccount;
      behaviour: Behaviour;
      operator?: CampaignOperator;
      attack: boolean;
    }
  | { kind: 'dispatch'; operator: CampaignOperator }
  | { kind: 'replace'; operator: CampaignOperator; like: SimulatedAccount; extra: boolean };

/**
 * Builds an event-driven simulation of a scenario: every account is an agent with its own clock,
 * merged in time order by a heap, so memory stays bounded whatever the number of exchanges.
 *
 * @example
 * const simulation = createSimulation(await loadScenario('quickstart'), { seed: 1, scale: 0.1 });
 * for (let event = simulation.next(); event; event = simulation.next()) {
 *   if (event.type === 'exchange' && looksBad(event.exchange)) {
 *     simulation.feedback({ accountId: event.exchange.account_id, action: 'suspend', at: event.at });
 *   }
 * }
 */
export function createSimulation(scenario: Scenario, options: SimulationOptions = {}): Simulation {
  const seed = options.seed ?? 1;
  const scale = options.scale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new DistillguardError('invalid_option', `scale must be a positive number, got ${scale}`);
  }
  const root = createRandom(seed);
  const poolRandom = root.fork('pools');
  const random = root.fork('traffic');
  const pools =
    typeof options.corpora === 'string'
      ? createCorporaPools(options.corpora, poolRandom)
      : createBuiltInPools(poolRandom);
  const start = Date.parse(scenario.start);
  const end = start + scenario.days * 24 * HOUR;
  const release = scenario.models.release;
  const context: SimulationContext = {
    random,
    pools,
    scenario,
    start,
    end,
    releaseAt: release ? start + release.atHour * HOUR : Number.POSITIVE_INFINITY,
  };
  const factory = createAccountFactory(context);
  // Ids are unique within a run and differ between seeds, so merged runs never collide.
  const idPrefix = `ex_${root.hex(6)}_`;
  const queue = createEventQueue<Task>();
  const accounts = new Map<string, SimulatedAccount>();
  const operators = new Map<string, CampaignOperator>();
  const personaSummaries = new Map<string, PersonaSummary>();
  let now = start;
  let exchangeCount = 0;
  let accountCount = 0;
  let lastEventAt: number | null = null;

  const personaSummary = (account: SimulatedAccount): PersonaSummary => {
    if (account.summary) return account.summary as PersonaSummary;
    const persona = account.truth.persona ?? account.truth.label;
    let summary = personaSummaries.get(persona);
    if (!summary) {
      summary = {
        persona,
        group: account.truth.group ?? null,
        accounts: 0,
        exchanges: 0,
        suspended: 0,
      };
      personaSummaries.set(persona, summary);
    }
    account.summary = summary;
    return summary;
  };

  const schedule = (at: number, task: Task): void => {
    if (at < end) queue.push(Math.max(at, now), task);
  };

  for (const spec of scenario.personas) {
    const count = Math.max(1, Math.round(spec.accounts * scale));
    // When rounding up to one account, its rate shrinks so the persona's volume still scales.
    const volumeFactor = Math.min(1, (spec.accounts * scale) / count);
    for (const agent of createCustomerPopulation(spec, count, context, factory, volumeFactor)) {
      const createdAt = Date.parse(agent.account.record.created_at);
      schedule(Math.max(start, createdAt), {
        kind: 'signup',
        account: agent.account,
        behaviour: agent.behaviour,
      });
    }
  }
  for (const spec of scenario.campaigns) {
    const operator = createCampaignOperator(spec, context, factory, scale);
    operators.set(spec.id, operator);
    for (const account of operator.initialAccounts) {
      schedule(Math.max(start, Date.parse(account.record.created_at)), {
        kind: 'signup',
        account,
        operator,
      });
    }
    if (operator.dispatchGap !== null)
      schedule(operator.nextDispatch(operator.startAt), { kind: 'dispatch', operator });
  }

  const scheduleAgent = (task: Extract<Task, { kind: 'agent' }>, from: number): void => {
    let next = task.behaviour.nextTime(from);
    if (task.account.throttle < 1) next = from + (next - from) / task.account.throttle;
    if (Number.isFinite(next)) schedule(next, task);
  };

  const activate = (
    account: SimulatedAccount,
    at: number,
    operator?: CampaignOperator,
    behaviour?: Behaviour,
  ) => {
    account.status = 'active';
    accounts.set(account.record.account_id, account);
    accountCount += 1;
    personaSummary(account).accounts += 1;
    if (!operator) {
      if (behaviour)
        scheduleAgent({ kind: 'agent', account, behaviour, attack: false }, Math.max(at, start));
      return;
    }
    operator.join(account);
    if (operator.isMixed(account)) {
      scheduleAgent(
        {
          kind: 'agent',
          account,
          behaviour: operator.customerBehaviour(account),
          operator,
          attack: false,
        },
        Math.max(at, start),
      );
    } else if (operator.spec.cadence === 'human') {
      scheduleAgent(
        {
          kind: 'agent',
          account,
          behaviour: operator.attackBehaviour(account),
          operator,
          attack: true,
        },
        Math.max(at, operator.startAt),
      );
    }
  };

  const customerModel = (account: SimulatedAccount, at: number): string => {
    if (release && at >= account.adoptsReleaseAt && random.chance(0.7)) return release.model;
    return account.preferredModel;
  };

  const emit = (
    account: SimulatedAccount,
    at: number,
    draft: Draft,
    attackOf: CampaignOperator | undefined,
  ): SimulationEvent => {
    const client = draft.via === undefined ? account.client : draft.via.client;
    const model = draft.model ?? customerModel(account, at);
    const request = buildRequest(client.style, client.endpoint, model, draft);
    let status = 200;
    const failure = random.next();
    if (account.throttle < 1 && failure < (1 - account.throttle) * 0.3) status = 429;
    else if (failure > 0.996) status = random.pick([400, 500, 529]);
    const id = `${idPrefix}${exchangeCount.toString(36)}`;
    const ts = formatTimestamp(Math.floor(at));
    const apiKeyId =
      account.apiKeys.length === 1 ? (account.apiKeys[0] as string) : random.pick(account.apiKeys);
    const ip = pickAddress(
      random,
      draft.via === undefined ? account.network : draft.via.network,
      at,
    );
    let latency = 120 + random.exponential(200);
    let response: ExchangeResponse | undefined;
    if (status === 200) {
      const inputTokens =
        estimateTokens(turnCharacters(draft.turns, draft.system)) +
        (draft.tools ? 90 * draft.tools.length : 0);
      let outputTokens = sampleLength(random, OUTPUT_LENGTHS[draft.output]);
      let stopReason = client.style === 'anthropic' ? 'end_turn' : 'stop';
      if (draft.toolCall && random.chance(0.6))
        stopReason = client.style === 'anthropic' ? 'tool_use' : 'tool_calls';
      const cap = account.degraded ? Math.min(draft.maxTokens, 300) : draft.maxTokens;
      if (outputTokens >= cap) {
        outputTokens = cap;
        stopReason = client.style === 'anthropic' ? 'max_tokens' : 'length';
      }
      response =
        draft.reasoning && !account.degraded
          ? {
              input_tokens: inputTokens,
              output_tokens: outputTokens,
              stop_reason: stopReason,
              reasoning_tokens: sampleLength(random, REASONING_LENGTHS),
            }
          : { input_tokens: inputTokens, output_tokens: outputTokens, stop_reason: stopReason };
      latency += 250 + outputTokens * 16 + (response.reasoning_tokens ?? 0) * 6;
    }
    // One object literal per shape (fields in the contract's order): building it field by field
    // costs hidden-class transitions on the hottest path of the simulator.
    const endpoint = client.style === 'anthropic' ? 'messages' : client.endpoint;
    const orgId = account.record.org_id;
    const latencyMs = Math.round(latency);
    const exchange: Exchange =
      orgId === undefined
        ? {
            id,
            ts,
            account_id: account.record.account_id,
            api_key_id: apiKeyId,
            ip,
            user_agent: client.userAgent,
            tls_fingerprint: client.tlsFingerprint,
            header_order: client.headerOrder,
            endpoint,
            model,
            request,
            response: response as ExchangeResponse,
            status,
            latency_ms: latencyMs,
          }
        : {
            id,
            ts,
            account_id: account.record.account_id,
            api_key_id: apiKeyId,
            org_id: orgId,
            ip,
            user_agent: client.userAgent,
            tls_fingerprint: client.tlsFingerprint,
            header_order: client.headerOrder,
            endpoint,
            model,
            request,
            response: response as ExchangeResponse,
            status,
            latency_ms: latencyMs,
          };
    if (response === undefined) delete exchange.response;
    exchangeCount += 1;
    account.exchanges += 1;
    personaSummary(account).exchanges += 1;
    let campaignId: string | null = null;
    if (attackOf) {
      campaignId = attackOf.spec.id;
      account.attackExchanges += 1;
      attackOf.summary.exchanges += 1;
      if (attackOf.isMixed(account)) attackOf.summary.exchangesViaMixed += 1;
      if (release && model === release.model) attackOf.summary.exchangesOnReleasedModel += 1;
    }
    lastEventAt = Math.floor(at);
    return { type: 'exchange', at: Math.floor(at), exchange, campaignId };
  };

  const regrow = (
    operator: CampaignOperator,
    account: SimulatedAccount,
    at: number,
    extra: boolean,
  ): void => {
    const regrowth = operator.spec.regrowth;
    if (!regrowth) return;
    const delay = regrowth.delayMinutes * MINUTE * (extra ? 0.5 : 1) * (0.5 + random.next());
    schedule(at + delay, { kind: 'replace', operator, like: account, extra });
  };

  const retire = (
    account: SimulatedAccount,
    status: 'suspended' | 'abandoned',
    at: number,
  ): void => {
    if (account.status !== 'active' && account.status !== 'pending') return;
    account.status = status;
    if (status === 'suspended') {
      account.suspendedAt = at;
      personaSummary(account).suspended += 1;
    }
    const operator = account.truth.campaign_id
      ? operators.get(account.truth.campaign_id)
      : undefined;
    if (!operator) return;
    operator.leave(account);
    if (status === 'suspended') operator.summary.suspended += 1;
    regrow(operator, account, at, false);
  };

  return {
    scenario,
    promptSource: pools.source,
    next() {
      for (;;) {
        const task = queue.pop();
        if (!task) return undefined;
        const at = queue.lastTime;
        now = at;
        switch (task.kind) {
          case 'signup': {
            if (task.account.status !== 'pending') continue;
            activate(task.account, at, task.operator, task.behaviour);
            lastEventAt = Math.floor(at);
            return {
              type: 'account',
              at: Math.floor(at),
              account: task.account.record,
              truth: task.account.truth,
            };
          }
          case 'replace': {
            const account = task.operator.createAccount(at, task.like);
            task.operator.summary.replacements += 1;
            activate(account, at, task.operator);
            lastEventAt = Math.floor(at);
            return {
              type: 'account',
              at: Math.floor(at),
              account: account.record,
              truth: account.truth,
            };
          }
          case 'dispatch': {
            const next = task.operator.nextDispatch(at);
            if (next < task.operator.endAt) schedule(next, task);
            const account = task.operator.pickAccount(at);
            if (!account) continue;
            return emit(account, at, task.operator.compose(account, at), task.operator);
          }
          case 'agent': {
            if (task.account.status !== 'active') continue;
            const draft = task.behaviour.compose(at);
            const event = emit(task.account, at, draft, task.attack ? task.operator : undefined);
            if (event.type === 'exchange') task.behaviour.answered?.(event.exchange);
            scheduleAgent(task, at);
            return event;
          }
        }
      }
    },
    feedback(decision: EnforcementDecision) {
      const account = accounts.get(decision.accountId);
      if (!account) return;
      const at = Math.max(decision.at, now);
      const operator = account.truth.campaign_id
        ? operators.get(account.truth.campaign_id)
        : undefined;
      switch (decision.action) {
        case 'allow':
          account.throttle = 1;
          account.degraded = false;
          return;
        case 'throttle':
          account.throttle = Math.max(0.05, account.throttle * 0.3);
          // Operators answer a throttle by spreading the load over more accounts.
          if (operator && account.status === 'active' && random.chance(0.5))
            regrow(operator, account, at, true);
          return;
        case 'degrade':
          account.degraded = true;
          if (operator && !operator.isMixed(account) && random.chance(0.5))
            retire(account, 'abandoned', at);
          return;
        case 'challenge': {
          const passes = operator ? random.chance(operator.spec.challengePass) : random.chance(0.9);
          if (!passes) retire(account, 'abandoned', at);
          return;
        }
        case 'suspend':
          retire(account, 'suspended', at);
          return;
      }
    },
    summary(): SimulationSummary {
      return {
        scenario: scenario.name,
        seed,
        scale,
        promptSource: pools.source,
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        accounts: accountCount,
        exchanges: exchangeCount,
        lastEventAt: lastEventAt === null ? null : new Date(lastEventAt).toISOString(),
        personas: [...personaSummaries.values()].map((summary) => ({ ...summary })),
        campaigns: [...operators.values()].map((operator) => ({ ...operator.summary })),
      };
    },
  };
}
