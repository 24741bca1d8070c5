// Seed requirement "order book tracker test" (the shared suite): HuobiOrderBookTracker
// over the MBP incremental feed against the simulator's true books. Huobi's side:
// gzip frames, increments linked by `prevSeqNum` with gaps between numbers (so the
// suite's consecutive-number checks do not apply), the refresh is a `req` on the
// same `/feed` socket, trades come from `/ws` with the taker side in `direction`.
// Its own: the book sits at the exchange's `seqNum`, the server's pings are
// answered, and a refresh that can no longer link is fetched again.
import { expect, it } from '@jest/globals';
import { stepActivityPerTurn, waitFor } from '@hb/testing';
import { describeOrderBookTrackerSuite } from '@hb/testing/suites';
import {
  feedConnections,
  huobiBookTrackers,
  huobiSymbol,
  tradeConnections,
  tradesSubscribed,
} from './helpers/sim-env.js';

describeOrderBookTrackerSuite(
  {
    ...huobiBookTrackers,
    pairs: ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'],
    reconnectReason: 'feed reconnected',
    // Two changes of one level in a row: each increment carries the level's new amount.
    ordersPerReorder: 2,
    checkSubscriptions(sim, pairs) {
      // Every MBP topic on one /feed socket, every trade topic on one /ws socket.
      expect([...feedConnections(sim)[0]!.streams].sort()).toEqual(
        pairs.map((p) => `market.${huobiSymbol(p)}.mbp.150`).sort(),
      );
      expect(tradeConnections(sim)).toHaveLength(1);
      expect([...tradeConnections(sim)[0]!.streams].sort()).toEqual(
        pairs.map((p) => `market.${huobiSymbol(p)}.trade.detail`).sort(),
      );
    },
    tradesSubscribed,
    takerSideSource: "Huobi's `direction`, the id from `tradeId`",
  },
  (context) => {
    it('each book sits at the seqNum the exchange is at (numbers with gaps, linked by prevSeqNum)', async () => {
      const { sim, activity, startTracker, expectInSync } = context;
      const env = await startTracker();
      await stepActivityPerTurn(activity, 100);
      await expectInSync(env);
      for (const p of ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'])
        expect(env.tracker.getOrderBook(p).lastUpdateId).toBe(sim.seqNum(p));
      expect(env.events.filter((e) => e.type === 'gap')).toEqual([]);
    });

    it("answers the server's pings: the feed socket outlives many of them", async () => {
      const { sim, startTracker, expectInSync } = context;
      const env = await startTracker(['BTC-USDT']);
      const feed = feedConnections(sim)[0]!;
      // The simulator pings every 150 ms and drops a client after 8 unanswered
      // pings: 10 answers on the same socket mean every ping was answered.
      await waitFor('10 pongs on the first feed socket', () => sim.pongsOf(feed) >= 10, 15_000);
      expect(feed.isOpen).toBe(true);
      expect(feedConnections(sim).map((c) => c.id)).toEqual([feed.id]);
      expect(env.events.filter((e) => e.type === 'resync')).toEqual([]);
      await expectInSync(env, ['BTC-USDT']);
    });
  },
);
