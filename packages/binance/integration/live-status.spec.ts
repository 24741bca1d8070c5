// Truth at the edges, Binance: every book says whether it is live. Against the
// simulator: a refused SUBSCRIBE is a typed error and a non-live book; a closed
// socket and a silent one (no frames, no pongs) make the book `stale` within the
// configured bound, then it re-syncs to the simulator's book; a depth stream that
// stops while the socket still answers pings is caught by checking the exchange's
// snapshot; a wrong key is an authentication error event, not an endless retry.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  type HbError,
  type LiveStatus,
  type OrderBookTrackerEvent,
  type StreamErrorEvent,
} from '@hb/core/connector';
import { Cleanup, stepActivityPerTurn, waitFor } from '@hb/testing';
import { BinanceApiClient } from '../src/binance-api-client.js';
import { BinanceMarket } from '../src/binance-market.js';
import { BinanceMarketStream, type BinanceMarketStreamOptions } from '../src/binance-market-stream.js';
import { BinanceOrderBookDataSource } from '../src/binance-order-book-data-source.js';
import { BinanceOrderBookTracker } from '../src/binance-order-book-tracker.js';
import { BinanceUserStreamDataSource } from '../src/binance-user-stream-data-source.js';
import { symbolMapFromExchangeInfo } from '../src/binance-utils.js';
import {
  binanceTestMarketOptions,
  type BinanceSimActivity,
  type BinanceSimulator,
} from '../src/testing/index.js';
import { startSimulator } from './helpers/sim-env.js';

const PAIR = 'BTC-USDT';
const OTHER = 'ETH-USDT';
const DEPTH = 20;

interface Env {
  readonly tracker: BinanceOrderBookTracker;
  readonly stream: BinanceMarketStream;
  readonly events: OrderBookTrackerEvent[];
  readonly statuses: { pair: string; status: LiveStatus; at: number; reason?: string }[];
}

describe('live status (Binance)', () => {
  const cleanup = new Cleanup();
  let sim: BinanceSimulator;
  let activity: BinanceSimActivity;

  beforeEach(async () => {
    sim = await startSimulator(cleanup, { seed: 11 });
    activity = sim.activity(17);
    activity.step(60);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await cleanup.run();
  });

  async function startTracker(
    options: { stream?: Partial<BinanceMarketStreamOptions>; silenceTimeoutMs?: number } = {},
  ): Promise<Env> {
    const api = new BinanceApiClient({ restUrl: sim.restUrl, timeoutMs: 2_000 });
    const symbols = symbolMapFromExchangeInfo(await api.exchangeInfo());
    const stream = new BinanceMarketStream({
      wsUrl: sim.wsUrl,
      symbols,
      reconnectMinDelayMs: 20,
      reconnectMaxDelayMs: 200,
      ...options.stream,
    });
    const dataSource = new BinanceOrderBookDataSource({
      api,
      context: async () => ({ symbols, stream }),
      snapshotDepth: 1000,
    });
    const tracker = new BinanceOrderBookTracker(dataSource, [PAIR], {
      silenceTimeoutMs: options.silenceTimeoutMs ?? 0,
    });
    const events: OrderBookTrackerEvent[] = [];
    const statuses: Env['statuses'] = [];
    const subs = [
      tracker.events$.subscribe((e) => events.push(e)),
      tracker.status$.subscribe((c) =>
        statuses.push({ pair: c.pair, status: c.state.status, at: Date.now(), reason: c.state.reason }),
      ),
    ];
    cleanup.add(() => stream.close());
    cleanup.add(() => tracker.stop());
    cleanup.add(() => subs.forEach((s) => s.unsubscribe()));
    tracker.start();
    await waitFor('a live book', () => tracker.getPairStatus(PAIR)?.status === 'live');
    return { tracker, stream, events, statuses };
  }

  function equal(env: Env, pair = PAIR): boolean {
    const book = env.tracker.getOrderBook(pair);
    const got = JSON.stringify({ bids: [...book.bidEntries(DEPTH)], asks: [...book.askEntries(DEPTH)] });
    return got === JSON.stringify(sim.trueBook(pair, DEPTH));
  }

  async function expectLiveAndEqual(env: Env): Promise<void> {
    await waitFor(
      'a live book equal to the simulator',
      () => env.tracker.getPairStatus(PAIR)?.status === 'live' && equal(env),
      10_000,
    );
  }

  function staleAfter(env: Env, from: number): number {
    const stale = env.statuses.find((s) => s.pair === PAIR && s.status === 'stale' && s.at >= from);
    if (stale === undefined) throw new Error('never stale');
    return stale.at - from;
  }

  it('a refused SUBSCRIBE is a typed, fatal error: that book is stale and not retried; live once added again', async () => {
    const env = await startTracker();
    // The socket is open with BTC-USDT in its URL: a new pair goes out as a live SUBSCRIBE.
    const refusal = sim.refuseSubscriptions(OTHER);
    cleanup.add(() => refusal.restore());
    env.tracker.addTradingPair(OTHER);
    await waitFor('the refusal', () => env.events.some((e) => e.type === 'error' && e.pair === OTHER));
    const event = env.events.find((e) => e.type === 'error' && e.pair === OTHER);
    expect(event).toMatchObject({ fatal: true });
    const error = (event as unknown as { error: HbError }).error;
    expect(error.name).toBe('SubscriptionError');
    expect(error.retryable).toBe(false);
    expect(error.exchangeCode).toBe(2);
    expect(error.message).toMatch(/ethusdt@.* is not available/);
    expect(env.tracker.getPairStatus(OTHER)).toMatchObject({ status: 'stale', error });
    expect(env.tracker.isPairReady(OTHER)).toBe(false);
    expect(env.tracker.getPairStatus(PAIR)?.status).toBe('live');
    // Binance's error replies mean a malformed request: no retry is sent. The
    // other pair's book keeps moving while the refused one stays halted.
    expect(refusal.refused).toBe(1);
    const t0 = Date.now();
    await stepActivityPerTurn(activity, 10);
    await expectLiveAndEqual(env);
    // Negative assertion: a retry would come within the stream's 20-200 ms
    // reconnect backoff or the tracker's 0.5 s retry delay; 1.5 s covers both.
    await waitFor('1.5 s of a halted pair', () => Date.now() - t0 > 1_500);
    expect(refusal.refused).toBe(1);
    expect(env.events.filter((e) => e.type === 'error' && e.pair === OTHER)).toHaveLength(1);
    expect(env.tracker.getPairStatus(OTHER)?.status).toBe('stale');
    // Added again once the exchange accepts it: live and equal.
    refusal.restore();
    env.tracker.removeTradingPair(OTHER);
    env.tracker.addTradingPair(OTHER);
    await waitFor(
      'the pair live once accepted',
      () => env.tracker.getPairStatus(OTHER)?.status === 'live',
      15_000,
    );
    expect(equal(env, OTHER)).toBe(true);
  });

  it('a closed socket makes the book stale at once, then it re-syncs and is live and equal', async () => {
    const env = await startTracker();
    await stepActivityPerTurn(activity, 20);
    const t0 = Date.now();
    sim.dropMarketSockets();
    await waitFor('stale', () => env.statuses.some((s) => s.status === 'stale' && s.at >= t0));
    expect(staleAfter(env, t0)).toBeLessThan(30_000);
    await stepActivityPerTurn(activity, 30);
    await expectLiveAndEqual(env);
  });

  it('a silent socket (no frames, no pongs) is stale within its dead time, then reconnects and is live and equal', async () => {
    const env = await startTracker({ stream: { deadAfterMs: 1_200, pingIntervalMs: 200 } });
    await stepActivityPerTurn(activity, 20);
    const first = sim.marketConnections()[0]!.id;
    const t0 = Date.now();
    sim.faults.silenceSocket({ connectionId: first });
    await stepActivityPerTurn(activity, 20);
    await waitFor('stale', () => env.statuses.some((s) => s.status === 'stale' && s.at >= t0), 10_000);
    // Dead after 1.2 s without a frame or pong (a test bound: the default is 25 s, within 30 s).
    expect(staleAfter(env, t0)).toBeLessThan(5_000);
    await waitFor('a new socket', () => sim.marketConnections().some((c) => c.id !== first));
    await stepActivityPerTurn(activity, 30);
    await expectLiveAndEqual(env);
  });

  it('a depth stream that stops while the socket still answers is stale once the exchange moved on, then live and equal', async () => {
    const env = await startTracker({ silenceTimeoutMs: 800, stream: { pingIntervalMs: 200 } });
    await stepActivityPerTurn(activity, 20);
    const fault = sim.faults.skipSequence({ stream: /^btcusdt@depth/ }, { times: Number.POSITIVE_INFINITY });
    const t0 = Date.now();
    await stepActivityPerTurn(activity, 20);
    await waitFor('stale', () => env.statuses.some((s) => s.status === 'stale' && s.at >= t0), 10_000);
    expect(env.tracker.getPairStatus(PAIR)?.reason).toMatch(/no book data/);
    expect(staleAfter(env, t0)).toBeLessThan(5_000);
    fault.remove();
    await stepActivityPerTurn(activity, 30);
    await expectLiveAndEqual(env);
  });

  it('a wrong key is an authentication error event, and the user stream is not retried', async () => {
    const listens = jest.spyOn(BinanceUserStreamDataSource.prototype, 'listen');
    const market = new BinanceMarket(
      binanceTestMarketOptions(sim, { apiSecret: 'not-the-secret-of-this-key', tradingPairs: [PAIR] }),
    );
    const errors: StreamErrorEvent[] = [];
    const sub = market.streamErrors$.subscribe((e) => errors.push(e));
    cleanup.add(() => sub.unsubscribe());
    cleanup.add(() => market.stop());
    await market.start().catch(() => undefined);
    await waitFor('the user-stream error', () => errors.some((e) => e.source === 'user_stream'));
    const userError = errors.find((e) => e.source === 'user_stream')!;
    expect(userError.fatal).toBe(true);
    expect(userError.error.reason).toBe('authentication');
    await expect(market.waitUntilReady(5_000)).rejects.toMatchObject({ reason: 'authentication' });
    expect(market.liveStatus.userStream).toMatchObject({ status: 'stale' });
    expect(market.status.userStreamInitialized).toBe(false);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(listens).toHaveBeenCalledTimes(1);
    expect(errors.filter((e) => e.source === 'user_stream')).toHaveLength(1);
  });
});
