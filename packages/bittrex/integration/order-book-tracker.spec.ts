// Seed requirement "order book tracker test" (the shared suite): BittrexOrderBookTracker
// over the Bittrex data source and one shared SignalR socket, against the
// simulator's true books. Bittrex's side: one `orderBook` delta per message on
// `orderbook_{m}_{depth}` with `sequence` = previous + 1 (the book's update id),
// absolute quantities per rate (so one level changed twice makes two messages),
// `heartbeat` on the same socket, UUID trade ids and `takerSide` on `trade_{m}`.
// Its own: a depth-500 book with its own sequence, and a level pushed out of
// the subscribed depth arriving as a removal.
import { expect, it } from '@jest/globals';
import { restingOrderBy, startTrackerForTest, stepActivityPerTurn } from '@hb/testing';
import { describeOrderBookTrackerSuite } from '@hb/testing/suites';
import type { BittrexBookDepth } from '../src/bittrex-constants.js';
import type { BittrexOrderBookTracker } from '../src/bittrex-order-book-tracker.js';
import type { BittrexSimulator } from '../src/testing/index.js';
import { bittrexBookTrackers } from './helpers/sim-env.js';

const PAIRS = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'] as const;

/** '' when the tracked book equals what the server published at `depth`, at the same sequence. */
function publishedDifference(
  sim: BittrexSimulator,
  tracker: BittrexOrderBookTracker,
  pair: string,
  depth: BittrexBookDepth,
): string {
  const book = tracker.getOrderBook(pair);
  const truth = sim.publishedBook(pair, depth);
  const got = JSON.stringify({
    seq: book.lastUpdateId,
    bids: [...book.bidEntries(depth)],
    asks: [...book.askEntries(depth)],
  });
  const want = JSON.stringify({ seq: truth.sequence, bids: truth.bids, asks: truth.asks });
  return got === want ? '' : `${pair}: tracked ${got}, server ${want}`;
}

describeOrderBookTrackerSuite(
  {
    ...bittrexBookTrackers,
    pairs: PAIRS,
    pairWord: 'market',
    reconnectReason: 'market socket reconnected',
    sequence: (sim, pair) => sim.bookSequence(pair, 25),
    // Absolute quantities: two orders at one rate make two deltas of that level.
    ordersPerReorder: 2,
    // A SignalR frame whose payload is not base64 raw DEFLATE.
    malformedFrame: '{"C":"d-1","M":[{"H":"C3","M":"orderBook","A":["%%%"]}]}',
    checkSubscriptions(sim, pairs) {
      const sockets = sim.hub.marketSockets();
      expect([...sockets[0]!.streams].sort()).toEqual(
        ['heartbeat', ...pairs.flatMap((p) => [`orderbook_${p}_25`, `trade_${p}`])].sort(),
      );
    },
    takerSideSource: "Bittrex's takerSide field",
    tradeId: (sim, trade) => String(sim.exchange.tradeObject(trade)['id']),
  },
  (context) => {
    it('keeps a depth-500 book with its own sequence, equal to what the server published', async () => {
      const { sim, activity, cleanup } = context;
      activity.step(200);
      const { tracker, socket } = await bittrexBookTrackers.createTracker(
        sim,
        ['BTC-USDT'],
        { connector: { depth: 500 } },
        cleanup,
      );
      await startTrackerForTest(cleanup, tracker, socket);
      await stepActivityPerTurn(activity, 80);
      sim.flush();
      await expect(
        waitForNoDifference(() => publishedDifference(sim, tracker, 'BTC-USDT', 500)),
      ).resolves.toBe('');
      expect([...sim.hub.marketSockets()[0]!.streams]).toContain('orderbook_BTC-USDT_500');
      expect(sim.bookSequence('BTC-USDT', 500)).not.toBe(sim.bookSequence('BTC-USDT', 25));
    });

    it('a level pushed out of the top 25 arrives as a removal and leaves the book', async () => {
      const { sim, startTracker } = context;
      const env = await startTracker(['BTC-USDT']);
      const book = env.tracker.getOrderBook('BTC-USDT');
      const tick = Number(sim.marketInfo('BTC-USDT').tickSize);
      // Bids below the worst until the engine has more levels than the channel's 25.
      const worst = sim.trueBook('BTC-USDT', 1000).bids.at(-1)![0];
      const missing = 30 - sim.trueBook('BTC-USDT', 1000).bids.length;
      for (let i = 1; i <= missing; i++)
        await restingOrderBy(sim, 'BTC-USDT', 'buy', (worst - i * tick).toFixed(3), '0.01');
      sim.flush();
      await expect(
        waitForNoDifference(() => publishedDifference(sim, env.tracker, 'BTC-USDT', 25)),
      ).resolves.toBe('');
      const before = [...book.bidEntries(1000)];
      expect(before).toHaveLength(25);
      // New bids above the best push the worst levels below the 25th.
      const best = before[0]![0];
      for (let i = 1; i <= 5; i++)
        await restingOrderBy(sim, 'BTC-USDT', 'buy', (best + i * tick).toFixed(3), '0.01');
      sim.flush();
      await expect(
        waitForNoDifference(() => publishedDifference(sim, env.tracker, 'BTC-USDT', 25)),
      ).resolves.toBe('');
      // Only what the channel carries: never more than its 25 levels.
      expect([...book.bidEntries(1000)]).toHaveLength(25);
      expect([...book.bidEntries(25)].map(([p]) => p)).not.toContain(before[24]![0]);
    });
  },
);

/** Waits until `difference()` is '' (10 s), resolving with the last difference. */
async function waitForNoDifference(difference: () => string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let last = difference();
  while (last !== '' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10)); // the poll interval of a condition wait, not a fixed sleep
    last = difference();
  }
  return last;
}
