// Seed requirement "order book tracker test" (the shared suite): BinanceOrderBookTracker
// over the Binance data source and one shared market socket, against the
// simulator's true books. Binance's side: one depth update per frame
// (`U`..`u` ids), the depth and trade streams per symbol on one connection, the
// taker side from the trade's "m" field, and a stale REST snapshot.
import { expect, it } from '@jest/globals';
import { describeOrderBookTrackerSuite } from '@hb/testing/suites';
import { stepActivityPerTurn, waitFor } from '@hb/testing';
import { binanceBookTrackers } from './helpers/sim-env.js';

describeOrderBookTrackerSuite(
  {
    ...binanceBookTrackers,
    pairs: ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'],
    reconnectReason: 'market stream reconnected',
    // Two updates of one level in a row: each depth update is a level's new amount.
    ordersPerReorder: 2,
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
