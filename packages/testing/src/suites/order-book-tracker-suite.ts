// The seed requirement "order book tracker test", written once: a connector's
// order book tracker over its data source and one shared market socket, against
// the simulator's true books — several pairs, a dropped socket, sequence faults
// (skipped, repeated, reordered), a malformed frame, and the taker side of
// public trades. The connector's adapter starts its tracker and says how its
// simulator injects each fault; what only its exchange does is checked in the
// adapter's hooks or in extra tests registered with the suite's context.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { OrderBookTracker, OrderBookTrackerDataSource, TradeMessage } from '@hb/core/connector';
import type { EngineTrade } from '../engine/engine-types.js';
import { restingOrderBy, stepActivityPerTurn } from '../conformance/harness-kit.js';
import type { SimulatorBase } from '../simulator/simulator-base.js';
import type { SimActivity } from '../simulator/simulator-types.js';
import { Cleanup, nextTurn, waitFor } from '../util/test-helpers.js';
import {
  levelDifference,
  startTrackerForTest,
  waitForBooksInSync,
  type TrackedSocket,
  type TrackerRecording,
} from '../util/tracker-checks.js';

/** Book levels compared with the simulator's. */
const DEPTH = 20;

/** How a suite asks for a tracker: socket timings and the tracker's silence bound. */
export interface TrackerOptions {
  /** The socket's ping interval and dead time, ms (test bounds; default the connector's). */
  readonly socket?: { readonly deadAfterMs?: number; readonly pingIntervalMs?: number };
  /** The tracker's "no book data while the exchange moved on" bound, ms (0: off; default the tracker's). */
  readonly silenceTimeoutMs?: number;
}

/** What a connector's adapter builds for one test. */
export interface StartedTracker<T extends OrderBookTracker> {
  readonly tracker: T;
  readonly dataSource: OrderBookTrackerDataSource;
  /** The one shared market socket (stream, feed) the data source reads. */
  readonly socket: TrackedSocket;
}

/** A started tracker with its recorded events, as the suite's tests and hooks see it. */
export type TrackerEnv<T extends OrderBookTracker> = StartedTracker<T> & TrackerRecording;

/**
 * How a connector's book tracker runs on its simulator: the part of the adapter
 * the order book tracker and live-status suites share (`X`: the connector's own
 * tracker options, for its extra tests).
 */
export interface BookTrackerAdapter<
  S extends object,
  T extends OrderBookTracker,
  X extends object = object,
> {
  /** Connector name, in the titles. */
  readonly name: string;
  /** Starts the simulator (demo account) with `seed`; the suite stops it. */
  startSimulator(seed: number): Promise<S>;
  /** Activity steps before the tracker starts, so every book has depth. */
  readonly warmupSteps: number;
  /** Builds the connector's tracker on `pairs` (not started); `cleanup` runs after the test. */
  createTracker(
    sim: S,
    pairs: readonly string[],
    options: TrackerOptions & { readonly connector?: X },
    cleanup: Cleanup,
  ): Promise<StartedTracker<T>>;
  /** The simulator's market sockets (one per connection). */
  marketConnections(sim: S): readonly { readonly id: number }[];
  /**
   * The stream name (or pattern) of `pair`'s book messages in the simulator's
   * fault injector: every sequence fault of the suites is made on it.
   */
  bookStream(pair: string): string | RegExp;
}

/** A connector's side of {@link describeOrderBookTrackerSuite}. */
export interface OrderBookTrackerSuiteAdapter<
  S extends SimulatorBase,
  T extends OrderBookTracker,
> extends BookTrackerAdapter<S, T> {
  /** Three listed pairs; the first trades in the public-trades test. */
  readonly pairs: readonly [string, string, string];
  /** The word the exchange uses for a pair ("pair", "product"), in the titles. */
  readonly pairWord?: string;
  /** Waits until the server has the tracker's subscriptions, when readiness can come first. */
  subscribed?(sim: S, pairs: readonly string[]): Promise<void>;
  /** The reason of every pair's `resync` after the socket came back. */
  readonly reconnectReason: string;
  /** The sequence number of `pair`'s last book message, when the exchange numbers them per pair. */
  sequence?(sim: S, pair: string): number;
  /** More than price levels to compare (order-level books): '' when equal, else what differs. */
  difference?(sim: S, tracker: T, pair: string): string;
  /**
   * How many resting orders at one price make two consecutive book messages (the
   * pair the reorder fault swaps): 2 where a message is a level's new amount, 1
   * where one order makes two messages (`received`, `open`).
   */
  readonly ordersPerReorder: 1 | 2;
  /** A malformed frame in the exchange's framing (default the injector's). */
  readonly malformedFrame?: string;
  /** Checks the server's subscriptions once every pair is tracked (one socket, the exchange's channels). */
  checkSubscriptions(sim: S, pairs: readonly string[]): void;
  /** Waits until the trade channel of `pair` reached the server, when it is subscribed apart from the book. */
  tradesSubscribed?(sim: S, pair: string): Promise<void>;
  /** Where the taker side comes from on this exchange, in the trades test's title. */
  readonly takerSideSource: string;
  /**
   * The id a trade of the simulator's engine carries on the exchange's wire
   * (default its number; Bittrex sends UUIDs).
   */
  tradeId?(sim: S, trade: EngineTrade): string;
}

/** What extra tests of a connector get from the suite (valid inside a test). */
export interface TrackerSuiteContext<S extends SimulatorBase, T extends OrderBookTracker> {
  readonly sim: S;
  readonly activity: SimActivity;
  readonly cleanup: Cleanup;
  /** Starts the connector's tracker (default every pair) and waits until it is ready. */
  startTracker(pairs?: readonly string[]): Promise<TrackerEnv<T>>;
  /** Waits until every pair's book (default every pair) equals the simulator's. */
  expectInSync(env: TrackerEnv<T>, pairs?: readonly string[]): Promise<void>;
}

/**
 * Registers the order book tracker tests of one connector; `extra` registers
 * the connector's own tests in the same `describe`, with the same set-up.
 */
export function describeOrderBookTrackerSuite<S extends SimulatorBase, T extends OrderBookTracker>(
  adapter: OrderBookTrackerSuiteAdapter<S, T>,
  extra?: (context: TrackerSuiteContext<S, T>) => void,
): void {
  const PAIRS = adapter.pairs;
  const [FIRST, SECOND, THIRD] = PAIRS;
  const word = adapter.pairWord ?? 'pair';
  const cleanup = new Cleanup();
  let sim: S;
  let activity: SimActivity;

  async function startTracker(pairs: readonly string[] = PAIRS): Promise<TrackerEnv<T>> {
    const started = await adapter.createTracker(sim, pairs, {}, cleanup);
    const recording = await startTrackerForTest(cleanup, started.tracker, started.socket);
    await adapter.subscribed?.(sim, pairs);
    return { ...started, ...recording };
  }

  function difference(env: TrackerEnv<T>, pair: string): string {
    const levels = levelDifference(env.tracker, sim, pair, DEPTH);
    return levels !== '' ? levels : (adapter.difference?.(sim, env.tracker, pair) ?? '');
  }

  async function expectInSync(env: TrackerEnv<T>, pairs: readonly string[] = PAIRS): Promise<void> {
    await waitForBooksInSync(env.tracker, pairs, (p) => difference(env, p));
  }

  const step = (n: number): Promise<void> => stepActivityPerTurn(activity, n);
  const resyncedPairs = (env: TrackerEnv<T>): string[] =>
    env.events.flatMap((e) => (e.type === 'resync' ? [e.pair] : []));

  describe(`order book tracker test (seed requirement): ${adapter.name}`, () => {
    beforeEach(async () => {
      sim = await adapter.startSimulator(5);
      cleanup.add(() => sim.stop());
      activity = sim.activity(21);
      activity.step(adapter.warmupSteps);
    });

    afterEach(() => cleanup.run());

    it(`tracks several ${word}s on one socket; each book equals the simulator after activity`, async () => {
      const env = await startTracker();
      expect(env.tracker.ready).toBe(true);
      for (const p of PAIRS) expect(env.tracker.isPairReady(p)).toBe(true);
      const synced = env.events.flatMap((e) => (e.type === 'synced' ? [e.pair] : []));
      expect(synced.sort()).toEqual([...PAIRS].sort());

      await step(150);
      await expectInSync(env);
      expect(adapter.marketConnections(sim)).toHaveLength(1);
      adapter.checkSubscriptions(sim, PAIRS);
      if (adapter.sequence !== undefined) {
        // The book's update id is the exchange's sequence of the pair.
        for (const p of PAIRS)
          expect(env.tracker.getOrderBook(p).lastUpdateId).toBe(adapter.sequence(sim, p));
      }
      expect(env.tracker.stats.diffsApplied).toBeGreaterThan(0);
      expect(env.tracker.stats.resyncs).toBe(0);
    });

    it(`re-syncs every ${word} after the socket is dropped mid-stream`, async () => {
      const env = await startTracker();
      const firstSocket = adapter.marketConnections(sim)[0]!.id;
      await step(30);
      sim.dropMarketSockets();
      // Changes made while the socket is down are never sent.
      await step(30);
      await waitFor('a new socket', () => adapter.marketConnections(sim).some((c) => c.id !== firstSocket));
      await step(30);
      await expectInSync(env);
      expect(resyncedPairs(env).sort()).toEqual([...PAIRS].sort());
      const reasons = env.events.flatMap((e) => (e.type === 'resync' ? [e.reason] : []));
      expect(new Set(reasons)).toEqual(new Set([adapter.reconnectReason]));
    });

    it(`a skipped sequence is detected as a gap and only that ${word} re-syncs`, async () => {
      const env = await startTracker();
      await step(10);
      const before = adapter.sequence?.(sim, FIRST);
      sim.faults.skipSequence({ stream: adapter.bookStream(FIRST) });
      await step(30);
      await expectInSync(env);
      const gap = env.events.find((e) => e.type === 'gap');
      expect(gap).toMatchObject({ type: 'gap', pair: FIRST });
      if (gap?.type === 'gap') {
        expect(gap.got).toBeGreaterThan(gap.expected);
        if (before !== undefined) expect(gap).toMatchObject({ expected: before + 1, got: before + 2 });
      }
      expect(env.events).toContainEqual({ type: 'resync', pair: FIRST, reason: 'gap' });
      expect(resyncedPairs(env)).toEqual([FIRST]);
    });

    it('a repeated book message is dropped as stale: no gap, book still equal', async () => {
      const env = await startTracker();
      await step(10);
      const dropped = env.tracker.stats.diffsDropped;
      sim.faults.repeatSequence({ stream: adapter.bookStream(SECOND) }, { times: 3 });
      await step(30);
      await expectInSync(env);
      expect(env.events.some((e) => e.type === 'gap' || e.type === 'resync')).toBe(false);
      expect(env.tracker.stats.diffsDropped).toBeGreaterThanOrEqual(dropped + 3);
    });

    it('reordered book messages are caught as a gap and repaired', async () => {
      const env = await startTracker();
      await step(10);
      const price = sim.engine(THIRD).bestBid()!.minus('0.00005');
      // Two consecutive book messages of the pair, swapped on the wire (the
      // simulator swaps a held frame with whatever frame the socket sends next).
      sim.faults.reorderSequence({ stream: adapter.bookStream(THIRD) });
      for (let i = 1; i <= adapter.ordersPerReorder; i++)
        await restingOrderBy(sim, THIRD, 'buy', price, `0.0${i}`);
      await waitFor('the gap', () => env.events.some((e) => e.type === 'gap' && e.pair === THIRD));
      expect(env.events).toContainEqual({ type: 'resync', pair: THIRD, reason: 'gap' });
      await step(30);
      await expectInSync(env);
      expect(env.tracker.getOrderBook(THIRD).bidEntries(DEPTH)).toContainEqual([
        price.toNumber(),
        expect.any(Number),
      ]);
    });

    it('a malformed frame is reported, crashes nothing, and the books stay equal', async () => {
      const env = await startTracker();
      await step(10);
      sim.faults.malformedFrame(
        { stream: adapter.bookStream(FIRST) },
        adapter.malformedFrame === undefined ? {} : { frame: adapter.malformedFrame },
      );
      await step(30);
      await expectInSync(env);
      expect(env.socketErrors.some((e) => e.reason === 'malformed_message')).toBe(true);
      expect(adapter.marketConnections(sim)).toHaveLength(1);
    });

    it(`public trades carry the taker side (${adapter.takerSideSource})`, async () => {
      const env = await startTracker([FIRST]);
      const trades: TradeMessage[] = [];
      const sub = env.dataSource.listenForTrades([FIRST]).subscribe((t) => trades.push(t));
      cleanup.add(() => sub.unsubscribe());
      await adapter.tradesSubscribed?.(sim, FIRST);

      const engine = sim.engine(FIRST);
      const firstTradeId = (engine.recentTrades(1)[0]?.tradeId ?? 0) + 1;
      // A taker that sells into the best bid, and one that buys the best ask.
      sim.takeFromAccount('someone', FIRST, 'buy', engine.bestBid()!, '0.0001');
      await nextTurn();
      sim.takeFromAccount('someone', FIRST, 'sell', engine.bestAsk()!, '0.0001');
      await step(60);

      const simTrades = engine.recentTrades(1000).filter((t) => t.tradeId >= firstTradeId);
      const idOf = (t: EngineTrade): string => adapter.tradeId?.(sim, t) ?? String(t.tradeId);
      await waitFor('every trade on the socket', () =>
        simTrades.every((t) => trades.some((m) => m.tradeId === idOf(t))),
      );
      expect(new Set(simTrades.map((t) => t.takerSide))).toEqual(new Set(['buy', 'sell']));
      for (const t of simTrades) {
        const message = trades.find((m) => m.tradeId === idOf(t))!;
        expect(message.side).toBe(t.takerSide);
        expect(message.price).toBe(t.price.toNumber());
        expect(message.amount).toBe(t.amount.toNumber());
      }
      expect(env.tracker.getOrderBook(FIRST).lastTradePrice).toBe(
        simTrades[simTrades.length - 1]!.price.toNumber(),
      );
      await expectInSync(env, [FIRST]);
    });

    extra?.({
      get sim() {
        return sim;
      },
      get activity() {
        return activity;
      },
      cleanup,
      startTracker,
      expectInSync,
    });
  });
}
