// The sandbox the `hb` CLI starts for `--sandbox` and `hb demo`: a BinanceSimulator on
// loopback with seeded activity and a funded account. Lives under `testing` so the
// package's main entry never loads @hb/testing.
import type { ConnectorCredentials } from '@hb/core';
import { BinanceSimulator } from './binance-simulator.js';
import { DEMO_ACCOUNT, type DepthMode } from './binance-sim-types.js';

/** Options of {@link startSandbox}. */
export interface BinanceSandboxOptions {
  /** Seed of the synthetic activity and of the simulator's ids. Default 1. */
  readonly seed?: number;
  /**
   * Keys the funded account accepts (the user's, from the environment). Without
   * both an API key and a secret, the demo account's keys are used.
   */
  readonly credentials?: ConnectorCredentials;
  /** Activity steps run before anyone connects, so the first snapshot has depth. Default 300. */
  readonly warmupSteps?: number;
  /** Depth update batching. Default `interval` (100 ms batches, as Binance). */
  readonly depthMode?: DepthMode;
}

/** A running Binance sandbox (the shape the CLI expects of every connector's sandbox). */
export interface BinanceSandbox {
  /** Where the simulator listens: pass as `restUrl` / `wsUrl` endpoint overrides. */
  readonly endpoints: { readonly restUrl: string; readonly wsUrl: string };
  /** The funded account's keys. */
  readonly credentials: { readonly apiKey: string; readonly apiSecret: string };
  /** The simulator's pairs; the first is the one a demo shows. */
  readonly tradingPairs: readonly string[];
  /** The simulator itself, for callers that want its truth accessors and fault knobs. */
  readonly simulator: BinanceSimulator;
  /** Starts the background activity: every market steps every `intervalMs` (default 150). */
  startActivity(intervalMs?: number): void;
  /** Stops the background activity. */
  stopActivity(): void;
  /** Stops activity and servers. */
  stop(): Promise<void>;
}

/**
 * Starts a Binance simulator for the CLI: demo account funded with
 * {@link DEMO_ACCOUNT}'s balances, or, when `credentials` carry a key and secret,
 * an account with those keys and the same balances. The book is warmed up with
 * `warmupSteps` of seeded activity; `startActivity` keeps it moving.
 */
export async function startSandbox(options: BinanceSandboxOptions = {}): Promise<BinanceSandbox> {
  const seed = options.seed ?? 1;
  const simulator = await BinanceSimulator.start({ demoAccount: true, seed, depthMode: options.depthMode ?? 'interval' });
  const given = options.credentials;
  let credentials: { apiKey: string; apiSecret: string } = { apiKey: DEMO_ACCOUNT.apiKey, apiSecret: DEMO_ACCOUNT.apiSecret };
  if (given?.apiKey !== undefined && given.apiSecret !== undefined) {
    credentials = { apiKey: given.apiKey, apiSecret: given.apiSecret };
    // The demo account already holds the demo key; any other key gets its own funded account.
    if (given.apiKey !== DEMO_ACCOUNT.apiKey) {
      simulator.createAccount({ apiKey: given.apiKey, apiSecret: given.apiSecret, balances: DEMO_ACCOUNT.balances });
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
}
