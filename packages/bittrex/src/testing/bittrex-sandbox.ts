// The sandbox the `hb` CLI starts for `--sandbox` and `hb demo`: a BittrexSimulator
// on loopback with seeded activity and a funded account. Lives under `testing` so
// the package's main entry never loads @hb/testing.
import type { SandboxOptions, StartSandbox } from '@hb/core/connector';
import { sandboxOf, type SimulatorSandbox } from '@hb/testing';
import { BittrexSimulator } from './bittrex-simulator.js';
import { DEMO_ACCOUNT } from './bittrex-sim-types.js';

/** Options of {@link startSandbox}. */
export interface BittrexSandboxOptions extends SandboxOptions {
  /** Activity steps run before anyone connects, so the first snapshot has depth. Default 300. */
  readonly warmupSteps?: number;
}

/** A running Bittrex sandbox: core's `Sandbox` plus the funded keys and the simulator itself. */
export type BittrexSandbox = SimulatorSandbox<
  BittrexSimulator,
  { readonly apiKey: string; readonly apiSecret: string }
>;

/**
 * Starts a Bittrex simulator for the CLI: the demo account, or, when
 * `credentials` carry a key and secret, an account with those keys and the same
 * balances. The REST limit is the documented 60 calls a minute, which the
 * connector's own limiter keeps to.
 */
export const startSandbox: StartSandbox &
  ((options?: BittrexSandboxOptions) => Promise<BittrexSandbox>) = async (
  options: BittrexSandboxOptions = {},
): Promise<BittrexSandbox> => {
  const seed = options.seed ?? 1;
  const simulator = await BittrexSimulator.start({ demoAccount: true, seed });
  const given = options.credentials;
  let credentials = { apiKey: DEMO_ACCOUNT.apiKey, apiSecret: DEMO_ACCOUNT.apiSecret };
  if (given?.apiKey !== undefined && given.apiSecret !== undefined) {
    credentials = { apiKey: given.apiKey, apiSecret: given.apiSecret };
    if (given.apiKey !== DEMO_ACCOUNT.apiKey)
      simulator.createAccount({ ...credentials, balances: DEMO_ACCOUNT.balances });
  }
  return sandboxOf(simulator, credentials, { seed, warmupSteps: options.warmupSteps });
};
