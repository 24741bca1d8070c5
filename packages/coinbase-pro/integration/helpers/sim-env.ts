// Coinbase set-up of the integration tests: a simulator with the demo key and ready
// markets pointed at it. The exchange-independent helpers (Cleanup, waitFor,
// insideSpread, restingOrderBy, event-log shorthands) come from @hb/testing.

import { startLoggedMarket, type Cleanup, type EventLog } from '@hb/testing';
import type { BookTrackerAdapter } from '@hb/testing/suites';
import { CoinbaseProApiClient } from '../../src/coinbase-pro-api-client.js';
import { CoinbaseProFeed, type CoinbaseProFeedOptions } from '../../src/coinbase-pro-feed.js';
import { CoinbaseProOrderBookDataSource } from '../../src/coinbase-pro-order-book-data-source.js';
import { CoinbaseProOrderBookTracker } from '../../src/coinbase-pro-order-book-tracker.js';
import { CoinbaseProMarket, type CoinbaseProMarketOptions } from '../../src/coinbase-pro-market.js';
import {
  CoinbaseProSimulator,
  DEMO_ACCOUNT,
  coinbaseProTestMarketOptions,
  type CoinbaseProSimulatorOptions,
} from '../../src/testing/index.js';

/** Starts a simulator with the demo account, closed by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: CoinbaseProSimulatorOptions = {},
): Promise<CoinbaseProSimulator> {
  const sim = await CoinbaseProSimulator.start({ demoAccount: true, ...options });
  cleanup.add(() => sim.stop());
  return sim;
}

/** A started, ready market on the demo key (BTC-USD unless overridden) with an event log; stopped by `cleanup`. */
export function startMarket(
  cleanup: Cleanup,
  sim: CoinbaseProSimulator,
  overrides: Partial<CoinbaseProMarketOptions> = {},
): Promise<{ market: CoinbaseProMarket; log: EventLog }> {
  return startLoggedMarket(cleanup, new CoinbaseProMarket(coinbaseProTestMarketOptions(sim, overrides)));
}

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
  startSimulator: (seed) => CoinbaseProSimulator.start({ demoAccount: true, seed, heartbeatIntervalMs: 100 }),
  warmupSteps: 200,
  async createTracker(sim, pairs, { socket, silenceTimeoutMs, connector = {} }) {
    const { apiKey, apiSecret, passphrase } = DEMO_ACCOUNT;
    const keys = connector.keys !== false;
    const api = new CoinbaseProApiClient({
      restUrl: sim.restUrl,
      credentials: keys ? { apiKey, apiSecret, passphrase } : undefined,
      timeoutMs: 2_000,
    });
    if (keys) await api.syncTime();
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
