import type { Exchange } from '../log/exchange.js';
import type { ComposedTask } from './attack-tasks.js';
import type { ClientProfile } from './client-profiles.js';
import type { PromptPools } from './prompt-pools.js';
import type { Random } from './random.js';
import type { Scenario } from './scenario.js';
import type { AccountNetwork } from './simulated-account.js';

/** One exchange an agent wants to send, before identity and API shape are applied. */
export interface Draft extends ComposedTask {
  temperature: number;
  maxTokens: number;
  stream: boolean;
  extra?: Record<string, unknown> | undefined;
  /** Forces a model (eval harnesses pick one per run); otherwise the account's choice. */
  model?: string | undefined;
  /**
   * Sent from another client and network than the account's own: a stolen key used from the
   * thief's harness and exits, or a customer's batch job on a cloud machine.
   */
  via?: { client: ClientProfile; network: AccountNetwork } | undefined;
}

/** An agent's traffic pattern and content: when it sends next and what it sends. */
export interface Behaviour {
  /** The next send time after `from` (epoch ms), or Infinity when the agent is done. */
  nextTime(from: number): number;
  compose(at: number): Draft;
  /**
   * Told when the exchange just composed was answered, before `nextTime` is asked: a conversation
   * that waits on the answer (a person reading it, a harness generating the next turn) paces from
   * here. Draws nothing from the seeded stream.
   */
  answered?(exchange: Exchange): void;
}

/** What behaviours share: the seeded random source, prompt pools and the scenario clock. */
export interface SimulationContext {
  readonly random: Random;
  readonly pools: PromptPools;
  readonly scenario: Scenario;
  readonly start: number;
  readonly end: number;
  /** Release time of `scenario.models.release` (Infinity when none). */
  readonly releaseAt: number;
}
