// Coinbase set-up of the integration tests: a simulator with the demo key and ready
// markets pointed at it, and how the book tracker runs on it for the shared
// suites. The exchange-independent helpers come from @hb/testing.
import { simulatorTestEnv, syncedDemoClient, type DemoKeys } from '@hb/testing';
import type { BookTrackerAdapter } from '@hb/testing/suites';
import { CoinbaseProApiClient } from '../../src/coinbase-pro-api-client.js';
import { CoinbaseProFeed, type CoinbaseProFeedOptions } from '../../src/coinbase-pro-feed.js';
import { CoinbaseProMarket, type CoinbaseProMarketOptions } from '../../src/coinbase-pro-market.js';
import { CoinbaseProOrderBookDataSource } from '../../src/coinbase-pro-order-book-data-source.js';
import { CoinbaseProOrderBookTracker } from '../../src/coinbase-pro-order-book-tracker.js';
import {
  CoinbaseProSimulator,
  coinbaseProTestMarketOptions,
  type CoinbaseProSimulatorOptions,
} from '../../src/testing/index.js';

/** A simulator with the demo account (the caller stops it). */
export const simulator = (options: CoinbaseProSimulatorOptions = {}): Promise<CoinbaseProSimulator> =>
  CoinbaseProSimulator.start({ demoAccount: true, ...options });

/**
 * A REST client on the demo key (`keys` overrides the secret or passphrase), its
 * clock synced to the simulator's: the user channel's and `full`'s signatures are timed.
 */
export function demoApiClient(
  sim: CoinbaseProSimulator,
  keys: { readonly apiSecret?: string; readonly passphrase?: string } = {},
): Promise<CoinbaseProApiClient> {
  const create = (s: CoinbaseProSimulator, credentials: DemoKeys): CoinbaseProApiClient =>
    new CoinbaseProApiClient({ restUrl: s.restUrl, credentials, timeoutMs: 2_000 });
  return syncedDemoClient(sim, create, keys);
}

/**
 * `startSimulator(cleanup, options)` and `startMarket(cleanup, sim, overrides)` on the demo key, stopped by the
 * cleanup; `factories`: the same two constructors as the shared suites' adapters take them.
 */
export const { startSimulator, startMarket, factories } = simulatorTestEnv({
  simulator,
  market: (sim: CoinbaseProSimulator, overrides?: Partial<CoinbaseProMarketOptions>) =>
    new CoinbaseProMarket(coinbaseProTestMarketOptions(sim, overrides)),
});

/** Coinbase's own tracker options: without keys, or with a forced book channel. */
export interface CoinbaseTrackerOptions {
  readonly keys?: boolean;
  readonly bookChannel?: CoinbaseProFeedOptions['bookChannel'];
}

/**
 * How Coinbase's book tracker runs on the simulator, for the shared tracker and
 * live-status suites: with the demo keys by default (the exchange serves the
 * level-3 `full` channel to signed subscriptions only), on one feed socket that
 * beats every 100 ms; a product's book messages are its `full` channel.
 */
export const coinbaseBookTrackers: BookTrackerAdapter<
  CoinbaseProSimulator,
  CoinbaseProOrderBookTracker,
  CoinbaseTrackerOptions
> = {
  name: 'coinbase-pro',
  startSimulator: (seed) => simulator({ seed, heartbeatIntervalMs: 100 }),
  warmupSteps: 200,
  async createTracker(sim, pairs, { socket, silenceTimeoutMs, connector = {} }) {
    const api =
      connector.keys === false
        ? new CoinbaseProApiClient({ restUrl: sim.restUrl, timeoutMs: 2_000 })
        : await demoApiClient(sim);
    const feed = new CoinbaseProFeed({
      wsUrl: sim.wsUrl,
      auth: api.signer,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      ...(connector.bookChannel === undefined ? {} : { bookChannel: connector.bookChannel }),
      ...socket,
    });
    const dataSource = new CoinbaseProOrderBookDataSource(api, feed);
    const tracker = new CoinbaseProOrderBookTracker(dataSource, pairs, { silenceTimeoutMs });
    return { tracker, dataSource, socket: feed };
  },
  marketConnections: (sim) => sim.feedConnections(),
  bookStream: (pair) => `full:${pair}`,
};
