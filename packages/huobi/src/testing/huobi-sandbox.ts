// The sandbox the `hb` CLI starts for `--sandbox` and `hb demo`: a HuobiSimulator
// on loopback with seeded activity and a funded key. Lives under `testing` so the
// package's main entry never loads @hb/testing.
import type { ConnectorCredentials } from '@hb/core/connector';
import { sandboxOf, type SimulatorSandbox } from '@hb/testing';
import { HuobiSimulator } from './huobi-simulator.js';
import { DEMO_ACCOUNT } from './huobi-sim-types.js';

/** Options of {@link startSandbox}. */
export interface HuobiSandboxOptions {
  /** Seed of the synthetic activity and of the simulator's ids. Default 1. */
  readonly seed?: number;
  /** Keys the funded account accepts (the user's, from the environment); the demo key otherwise. */
  readonly credentials?: ConnectorCredentials;
  /** Activity steps run before anyone connects, so the first refresh has depth. Default 300. */
  readonly warmupSteps?: number;
}

/** A running Huobi sandbox: core's `Sandbox` plus the funded key and the simulator itself. */
export type HuobiSandbox = SimulatorSandbox<
  HuobiSimulator,
  { readonly apiKey: string; readonly apiSecret: string }
>;

/**
 * Starts a Huobi simulator for the CLI: the demo key funded with
 * {@link DEMO_ACCOUNT}'s balances, or, when `credentials` carry a key and a
 * secret, a key with those and the same balances.
 */
export async function startSandbox(options: HuobiSandboxOptions = {}): Promise<HuobiSandbox> {
  const seed = options.seed ?? 1;
  const simulator = await HuobiSimulator.start({ demoAccount: true, seed });
  const given = options.credentials;
  let credentials: { apiKey: string; apiSecret: string } = {
    apiKey: DEMO_ACCOUNT.apiKey,
    apiSecret: DEMO_ACCOUNT.apiSecret,
  };
  if (given?.apiKey !== undefined && given.apiSecret !== undefined && given.apiKey !== DEMO_ACCOUNT.apiKey) {
    credentials = { apiKey: given.apiKey, apiSecret: given.apiSecret };
    simulator.createAccount({ ...credentials, balances: DEMO_ACCOUNT.balances });
  }
  return sandboxOf(simulator, credentials, { seed, warmupSteps: options.warmupSteps });
}
