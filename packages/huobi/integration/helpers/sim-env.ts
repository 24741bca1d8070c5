// Huobi set-up of the integration tests: a simulator with the demo account and
// ready markets pointed at it, and how the book tracker runs on it for the shared
// suites. The exchange-independent helpers come from @hb/testing.
import { escapeRegExp, simulatorTestEnv, syncedDemoClient, waitFor } from '@hb/testing';
import type { BookTrackerAdapter } from '@hb/testing/suites';
import { HuobiApiClient } from '../../src/huobi-api-client.js';
import { HuobiMarket, type HuobiMarketOptions } from '../../src/huobi-market.js';
import { HuobiMarketStream } from '../../src/huobi-market-stream.js';
import { HuobiOrderBookDataSource } from '../../src/huobi-order-book-data-source.js';
import { HuobiOrderBookTracker } from '../../src/huobi-order-book-tracker.js';
import {
  HuobiSimulator,
  huobiTestMarketOptions,
  type HuobiSimulatorOptions,
} from '../../src/testing/index.js';

/** A simulator with the demo account (the caller stops it). */
export const simulator = (options: HuobiSimulatorOptions = {}): Promise<HuobiSimulator> =>
  HuobiSimulator.start({ demoAccount: true, seed: 1, ...options });

/** Options of a market on the demo account of `sim` (BTC-USDT unless overridden). */
export const marketOptions = huobiTestMarketOptions;

/** A REST client on the demo key (`keys` overrides the secret), its clock synced to the simulator's. */
export const demoApiClient = (sim: HuobiSimulator, keys: { readonly apiSecret?: string } = {}) =>
  syncedDemoClient(
    sim,
    (s, credentials) =>
      new HuobiApiClient({
        restUrl: s.restUrl,
        accountWsUrl: `${s.wsUrl}/ws/v2`,
        credentials,
        timeoutMs: 2_000,
      }),
    keys,
  );

/** `startSimulator(cleanup, options)` and `startMarket(cleanup, sim, overrides)`, stopped by the cleanup. */
export const { startSimulator, startMarket } = simulatorTestEnv({
  simulator,
  market: (sim: HuobiSimulator, overrides?: Partial<HuobiMarketOptions>) =>
    new HuobiMarket(marketOptions(sim, overrides)),
});

/** `btcusdt` for `BTC-USDT`. */
export const huobiSymbol = (pair: string): string => pair.replace('-', '').toLowerCase();

/** The simulator's `/feed` connections (MBP increments and refreshes); trades run on `/ws`. */
export const feedConnections = (sim: HuobiSimulator) =>
  sim.marketConnections().filter((c) => c.path === '/feed');

/** The simulator's `/ws` connections (public trades). */
export const tradeConnections = (sim: HuobiSimulator) =>
  sim.marketConnections().filter((c) => c.path === '/ws');

/**
 * The server pings of the simulators the book suites start, ms. Huobi's liveness
 * rule is the server's `{"ping":n}` (about every 5 s on the exchange): a silent
 * socket is one whose pings stop, so the tests ping often enough for a
 * dead-after bound of about a second.
 */
export const TEST_SERVER_PING_MS = 150;

/**
 * How Huobi's book tracker runs on the simulator, for the shared tracker and
 * live-status suites: the MBP increments and their `req` refresh on one `/feed`
 * socket, trades on `/ws`; a symbol's book messages are its `mbp:` stream in the
 * simulator's fault injector. The suites' socket timing is passed on except
 * client pings: Huobi's rule is that the server pings, so a silent socket is
 * caught by its missing pings (every {@link TEST_SERVER_PING_MS} here).
 */
export const huobiBookTrackers: BookTrackerAdapter<HuobiSimulator, HuobiOrderBookTracker> = {
  name: 'huobi',
  // Server pings as often as the suites' dead-after bound needs; a client is
  // dropped after 8 unanswered (not 2) so a loaded test machine is not a fault.
  startSimulator: (seed) => simulator({ seed, pingIntervalMs: TEST_SERVER_PING_MS, maxMissedPings: 8 }),
  warmupSteps: 200,
  async createTracker(sim, pairs, { socket = {}, silenceTimeoutMs }) {
    const api = new HuobiApiClient({
      restUrl: sim.restUrl,
      accountWsUrl: `${sim.wsUrl}/ws/v2`,
      timeoutMs: 2_000,
    });
    await api.referenceData();
    const stream = new HuobiMarketStream({
      wsUrl: `${sim.wsUrl}/ws`,
      feedUrl: `${sim.wsUrl}/feed`,
      symbols: () => api.symbols,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      ...(socket.deadAfterMs === undefined ? {} : { deadAfterMs: socket.deadAfterMs }),
    });
    const dataSource = new HuobiOrderBookDataSource(api, stream);
    const tracker = new HuobiOrderBookTracker(dataSource, pairs, { silenceTimeoutMs });
    return { tracker, dataSource, socket: stream };
  },
  marketConnections: feedConnections,
  bookStream: (pair) => new RegExp(`^mbp:${escapeRegExp(huobiSymbol(pair))}$`),
};

/** Waits until the simulator's `/ws` connection carries the trade topic of `pair`. */
export const tradesSubscribed = (sim: HuobiSimulator, pair: string): Promise<void> =>
  waitFor('the trade subscription', () =>
    tradeConnections(sim).some((c) => c.streams.has(`market.${huobiSymbol(pair)}.trade.detail`)),
  );
