// "Every book says whether it is live", written once: against the simulator, a
// closed socket and a silent one (no frames, no pongs) make the book `stale`
// within the configured bound, then it re-syncs to the simulator's book; a book
// stream that stops while the socket still answers is caught by checking the
// exchange. (A wrong key on the user stream is a conformance check.) The
// connector's adapter builds its tracker; a refused subscription is an optional
// test, run when the adapter says how its simulator refuses one; what only its
// exchange does (channels, its own timings) goes in extra tests with the
// suite's context. The simulator needs only what the tests use
// ({@link LiveStatusSimulator}): a SimulatorBase has it, and so does a simulator
// whose activity is asynchronous (a relayer over a chain, whose steps are
// transactions).
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import {
  isFatalStreamError,
  type HbError,
  type LiveStatus,
  type OrderBookTracker,
  type OrderBookTrackerDataSource,
  type OrderBookTrackerEvent,
} from '@hb/core/connector';
import type { FaultInjector } from '../faults/fault-injector.js';
import { Cleanup, nextTurn, waitFor } from '../util/test-helpers.js';
import { levelDifference, type TrackedSocket } from '../util/tracker-checks.js';
import type { BookTrackerAdapter, TrackerOptions } from './order-book-tracker-suite.js';

/** Book levels compared with the simulator's. */
const DEPTH = 20;

/** Synthetic activity the suite steps: synchronous (a matching engine) or not (transactions on a chain). */
export interface LiveStatusActivity {
  /** Runs `n` steps; a returned promise is awaited. */
  step(n?: number): void | Promise<void>;
}

/**
 * What the suite needs of a simulator. `SimulatorBase` has all of it;
 * other simulators (Radar Relay's relayer over a chain) provide the same.
 */
export interface LiveStatusSimulator {
  /** The true book of `pair`, best first (price, amount). */
  trueBook(pair: string, depth?: number): { bids: [number, number][]; asks: [number, number][] };
  /** Drops every market socket now. */
  dropMarketSockets(): unknown;
  /** The frame faults of its market sockets. */
  readonly faults: Pick<FaultInjector, 'silenceSocket' | 'skipSequence'>;
  /** Seeded synthetic activity on every market. */
  activity(seed: number): LiveStatusActivity;
  /** Sends what is batched now, when the simulator batches frames. */
  flush?(): void;
  stop(): Promise<void>;
}

/** The activity type of a simulator `S`. */
export type ActivityOf<S extends LiveStatusSimulator> = ReturnType<S['activity']>;

/** One status a pair went through, with the local time it was reported. */
export interface RecordedStatus {
  readonly pair: string;
  readonly status: LiveStatus;
  readonly at: number;
  readonly reason?: string;
  readonly error?: HbError;
}

/** A started tracker with its events and statuses. */
export interface LiveTrackerEnv<T extends OrderBookTracker> {
  readonly tracker: T;
  readonly dataSource: OrderBookTrackerDataSource;
  /** The market socket the data source reads. */
  readonly socket: TrackedSocket;
  readonly events: OrderBookTrackerEvent[];
  readonly statuses: RecordedStatus[];
}

/** A refusal the simulator applies to one pair's subscriptions until restored. */
export interface SubscriptionRefusal {
  /** How many subscriptions of the pair it has refused so far. */
  readonly refused: number;
  /** Serves the pair again. */
  restore(): void;
}

/**
 * The optional test "a refused subscription": with the tracker live on the
 * suite's pair, `pair` is added while the exchange refuses it. The refusal must
 * be one typed, fatal `SubscriptionError` event for that pair alone (never live,
 * stale with the error, not ready; the suite's pair stays live and equal), no
 * subscription is sent again within `retryGrace`, and once the exchange serves
 * the pair again, removing and adding it makes it live and equal.
 */
export interface RefusedSubscriptionCheck<S extends LiveStatusSimulator> {
  /** What the exchange refuses, for the title (`SUBSCRIBE`, `BOOK subscription`). */
  readonly what: string;
  /** The pair added while refused (another than the suite's). */
  readonly pair: string;
  /** Makes the simulator refuse every subscription of `pair` until restored. */
  refuse(sim: S, pair: string): SubscriptionRefusal;
  /** Moves the books (e.g. activity steps one per turn), so the live pair is seen following them. */
  step(activity: ActivityOf<S>): Promise<void>;
  /** The exchange's own fields of the typed error (Jest `toMatchObject` pattern), e.g. its code. */
  readonly error: object;
  /** What the error's message must say (e.g. the refused channel and the exchange's text). */
  readonly message: RegExp;
  /**
   * Exactly how many refusals the one subscription gets, when the exchange
   * answers it once (Binance: one error reply per SUBSCRIBE); by default at
   * least one. Either way the count must not grow within `retryGrace`.
   */
  readonly refusals?: number;
  /**
   * How long the negative assertion "not retried" waits, with the reason it is
   * enough (the stream's reconnect backoff and the tracker's retry delay).
   */
  readonly retryGrace: { readonly ms: number; readonly reason: string };
  /**
   * Whether the re-added book must equal the simulator's the moment it is live
   * (true where the snapshot and the stream come from one source in step);
   * either way it must then follow the simulator's moves.
   */
  readonly equalOnceLive?: boolean;
}

/** A connector's side of {@link describeLiveStatusSuite}; `X` are its own tracker options (extra tests pass them). */
export interface LiveStatusSuiteAdapter<
  S extends LiveStatusSimulator,
  T extends OrderBookTracker,
  X extends object = object,
> extends BookTrackerAdapter<S, T, X> {
  /** The pair every test tracks. */
  readonly pair: string;
  /** When given, the suite also runs its refused-subscription test ({@link RefusedSubscriptionCheck}). */
  readonly refusedSubscription?: RefusedSubscriptionCheck<S>;
}

/** What extra tests of a connector get from the suite (valid inside a test). */
export interface LiveStatusSuiteContext<
  S extends LiveStatusSimulator,
  T extends OrderBookTracker,
  X extends object,
> {
  readonly sim: S;
  readonly activity: ActivityOf<S>;
  readonly cleanup: Cleanup;
  /** Starts a tracker on the suite's pair (or `pairs`) and, unless `waitLive: false`, waits for a live book. */
  startTracker(
    options?: TrackerOptions & {
      /** The connector's own tracker options. */
      readonly connector?: X;
      readonly waitLive?: boolean;
      readonly pairs?: readonly string[];
    },
  ): Promise<LiveTrackerEnv<T>>;
  /** Waits for a live book of `pair` (default the suite's) equal to the simulator's. */
  expectLiveAndEqual(env: LiveTrackerEnv<T>, pair?: string): Promise<void>;
  /** Whether the tracked book of `pair` equals the simulator's now. */
  equal(env: LiveTrackerEnv<T>, pair?: string): boolean;
}

/** Registers the live-status tests of one connector; `extra` registers its own in the same `describe`. */
export function describeLiveStatusSuite<
  S extends LiveStatusSimulator,
  T extends OrderBookTracker,
  X extends object = object,
>(
  adapter: LiveStatusSuiteAdapter<S, T, X>,
  extra?: (context: LiveStatusSuiteContext<S, T, X>) => void,
): void {
  const PAIR = adapter.pair;
  const cleanup = new Cleanup();
  let sim: S;
  let activity: ActivityOf<S>;

  const startTracker: LiveStatusSuiteContext<S, T, X>['startTracker'] = async (options = {}) => {
    const { waitLive, pairs, silenceTimeoutMs, ...rest } = options;
    const tracked = pairs ?? [PAIR];
    const trackerOptions = { ...rest, silenceTimeoutMs: silenceTimeoutMs ?? 0 };
    const { tracker, dataSource, socket } = await adapter.createTracker(
      sim,
      tracked,
      trackerOptions,
      cleanup,
    );
    const events: OrderBookTrackerEvent[] = [];
    const statuses: RecordedStatus[] = [];
    const subs = [
      tracker.events$.subscribe((e) => events.push(e)),
      tracker.status$.subscribe((c) =>
        statuses.push({
          pair: c.pair,
          status: c.state.status,
          at: Date.now(),
          reason: c.state.reason,
          error: c.state.error,
        }),
      ),
    ];
    cleanup.add(() => socket.close());
    cleanup.add(() => tracker.stop());
    cleanup.add(() => subs.forEach((s) => s.unsubscribe()));
    tracker.start();
    if (waitLive !== false)
      await waitFor('a live book', () => tracker.getPairStatus(PAIR)?.status === 'live');
    return { tracker, dataSource, socket, events, statuses };
  };

  const equal = (env: LiveTrackerEnv<T>, pair = PAIR): boolean =>
    levelDifference(env.tracker, sim, pair, DEPTH) === '';

  async function expectLiveAndEqual(env: LiveTrackerEnv<T>, pair = PAIR): Promise<void> {
    await waitFor(
      'a live book equal to the simulator',
      () => {
        sim.flush?.();
        return env.tracker.getPairStatus(pair)?.status === 'live' && equal(env, pair);
      },
      10_000,
    );
  }

  /** ms from `from` until the pair was reported stale (throws when it was not). */
  function staleAfter(env: LiveTrackerEnv<T>, from: number): number {
    const stale = env.statuses.find((s) => s.pair === PAIR && s.status === 'stale' && s.at >= from);
    if (stale === undefined) throw new Error('never stale');
    return stale.at - from;
  }

  const staleSince = (env: LiveTrackerEnv<T>, t0: number): boolean =>
    env.statuses.some((s) => s.pair === PAIR && s.status === 'stale' && s.at >= t0);
  /** One step per turn of the event loop, so each step's frames leave the server before the next. */
  const step = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) {
      await activity.step(1);
      await nextTurn();
    }
  };

  describe(`live status: ${adapter.name}`, () => {
    beforeEach(async () => {
      sim = await adapter.startSimulator(11);
      cleanup.add(() => sim.stop());
      activity = sim.activity(17) as ActivityOf<S>;
      await activity.step(adapter.warmupSteps);
    });

    afterEach(async () => {
      jest.restoreAllMocks();
      await cleanup.run();
    });

    it('a closed socket makes the book stale at once, then it re-syncs and is live and equal', async () => {
      const env = await startTracker();
      await step(20);
      const t0 = Date.now();
      sim.dropMarketSockets();
      await waitFor('stale', () => staleSince(env, t0));
      expect(staleAfter(env, t0)).toBeLessThan(30_000);
      expect(env.tracker.isPairReady(PAIR)).toBe(false);
      await step(40);
      await expectLiveAndEqual(env);
    });

    it('a silent socket (no frames, no pongs) is stale within its dead time, then reconnects and is live and equal', async () => {
      const env = await startTracker({ socket: { deadAfterMs: 1_200, pingIntervalMs: 200 } });
      await step(20);
      const first = adapter.marketConnections(sim)[0]!.id;
      const t0 = Date.now();
      sim.faults.silenceSocket({ connectionId: first });
      await step(20);
      await waitFor('stale', () => staleSince(env, t0), 10_000);
      // Dead after 1.2 s without a frame or pong (a test bound; the defaults are within 30 s).
      expect(staleAfter(env, t0)).toBeLessThan(5_000);
      await waitFor('a new socket', () => adapter.marketConnections(sim).some((c) => c.id !== first));
      await step(40);
      await expectLiveAndEqual(env);
    });

    it('a book stream that stops while the socket still answers is stale once the exchange moved on, then live and equal', async () => {
      const env = await startTracker({ silenceTimeoutMs: 800, socket: { pingIntervalMs: 200 } });
      await step(20);
      // Every book message of the pair is lost; heartbeats and pongs still flow.
      const fault = sim.faults.skipSequence(
        { stream: adapter.bookStream(PAIR) },
        { times: Number.POSITIVE_INFINITY },
      );
      const t0 = Date.now();
      await step(20);
      await waitFor('stale', () => staleSince(env, t0), 10_000);
      // The reason as reported: where activity steps are slow (transactions on a
      // chain), the pair may already have re-synced by the time this runs.
      expect(env.statuses.find((s) => s.pair === PAIR && s.status === 'stale' && s.at >= t0)?.reason).toMatch(
        /no book data/,
      );
      expect(staleAfter(env, t0)).toBeLessThan(5_000);
      fault.remove();
      await step(40);
      await expectLiveAndEqual(env);
    });

    const refused = adapter.refusedSubscription;
    if (refused !== undefined)
      it(`a refused ${refused.what} is a typed, fatal error: that book is stale, never live, not retried; live and equal once added again`, async () => {
        const OTHER = refused.pair;
        const env = await startTracker();
        // The socket is open with the suite's pair: the new one goes out as a live subscription.
        const refusal = refused.refuse(sim, OTHER);
        cleanup.add(() => refusal.restore());
        env.tracker.addTradingPair(OTHER);
        const refusedEvents = () => env.events.filter((e) => e.type === 'error' && e.pair === OTHER);
        await waitFor('the refusal', () => refusedEvents().length > 0);
        const event = refusedEvents()[0];
        expect(event).toMatchObject({ fatal: true });
        const error = (event as unknown as { error: HbError }).error;
        expect(error.name).toBe('SubscriptionError');
        expect(error.retryable).toBe(false);
        expect(isFatalStreamError(error)).toBe(true);
        expect(error).toMatchObject(refused.error);
        expect(error.message).toMatch(refused.message);
        expect(env.tracker.getPairStatus(OTHER)).toMatchObject({ status: 'stale', error });
        expect(env.tracker.isPairReady(OTHER)).toBe(false);
        expect(env.statuses.filter((s) => s.pair === OTHER && s.status === 'live')).toEqual([]);
        expect(env.tracker.getPairStatus(PAIR)?.status).toBe('live');
        const refusedOnce = refusal.refused;
        if (refused.refusals !== undefined) expect(refusedOnce).toBe(refused.refusals);
        else expect(refusedOnce).toBeGreaterThanOrEqual(1);
        // The other pair's book keeps moving while the refused one stays halted.
        const t0 = Date.now();
        await refused.step(activity);
        await expectLiveAndEqual(env);
        // Negative assertion: no retry within the grace the exchange's timings need.
        await waitFor(
          `${refused.retryGrace.ms} ms of a halted pair (${refused.retryGrace.reason})`,
          () => Date.now() - t0 > refused.retryGrace.ms,
          refused.retryGrace.ms + 10_000,
        );
        expect(refusal.refused).toBe(refusedOnce);
        expect(refusedEvents()).toHaveLength(1);
        expect(env.tracker.getPairStatus(OTHER)?.status).toBe('stale');
        // Added again once the exchange serves it: live and equal, and following the exchange.
        refusal.restore();
        env.tracker.removeTradingPair(OTHER);
        env.tracker.addTradingPair(OTHER);
        await waitFor(
          'the pair live once served',
          () => env.tracker.getPairStatus(OTHER)?.status === 'live',
          15_000,
        );
        if (refused.equalOnceLive === true) expect(equal(env, OTHER)).toBe(true);
        await refused.step(activity);
        await expectLiveAndEqual(env, OTHER);
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
      expectLiveAndEqual,
      equal,
    });
  });
}
