// Bittrex set-up of the integration tests: a simulator with the demo account and
// ready markets pointed at it, and how the book tracker runs on it for the shared
// suites. The exchange-independent helpers (Cleanup, waitFor, insideSpread,
// restingOrderBy, event-log shorthands) come from @hb/testing.
import { startLoggedMarket, type Cleanup, type EventLog } from '@hb/testing';
import type { BookTrackerAdapter } from '@hb/testing/suites';
import { BittrexApiClient } from '../../src/bittrex-api-client.js';
import type { BittrexBookDepth } from '../../src/bittrex-constants.js';
import { BittrexMarket, type BittrexMarketOptions } from '../../src/bittrex-market.js';
import { BittrexMarketStream } from '../../src/bittrex-market-stream.js';
import { BittrexOrderBookDataSource } from '../../src/bittrex-order-book-data-source.js';
import { BittrexOrderBookTracker } from '../../src/bittrex-order-book-tracker.js';
import { parseMarkets, symbolMapOf } from '../../src/bittrex-trading-rules.js';
import {
  bittrexTestMarketOptions,
  startTestSimulator,
  type BittrexSimulator,
  type BittrexSimulatorOptions,
} from '../../src/testing/index.js';

/** Starts a simulator with the demo account and the test request limit, stopped by `cleanup`. */
export async function startSimulator(
  cleanup: Cleanup,
  options: BittrexSimulatorOptions = {},
): Promise<BittrexSimulator> {
  const sim = await startTestSimulator(options);
  cleanup.add(() => sim.stop());
  return sim;
}

/** Options of a market on the demo account of `sim` (BTC-USDT unless overridden). */
export const marketOptions = bittrexTestMarketOptions;

/** A started, ready market with an event log; stopped by `cleanup`. */
export function startMarket(
  cleanup: Cleanup,
  sim: BittrexSimulator,
  overrides: Partial<BittrexMarketOptions> = {},
): Promise<{ market: BittrexMarket; log: EventLog }> {
  return startLoggedMarket(cleanup, new BittrexMarket(marketOptions(sim, overrides)));
}

/** Bittrex's own tracker options: the book depth (25 by default). */
export interface BittrexTrackerOptions {
  readonly depth?: BittrexBookDepth;
}

/**
 * How Bittrex's book tracker runs on the simulator, for the shared tracker and
 * live-status suites: the REST client and one public SignalR socket carrying
 * `heartbeat` and every pair's `orderbook_{m}_25` and `trade_{m}`. The
 * simulator beats every 100 ms (Bittrex: 5 s), so a socket without frames
 * for the suite's short dead time is a silent one, not a quiet one.
 */
export const bittrexBookTrackers: BookTrackerAdapter<
  BittrexSimulator,
  BittrexOrderBookTracker,
  BittrexTrackerOptions
> = {
  name: 'bittrex',
  startSimulator: (seed) => startTestSimulator({ seed, heartbeatIntervalMs: 100 }),
  warmupSteps: 60,
  async createTracker(sim, pairs, { socket, silenceTimeoutMs, connector = {} }) {
    const depth = connector.depth ?? 25;
    const api = new BittrexApiClient({ restUrl: `${sim.restUrl}/v3`, timeoutMs: 2_000 });
    const symbols = symbolMapOf(parseMarkets(await api.markets()));
    const stream = new BittrexMarketStream({
      signalrUrl: `${sim.wsUrl}/signalr`,
      depth,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      ...(socket?.deadAfterMs === undefined ? {} : { keepAliveTimeoutMs: socket.deadAfterMs }),
      ...(socket?.pingIntervalMs === undefined ? {} : { pingIntervalMs: socket.pingIntervalMs }),
    });
    const dataSource = new BittrexOrderBookDataSource({
      api,
      context: async () => ({ symbols, stream }),
      depth,
    });
    const tracker = new BittrexOrderBookTracker(
      dataSource,
      pairs,
      silenceTimeoutMs === undefined ? {} : { silenceTimeoutMs },
    );
    return { tracker, dataSource, socket: stream };
  },
  marketConnections: (sim) => sim.hub.marketSockets(),
  bookStream: (pair) => `orderbook_${pair}_25`,
};
