// Seed requirement "order book tracker test" (the shared suite): CoinbaseProOrderBookTracker
// over the Coinbase data source and one shared feed socket, against the simulator's
// true books at order level. Coinbase's side: the authenticated level-3 `full`
// channel (so the tracker is built with keys), one sequence per product (the
// book's update id), every resting order compared, and the taker side from a
// `match` (whose `side` is the maker's).
import { expect } from '@jest/globals';
import { describeOrderBookTrackerSuite } from '@hb/testing/suites';
import { restingOrderBy, waitFor } from '@hb/testing';
import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';
import { CoinbaseProFeed } from '../src/coinbase-pro-feed.js';
import { CoinbaseProOrderBookDataSource } from '../src/coinbase-pro-order-book-data-source.js';
import { CoinbaseProOrderBookTracker } from '../src/coinbase-pro-order-book-tracker.js';
import { CoinbaseProSimulator, DEMO_ACCOUNT } from '../src/testing/index.js';

describeOrderBookTrackerSuite({
  name: 'coinbase-pro',
  pairs: ['BTC-USD', 'ETH-USD', 'ETH-BTC'],
  pairWord: 'product',
  startSimulator: (seed) => CoinbaseProSimulator.start({ demoAccount: true, seed }),
  warmupSteps: 200,
  async createTracker(sim, pairs) {
    // With keys: the exchange serves the level-3 `full` channel to signed subscriptions only.
    const { apiKey, apiSecret, passphrase } = DEMO_ACCOUNT;
    const api = new CoinbaseProApiClient({
      restUrl: sim.restUrl,
      credentials: { apiKey, apiSecret, passphrase },
      timeoutMs: 2_000,
    });
    await api.syncTime();
    const feed = new CoinbaseProFeed({
      wsUrl: sim.wsUrl,
      auth: api.signer,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
    const dataSource = new CoinbaseProOrderBookDataSource(api, feed);
    return { tracker: new CoinbaseProOrderBookTracker(dataSource, pairs), dataSource, socket: feed };
  },
  // The tracker is ready once it has a snapshot, which can be before the server
  // has processed the `subscribe`: messages made in between are never sent (the
  // next one shows a gap). Tests that count messages wait for the subscription.
  subscribed: (sim, pairs) =>
    waitFor('the full-channel subscription', () =>
      pairs.every((p) =>
        sim.feedSubscriptions().some((s) => s.channel === 'full' && s.productIds.includes(p)),
      ),
    ),
  marketConnections: (sim) => sim.feedConnections(),
  reconnectReason: 'feed reconnected',
  sequence: (sim, pair) => sim.sequence(pair),
  difference(sim, tracker, pair) {
    const orders = tracker.getActiveOrderTracker(pair);
    if (orders === undefined) return `${pair}: no order-level book`;
    const truth = sim.trueL3Book(pair);
    const all = [...truth.bids, ...truth.asks];
    if (orders.orderCount !== all.length)
      return `${pair}: ${orders.orderCount} orders tracked, simulator ${all.length}`;
    for (const [price, size, id] of all) {
      const o = orders.getOrder(id);
      if (o === undefined || o.price !== price || Math.abs(o.amount - size) > 1e-12)
        return `${pair}: order ${id} tracked ${JSON.stringify(o)}, simulator [${price}, ${size}]`;
    }
    return '';
  },
  faults: {
    skip: (sim, pair) => sim.skipFullSequence(pair),
    repeat: (sim, pair, times) => sim.repeatFullSequence(pair, times),
    async reorder(sim, pair, price) {
      // Another trader's order: `received` and `open`, swapped on the wire.
      sim.reorderFullSequence(pair);
      await restingOrderBy(sim, pair, 'buy', price, '0.01');
    },
    malformed: (sim, pair) => void sim.malformedFeedFrame({ pair }),
  },
  checkSubscriptions(sim, pairs) {
    const full = sim.feedSubscriptions().find((s) => s.channel === 'full');
    expect([...(full?.productIds ?? [])].sort()).toEqual([...pairs].sort());
  },
  takerSideSource: "from `match`, whose `side` is the maker's",
});
