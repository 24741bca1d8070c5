// Seed requirement "order book tracker test" (the shared suite): CoinbaseProOrderBookTracker
// over the Coinbase data source and one shared feed socket, against the simulator's
// true books at order level. Coinbase's side: the authenticated level-3 `full`
// channel (so the tracker is built with keys), one sequence per product (the
// book's update id), every resting order compared, and the taker side from a
// `match` (whose `side` is the maker's).
import { expect } from '@jest/globals';
import { describeOrderBookTrackerSuite } from '@hb/testing/suites';
import { waitFor } from '@hb/testing';
import { coinbaseBookTrackers } from './helpers/sim-env.js';

describeOrderBookTrackerSuite({
  ...coinbaseBookTrackers,
  pairs: ['BTC-USD', 'ETH-USD', 'ETH-BTC'],
  pairWord: 'product',
  // The tracker is ready once it has a snapshot, which can be before the server
  // has processed the `subscribe`: messages made in between are never sent (the
  // next one shows a gap). Tests that count messages wait for the subscription.
  subscribed: (sim, pairs) =>
    waitFor('the full-channel subscription', () =>
      pairs.every((p) =>
        sim.feedSubscriptions().some((s) => s.channel === 'full' && s.productIds.includes(p)),
      ),
    ),
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
  // One order makes two messages: `received`, then `open`.
  ordersPerReorder: 1,
  malformedFrame: '{"type":"match","trade_id":',
  checkSubscriptions(sim, pairs) {
    const full = sim.feedSubscriptions().find((s) => s.channel === 'full');
    expect([...(full?.productIds ?? [])].sort()).toEqual([...pairs].sort());
  },
  takerSideSource: "from `match`, whose `side` is the maker's",
});
