// Truth at the edges, Coinbase: every book says whether it is live. Against the
// simulator, which serves channels as the exchange does (`full` only to signed
// subscriptions, `level2_batch` and `matches` to anyone): the book channel follows
// the keys; a refused subscription is a typed error and a non-live book; a closed
// socket and a silent one (no frames, no pongs) make the book `stale` within the
// configured bound, then it re-syncs to the simulator's book; a silent stream on a
// socket that still answers is caught by checking the exchange; a wrong key is an
// authentication error event, not an endless retry.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  isFatalStreamError,
  type HbError,
  type LiveStatus,
  type OrderBookTrackerEvent,
  type StreamErrorEvent,
  type TradeMessage,
} from '@hb/core/connector';
import { Cleanup, stepActivityPerTurn, waitFor } from '@hb/testing';
import { CoinbaseProApiClient } from '../src/coinbase-pro-api-client.js';
import { CoinbaseProFeed, type CoinbaseProFeedOptions } from '../src/coinbase-pro-feed.js';
import { CoinbaseProMarket } from '../src/coinbase-pro-market.js';
import { CoinbaseProOrderBookDataSource } from '../src/coinbase-pro-order-book-data-source.js';
import { CoinbaseProOrderBookTracker } from '../src/coinbase-pro-order-book-tracker.js';
import { CoinbaseProUserStreamDataSource } from '../src/coinbase-pro-user-stream-data-source.js';
import {
  DEMO_ACCOUNT,
  coinbaseProTestMarketOptions,
  type CoinbaseProSimulator,
  type CoinbaseSimActivity,
} from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USD';
const DEPTH = 20;
const KEYS = {
  apiKey: DEMO_ACCOUNT.apiKey,
  apiSecret: DEMO_ACCOUNT.apiSecret,
  passphrase: DEMO_ACCOUNT.passphrase,
};

interface Env {
  readonly tracker: CoinbaseProOrderBookTracker;
  readonly dataSource: CoinbaseProOrderBookDataSource;
  readonly feed: CoinbaseProFeed;
  readonly events: OrderBookTrackerEvent[];
  /** Every status the pair went through, with the local time it was reported. */
  readonly statuses: { status: LiveStatus; at: number; reason?: string; error?: HbError }[];
}

describe('live status (Coinbase)', () => {
  const cleanup = new Cleanup();
  let sim: CoinbaseProSimulator;
  let activity: CoinbaseSimActivity;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 9, heartbeatIntervalMs: 100 });
    activity = sim.activity(13);
    activity.step(200);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await cleanup.run();
  });

  async function startTracker(
    options: {
      keys?: boolean;
      feed?: Partial<CoinbaseProFeedOptions>;
      silenceTimeoutMs?: number;
      waitLive?: boolean;
    } = {},
  ): Promise<Env> {
    const api = new CoinbaseProApiClient({
      restUrl: sim.restUrl,
      credentials: options.keys === false ? undefined : KEYS,
      timeoutMs: 2_000,
    });
    if (options.keys !== false) await api.syncTime();
    const feed = new CoinbaseProFeed({
      wsUrl: sim.wsUrl,
      auth: api.signer,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      ...options.feed,
    });
    const dataSource = new CoinbaseProOrderBookDataSource(api, feed);
    const tracker = new CoinbaseProOrderBookTracker(dataSource, [PAIR], {
      silenceTimeoutMs: options.silenceTimeoutMs ?? 0,
    });
    const events: OrderBookTrackerEvent[] = [];
    const statuses: Env['statuses'] = [];
    const subs = [
      tracker.events$.subscribe((e) => events.push(e)),
      tracker.status$.subscribe((c) =>
        statuses.push({
          status: c.state.status,
          at: Date.now(),
          reason: c.state.reason,
          error: c.state.error,
        }),
      ),
    ];
    cleanup.add(() => feed.close());
    cleanup.add(() => tracker.stop());
    cleanup.add(() => subs.forEach((s) => s.unsubscribe()));
    tracker.start();
    if (options.waitLive !== false)
      await waitFor('a live book', () => tracker.getPairStatus(PAIR)?.status === 'live');
    return { tracker, dataSource, feed, events, statuses };
  }

  function levels(env: Env): string {
    const book = env.tracker.getOrderBook(PAIR);
    return JSON.stringify({ bids: [...book.bidEntries(DEPTH)], asks: [...book.askEntries(DEPTH)] });
  }

  /** Waits for a live book equal to the simulator's (after the feed caught up). */
  async function expectLiveAndEqual(env: Env): Promise<void> {
    await waitFor(
      'a live book equal to the simulator',
      () => {
        sim.flush();
        return (
          env.tracker.getPairStatus(PAIR)?.status === 'live' &&
          levels(env) === JSON.stringify(sim.trueBook(PAIR, DEPTH))
        );
      },
      10_000,
    );
  }

  /** ms from `from` until the pair was reported stale (throws when it was not). */
  function staleAfter(env: Env, from: number): number {
    const stale = env.statuses.find((s) => s.status === 'stale' && s.at >= from);
    if (stale === undefined) throw new Error('never stale');
    return stale.at - from;
  }

  it('with keys the book is level 3 from the authenticated full channel', async () => {
    const env = await startTracker();
    expect(env.feed.bookChannel).toBe('full');
    expect(env.dataSource.orderBased).toBe(true);
    const full = sim.feedSubscriptions().find((s) => s.channel === 'full');
    expect(full?.productIds).toEqual([PAIR]);
    expect(full?.apiKey).toBe(DEMO_ACCOUNT.apiKey);
    await stepActivityPerTurn(activity, 40);
    await expectLiveAndEqual(env);
    expect(env.tracker.getOrderBook(PAIR).lastUpdateId).toBe(sim.sequence(PAIR));
  });

  it('without keys the book is level 2 from the public level2_batch channel, equal to the simulator; trades from matches carry the taker side', async () => {
    const env = await startTracker({ keys: false });
    expect(env.feed.bookChannel).toBe('level2_batch');
    expect(env.dataSource.orderBased).toBe(false);
    const channels = sim
      .feedSubscriptions()
      .map((s) => s.channel)
      .sort();
    // The tracker's trades come from the public matches channel too; no `full` anywhere.
    expect(channels).toEqual(['heartbeat', 'level2_batch', 'matches']);
    const trades: TradeMessage[] = [];
    const sub = env.dataSource.listenForTrades([PAIR]).subscribe((t) => trades.push(t));
    cleanup.add(() => sub.unsubscribe());
    await waitFor('the matches subscription', () =>
      sim.feedSubscriptions().some((s) => s.channel === 'matches'),
    );
    const firstTradeId = sim.lastTradeId(PAIR) + 1;
    await stepActivityPerTurn(activity, 80);
    await expectLiveAndEqual(env);
    const simTrades = sim
      .engine(PAIR)
      .recentTrades(1000)
      .filter((t) => t.tradeId >= firstTradeId);
    expect(simTrades.length).toBeGreaterThan(0);
    await waitFor('every trade', () =>
      simTrades.every((t) => trades.some((m) => m.tradeId === String(t.tradeId))),
    );
    for (const t of simTrades) {
      expect(trades.find((m) => m.tradeId === String(t.tradeId))?.side).toBe(t.takerSide);
    }
    // Each trade once.
    expect(new Set(trades.map((t) => t.tradeId)).size).toBe(trades.length);
  });

  it('a refused subscription (full without keys) is a typed error, and the book is not live and not retried', async () => {
    const env = await startTracker({ keys: false, feed: { bookChannel: 'full' }, waitLive: false });
    await waitFor('the refusal', () => env.events.some((e) => e.type === 'error'));
    const event = env.events.find((e) => e.type === 'error');
    expect(event).toMatchObject({ type: 'error', pair: PAIR, fatal: true });
    const error = (event as unknown as { error: HbError }).error;
    expect(error.name).toBe('SubscriptionError');
    expect(error.reason).toBe('authentication');
    expect(error.message).toMatch(/full channel requires authentication/);
    expect(isFatalStreamError(error)).toBe(true);
    expect(env.tracker.getPairStatus(PAIR)).toMatchObject({ status: 'stale', error });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(env.events.filter((e) => e.type === 'error')).toHaveLength(1);
    expect(env.tracker.ready).toBe(false);
    expect(sim.feedSubscriptions().filter((s) => s.channel === 'full')).toEqual([]);
  });

  it('a closed socket makes the book stale at once, then it re-syncs and is live and equal', async () => {
    const env = await startTracker();
    await stepActivityPerTurn(activity, 20);
    const t0 = Date.now();
    sim.dropMarketSockets();
    await waitFor('stale', () => env.statuses.some((s) => s.status === 'stale' && s.at >= t0));
    expect(staleAfter(env, t0)).toBeLessThan(30_000);
    expect(env.tracker.isPairReady(PAIR)).toBe(false);
    await stepActivityPerTurn(activity, 40);
    await expectLiveAndEqual(env);
  });

  it('a silent socket (no frames, no pongs) is stale within its dead time, then reconnects and is live and equal', async () => {
    const env = await startTracker({ feed: { deadAfterMs: 1_200, pingIntervalMs: 200 } });
    await stepActivityPerTurn(activity, 20);
    const first = sim.feedConnections()[0]!.id;
    const t0 = Date.now();
    sim.faults.silenceSocket({ connectionId: first });
    await stepActivityPerTurn(activity, 20);
    await waitFor('stale', () => env.statuses.some((s) => s.status === 'stale' && s.at >= t0), 10_000);
    // Dead after 1.2 s without a frame or pong (a test bound: the default is 10 s, well within 30 s).
    expect(staleAfter(env, t0)).toBeLessThan(5_000);
    await waitFor('a new socket', () => sim.feedConnections().some((c) => c.id !== first));
    await stepActivityPerTurn(activity, 40);
    await expectLiveAndEqual(env);
  });

  it('a subscribed stream that stops while the socket still answers is stale once the exchange moved on, then live and equal', async () => {
    const env = await startTracker({ silenceTimeoutMs: 800 });
    await stepActivityPerTurn(activity, 20);
    // Every `full` frame of the product is lost; heartbeats and pongs still flow.
    const fault = sim.faults.skipSequence({ stream: `full:${PAIR}` }, { times: Number.POSITIVE_INFINITY });
    const t0 = Date.now();
    await stepActivityPerTurn(activity, 20);
    await waitFor('stale', () => env.statuses.some((s) => s.status === 'stale' && s.at >= t0), 10_000);
    expect(env.tracker.getPairStatus(PAIR)?.reason).toMatch(/no book data/);
    expect(staleAfter(env, t0)).toBeLessThan(5_000);
    fault.remove();
    await stepActivityPerTurn(activity, 40);
    await expectLiveAndEqual(env);
  });

  it('a wrong key is an authentication error event, and the user stream is not retried', async () => {
    const listens = jest.spyOn(CoinbaseProUserStreamDataSource.prototype, 'listen');
    const wrongSecret = Buffer.from('w'.repeat(64)).toString('base64');
    const market = new CoinbaseProMarket(
      coinbaseProTestMarketOptions(sim, { apiSecret: wrongSecret, tradingPairs: [PAIR] }),
    );
    const errors: StreamErrorEvent[] = [];
    const sub = market.streamErrors$.subscribe((e) => errors.push(e));
    cleanup.add(() => sub.unsubscribe());
    cleanup.add(() => market.stop());
    await market.start().catch(() => undefined);
    await expect(market.waitUntilReady(10_000)).rejects.toMatchObject({ reason: 'authentication' });
    await waitFor('the user-stream error', () => errors.some((e) => e.source === 'user_stream'));
    const userError = errors.find((e) => e.source === 'user_stream')!;
    expect(userError.fatal).toBe(true);
    expect(userError.error.reason).toBe('authentication');
    expect(market.liveStatus.userStream).toMatchObject({ status: 'stale' });
    expect(market.status.userStreamInitialized).toBe(false);
    // No endless retry: one subscription, however long we wait.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(listens).toHaveBeenCalledTimes(1);
    expect(errors.filter((e) => e.source === 'user_stream')).toHaveLength(1);
  });
});
