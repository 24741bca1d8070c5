// Seed requirement "order book tracker test" (the shared suite): BinanceOrderBookTracker
// over the Binance data source and one shared market socket, against the
// simulator's true books. Binance's side: one depth update per frame
// (`U`..`u` ids), the depth and trade streams per symbol on one connection, the
// taker side from the trade's "m" field, and a stale REST snapshot.
import { expect, it } from '@jest/globals';
import { describeOrderBookTrackerSuite } from '@hb/testing/suites';
import { restingOrderBy, stepActivityPerTurn, waitFor } from '@hb/testing';
import { BinanceApiClient } from '../src/binance-api-client.js';
import { BinanceMarketStream } from '../src/binance-market-stream.js';
import { BinanceOrderBookDataSource } from '../src/binance-order-book-data-source.js';
import { BinanceOrderBookTracker } from '../src/binance-order-book-tracker.js';
import { symbolMapFromExchangeInfo } from '../src/binance-utils.js';
import { BinanceSimulator } from '../src/testing/index.js';

describeOrderBookTrackerSuite(
  {
    name: 'binance',
    pairs: ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'],
    startSimulator: (seed) => BinanceSimulator.start({ depthMode: 'immediate', demoAccount: true, seed }),
    warmupSteps: 60,
    async createTracker(sim, pairs) {
      const api = new BinanceApiClient({ restUrl: sim.restUrl, timeoutMs: 2_000 });
      const symbols = symbolMapFromExchangeInfo(await api.exchangeInfo());
      const stream = new BinanceMarketStream({
        wsUrl: sim.wsUrl,
        symbols,
        reconnectMinDelayMs: 20,
        reconnectMaxDelayMs: 200,
      });
      const dataSource = new BinanceOrderBookDataSource({
        api,
        context: async () => ({ symbols, stream }),
        snapshotDepth: 1000,
      });
      return { tracker: new BinanceOrderBookTracker(dataSource, pairs), dataSource, socket: stream };
    },
    marketConnections: (sim) => sim.marketConnections(),
    reconnectReason: 'market stream reconnected',
    faults: {
      skip: (sim, pair) => sim.skipDepthUpdate(pair),
      repeat: (sim, pair, times) => sim.repeatDepthUpdate(pair, times),
      async reorder(sim, pair, price) {
        // Two updates of one level in a row, with no other frame between them
        // (the simulator swaps a held frame with whatever frame the socket sends next).
        sim.reorderDepthUpdate(pair);
        await restingOrderBy(sim, pair, 'buy', price, '0.01');
        await restingOrderBy(sim, pair, 'buy', price, '0.02');
      },
      malformed: (sim, pair) => void sim.malformedMarketFrame({ pair }),
    },
    checkSubscriptions(sim) {
      expect([...sim.marketConnections()[0]!.streams].sort()).toEqual(
        ['btcusdt', 'ethusdt', 'ethbtc'].flatMap((s) => [`${s}@depth@100ms`, `${s}@trade`]).sort(),
      );
    },
    tradesSubscribed: (sim) =>
      waitFor('the trade stream', () =>
        [...(sim.marketConnections()[0]?.streams ?? [])].includes('btcusdt@trade'),
      ),
    takerSideSource: 'Binance\'s "m" field: the buyer was the maker',
  },
  (context) => {
    it('a stale snapshot is detected and fetched again', async () => {
      const { sim, activity, startTracker, expectInSync } = context;
      const env = await startTracker(['BTC-USDT']);
      await stepActivityPerTurn(activity, 10);
      // The next snapshot is frozen at the current book while the stream moves on;
      // a gap makes the tracker ask for it.
      sim.staleSnapshot('BTC-USDT');
      sim.skipDepthUpdate('BTC-USDT');
      await stepActivityPerTurn(activity, 30);
      await waitFor('the stale snapshot to be refused', () =>
        env.events.some((e) => e.type === 'resync' && e.reason === 'stale snapshot'),
      );
      await stepActivityPerTurn(activity, 10);
      await expectInSync(env, ['BTC-USDT']);
      const depthRequests = sim.requestLog().filter((r) => r.path === '/api/v3/depth');
      // The first sync, the stale one after the gap, and the one after it.
      expect(depthRequests.length).toBeGreaterThanOrEqual(3);
    });
  },
);
