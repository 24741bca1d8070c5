// Seed requirement "order book tracker test": CoinbaseProOrderBookTracker over the
// Coinbase data source and one shared feed socket (the authenticated `full` channel), against the
// simulator's true books at order level — several products, sequence faults
// (skipped, duplicated, reordered), a dropped socket, a malformed frame, and the
// taker side of public trades.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { TradeMessage } from '@hb/core/connector';
import {
  Cleanup,
  levelDifference,
  restingOrderBy,
  startTrackerForTest,
  stepActivityPerTurn,
  waitFor,
  waitForBooksInSync,
  type TrackerRecording,
} from '@hb/testing';
import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';
import { CoinbaseProFeed } from '../src/coinbase-pro-feed.js';
import { CoinbaseProOrderBookDataSource } from '../src/coinbase-pro-order-book-data-source.js';
import { CoinbaseProOrderBookTracker } from '../src/coinbase-pro-order-book-tracker.js';
import { DEMO_ACCOUNT, type CoinbaseProSimulator, type CoinbaseSimActivity } from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const PAIRS = ['BTC-USD', 'ETH-USD', 'ETH-BTC'];
const DEPTH = 20;

interface TrackerEnv extends TrackerRecording {
  readonly tracker: CoinbaseProOrderBookTracker;
  readonly dataSource: CoinbaseProOrderBookDataSource;
  readonly feed: CoinbaseProFeed;
}

describe('order book tracker test (seed requirement)', () => {
  const cleanup = new Cleanup();
  let sim: CoinbaseProSimulator;
  let activity: CoinbaseSimActivity;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 5 });
    activity = sim.activity(21);
    activity.step(200);
  });

  afterEach(async () => {
    await cleanup.run();
  });

  async function startTracker(pairs: readonly string[] = PAIRS): Promise<TrackerEnv> {
    // With keys: the exchange serves the level-3 `full` channel to signed subscriptions only.
    const api = new CoinbaseProApiClient({
      restUrl: sim.restUrl,
      credentials: {
        apiKey: DEMO_ACCOUNT.apiKey,
        apiSecret: DEMO_ACCOUNT.apiSecret,
        passphrase: DEMO_ACCOUNT.passphrase,
      },
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
    const tracker = new CoinbaseProOrderBookTracker(dataSource, pairs);
    const recording = await startTrackerForTest(cleanup, tracker, feed);
    // The tracker is ready once it has a snapshot, which can be before the server
    // has processed the `subscribe`: messages made in between are never sent (the
    // next one shows a gap). Tests that count messages wait for the subscription.
    await waitFor('the full-channel subscription', () =>
      pairs.every((p) =>
        sim.feedSubscriptions().some((s) => s.channel === 'full' && s.productIds.includes(p)),
      ),
    );
    return { tracker, dataSource, feed, ...recording };
  }

  /** '' when the tracked price levels and resting orders equal the simulator's; else what differs. */
  function difference(env: TrackerEnv, pair: string): string {
    const levels = levelDifference(env.tracker, sim, pair, DEPTH);
    if (levels !== '') return levels;
    const orders = env.tracker.getActiveOrderTracker(pair);
    if (orders === undefined) return `${pair}: no order-level book`;
    const truth = sim.trueL3Book(pair);
    const all = [...truth.bids, ...truth.asks];
    if (orders.orderCount !== all.length)
      return `${pair}: ${orders.orderCount} orders tracked, simulator ${all.length}`;
    for (const [price, size, id] of all) {
      const o = orders.getOrder(id);
      if (o === undefined || o.price !== price || Math.abs(o.amount - size) > 1e-12) {
        return `${pair}: order ${id} tracked ${JSON.stringify(o)}, simulator [${price}, ${size}]`;
      }
    }
    return '';
  }

  /** Waits until every pair's tracked book equals the simulator's, then checks it. */
  async function expectInSync(env: TrackerEnv, pairs: readonly string[] = PAIRS): Promise<void> {
    await waitForBooksInSync(env.tracker, pairs, (p) => difference(env, p));
  }

  it('tracks several products on one socket; each order-level book equals the simulator after activity', async () => {
    const env = await startTracker();
    for (const p of PAIRS) expect(env.tracker.isPairReady(p)).toBe(true);
    expect(
      env.events
        .filter((e) => e.type === 'synced')
        .map((e) => e.pair)
        .sort(),
    ).toEqual([...PAIRS].sort());

    await stepActivityPerTurn(activity, 150);
    await expectInSync(env);
    expect(sim.feedConnections()).toHaveLength(1);
    const full = sim.feedSubscriptions().find((s) => s.channel === 'full');
    expect([...(full?.productIds ?? [])].sort()).toEqual([...PAIRS].sort());
    // The book's update id is the product's feed sequence.
    for (const p of PAIRS) expect(env.tracker.getOrderBook(p).lastUpdateId).toBe(sim.sequence(p));
    expect(env.tracker.stats.diffsApplied).toBeGreaterThan(0);
    expect(env.tracker.stats.resyncs).toBe(0);
  });

  it('a skipped sequence is detected as a gap and only that product re-syncs', async () => {
    const env = await startTracker();
    await stepActivityPerTurn(activity, 10);
    const expected = sim.sequence('BTC-USD') + 1;
    sim.skipFullSequence('BTC-USD');
    await stepActivityPerTurn(activity, 30);
    await expectInSync(env);
    const gap = env.events.find((e) => e.type === 'gap');
    expect(gap).toEqual({ type: 'gap', pair: 'BTC-USD', expected, got: expected + 1 });
    expect(env.events).toContainEqual({ type: 'resync', pair: 'BTC-USD', reason: 'gap' });
    expect(env.events.filter((e) => e.type === 'resync').map((e) => e.pair)).toEqual(['BTC-USD']);
  });

  it('a duplicated message is dropped as stale: no gap, book still equal', async () => {
    const env = await startTracker();
    await stepActivityPerTurn(activity, 10);
    const dropped = env.tracker.stats.diffsDropped;
    sim.repeatFullSequence('ETH-USD', 3);
    await stepActivityPerTurn(activity, 30);
    await expectInSync(env);
    expect(env.events.some((e) => e.type === 'gap' || e.type === 'resync')).toBe(false);
    expect(env.tracker.stats.diffsDropped).toBeGreaterThanOrEqual(dropped + 3);
  });

  it('reordered messages are caught as a gap and repaired; the late one is then stale', async () => {
    const env = await startTracker();
    await stepActivityPerTurn(activity, 10);
    // Another trader's order: `received` and `open`, swapped on the wire.
    const price = sim.engine('ETH-BTC').bestBid()!.minus('0.00005');
    sim.reorderFullSequence('ETH-BTC');
    const orderId = await restingOrderBy(sim, 'ETH-BTC', 'buy', price, '0.01');
    await waitFor('the gap', () => env.events.some((e) => e.type === 'gap' && e.pair === 'ETH-BTC'));
    expect(env.events).toContainEqual({ type: 'resync', pair: 'ETH-BTC', reason: 'gap' });
    await stepActivityPerTurn(activity, 30);
    await expectInSync(env);
    expect(env.tracker.getActiveOrderTracker('ETH-BTC')?.getOrder(orderId)).toMatchObject({
      price: price.toNumber(),
      amount: 0.01,
    });
  });

  it('re-syncs every product after the socket is dropped mid-stream', async () => {
    const env = await startTracker();
    const firstSocket = sim.feedConnections()[0]!.id;
    await stepActivityPerTurn(activity, 30);
    sim.dropMarketSockets();
    // Changes made while the socket is down are never sent.
    await stepActivityPerTurn(activity, 30);
    await waitFor('a new socket', () => sim.feedConnections().some((c) => c.id !== firstSocket));
    await stepActivityPerTurn(activity, 30);
    await expectInSync(env);
    const resyncs = env.events.filter((e) => e.type === 'resync');
    expect(resyncs.map((e) => e.pair).sort()).toEqual([...PAIRS].sort());
    expect(resyncs.every((e) => e.type === 'resync' && e.reason === 'feed reconnected')).toBe(true);
  });

  it('a malformed frame is reported, crashes nothing, and the books stay equal', async () => {
    const env = await startTracker();
    await stepActivityPerTurn(activity, 10);
    sim.malformedFeedFrame({ pair: 'BTC-USD' });
    await stepActivityPerTurn(activity, 30);
    await expectInSync(env);
    expect(env.socketErrors.some((e) => e.reason === 'malformed_message')).toBe(true);
    expect(sim.feedConnections()).toHaveLength(1);
  });

  it("public trades from `match` carry the taker's side (Coinbase's `side` is the maker's)", async () => {
    const env = await startTracker(['BTC-USD']);
    const trades: TradeMessage[] = [];
    const sub = env.dataSource.listenForTrades(['BTC-USD']).subscribe((t) => trades.push(t));
    cleanup.add(() => sub.unsubscribe());

    const engine = sim.engine('BTC-USD');
    const firstTradeId = sim.lastTradeId('BTC-USD') + 1;
    // A taker that sells into the best bid, and one that buys the best ask.
    sim.takeFromAccount('someone', 'BTC-USD', 'buy', engine.bestBid()!, '0.0001');
    await new Promise((r) => setImmediate(r));
    sim.takeFromAccount('someone', 'BTC-USD', 'sell', engine.bestAsk()!, '0.0001');
    await stepActivityPerTurn(activity, 60);

    const simTrades = engine.recentTrades(1000).filter((t) => t.tradeId >= firstTradeId);
    await waitFor('every trade on the feed', () =>
      simTrades.every((t) => trades.some((m) => m.tradeId === String(t.tradeId))),
    );
    expect(new Set(simTrades.map((t) => t.takerSide))).toEqual(new Set(['buy', 'sell']));
    for (const t of simTrades) {
      const message = trades.find((m) => m.tradeId === String(t.tradeId))!;
      expect(message.side).toBe(t.takerSide);
      expect(message.price).toBe(t.price.toNumber());
      expect(message.amount).toBe(t.amount.toNumber());
    }
    expect(env.tracker.getOrderBook('BTC-USD').lastTradePrice).toBe(
      simTrades[simTrades.length - 1]!.price.toNumber(),
    );
    await expectInSync(env, ['BTC-USD']);
  });
});
