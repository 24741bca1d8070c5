import {
  BehaviorSubject,
  Subject,
  Subscription,
  asyncScheduler,
  distinctUntilChanged,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import { isFatalStreamError, liveState, type LiveState, type LiveStatus } from '../market/live-status.js';
import { ActiveOrderTracker } from './active-order-tracker.js';
import type {
  DiffMessage,
  OrderDiffMessage,
  OrderSnapshotMessage,
  SnapshotMessage,
  TradeMessage,
} from './order-book-message.js';
import type {
  DisconnectedSignal,
  OrderBookTrackerDataSource,
  ResyncSignal,
} from './order-book-tracker-data-source.js';
import { OrderBook } from './order-book.js';
import type { SequenceRule } from './sequence-rules.js';
import { isValidBookLevel } from '../util/wire-readers.js';

/**
 * What an {@link OrderBookTracker} reports about its pairs.
 *
 * - `synced`: the pair's book was rebuilt from a snapshot plus the diffs that
 *   follow it and is live at `updateId`;
 * - `gap`: a diff did not follow the book (`expected` vs `got`, in the terms of
 *   the sequence rule); a `resync` follows;
 * - `resync`: the pair started re-synchronising (`reason`: `gap`,
 *   `stale snapshot`, `stream error`, or the data source's own reason);
 * - `error`: a snapshot fetch or a stream failed, or a message did not fit the
 *   book kind; the tracker retries on its own unless `fatal` (authentication,
 *   a refused subscription: retrying cannot fix it, the pair stays `stale`).
 */
export type OrderBookTrackerEvent =
  | { readonly type: 'synced'; readonly pair: string; readonly updateId: number }
  | { readonly type: 'gap'; readonly pair: string; readonly expected: number; readonly got: number }
  | { readonly type: 'resync'; readonly pair: string; readonly reason: string }
  | { readonly type: 'error'; readonly pair: string; readonly error: Error; readonly fatal?: boolean };

/** A pair's book changed live status (see {@link LiveStatus}). */
export interface OrderBookStatusChange {
  readonly pair: string;
  readonly state: LiveState;
}

/** Counters over the tracker's life, all pairs together. */
export interface OrderBookTrackerStats {
  /** Diffs applied to a book (live and replayed from the buffer). */
  readonly diffsApplied: number;
  /** Diffs not applied: stale, of the wrong book kind, or pushed out of a full buffer. */
  readonly diffsDropped: number;
  /** Re-synchronisations started after the first sync (gaps, stale snapshots, resync signals, stream errors). */
  readonly resyncs: number;
  /**
   * Messages refused whole because a level could not be in a book (non-finite,
   * price <= 0, negative amount) or the update-id range was inverted. Each one
   * re-syncs its pair: what it would have changed is unknown.
   */
  readonly messagesRefused: number;
}

/** Options of {@link OrderBookTracker}. */
export interface OrderBookTrackerOptions {
  /** The exchange's data source. */
  readonly dataSource: OrderBookTrackerDataSource;
  /** Pairs to track from the start (`BASE-QUOTE`). */
  readonly tradingPairs: readonly string[];
  /** The exchange's sequence rule (see sequence-rules.ts). */
  readonly sequenceRule: SequenceRule;
  /**
   * True when the source sends order-level books (`order_snapshot` /
   * `order_diff`): each pair then keeps an {@link ActiveOrderTracker} that turns
   * orders into the book's price levels. Messages of the other kind are refused.
   */
  readonly orderBased?: boolean;
  /** For order-based books: trim crossed orders (DEX relayers). See {@link ActiveOrderTracker.trimCrossed}. */
  readonly trimCrossed?: boolean;
  /**
   * Wait before fetching a snapshot again after a gap, a stale snapshot or a
   * resync signal, in ms (default 1000). Gives the exchange's REST snapshot time
   * to catch up with the stream (Binance serves snapshots that lag it) and keeps
   * a flapping feed from hammering a heavy endpoint.
   */
  readonly resyncDelayMs?: number;
  /**
   * Wait before retry number `attempt` (1, 2, ...) of a failed snapshot fetch or
   * a failed stream, in ms. Default: 500 ms doubling to 30 s, with ±20 % jitter
   * so that many pairs failing together do not retry in lock step.
   */
  readonly retryDelayMs?: (attempt: number) => number;
  /**
   * Snapshot fetches in flight at once (default 8). The rest queue, pairs the
   * user has read ({@link OrderBookTracker.getOrderBook}) first, then in the
   * order they were added: with hundreds of pairs, the first books are usable
   * early and the exchange's weight limit is met by waiting, not by 429s.
   */
  readonly maxConcurrentSnapshots?: number;
  /** Most diffs buffered per pair while it syncs (default 50 000); the oldest go first. */
  readonly maxBufferedDiffs?: number;
  /** Where delays are scheduled (default `asyncScheduler`); tests pass a virtual one. */
  readonly scheduler?: SchedulerLike;
  /**
   * A live pair whose diff stream has said nothing for this long (ms) is checked
   * against the exchange (the data source's `isBehindExchange`, or a snapshot
   * whose update id moved on): if the exchange moved on, the stream is dead
   * though its socket may still answer pings, so the book turns `stale` and its
   * streams are opened again. Default 15 000 (a dead stream is `stale` well
   * within 30 s); 0 turns the check off.
   */
  readonly silenceTimeoutMs?: number;
}

type BookDiff = DiffMessage | OrderDiffMessage;
type BookSnapshot = SnapshotMessage | OrderSnapshotMessage;

interface PairState {
  readonly pair: string;
  readonly book: OrderBook;
  readonly activeOrders: ActiveOrderTracker | undefined;
  /** idle: not started; syncing: buffering until a usable snapshot; live: applying diffs. */
  status: 'idle' | 'syncing' | 'live';
  /** What users see: syncing, live or stale, with the reason and error. */
  live: LiveState;
  /** True after a fatal error: no retry until the pair is started again. */
  halted: boolean;
  /** True between a `disconnected` signal and the `resync` after the reconnect: nothing to fetch. */
  disconnected: boolean;
  /** Scheduler time of the last diff-stream message, for the silence check. */
  lastMessageAt: number;
  watchdog: Subscription | undefined;
  /** Update id the book is at, in the sequence rule's terms. */
  updateId: number;
  buffer: BookDiff[];
  /**
   * Bumped by every new sync attempt, stop and removal: an async result (a
   * snapshot answer, a timer) carrying an older generation is stale and ignored.
   */
  generation: number;
  /** Consecutive failures (snapshot fetches, streams), for the backoff. */
  failures: number;
  streams: Subscription | undefined;
  timer: Subscription | undefined;
}

const DEFAULT_RESYNC_DELAY_MS = 1000;
const DEFAULT_SILENCE_MS = 15_000;
const DEFAULT_MAX_CONCURRENT_SNAPSHOTS = 8;
const DEFAULT_MAX_BUFFERED = 50_000;

/** 500 ms doubling to 30 s, ±20 % jitter. */
function defaultRetryDelay(attempt: number): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * Math.random()));
}

/**
 * Why a book message cannot be applied, or undefined when it can: every level
 * must have a finite price > 0 and a finite amount >= 0, and a range of update
 * ids must not be inverted. Order-level messages are checked by their tracker.
 */
function refusal(message: BookDiff | BookSnapshot): string | undefined {
  if (!Number.isFinite(message.updateId)) return `update id ${message.updateId} is not finite`;
  if (
    message.type === 'diff' &&
    message.firstUpdateId !== undefined &&
    !(message.firstUpdateId <= message.updateId)
  )
    return `first update id ${message.firstUpdateId} is above the last ${message.updateId}`;
  if (message.type !== 'diff' && message.type !== 'snapshot') return undefined;
  for (const side of [message.bids, message.asks]) {
    for (let i = 0; i < side.length; i++) {
      const [price, amount] = side[i]!;
      if (!isValidBookLevel(price, amount)) return `level [${price}, ${amount}] cannot be in a book`;
    }
  }
  return undefined;
}

function toError(e: unknown): Error {
  if (e instanceof Error) return e;
  return new HbError('unknown', typeof e === 'string' ? e : 'non-Error failure', { cause: e });
}

/**
 * Keeps one live {@link OrderBook} per trading pair from an exchange's data
 * source, following the exchange's sequence rule.
 *
 * For each pair it subscribes to the diff, trade and (when the source has them)
 * pushed-snapshot streams first, buffers diffs, then fetches a snapshot. The
 * buffered diffs are replayed through the same sequence check as live ones, so
 * stale ones are dropped and a gap is caught; a snapshot older than the first
 * buffered diff is fetched again. A gap in live diffs, a `resync` signal from the
 * source or a failed stream re-synchronises that pair alone, with no user action.
 *
 * Half-built books are never visible: a snapshot and the buffered diffs after it
 * are applied in one synchronous step. While a pair re-syncs its book keeps the
 * last good state (readable, the same object), but the pair is not ready: check
 * {@link isPairReady} or {@link ready} before trusting prices.
 *
 * Each pair has its own subscriptions (data sources multiplex them onto their
 * sockets), so pairs can be added and removed while running.
 */
export class OrderBookTracker {
  /** Tracker events (syncs, gaps, resyncs, errors). Hot; not completed by {@link stop}. */
  readonly events$: Observable<OrderBookTrackerEvent>;
  /** Whether every pair is in sync; emits on change, starting with the current value. */
  readonly ready$: Observable<boolean>;
  /** Every change of a pair's live status (syncing, live, stale). Hot. */
  readonly status$: Observable<OrderBookStatusChange>;
  /**
   * The pair whose book just changed (a diff or a snapshot was applied). Hot, one
   * emission per change and nothing else: readers coalesce (see
   * `MarketBase.watchOrderBook`), so the hot path pays only when someone listens.
   */
  readonly updates$: Observable<string>;

  private readonly dataSource: OrderBookTrackerDataSource;
  private readonly rule: SequenceRule;
  private readonly orderBased: boolean;
  private readonly trim: boolean;
  private readonly resyncDelayMs: number;
  private readonly retryDelayMs: (attempt: number) => number;
  private readonly maxBuffered: number;
  private readonly scheduler: SchedulerLike;
  private readonly pairs = new Map<string, PairState>();
  private readonly books = new Map<string, OrderBook>();
  private readonly eventSubject = new Subject<OrderBookTrackerEvent>();
  private readonly readySubject = new BehaviorSubject<boolean>(false);
  private readonly statusSubject = new Subject<OrderBookStatusChange>();
  private readonly silenceMs: number;
  private readonly updateSubject = new Subject<string>();
  private started = false;
  private readonly maxSnapshots: number;
  /** Pairs waiting for a snapshot slot (with the generation they wait for), in order. */
  private readonly snapshotQueue = new Map<PairState, number>();
  /** Pairs the user read while they were not live: their snapshots go first. */
  private readonly readFirst = new Set<PairState>();
  private snapshotsInFlight = 0;
  private readonly counters = { diffsApplied: 0, diffsDropped: 0, resyncs: 0, messagesRefused: 0 };

  constructor(options: OrderBookTrackerOptions) {
    this.dataSource = options.dataSource;
    this.rule = options.sequenceRule;
    this.orderBased = options.orderBased ?? false;
    this.trim = options.trimCrossed ?? false;
    this.resyncDelayMs = options.resyncDelayMs ?? DEFAULT_RESYNC_DELAY_MS;
    this.retryDelayMs = options.retryDelayMs ?? defaultRetryDelay;
    this.maxBuffered = Math.max(1, options.maxBufferedDiffs ?? DEFAULT_MAX_BUFFERED);
    this.maxSnapshots = Math.max(1, options.maxConcurrentSnapshots ?? DEFAULT_MAX_CONCURRENT_SNAPSHOTS);
    this.scheduler = options.scheduler ?? asyncScheduler;
    const silence = options.silenceTimeoutMs ?? DEFAULT_SILENCE_MS;
    this.silenceMs = silence > 0 ? silence : Number.POSITIVE_INFINITY;
    this.events$ = this.eventSubject.asObservable();
    this.status$ = this.statusSubject.asObservable();
    this.ready$ = this.readySubject.pipe(distinctUntilChanged());
    this.updates$ = this.updateSubject.asObservable();
    for (const pair of options.tradingPairs) this.addTradingPair(pair);
  }

  /** True when started, tracking at least one pair, and every pair is in sync. */
  get ready(): boolean {
    return this.readySubject.value;
  }

  /** The pairs tracked, in the order they were added. */
  get tradingPairs(): string[] {
    return [...this.pairs.keys()];
  }

  /** One book per tracked pair; each the same object for as long as its pair is tracked (re-syncs included). */
  get orderBooks(): ReadonlyMap<string, OrderBook> {
    return this.books;
  }

  /** A copy of the counters. */
  get stats(): OrderBookTrackerStats {
    return { ...this.counters };
  }

  /** Whether this pair's book is in sync right now. */
  isPairReady(pair: string): boolean {
    return this.pairs.get(pair)?.status === 'live';
  }

  /**
   * A tracked pair's live status: `syncing`, `live` or `stale`, since when, and
   * why (with the error, when one caused it). Undefined for an untracked pair.
   */
  getPairStatus(pair: string): LiveState | undefined {
    return this.pairs.get(pair)?.live;
  }

  /** Every tracked pair's live status. */
  get pairStatuses(): ReadonlyMap<string, LiveState> {
    return new Map([...this.pairs].map(([pair, state]) => [pair, state.live]));
  }

  /**
   * The book of a tracked pair; it exists (possibly empty) from the moment the
   * pair is added. Throws an {@link HbError} for a pair that is not tracked.
   */
  getOrderBook(pair: string): OrderBook {
    const book = this.books.get(pair);
    if (book === undefined)
      throw new HbError('unknown', `order book for ${pair} is not tracked`, { retryable: false });
    const state = this.pairs.get(pair);
    // A book the user reads before it is live jumps the snapshot queue.
    if (state !== undefined && state.status !== 'live') this.readFirst.add(state);
    return book;
  }

  /** The order-level tracker behind a pair's book (order-based trackers only). */
  getActiveOrderTracker(pair: string): ActiveOrderTracker | undefined {
    return this.pairs.get(pair)?.activeOrders;
  }

  /** Subscribes and syncs every pair. Calling it again while started does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    for (const state of this.pairs.values()) this.startPair(state);
    this.updateReady();
  }

  /**
   * Unsubscribes every stream and cancels pending fetches and timers. Books keep
   * their last state; {@link start} syncs them again.
   */
  stop(): void {
    if (!this.started) return;
    this.started = false;
    for (const state of this.pairs.values()) this.stopPair(state);
    this.updateReady();
  }

  /** Tracks one more pair (synced at once when started). Adding a tracked pair does nothing. */
  addTradingPair(pair: string): void {
    if (this.pairs.has(pair)) return;
    const book = new OrderBook(pair);
    const state: PairState = {
      pair,
      book,
      activeOrders: this.orderBased ? new ActiveOrderTracker(book, { trimCrossed: this.trim }) : undefined,
      status: 'idle',
      live: liveState('syncing', this.scheduler.now(), 'not started'),
      halted: false,
      disconnected: false,
      lastMessageAt: 0,
      watchdog: undefined,
      updateId: -1,
      buffer: [],
      generation: 0,
      failures: 0,
      streams: undefined,
      timer: undefined,
    };
    this.pairs.set(pair, state);
    this.books.set(pair, book);
    if (this.started) this.startPair(state);
    this.updateReady();
  }

  /** Stops tracking a pair and forgets its book. Removing an untracked pair does nothing. */
  removeTradingPair(pair: string): void {
    const state = this.pairs.get(pair);
    if (state === undefined) return;
    this.stopPair(state);
    this.pairs.delete(pair);
    this.books.delete(pair);
    this.updateReady();
  }

  // ---- per-pair life cycle ----

  private startPair(state: PairState): void {
    state.halted = false;
    state.disconnected = false;
    this.beginSync(state);
    this.setLive(state, state.live.status === 'stale' ? 'stale' : 'syncing', 'subscribing');
    this.openPair(state);
  }

  /**
   * Streams first, snapshot second: a diff sent while the snapshot is being taken
   * must land in the buffer, or the book silently misses it. (Subscribing may
   * already have settled things: a pushed snapshot synced the pair, or a resync
   * signal or a failure scheduled the next step.)
   */
  private openPair(state: PairState): void {
    this.subscribeStreams(state);
    if (state.status === 'syncing' && state.timer === undefined && state.streams !== undefined) {
      this.fetchSnapshot(state, state.generation);
    }
  }

  private stopPair(state: PairState): void {
    this.snapshotQueue.delete(state);
    this.readFirst.delete(state);
    state.streams?.unsubscribe();
    state.streams = undefined;
    this.cancelTimer(state);
    this.cancelWatchdog(state);
    state.generation++;
    state.status = 'idle';
    state.buffer = [];
    state.failures = 0;
    if (state.live.status === 'live') this.setLive(state, 'stale', 'stopped');
  }

  private subscribeStreams(state: PairState): void {
    const pairs = [state.pair];
    const streams = new Subscription();
    state.streams = streams;
    streams.add(
      this.dataSource.listenForDiffs(pairs).subscribe({
        next: (m) => this.onDiffStream(state, m),
        error: (e: unknown) => this.onStreamFailure(state, streams, toError(e)),
        complete: () =>
          this.onStreamFailure(state, streams, new HbError('network', `diff stream for ${state.pair} ended`)),
      }),
    );
    streams.add(
      this.dataSource.listenForTrades(pairs).subscribe({
        next: (t) => this.onTrade(state, t),
        error: (e: unknown) => this.onStreamFailure(state, streams, toError(e)),
      }),
    );
    if (this.dataSource.listenForSnapshots !== undefined) {
      streams.add(
        this.dataSource.listenForSnapshots(pairs).subscribe({
          next: (s) => this.onPushedSnapshot(state, s),
          error: (e: unknown) => this.onStreamFailure(state, streams, toError(e)),
        }),
      );
    }
  }

  /**
   * Enters (or restarts) buffering with `keep` as the buffer: whatever else was
   * buffered, and any fetch in flight or scheduled, is void.
   */
  private beginSync(state: PairState, keep: BookDiff[] = []): void {
    this.cancelTimer(state);
    state.generation++;
    state.status = 'syncing';
    state.buffer = keep;
  }

  /** Re-syncs a pair that was syncing or live: buffer `keep` onwards, fetch after `resyncDelayMs`. */
  private resync(state: PairState, reason: string, keep: BookDiff[] = []): void {
    const wasLive = state.status === 'live';
    this.beginSync(state, keep);
    state.disconnected = false;
    // A gap is a re-sync (`syncing`); anything else (a reconnect) means the book
    // was cut off from the exchange: `stale` until it is live again.
    this.setLive(
      state,
      state.live.status === 'stale' || (wasLive && reason !== 'gap') ? 'stale' : 'syncing',
      reason,
      state.live.status === 'stale' ? state.live.error : undefined,
    );
    this.counters.resyncs++;
    this.updateReady();
    this.scheduleFetch(state, this.resyncDelayMs);
    this.emit({ type: 'resync', pair: state.pair, reason });
  }

  private scheduleFetch(state: PairState, delayMs: number): void {
    this.cancelTimer(state);
    const generation = state.generation;
    state.timer = this.scheduler.schedule(() => {
      state.timer = undefined;
      this.fetchSnapshot(state, generation);
    }, delayMs);
  }

  private cancelTimer(state: PairState): void {
    state.timer?.unsubscribe();
    state.timer = undefined;
  }

  /**
   * Waits for the exchange to acknowledge the pair's subscription, then for a
   * snapshot slot, then fetches. A refused or unanswered subscription is a
   * failure of the pair (retried with backoff), never a snapshot of a stream
   * that does not exist.
   */
  private fetchSnapshot(state: PairState, generation: number): void {
    if (!this.isCurrent(state, generation)) return;
    if (this.dataSource.whenSubscribed === undefined) {
      this.snapshotQueue.set(state, generation);
      this.pumpSnapshots();
      return;
    }
    let subscribed: Promise<void>;
    try {
      subscribed = this.dataSource.whenSubscribed(state.pair);
    } catch (e) {
      subscribed = Promise.reject(e);
    }
    subscribed.then(
      () => {
        if (!this.isCurrent(state, generation)) return;
        this.snapshotQueue.set(state, generation);
        this.pumpSnapshots();
      },
      (e: unknown) => {
        if (this.isCurrent(state, generation)) this.onSnapshotFailure(state, toError(e));
      },
    );
  }

  /** Starts queued fetches while slots are free: pairs the user read first, then in order. */
  private pumpSnapshots(): void {
    while (this.snapshotsInFlight < this.maxSnapshots && this.snapshotQueue.size > 0) {
      let next: PairState | undefined;
      for (const s of this.readFirst) {
        this.readFirst.delete(s);
        if (this.snapshotQueue.has(s)) {
          next = s;
          break;
        }
      }
      next ??= this.snapshotQueue.keys().next().value as PairState;
      const generation = this.snapshotQueue.get(next)!;
      this.snapshotQueue.delete(next);
      if (!this.isCurrent(next, generation)) continue;
      this.snapshotsInFlight++;
      this.runFetch(next, generation).finally(() => {
        this.snapshotsInFlight--;
        this.pumpSnapshots();
      });
    }
  }

  private runFetch(state: PairState, generation: number): Promise<void> {
    let answer: Promise<BookSnapshot>;
    try {
      answer = this.dataSource.getSnapshot(state.pair);
    } catch (e) {
      answer = Promise.reject(e);
    }
    return answer.then(
      (snapshot) => {
        if (!this.isCurrent(state, generation)) return;
        if (!this.fitsKind(snapshot.type)) {
          this.onSnapshotFailure(
            state,
            new HbError(
              'malformed_message',
              `${snapshot.type} message for ${this.kindName()} book ${state.pair}`,
            ),
          );
          return;
        }
        const why = refusal(snapshot);
        if (why !== undefined) {
          this.counters.messagesRefused++;
          this.onSnapshotFailure(
            state,
            new HbError('malformed_message', `refused snapshot for ${state.pair}: ${why}`, {
              retryable: false,
            }),
          );
          return;
        }
        this.syncFromSnapshot(state, snapshot);
      },
      (e: unknown) => {
        if (this.isCurrent(state, generation)) this.onSnapshotFailure(state, toError(e));
      },
    );
  }

  private onSnapshotFailure(state: PairState, error: Error): void {
    if (isFatalStreamError(error)) {
      this.halt(state, error);
      return;
    }
    state.failures++;
    this.scheduleFetch(state, this.retryDelayMs(state.failures));
    this.emit({ type: 'error', pair: state.pair, error });
  }

  /**
   * A failure retrying cannot fix (authentication, a refused subscription):
   * streams and timers go, the pair stays `stale` with the error, and the error
   * is reported once, marked fatal. `start()` after `stop()` tries again.
   */
  private halt(state: PairState, error: HbError): void {
    state.streams?.unsubscribe();
    state.streams = undefined;
    this.cancelTimer(state);
    this.cancelWatchdog(state);
    state.generation++;
    state.status = 'syncing';
    state.buffer = [];
    state.halted = true;
    this.updateReady();
    this.setLive(state, 'stale', error.message, error);
    this.emit({ type: 'error', pair: state.pair, error, fatal: true });
  }

  /**
   * Failed or ended stream: tear down all of the pair's streams (messages were
   * lost) and start the pair over after the backoff.
   */
  private onStreamFailure(state: PairState, streams: Subscription, error: Error): void {
    if (state.streams !== streams) return; // an old subscription's dying words
    if (isFatalStreamError(error)) {
      this.halt(state, error);
      return;
    }
    streams.unsubscribe();
    state.streams = undefined;
    this.beginSync(state);
    this.cancelWatchdog(state);
    state.failures++;
    this.updateReady();
    this.setLive(state, 'stale', error.message, error instanceof HbError ? error : undefined);
    const generation = state.generation;
    state.timer = this.scheduler.schedule(() => {
      state.timer = undefined;
      if (!this.isCurrent(state, generation)) return;
      this.counters.resyncs++;
      this.openPair(state);
      this.emit({ type: 'resync', pair: state.pair, reason: 'stream error' });
    }, this.retryDelayMs(state.failures));
    this.emit({ type: 'error', pair: state.pair, error });
  }

  private isCurrent(state: PairState, generation: number): boolean {
    return this.started && state.generation === generation && this.pairs.get(state.pair) === state;
  }

  // ---- messages ----

  private onDiffStream(state: PairState, message: BookDiff | ResyncSignal | DisconnectedSignal): void {
    if (state.status === 'idle' || state.halted) return;
    if (message.type === 'disconnected') {
      if (message.tradingPairs === undefined || message.tradingPairs.includes(state.pair)) {
        this.onDisconnected(state, message.reason);
      }
      return;
    }
    state.lastMessageAt = this.scheduler.now();
    if (message.type === 'resync') {
      if (message.tradingPairs === undefined || message.tradingPairs.includes(state.pair)) {
        this.resync(state, message.reason);
      }
      return;
    }
    if (message.tradingPair !== state.pair) return;
    if (!this.fitsKind(message.type)) {
      this.counters.diffsDropped++;
      this.emit({
        type: 'error',
        pair: state.pair,
        error: new HbError(
          'malformed_message',
          `${message.type} message for ${this.kindName()} book ${state.pair}`,
        ),
      });
      return;
    }
    const why = refusal(message);
    if (why !== undefined) {
      // Refused whole; the book keeps its last good state and the pair re-syncs,
      // since the refused message may have carried a real change.
      this.counters.messagesRefused++;
      const generation = state.generation;
      this.emit({
        type: 'error',
        pair: state.pair,
        error: new HbError('malformed_message', `refused diff for ${state.pair}: ${why}`, {
          retryable: false,
        }),
      });
      if (this.isCurrent(state, generation)) this.resync(state, 'refused message');
      return;
    }
    if (state.status === 'syncing') {
      this.bufferDiff(state, message);
      return;
    }
    switch (this.rule.classify(message, state.updateId)) {
      case 'apply':
        this.applyDiff(state, message);
        return;
      case 'stale':
        this.counters.diffsDropped++;
        return;
      case 'gap': {
        const { expected, got } = this.rule.describeGap(message, state.updateId);
        const generation = state.generation;
        this.emit({ type: 'gap', pair: state.pair, expected, got });
        // A listener may have stopped the tracker or removed the pair.
        if (!this.isCurrent(state, generation)) return;
        // The message after the gap is still good: a newer snapshot may need it.
        this.resync(state, 'gap', [message]);
        return;
      }
    }
  }

  /** The socket is gone: `stale` now, nothing fetched until the reconnect's `resync`. */
  private onDisconnected(state: PairState, reason: string): void {
    this.beginSync(state);
    this.cancelWatchdog(state);
    state.disconnected = true;
    this.updateReady();
    this.setLive(state, 'stale', reason);
  }

  private bufferDiff(state: PairState, message: BookDiff): void {
    const buffer = state.buffer;
    buffer.push(message);
    if (buffer.length > this.maxBuffered) {
      // Drop a tenth at once so a full buffer costs one splice per many messages.
      // If the dropped ones were needed, the snapshot check sees the gap and refetches.
      const n = Math.max(1, Math.floor(this.maxBuffered / 10));
      buffer.splice(0, n);
      this.counters.diffsDropped += n;
    }
  }

  private onTrade(state: PairState, trade: TradeMessage): void {
    if (state.status === 'idle' || trade.tradingPair !== state.pair) return;
    // The last trade price is market data, independent of the book's sync state.
    state.book.applyTrade(trade);
  }

  private onPushedSnapshot(state: PairState, snapshot: BookSnapshot): void {
    if (state.status === 'idle' || snapshot.tradingPair !== state.pair) return;
    if (!this.fitsKind(snapshot.type)) {
      this.emit({
        type: 'error',
        pair: state.pair,
        error: new HbError(
          'malformed_message',
          `${snapshot.type} message for ${this.kindName()} book ${state.pair}`,
        ),
      });
      return;
    }
    const why = refusal(snapshot);
    if (why !== undefined) {
      this.counters.messagesRefused++;
      const generation = state.generation;
      this.emit({
        type: 'error',
        pair: state.pair,
        error: new HbError('malformed_message', `refused snapshot for ${state.pair}: ${why}`, {
          retryable: false,
        }),
      });
      if (this.isCurrent(state, generation)) this.resync(state, 'refused message');
      return;
    }
    if (state.status === 'live') {
      // A pushed refresh replaces the book unless it is older than what we hold.
      if (snapshot.updateId < state.updateId) return;
      this.loadSnapshot(state, snapshot);
      return;
    }
    // Syncing: this snapshot may end it; a fetch in flight or scheduled is void.
    this.cancelTimer(state);
    state.generation++;
    this.syncFromSnapshot(state, snapshot);
  }

  /**
   * Checks the buffer against the snapshot without touching the book, then
   * either applies snapshot plus buffer in one step or schedules another fetch.
   */
  private syncFromSnapshot(state: PairState, snapshot: BookSnapshot): void {
    const buffer = state.buffer;
    let id = snapshot.updateId;
    let first = true;
    for (let i = 0; i < buffer.length; i++) {
      const diff = buffer[i]!;
      const verdict = this.rule.classify(diff, id);
      if (verdict === 'stale') continue;
      if (verdict === 'apply') {
        id = diff.updateId;
        first = false;
        continue;
      }
      if (first) {
        // The snapshot is older than the stream we buffered: it cannot be used.
        // Diffs it already covers are useless for any later snapshot too.
        this.counters.diffsDropped += i;
        this.resync(state, 'stale snapshot', buffer.slice(i));
      } else {
        // A message is missing inside the buffer; only a snapshot taken after
        // the gap helps, and everything before the gap is stale for it.
        const { expected, got } = this.rule.describeGap(diff, id);
        this.counters.diffsDropped += i;
        const generation = state.generation;
        this.emit({ type: 'gap', pair: state.pair, expected, got });
        if (this.isCurrent(state, generation)) this.resync(state, 'gap', buffer.slice(i));
      }
      return;
    }
    this.loadSnapshot(state, snapshot);
    for (let i = 0; i < buffer.length; i++) {
      const diff = buffer[i]!;
      if (this.rule.classify(diff, state.updateId) === 'apply') this.applyDiff(state, diff);
      else this.counters.diffsDropped++;
    }
    state.buffer = [];
    state.status = 'live';
    state.failures = 0;
    state.lastMessageAt = this.scheduler.now();
    this.updateReady();
    this.setLive(state, 'live');
    this.armWatchdog(state, this.silenceMs);
    this.emit({ type: 'synced', pair: state.pair, updateId: state.updateId });
  }

  private loadSnapshot(state: PairState, snapshot: BookSnapshot): void {
    if (snapshot.type === 'order_snapshot') {
      state.activeOrders?.applySnapshot(snapshot);
    } else {
      state.book.applySnapshot(snapshot.bids, snapshot.asks, snapshot.updateId);
    }
    state.updateId = snapshot.updateId;
    if (this.updateSubject.observed) this.updateSubject.next(state.pair);
  }

  private applyDiff(state: PairState, diff: BookDiff): void {
    if (diff.type === 'order_diff') {
      state.activeOrders?.applyDiff(diff);
    } else {
      state.book.applyDiffs(diff.bids, diff.asks, diff.updateId);
    }
    state.updateId = diff.updateId;
    this.counters.diffsApplied++;
    if (this.updateSubject.observed) this.updateSubject.next(state.pair);
  }

  private fitsKind(type: BookDiff['type'] | BookSnapshot['type']): boolean {
    const orderLevel = type === 'order_diff' || type === 'order_snapshot';
    return orderLevel === this.orderBased;
  }

  private kindName(): string {
    return this.orderBased ? 'order-based' : 'price-level';
  }

  private updateReady(): void {
    let ready = this.started && this.pairs.size > 0;
    if (ready) {
      for (const state of this.pairs.values()) {
        if (state.status !== 'live') {
          ready = false;
          break;
        }
      }
    }
    if (ready !== this.readySubject.value) this.readySubject.next(ready);
  }

  private emit(event: OrderBookTrackerEvent): void {
    this.eventSubject.next(event);
  }

  // ---- live status and the silence check ----

  private setLive(state: PairState, status: LiveStatus, reason?: string, error?: HbError): void {
    const cur = state.live;
    if (cur.status === status && cur.reason === reason && cur.error === error) return;
    // A pair that is stale stays stale for as long as it is (its `since` is kept)
    // but a new reason is still news.
    const since = cur.status === status ? cur.since : this.scheduler.now();
    state.live = liveState(status, since, status === 'live' ? undefined : reason, error);
    this.statusSubject.next({ pair: state.pair, state: state.live });
  }

  private cancelWatchdog(state: PairState): void {
    state.watchdog?.unsubscribe();
    state.watchdog = undefined;
  }

  /** One timer per live pair, re-armed for the remaining quiet time (no timer work per message). */
  private armWatchdog(state: PairState, delayMs: number): void {
    if (!Number.isFinite(this.silenceMs)) return;
    this.cancelWatchdog(state);
    const generation = state.generation;
    state.watchdog = this.scheduler.schedule(
      () => {
        state.watchdog = undefined;
        if (!this.isCurrent(state, generation) || state.status !== 'live') return;
        const quiet = this.scheduler.now() - state.lastMessageAt;
        if (quiet < this.silenceMs) {
          this.armWatchdog(state, this.silenceMs - quiet);
          return;
        }
        // A probe is a snapshot-sized request: while other pairs still wait for
        // their first snapshot, it would take their share of the exchange's
        // weight (1,000 pairs syncing under load). Look again once they are in.
        if (this.snapshotQueue.size > 0) {
          this.armWatchdog(state, this.silenceMs);
          return;
        }
        this.probeSilence(state, generation);
      },
      Math.max(0, delayMs),
    );
  }

  /**
   * The pair's stream has been quiet for `silenceTimeoutMs`: ask the exchange
   * whether it moved on. A quiet market is fine; a stream that stopped
   * delivering while the exchange moved on is dead, even if its socket still
   * answers pings.
   */
  private probeSilence(state: PairState, generation: number): void {
    const askedAt = state.lastMessageAt;
    const updateId = state.updateId;
    let answer: Promise<boolean>;
    try {
      answer =
        this.dataSource.isBehindExchange !== undefined
          ? this.dataSource.isBehindExchange(state.pair, state.book, updateId)
          : this.dataSource.getSnapshot(state.pair).then((s) => s.updateId > updateId);
    } catch (e) {
      answer = Promise.reject(e);
    }
    answer.then(
      (behind) => {
        if (!this.isCurrent(state, generation) || state.status !== 'live') return;
        // A message arrived while we asked: the stream is alive after all.
        if (!behind || state.lastMessageAt !== askedAt) {
          state.lastMessageAt = Math.max(state.lastMessageAt, this.scheduler.now());
          this.armWatchdog(state, this.silenceMs);
          return;
        }
        const streams = state.streams;
        if (streams === undefined) return;
        this.onStreamFailure(
          state,
          streams,
          new HbError(
            'network',
            `${state.pair}: no book data for ${Math.round(this.silenceMs / 1000)} s while the exchange moved on`,
          ),
        );
      },
      (e: unknown) => {
        if (!this.isCurrent(state, generation) || state.status !== 'live') return;
        // No answer is no evidence either way: report it and look again later.
        this.emit({ type: 'error', pair: state.pair, error: toError(e) });
        this.armWatchdog(state, this.silenceMs);
      },
    );
  }
}
