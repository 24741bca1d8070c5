// The sandbox the `hb` CLI starts for `--sandbox` and `hb demo`: a BinanceSimulator on
// loopback with seeded activity and a funded account. Lives under `testing` so the
// package's main entry never loads @hb/testing.
import type { SandboxOptions, StartSandbox } from '@hb/core/connector';
import { sandboxOf, type SimulatorSandbox } from '@hb/testing';
import { BinanceSimulator } from './binance-simulator.js';
import { DEMO_ACCOUNT, type DepthMode } from './binance-sim-types.js';

/** Options of {@link startSandbox}. */
export interface BinanceSandboxOptions extends SandboxOptions {
  /** Activity steps run before anyone connects, so the first snapshot has depth. Default 300. */
  readonly warmupSteps?: number;
  /** Depth update batching. Default `interval` (100 ms batches, as Binance). */
  readonly depthMode?: DepthMode;
}

/** A running Binance sandbox: core's `Sandbox` plus the funded keys and the simulator itself. */
export type BinanceSandbox = SimulatorSandbox<
  BinanceSimulator,
  { readonly apiKey: string; readonly apiSecret: string }
>;

/**
 * Starts a Binance simulator for the CLI: demo account funded with
 * {@link DEMO_ACCOUNT}'s balances, or, when `credentials` carry a key and secret,
 * an account with those keys and the same balances. The book is warmed up with
 * `warmupSteps` of seeded activity; `startActivity` keeps it moving.
 */
export const startSandbox: StartSandbox &
  ((options?: BinanceSandboxOptions) => Promise<BinanceSandbox>) = async (
  options: BinanceSandboxOptions = {},
): Promise<BinanceSandbox> => {
  const seed = options.seed ?? 1;
  const simulator = await BinanceSimulator.start({
    demoAccount: true,
    seed,
    depthMode: options.depthMode ?? 'interval',
  });
  const given = options.credentials;
  let credentials = { apiKey: DEMO_ACCOUNT.apiKey, apiSecret: DEMO_ACCOUNT.apiSecret };
  if (given?.apiKey !== undefined && given.apiSecret !== undefined) {
    credentials = { apiKey: given.apiKey, apiSecret: given.apiSecret };
    // The demo account already holds the demo key; any other key gets its own funded account.
    if (given.apiKey !== DEMO_ACCOUNT.apiKey) {
      simulator.createAccount({ ...credentials, balances: DEMO_ACCOUNT.balances });
    }
  }
  return sandboxOf(simulator, credentials, { seed, warmupSteps: options.warmupSteps });
};
