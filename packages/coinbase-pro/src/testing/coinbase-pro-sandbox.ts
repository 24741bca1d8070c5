// The sandbox the `hb` CLI starts for `--sandbox` and `hb demo`: a CoinbaseProSimulator
// on loopback with seeded activity and a funded key. Lives under `testing` so the
// package's main entry never loads @hb/testing.
import type { ConnectorCredentials } from '@hb/core/connector';
import { sandboxOf, type SimulatorSandbox } from '@hb/testing';
import { isBase64 } from './coinbase-pro-sim-auth.js';
import { CoinbaseProSimulator } from './coinbase-pro-simulator.js';
import { DEMO_ACCOUNT } from './coinbase-pro-sim-types.js';

/** Options of {@link startSandbox}. */
export interface CoinbaseProSandboxOptions {
  /** Seed of the synthetic activity and of the simulator's ids. Default 1. */
  readonly seed?: number;
  /**
   * Keys the funded account accepts (the user's, from the environment). Without an
   * API key, a base64 secret and a passphrase, the demo key is used.
   */
  readonly credentials?: ConnectorCredentials;
  /** Activity steps run before anyone connects, so the first snapshot has depth. Default 300. */
  readonly warmupSteps?: number;
}

/** A running Coinbase Pro sandbox: core's `Sandbox` plus the funded key and the simulator itself. */
export type CoinbaseProSandbox = SimulatorSandbox<
  CoinbaseProSimulator,
  { readonly apiKey: string; readonly apiSecret: string; readonly passphrase: string }
>;

/**
 * Starts a Coinbase Exchange simulator for the CLI: the demo key funded with
 * {@link DEMO_ACCOUNT}'s balances, or, when `credentials` carry a key, a base64
 * secret and a passphrase, a key with those and the same balances.
 */
export async function startSandbox(options: CoinbaseProSandboxOptions = {}): Promise<CoinbaseProSandbox> {
  const seed = options.seed ?? 1;
  const simulator = await CoinbaseProSimulator.start({ demoAccount: true, seed });
  const given = options.credentials;
  let credentials = {
    apiKey: DEMO_ACCOUNT.apiKey,
    apiSecret: DEMO_ACCOUNT.apiSecret,
    passphrase: DEMO_ACCOUNT.passphrase,
  };
  if (
    given?.apiKey !== undefined &&
    given.apiSecret !== undefined &&
    given.passphrase !== undefined &&
    isBase64(given.apiSecret) &&
    given.apiKey !== DEMO_ACCOUNT.apiKey
  ) {
    credentials = { apiKey: given.apiKey, apiSecret: given.apiSecret, passphrase: given.passphrase };
    simulator.createAccount({ ...credentials, balances: DEMO_ACCOUNT.balances });
  }
  return sandboxOf(simulator, credentials, { seed, warmupSteps: options.warmupSteps });
}
