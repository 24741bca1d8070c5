// Seed requirement "order book tracker test": BinanceOrderBookTracker over the
// Binance data source and one shared market socket, against the simulator's true
// books — several pairs, dropped sockets, sequence faults, a stale snapshot, a
// malformed frame, and the taker side of public trades.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { TradeMessage } from '@hb/core/connector';
import {
  Cleanup,
  levelDifference,
  restingOrderBy,
  startTrackerForTest,
  stepActivityPerTurn as stepActivity,
  waitFor,
  waitForBooksInSync,
  type TrackerRecording,
} from '@hb/testing';
import { BinanceApiClient } from '../src/binance-api-client.js';
import { BinanceMarketStream } from '../src/binance-market-stream.js';
import { BinanceOrderBookDataSource } from '../src/binance-order-book-data-source.js';
import { BinanceOrderBookTracker } from '../src/binance-order-book-tracker.js';
import { symbolMapFromExchangeInfo } from '../src/binance-utils.js';
import type { BinanceSimActivity, BinanceSimulator } from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const PAIRS = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];
const DEPTH = 20;

interface TrackerEnv extends TrackerRecording {
  readonly tracker: BinanceOrderBookTracker;
  readonly dataSource: BinanceOrderBookDataSource;
  readonly stream: BinanceMarketStream;
}

describe('order book tracker test (seed requirement)', () => {
  const cleanup = new Cleanup();
  let sim: BinanceSimulator;
  let activity: BinanceSimActivity;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 5 });
    activity = sim.activity(21);
    activity.step(60);
  });

  afterEach(async () => {
    await cleanup.run();
  });

  async function startTracker(pairs: readonly string[] = PAIRS): Promise<TrackerEnv> {
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
    const tracker = new BinanceOrderBookTracker(dataSource, pairs);
    const recording = await startTrackerForTest(cleanup, tracker, stream);
    return { tracker, dataSource, stream, ...recording };
  }

  function difference(env: TrackerEnv, pair: string): string {
    return levelDifference(env.tracker, sim, pair, DEPTH);
  }

  /** Waits until every pair's tracked book equals the simulator's, then checks it. */
  async function expectInSync(env: TrackerEnv, pairs: readonly string[] = PAIRS): Promise<void> {
    await waitForBooksInSync(env.tracker, pairs, (p) => difference(env, p));
  }

  it('tracks several pairs on one socket; each book equals the simulator after activity', async () => {
    const env = await startTracker();
    expect(env.tracker.ready).toBe(true);
    for (const p of PAIRS) expect(env.tracker.isPairReady(p)).toBe(true);
    expect(
      env.events
        .filter((e) => e.type === 'synced')
        .map((e) => e.pair)
        .sort(),
    ).toEqual([...PAIRS].sort());

    await stepActivity(activity, 150);
    await expectInSync(env);
    const connections = sim.marketConnections();
    expect(connections).toHaveLength(1);
    expect([...connections[0]!.streams].sort()).toEqual(
      ['btcusdt', 'ethusdt', 'ethbtc'].flatMap((s) => [`${s}@depth@100ms`, `${s}@trade`]).sort(),
    );
    expect(env.tracker.stats.diffsApplied).toBeGreaterThan(0);
    expect(env.tracker.stats.resyncs).toBe(0);
  });

  it('re-syncs every pair after the socket is dropped mid-stream', async () => {
    const env = await startTracker();
    const firstSocket = sim.marketConnections()[0]!.id;
    await stepActivity(activity, 30);
    sim.dropMarketSockets();
    // Changes made while the socket is down are never sent as diffs.
    await stepActivity(activity, 30);
    await waitFor('a new socket', () => sim.marketConnections().some((c) => c.id !== firstSocket));
    await stepActivity(activity, 30);
    await expectInSync(env);
    const resyncs = env.events.filter((e) => e.type === 'resync');
    expect(resyncs.map((e) => e.pair).sort()).toEqual([...PAIRS].sort());
    expect(resyncs.every((e) => e.type === 'resync' && e.reason === 'market stream reconnected')).toBe(true);
  });

  it('a skipped depth update id is detected as a gap and the pair re-syncs', async () => {
    const env = await startTracker();
    await stepActivity(activity, 10);
    sim.skipDepthUpdate('BTC-USDT');
    await stepActivity(activity, 30);
    await expectInSync(env);
    const gap = env.events.find((e) => e.type === 'gap');
    expect(gap).toMatchObject({ type: 'gap', pair: 'BTC-USDT' });
    if (gap?.type === 'gap') expect(gap.got).toBeGreaterThan(gap.expected);
    expect(env.events).toContainEqual({ type: 'resync', pair: 'BTC-USDT', reason: 'gap' });
    // Only the pair with the gap re-synced.
    expect(env.events.filter((e) => e.type === 'resync').map((e) => e.pair)).toEqual(['BTC-USDT']);
  });

  it('a repeated depth update is dropped as stale: no gap, book still equal', async () => {
    const env = await startTracker();
    await stepActivity(activity, 10);
    const dropped = env.tracker.stats.diffsDropped;
    sim.repeatDepthUpdate('ETH-USDT', 3);
    await stepActivity(activity, 30);
    await expectInSync(env);
    expect(env.events.some((e) => e.type === 'gap' || e.type === 'resync')).toBe(false);
    expect(env.tracker.stats.diffsDropped).toBeGreaterThanOrEqual(dropped + 3);
  });

  it('reordered depth updates are caught as a gap and repaired', async () => {
    const env = await startTracker();
    await stepActivity(activity, 10);
    // Two updates of one ETH-BTC level in a row, with no other frame between them
    // (the simulator swaps a held frame with whatever frame the socket sends next).
    const price = sim.engine('ETH-BTC').bestBid()!.minus('0.00005');
    sim.reorderDepthUpdate('ETH-BTC');
    await restingOrderBy(sim, 'ETH-BTC', 'buy', price, '0.01');
    await restingOrderBy(sim, 'ETH-BTC', 'buy', price, '0.02');
    await waitFor('the gap', () => env.events.some((e) => e.type === 'gap' && e.pair === 'ETH-BTC'));
    expect(env.events).toContainEqual({ type: 'resync', pair: 'ETH-BTC', reason: 'gap' });
    await stepActivity(activity, 30);
    await expectInSync(env);
    expect(env.tracker.getOrderBook('ETH-BTC').bidEntries(DEPTH)).toContainEqual([
      price.toNumber(),
      expect.any(Number),
    ]);
  });

  it('a stale snapshot is detected and fetched again', async () => {
    const env = await startTracker(['BTC-USDT']);
    await stepActivity(activity, 10);
    // The next snapshot is frozen at the current book while the stream moves on;
    // a gap makes the tracker ask for it.
    sim.staleSnapshot('BTC-USDT');
    sim.skipDepthUpdate('BTC-USDT');
    await stepActivity(activity, 30);
    await waitFor('the stale snapshot to be refused', () =>
      env.events.some((e) => e.type === 'resync' && e.reason === 'stale snapshot'),
    );
    await stepActivity(activity, 10);
    await expectInSync(env, ['BTC-USDT']);
    const depthRequests = sim.requestLog().filter((r) => r.path === '/api/v3/depth');
    // The first sync, the stale one after the gap, and the one after it.
    expect(depthRequests.length).toBeGreaterThanOrEqual(3);
  });

  it('a malformed frame is reported, crashes nothing, and the books stay equal', async () => {
    const env = await startTracker();
    await stepActivity(activity, 10);
    sim.malformedMarketFrame({ pair: 'BTC-USDT' });
    await stepActivity(activity, 30);
    await expectInSync(env);
    expect(env.socketErrors.some((e) => e.reason === 'malformed_message')).toBe(true);
    expect(sim.marketConnections()).toHaveLength(1);
  });

  it('public trades carry the taker side from Binance\'s "m" field', async () => {
    const env = await startTracker(['BTC-USDT']);
    const trades: TradeMessage[] = [];
    const sub = env.dataSource.listenForTrades(['BTC-USDT']).subscribe((t) => trades.push(t));
    cleanup.add(() => sub.unsubscribe());
    // Let the trade subscription reach the server before trading.
    await waitFor('the trade stream', () =>
      [...(sim.marketConnections()[0]?.streams ?? [])].includes('btcusdt@trade'),
    );

    const engine = sim.engine('BTC-USDT');
    const firstTradeId = (engine.recentTrades(1)[0]?.tradeId ?? 0) + 1;
    // A taker that sells into the best bid, and one that buys the best ask.
    sim.takeFromAccount('someone', 'BTC-USDT', 'buy', engine.bestBid()!, '0.0001');
    await new Promise((r) => setImmediate(r));
    sim.takeFromAccount('someone', 'BTC-USDT', 'sell', engine.bestAsk()!, '0.0001');
    await stepActivity(activity, 60);

    const simTrades = engine.recentTrades(1000).filter((t) => t.tradeId >= firstTradeId);
    await waitFor('every trade on the stream', () =>
      simTrades.every((t) => trades.some((m) => m.tradeId === String(t.tradeId))),
    );
    expect(new Set(simTrades.map((t) => t.takerSide))).toEqual(new Set(['buy', 'sell']));
    for (const t of simTrades) {
      const message = trades.find((m) => m.tradeId === String(t.tradeId))!;
      expect(message.side).toBe(t.takerSide);
      expect(message.price).toBe(t.price.toNumber());
      expect(message.amount).toBe(t.amount.toNumber());
    }
    expect(env.tracker.getOrderBook('BTC-USDT').lastTradePrice).toBe(
      simTrades[simTrades.length - 1]!.price.toNumber(),
    );
  });
});
