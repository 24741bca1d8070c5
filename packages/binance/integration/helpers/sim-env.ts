// Binance set-up of the integration tests: a simulator with the demo account and
// ready markets pointed at it, and how the book tracker runs on it for the shared
// suites. The exchange-independent helpers come from @hb/testing.
import { simulatorTestEnv, syncedDemoClient } from '@hb/testing';
import type { BookTrackerAdapter } from '@hb/testing/suites';
import { BinanceApiClient } from '../../src/binance-api-client.js';
import { BinanceMarket, type BinanceMarketOptions } from '../../src/binance-market.js';
import { BinanceMarketStream } from '../../src/binance-market-stream.js';
import { BinanceOrderBookDataSource } from '../../src/binance-order-book-data-source.js';
import { BinanceOrderBookTracker } from '../../src/binance-order-book-tracker.js';
import { symbolMapFromExchangeInfo } from '../../src/binance-utils.js';
import {
  BinanceSimulator,
  binanceTestMarketOptions,
  type BinanceSimulatorOptions,
} from '../../src/testing/index.js';

/** A simulator with the demo account, depth updates sent at once (the caller stops it). */
export const simulator = (options: BinanceSimulatorOptions = {}): Promise<BinanceSimulator> =>
  BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, ...options });

/** Options of a market on the demo account of `sim` (BTC-USDT unless overridden). */
export const marketOptions = binanceTestMarketOptions;

/** A REST client on the demo key (`keys` overrides the secret), its clock synced to the simulator's. */
export const demoApiClient = (sim: BinanceSimulator, keys: { readonly apiSecret?: string } = {}) =>
  syncedDemoClient(
    sim,
    (s, credentials) => new BinanceApiClient({ restUrl: s.restUrl, credentials, timeoutMs: 2_000 }),
    keys,
  );

/**
 * `startSimulator(cleanup, options)` and `startMarket(cleanup, sim, overrides)`, stopped by the cleanup;
 * `factories`: the same two constructors as the shared suites' adapters take them.
 */
export const { startSimulator, startMarket, factories } = simulatorTestEnv({
  simulator,
  market: (sim: BinanceSimulator, overrides?: Partial<BinanceMarketOptions>) =>
    new BinanceMarket(marketOptions(sim, overrides)),
});

/**
 * How Binance's book tracker runs on the simulator, for the shared tracker and
 * live-status suites: the REST client and the combined market stream (one
 * socket), and the depth stream of a symbol as the fault injector names it.
 */
export const binanceBookTrackers: BookTrackerAdapter<BinanceSimulator, BinanceOrderBookTracker> = {
  name: 'binance',
  startSimulator: (seed) => simulator({ seed }),
  warmupSteps: 60,
  async createTracker(sim, pairs, { socket, silenceTimeoutMs }) {
    const api = new BinanceApiClient({ restUrl: sim.restUrl, timeoutMs: 2_000 });
    const symbols = symbolMapFromExchangeInfo(await api.exchangeInfo());
    const stream = new BinanceMarketStream({
      wsUrl: sim.wsUrl,
      symbols,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      ...socket,
    });
    const dataSource = new BinanceOrderBookDataSource({
      api,
      context: async () => ({ symbols, stream }),
      snapshotDepth: 1000,
    });
    const tracker = new BinanceOrderBookTracker(dataSource, pairs, { silenceTimeoutMs });
    return { tracker, dataSource, socket: stream };
  },
  marketConnections: (sim) => sim.marketConnections(),
  bookStream: (pair) => new RegExp(`^${pair.replace('-', '').toLowerCase()}@depth(@100ms)?$`),
};
