// The sandbox the `hb` CLI starts for `--sandbox` and `hb demo`: a BinanceSimulator on
// loopback with seeded activity and a funded account. Lives under `testing` so the
// package's main entry never loads @hb/testing.
import type { Sandbox, SandboxOptions, StartSandbox } from '@hb/core';
import { BinanceSimulator } from './binance-simulator.js';
import { DEMO_ACCOUNT, type DepthMode } from './binance-sim-types.js';

/** Options of {@link startSandbox}. */
export interface BinanceSandboxOptions extends SandboxOptions {
  /** Activity steps run before anyone connects, so the first snapshot has depth. Default 300. */
  readonly warmupSteps?: number;
  /** Depth update batching. Default `interval` (100 ms batches, as Binance). */
  readonly depthMode?: DepthMode;
}

/** A running Binance sandbox: core's `Sandbox` plus the simulator itself. */
export interface BinanceSandbox extends Sandbox {
  /** The funded account's keys. */
  readonly credentials: { readonly apiKey: string; readonly apiSecret: string };
  /** The simulator, for callers that want its truth accessors and fault knobs. */
  readonly simulator: BinanceSimulator;
}

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
  let credentials: { apiKey: string; apiSecret: string } = {
    apiKey: DEMO_ACCOUNT.apiKey,
    apiSecret: DEMO_ACCOUNT.apiSecret,
  };
  if (given?.apiKey !== undefined && given.apiSecret !== undefined) {
    credentials = { apiKey: given.apiKey, apiSecret: given.apiSecret };
    // The demo account already holds the demo key; any other key gets its own funded account.
    if (given.apiKey !== DEMO_ACCOUNT.apiKey) {
      simulator.createAccount({
        apiKey: given.apiKey,
        apiSecret: given.apiSecret,
        balances: DEMO_ACCOUNT.balances,
      });
    }
  }
  const activity = simulator.activity(seed);
  activity.step(options.warmupSteps ?? 300);
  return {
    endpoints: { restUrl: simulator.restUrl, wsUrl: simulator.wsUrl },
    credentials,
    tradingPairs: simulator.markets.map((m) => m.pair),
    simulator,
    startActivity: (intervalMs = 150) => activity.start(intervalMs),
    stopActivity: () => activity.stop(),
    stop: () => simulator.stop(),
  };
};
