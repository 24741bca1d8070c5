// Seed requirement "order book tracker test": HuobiOrderBookTracker over the MBP
// incremental feed (`/feed`, gzip, prevSeqNum-linked increments, `req` refresh)
// against the simulator's true books: several symbols, a lost increment, a repeated
// and a reordered one, a dropped socket, a malformed frame, the ping rule, and the
// taker side of public trades.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { HbError, OrderBookTrackerEvent, TradeMessage } from '@hb/core/connector';
import { Cleanup, stepActivityPerTurn, waitFor, type SimActivity } from '@hb/testing';
import { HuobiApiClient } from '../src/huobi-api-client.js';
import { HuobiMarketStream } from '../src/huobi-market-stream.js';
import { HuobiOrderBookDataSource } from '../src/huobi-order-book-data-source.js';
import { HuobiOrderBookTracker } from '../src/huobi-order-book-tracker.js';
import type { HuobiSimulator } from '../src/testing/index.js';
import { bookRows, startSimulator } from './helpers/sim-env.js';

const PAIRS = ['BTC-USDT', 'ETH-USDT', 'ETH-BTC'];
const DEPTH = 150;

interface TrackerEnv {
  readonly tracker: HuobiOrderBookTracker;
  readonly stream: HuobiMarketStream;
  readonly events: OrderBookTrackerEvent[];
  readonly errors: HbError[];
}

describe('order book tracker test (seed requirement)', () => {
  const cleanup = new Cleanup();
  let sim: HuobiSimulator;
  let activity: SimActivity;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 5 });
    activity = sim.activity(21);
    activity.step(200);
  });

  afterEach(async () => {
    await cleanup.run();
  });

  async function startTracker(
    pairs: readonly string[] = PAIRS,
    deadAfterMs?: number,
    waitReady = true,
  ): Promise<TrackerEnv> {
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
      ...(deadAfterMs === undefined ? {} : { deadAfterMs }),
    });
    const tracker = new HuobiOrderBookTracker(new HuobiOrderBookDataSource(api, stream), pairs);
    const events: OrderBookTrackerEvent[] = [];
    const errors: HbError[] = [];
    const subs = [
      tracker.events$.subscribe((e) => events.push(e)),
      stream.errors$.subscribe((e) => errors.push(e)),
    ];
    cleanup.add(() => stream.close());
    cleanup.add(() => tracker.stop());
    cleanup.add(() => subs.forEach((s) => s.unsubscribe()));
    tracker.start();
    if (waitReady) await waitFor('the tracker to be ready', () => tracker.ready);
    return { tracker, stream, events, errors };
  }

  /** '' when the tracked book equals the simulator's at its seqNum; else what differs. */
  function difference(env: TrackerEnv, pair: string): string {
    const book = env.tracker.getOrderBook(pair);
    const got = JSON.stringify(bookRows(book, DEPTH));
    const want = JSON.stringify(sim.trueBook(pair, DEPTH));
    if (got !== want) return `${pair}: tracked ${got}, simulator ${want}`;
    const seq = sim.seqNum(pair);
    if (book.lastUpdateId !== seq) return `${pair}: tracked seqNum ${book.lastUpdateId}, simulator ${seq}`;
    return '';
  }

  async function expectInSync(env: TrackerEnv, pairs: readonly string[] = PAIRS): Promise<void> {
    sim.flush();
    await waitFor(
      'the books to equal the simulator',
      () => pairs.every((p) => difference(env, p) === ''),
      10_000,
    ).catch(() => {
      throw new Error(
        pairs
          .map((p) => difference(env, p))
          .filter(Boolean)
          .join('\n'),
      );
    });
  }

  it('syncs every symbol from the req refresh and follows the increments exactly, at the seqNum', async () => {
    const env = await startTracker();
    await expectInSync(env);
    await stepActivityPerTurn(activity, 200);
    await expectInSync(env);
    expect(env.events.filter((e) => e.type === 'gap')).toEqual([]);
    expect(env.tracker.stats.diffsApplied).toBeGreaterThan(50);
  });

  it('a lost increment breaks the prevSeqNum chain: the pair re-syncs from a new refresh and equals the server', async () => {
    const env = await startTracker(['BTC-USDT']);
    await expectInSync(env, ['BTC-USDT']);
    const marker = sim.placeOther('BTC-USDT', 'buy', '29000', '0.5', 'marker');
    sim.skipIncrement('BTC-USDT');
    sim.flush();
    expect(marker).toBeDefined();
    await stepActivityPerTurn(activity, 20);
    await waitFor('a gap', () => env.events.some((e) => e.type === 'gap'));
    await expectInSync(env, ['BTC-USDT']);
    const gap = env.events.find((e) => e.type === 'gap');
    expect(gap).toMatchObject({ pair: 'BTC-USDT' });
    expect(env.tracker.getOrderBook('BTC-USDT').bidEntries().next().value).toBeDefined();
    expect([...env.tracker.getOrderBook('BTC-USDT').bidEntries()].some(([p]) => p === 29000)).toBe(true);
  });

  it('a repeated increment is stale and dropped; a reordered pair of increments forces a refresh', async () => {
    const env = await startTracker(['BTC-USDT']);
    await expectInSync(env, ['BTC-USDT']);
    sim.repeatIncrement('BTC-USDT');
    sim.placeOther('BTC-USDT', 'buy', '29001', '0.5', 'marker');
    sim.flush();
    await stepActivityPerTurn(activity, 10);
    await expectInSync(env, ['BTC-USDT']);
    expect(env.events.filter((e) => e.type === 'gap')).toEqual([]);
    expect(env.tracker.stats.diffsDropped).toBeGreaterThan(0);

    sim.reorderIncrement('BTC-USDT');
    sim.placeOther('BTC-USDT', 'buy', '29002', '0.5', 'marker');
    await new Promise((r) => setImmediate(r));
    sim.placeOther('BTC-USDT', 'buy', '29003', '0.5', 'marker');
    await stepActivityPerTurn(activity, 10);
    await waitFor('a gap', () => env.events.some((e) => e.type === 'gap'));
    await expectInSync(env, ['BTC-USDT']);
  });

  it('a dropped socket re-syncs every pair; a malformed frame is reported and the book stays exact', async () => {
    const env = await startTracker();
    await expectInSync(env);
    sim.dropMarketSockets();
    await stepActivityPerTurn(activity, 30);
    await waitFor('a resync', () => env.events.some((e) => e.type === 'resync'));
    await expectInSync(env);

    sim.malformedIncrement({ pair: 'ETH-USDT' });
    await stepActivityPerTurn(activity, 30);
    await waitFor('the malformed frame reported', () =>
      env.errors.some((e) => e.reason === 'malformed_message'),
    );
    await expectInSync(env);
  });

  it('answers the server pings: the feed socket stays open across many pings (the simulator drops a silent one, see test/testing)', async () => {
    sim.setPingRules({ pingIntervalMs: 50, maxMissedPings: 2 });
    const env = await startTracker(['BTC-USDT']);
    const before = sim.marketConnections().map((c) => c.id);
    await new Promise((r) => setTimeout(r, 400)); // ~8 pings: a non-answering client would be gone
    expect(sim.marketConnections().map((c) => c.id)).toEqual(before);
    expect(env.events.filter((e) => e.type === 'resync')).toEqual([]);
    await expectInSync(env, ['BTC-USDT']);
  });

  it('public trades carry the taker side from `direction` and the id from `tradeId`', async () => {
    const env = await startTracker(['BTC-USDT']);
    const trades: TradeMessage[] = [];
    const sub = new HuobiOrderBookDataSource(
      new HuobiApiClient({ restUrl: sim.restUrl, accountWsUrl: `${sim.wsUrl}/ws/v2` }),
      env.stream,
    )
      .listenForTrades(['BTC-USDT'])
      .subscribe((t) => trades.push(t));
    cleanup.add(() => sub.unsubscribe());
    await new Promise((r) => setTimeout(r, 100));
    const ask = sim.engine('BTC-USDT').bestAsk()!;
    const bid = sim.engine('BTC-USDT').bestBid()!;
    sim.takeFromAccount('x', 'BTC-USDT', 'sell', ask, '0.001'); // a taker buys at the ask
    await new Promise((r) => setImmediate(r));
    sim.takeFromAccount('x', 'BTC-USDT', 'buy', bid, '0.001'); // a taker sells at the bid
    await waitFor('two trades', () => trades.length >= 2);
    const truth = sim.engine('BTC-USDT').recentTrades(2);
    expect(trades.slice(-2).map((t) => [t.side, t.price, t.tradeId])).toEqual(
      truth.map((t) => [t.takerSide, t.price.toNumber(), String(t.tradeId)]),
    );
    expect(trades.slice(-2).map((t) => t.side)).toEqual(['buy', 'sell']);
  });

  it('a refused subscription (a suspended symbol) is a typed SubscriptionError and the book is never live', async () => {
    const env = await startTracker(['XRP-USDT'], undefined, false);
    await waitFor('the refusal', () => env.errors.some((e) => e.name === 'SubscriptionError'));
    const refusal = env.errors.find((e) => e.name === 'SubscriptionError');
    expect(refusal).toMatchObject({
      retryable: false,
      exchangeCode: 'bad-request',
      topics: ['market.xrpusdt.mbp.150'],
    });
    expect(refusal?.message).toMatch(/symbol trade not open now/);
    await waitFor('the error event', () => env.events.some((e) => e.type === 'error'));
    expect(env.tracker.ready).toBe(false);
  });
});
