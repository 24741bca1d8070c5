// Binance set-up of the integration tests: a simulator with the demo account and
// ready markets pointed at it. The exchange-independent helpers (Cleanup, waitFor,
// insideSpread, restingOrderBy, event-log shorthands) come from @hb/testing.

import { startLoggedMarket, type Cleanup, type EventLog } from '@hb/testing';
import type { BookTrackerAdapter } from '@hb/testing/suites';
import { BinanceApiClient } from '../../src/binance-api-client.js';
import { BinanceMarketStream } from '../../src/binance-market-stream.js';
import { BinanceOrderBookDataSource } from '../../src/binance-order-book-data-source.js';
import { BinanceOrderBookTracker } from '../../src/binance-order-book-tracker.js';
import { symbolMapFromExchangeInfo } from '../../src/binance-utils.js';
import { BinanceMarket, type BinanceMarketOptions } from '../../src/binance-market.js';
import {
  BinanceSimulator,
  binanceTestMarketOptions,
  type BinanceSimulatorOptions,
} from '../../src/testing/index.js';

/** Starts a simulator with the demo account (immediate depth updates by default), closed by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: BinanceSimulatorOptions = {},
): Promise<BinanceSimulator> {
  const sim = await BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, ...options });
  cleanup.add(() => sim.stop());
  return sim;
}

/** Options of a market on the demo account of `sim` (BTC-USDT unless overridden). */
export const marketOptions = binanceTestMarketOptions;

/** A started, ready market with an event log; stopped by `cleanup`. */
export function startMarket(
  cleanup: Cleanup,
  sim: BinanceSimulator,
  overrides: Partial<BinanceMarketOptions> = {},
): Promise<{ market: BinanceMarket; log: EventLog }> {
  return startLoggedMarket(cleanup, new BinanceMarket(marketOptions(sim, overrides)));
}

/**
 * How Binance's book tracker runs on the simulator, for the shared tracker and
 * live-status suites: the REST client and the combined market stream (one
 * socket), and the depth stream of a symbol as the fault injector names it.
 */
export const binanceBookTrackers: BookTrackerAdapter<BinanceSimulator, BinanceOrderBookTracker> = {
  name: 'binance',
  startSimulator: (seed) => BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, seed }),
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
