// Seed requirement "order book tracker test": BittrexOrderBookTracker over the
// Bittrex data source and one shared SignalR socket, against the simulator's
// published books — several pairs, depth 25 and 500, a dropped socket, skipped,
// repeated and reordered deltas, a malformed frame, and the taker side of trades.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { SymbolMap, type HbError, type OrderBookTrackerEvent, type TradeMessage } from '@hb/core/connector';
import {
  Cleanup,
  restingOrderBy,
  stepActivityPerTurn as stepActivity,
  waitFor,
  type SimActivity,
} from '@hb/testing';
import { BittrexApiClient } from '../src/bittrex-api-client.js';
import type { BittrexBookDepth } from '../src/bittrex-constants.js';
import { BittrexMarketStream } from '../src/bittrex-market-stream.js';
import { BittrexOrderBookDataSource } from '../src/bittrex-order-book-data-source.js';
import { BittrexOrderBookTracker } from '../src/bittrex-order-book-tracker.js';
import { parseMarkets } from '../src/bittrex-trading-rules.js';
import type { BittrexSimulator } from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const PAIRS = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];

interface TrackerEnv {
  readonly tracker: BittrexOrderBookTracker;
  readonly stream: BittrexMarketStream;
  readonly events: OrderBookTrackerEvent[];
  readonly streamErrors: HbError[];
}

describe('order book tracker test (seed requirement)', () => {
  const cleanup = new Cleanup();
  let sim: BittrexSimulator;
  let activity: SimActivity;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 5 });
    activity = sim.activity(21);
    activity.step(60);
  });

  afterEach(async () => {
    await cleanup.run();
  });

  async function startTracker(
    pairs: readonly string[] = PAIRS,
    depth: BittrexBookDepth = 25,
  ): Promise<TrackerEnv> {
    const api = new BittrexApiClient({ restUrl: `${sim.restUrl}/v3`, timeoutMs: 2_000 });
    const symbols = new SymbolMap(
      'bittrex',
      parseMarkets(await api.markets()).map((m) => ({
        symbol: m.symbol,
        baseAsset: m.baseCurrencySymbol,
        quoteAsset: m.quoteCurrencySymbol,
      })),
    );
    const stream = new BittrexMarketStream({
      signalrUrl: `${sim.wsUrl}/signalr`,
      depth,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
    });
    const dataSource = new BittrexOrderBookDataSource({
      api,
      context: async () => ({ symbols, stream }),
      depth,
    });
    const tracker = new BittrexOrderBookTracker(dataSource, pairs);
    const events: OrderBookTrackerEvent[] = [];
    const streamErrors: HbError[] = [];
    const subs = [
      tracker.events$.subscribe((e) => events.push(e)),
      stream.errors$.subscribe((e) => streamErrors.push(e)),
    ];
    cleanup.add(() => stream.close());
    cleanup.add(() => tracker.stop());
    cleanup.add(() => subs.forEach((s) => s.unsubscribe()));
    tracker.start();
    await waitFor('the tracker to be ready', () => tracker.ready);
    return { tracker, stream, events, streamErrors };
  }

  /** '' when the tracked book equals what the server published at `depth`, at the same sequence. */
  function difference(env: TrackerEnv, pair: string, depth: BittrexBookDepth = 25): string {
    const book = env.tracker.getOrderBook(pair);
    const truth = sim.publishedBook(pair, depth);
    const got = JSON.stringify({
      seq: book.snapshotUid > book.lastDiffUid ? book.snapshotUid : book.lastDiffUid,
      bids: [...book.bidEntries(depth)],
      asks: [...book.askEntries(depth)],
    });
    const want = JSON.stringify({ seq: truth.sequence, bids: truth.bids, asks: truth.asks });
    return got === want ? '' : `${pair}: tracked ${got}, server ${want}`;
  }

  async function expectInSync(
    env: TrackerEnv,
    pairs: readonly string[] = PAIRS,
    depth: BittrexBookDepth = 25,
  ) {
    await waitFor(
      'the books to equal the server',
      () => env.tracker.ready && pairs.every((p) => difference(env, p, depth) === ''),
    );
    for (const p of pairs) expect(difference(env, p, depth)).toBe('');
    // The published book at depth 25 is the engine's top 25: the tracker holds exactly that.
    for (const p of pairs) {
      const truth = sim.trueBook(p, depth);
      const book = env.tracker.getOrderBook(p);
      expect([...book.bidEntries(depth)]).toEqual(truth.bids);
      expect([...book.askEntries(depth)]).toEqual(truth.asks);
    }
  }

  it('tracks several pairs on one socket; each book equals the server at its sequence after activity', async () => {
    const env = await startTracker();
    expect(
      env.events
        .filter((e) => e.type === 'synced')
        .map((e) => e.pair)
        .sort(),
    ).toEqual([...PAIRS].sort());
    await stepActivity(activity, 150);
    await expectInSync(env);
    const sockets = sim.hub.marketSockets();
    expect(sockets).toHaveLength(1);
    expect([...sockets[0]!.streams].sort()).toEqual(
      ['heartbeat', ...PAIRS.flatMap((p) => [`orderbook_${p}_25`, `trade_${p}`])].sort(),
    );
    expect(env.tracker.stats.diffsApplied).toBeGreaterThan(0);
    expect(env.tracker.stats.resyncs).toBe(0);
  });

  it('keeps a depth-500 book with its own sequence', async () => {
    activity.step(200);
    const env = await startTracker(['BTC-USDT'], 500);
    await stepActivity(activity, 80);
    await expectInSync(env, ['BTC-USDT'], 500);
    expect(sim.bookSequence('BTC-USDT', 500)).not.toBe(sim.bookSequence('BTC-USDT', 25));
  });

  it('a level pushed out of the top 25 arrives as a removal and leaves the book', async () => {
    const env = await startTracker(['BTC-USDT']);
    const book = env.tracker.getOrderBook('BTC-USDT');
    await expectInSync(env, ['BTC-USDT']);
    const before = [...book.bidEntries(25)];
    expect(before.length).toBeGreaterThan(0);
    // New bids above the best push the worst levels below the 25th.
    const best = before[0]![0];
    const m = sim.marketInfo('BTC-USDT');
    for (let i = 1; i <= 5; i++)
      await restingOrderBy(
        sim,
        'BTC-USDT',
        'buy',
        (best + (i * Number(m.tickSize)) / 2 + i * Number(m.tickSize)).toFixed(3),
        '0.01',
      );
    await expectInSync(env, ['BTC-USDT']);
    expect([...book.bidEntries(1000)].length).toBeLessThanOrEqual(25);
  });

  it('re-syncs after the socket is dropped mid-stream', async () => {
    const env = await startTracker();
    await stepActivity(activity, 30);
    sim.dropMarketSockets();
    await stepActivity(activity, 30);
    await waitFor('a new socket', () => sim.hub.marketSockets().length === 1);
    await stepActivity(activity, 30);
    await expectInSync(env);
    expect(env.tracker.stats.resyncs).toBeGreaterThan(0);
  });

  it('a lost socket makes the books stale at once; they are live again after the reconnect re-syncs them', async () => {
    const env = await startTracker(['BTC-USDT']);
    expect(env.tracker.getPairStatus('BTC-USDT')?.status).toBe('live');
    const outage = sim.marketStreamDown();
    cleanup.add(() => outage.restore());
    await waitFor('stale', () => env.tracker.getPairStatus('BTC-USDT')?.status === 'stale');
    await stepActivity(activity, 10);
    outage.restore();
    await waitFor('live again', () => env.tracker.getPairStatus('BTC-USDT')?.status === 'live', 8_000);
    await expectInSync(env, ['BTC-USDT']);
  });

  it('a skipped delta is a gap: the pair re-fetches the snapshot and ends equal to the server', async () => {
    const env = await startTracker(['BTC-USDT']);
    sim.skipBookDelta('BTC-USDT');
    await restingOrderBy(sim, 'BTC-USDT', 'buy', '36990.000', '0.5');
    await stepActivity(activity, 20);
    await expectInSync(env, ['BTC-USDT']);
    expect(env.events.some((e) => e.type === 'gap')).toBe(true);
    expect(env.tracker.stats.resyncs).toBeGreaterThan(0);
  });

  it('a repeated delta is dropped as stale', async () => {
    const env = await startTracker(['BTC-USDT']);
    sim.repeatBookDelta('BTC-USDT');
    await restingOrderBy(sim, 'BTC-USDT', 'buy', '36990.000', '0.5');
    await stepActivity(activity, 20);
    await expectInSync(env, ['BTC-USDT']);
    expect(env.tracker.stats.resyncs).toBe(0);
  });

  it('reordered deltas are a gap, never applied out of order', async () => {
    const env = await startTracker(['BTC-USDT']);
    sim.reorderBookDelta('BTC-USDT');
    await restingOrderBy(sim, 'BTC-USDT', 'buy', '36990.000', '0.5');
    await restingOrderBy(sim, 'BTC-USDT', 'buy', '36990.000', '0.25');
    await stepActivity(activity, 20);
    await expectInSync(env, ['BTC-USDT']);
    expect(env.tracker.stats.resyncs).toBeGreaterThan(0);
  });

  it('a malformed frame is reported and the book stays equal to the server', async () => {
    const env = await startTracker(['BTC-USDT']);
    sim.malformedMarketFrame('BTC-USDT');
    await waitFor('the decode error', () => env.streamErrors.length > 0);
    expect(env.streamErrors[0]!.reason).toBe('malformed_message');
    await stepActivity(activity, 20);
    await expectInSync(env, ['BTC-USDT']);
  });

  it('public trades carry the exchange id and the taker side', async () => {
    const env = await startTracker(['BTC-USDT']);
    const trades: TradeMessage[] = [];
    const sub = env.stream.trades$('BTC-USDT').subscribe((t) => trades.push(t));
    cleanup.add(() => sub.unsubscribe());
    await waitFor('trade channel', () => sim.hub.marketSockets()[0]!.streams.has('trade_BTC-USDT'));
    const m = sim.marketInfo('BTC-USDT');
    const ask = m.engine.bestAsk()!;
    const bid = m.engine.bestBid()!;
    // A buyer lifts the best ask, then a seller hits the best bid.
    sim.takeFromAccount('x', 'BTC-USDT', 'sell', ask, '0.001');
    await new Promise((r) => setImmediate(r));
    sim.takeFromAccount('x', 'BTC-USDT', 'buy', bid, '0.001');
    await waitFor('two trades', () => trades.length >= 2);
    expect(trades[0]!.side).toBe('buy');
    expect(trades[0]!.price).toBe(ask.toNumber());
    expect(trades[1]!.side).toBe('sell');
    expect(trades[1]!.price).toBe(bid.toNumber());
    expect(trades[0]!.tradeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(trades.map((t) => t.tradeId)).size).toBe(trades.length);
  });
});
