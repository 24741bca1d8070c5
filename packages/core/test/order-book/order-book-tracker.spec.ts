import { Observable, Subject, filter } from 'rxjs';
import { HbError } from '../../src/errors/hb-error.js';
import type {
  BookLevel,
  BookOrder,
  DiffMessage,
  OrderChange,
  OrderDiffMessage,
  OrderSnapshotMessage,
  SnapshotMessage,
  TradeMessage,
} from '../../src/order-book/order-book-message.js';
import type {
  DisconnectedSignal,
  OrderBookTrackerDataSource,
  ResyncSignal,
} from '../../src/order-book/order-book-tracker-data-source.js';
import {
  OrderBookTracker,
  type OrderBookTrackerEvent,
  type OrderBookTrackerOptions,
} from '../../src/order-book/order-book-tracker.js';
import type { OrderBook } from '../../src/order-book/order-book.js';
import {
  consecutiveSequenceRule,
  noSequenceRule,
  previousIdSequenceRule,
  rangeSequenceRule,
} from '../../src/order-book/sequence-rules.js';

const PAIR = 'BTC-USDT';
const OTHER = 'ETH-USDT';

type AnyDiff = DiffMessage | OrderDiffMessage | ResyncSignal | DisconnectedSignal;
type AnySnapshot = SnapshotMessage | OrderSnapshotMessage;

interface PendingSnapshot {
  readonly pair: string;
  resolve(s: AnySnapshot): void;
  reject(e: unknown): void;
}

/** A data source of Subjects whose snapshot answers the test settles by hand. */
class FakeSource implements OrderBookTrackerDataSource {
  readonly diffs = new Subject<AnyDiff>();
  readonly trades = new Subject<TradeMessage>();
  readonly pushed = new Subject<AnySnapshot>();
  readonly requests: PendingSnapshot[] = [];
  /** Live subscriptions per stream. */
  readonly open = { diffs: 0, trades: 0, snapshots: 0 };
  /** Subscriptions ever made per stream. */
  readonly opened = { diffs: 0, trades: 0, snapshots: 0 };
  listenForSnapshots?: (pairs: readonly string[]) => Observable<AnySnapshot>;

  constructor(withPushedSnapshots = false) {
    if (withPushedSnapshots) {
      this.listenForSnapshots = (pairs) =>
        this.counted('snapshots', this.pushed.pipe(filter((s) => pairs.includes(s.tradingPair))));
    }
  }

  fetchTradingPairs(): Promise<string[]> {
    return Promise.resolve([PAIR, OTHER]);
  }

  getSnapshot(pair: string): Promise<AnySnapshot> {
    return new Promise((resolve, reject) => this.requests.push({ pair, resolve, reject }));
  }

  listenForDiffs(pairs: readonly string[]): Observable<AnyDiff> {
    return this.counted(
      'diffs',
      this.diffs.pipe(
        filter((m) => m.type === 'resync' || m.type === 'disconnected' || pairs.includes(m.tradingPair)),
      ),
    );
  }

  listenForTrades(pairs: readonly string[]): Observable<TradeMessage> {
    return this.counted('trades', this.trades.pipe(filter((t) => pairs.includes(t.tradingPair))));
  }

  /** Answers the oldest unanswered snapshot request. */
  answer(snapshot: AnySnapshot): void {
    const request = this.requests.shift();
    if (request === undefined) throw new Error('no snapshot request pending');
    expect(request.pair).toBe(snapshot.tradingPair);
    request.resolve(snapshot);
  }

  fail(error: unknown): void {
    const request = this.requests.shift();
    if (request === undefined) throw new Error('no snapshot request pending');
    request.reject(error);
  }

  private counted<T>(key: keyof FakeSource['open'], source: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      this.open[key]++;
      this.opened[key]++;
      const inner = source.subscribe(subscriber);
      return () => {
        this.open[key]--;
        inner.unsubscribe();
      };
    });
  }
}

function snap(updateId: number, bids: BookLevel[], asks: BookLevel[], pair = PAIR): SnapshotMessage {
  return { type: 'snapshot', tradingPair: pair, updateId, timestamp: 0, bids, asks };
}

/** A Binance-style diff covering U..u. */
function range(
  U: number,
  u: number,
  bids: BookLevel[] = [],
  asks: BookLevel[] = [],
  pair = PAIR,
): DiffMessage {
  return { type: 'diff', tradingPair: pair, firstUpdateId: U, updateId: u, timestamp: 0, bids, asks };
}

/** A one-id diff (Bittrex / Coinbase level style). */
function seq(n: number, bids: BookLevel[] = [], asks: BookLevel[] = [], pair = PAIR): DiffMessage {
  return { type: 'diff', tradingPair: pair, updateId: n, timestamp: 0, bids, asks };
}

function levels(book: OrderBook): { bids: Array<[number, number]>; asks: Array<[number, number]> } {
  return { bids: [...book.bidEntries()], asks: [...book.askEntries()] };
}

/** Lets settled snapshot promises run their callbacks. */
async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

interface Harness {
  source: FakeSource;
  tracker: OrderBookTracker;
  events: OrderBookTrackerEvent[];
  ready: boolean[];
}

function harness(options: Partial<OrderBookTrackerOptions> = {}, source = new FakeSource()): Harness {
  const tracker = new OrderBookTracker({
    dataSource: source,
    tradingPairs: [PAIR],
    sequenceRule: rangeSequenceRule,
    resyncDelayMs: 100,
    retryDelayMs: (attempt) => attempt * 1000,
    ...options,
  });
  const events: OrderBookTrackerEvent[] = [];
  const ready: boolean[] = [];
  tracker.events$.subscribe((e) => events.push(e));
  tracker.ready$.subscribe((r) => ready.push(r));
  return { source, tracker, events, ready };
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('OrderBookTracker: initial sync', () => {
  it('subscribes before asking for the snapshot, buffers diffs, then applies snapshot + buffer at once', async () => {
    const { source, tracker, events, ready } = harness();
    const order: string[] = [];
    const diffsSpy = jest.spyOn(source, 'listenForDiffs').mockImplementation((p) => {
      order.push('diffs');
      return FakeSource.prototype.listenForDiffs.call(source, p);
    });
    const snapSpy = jest.spyOn(source, 'getSnapshot').mockImplementation((p) => {
      order.push('snapshot');
      return FakeSource.prototype.getSnapshot.call(source, p);
    });
    tracker.start();
    expect(order).toEqual(['diffs', 'snapshot']);
    diffsSpy.mockRestore();
    snapSpy.mockRestore();

    source.diffs.next(range(99, 101, [[10, 1]]));
    source.diffs.next(range(102, 103, [[11, 2]]));
    const book = tracker.getOrderBook(PAIR);
    expect(book.bidCount).toBe(0); // nothing before the snapshot
    expect(tracker.ready).toBe(false);

    source.answer(snap(100, [[10, 5]], [[12, 1]]));
    await settle();
    expect(levels(book)).toEqual({
      bids: [
        [11, 2],
        [10, 1],
      ],
      asks: [[12, 1]],
    });
    expect(book.lastUpdateId).toBe(103);
    expect(tracker.ready).toBe(true);
    expect(tracker.isPairReady(PAIR)).toBe(true);
    expect(ready).toEqual([false, true]);
    expect(events).toEqual([{ type: 'synced', pair: PAIR, updateId: 103 }]);
    expect(tracker.stats).toEqual({ diffsApplied: 2, diffsDropped: 0, resyncs: 0, messagesRefused: 0 });
  });

  it('drops buffered diffs the snapshot already covers (same check as live diffs)', async () => {
    const { source, tracker } = harness();
    tracker.start();
    source.diffs.next(range(90, 95, [[10, 9]])); // wholly before: stale
    source.diffs.next(range(96, 100, [[10, 8]])); // ends at the snapshot: stale
    source.diffs.next(range(101, 104, [[10, 7]]));
    source.answer(snap(100, [[10, 1]], []));
    await settle();
    const book = tracker.getOrderBook(PAIR);
    expect(levels(book).bids).toEqual([[10, 7]]);
    expect(book.lastUpdateId).toBe(104);
    expect(tracker.stats).toEqual({ diffsApplied: 1, diffsDropped: 2, resyncs: 0, messagesRefused: 0 });
  });

  it('with no diff buffered, goes live at the snapshot and checks the first live diff', async () => {
    const { source, tracker } = harness();
    tracker.start();
    source.answer(snap(100, [[10, 1]], []));
    await settle();
    expect(tracker.ready).toBe(true);
    source.diffs.next(range(95, 102, [[10, 2]])); // straddles 101: applies
    expect(levels(tracker.getOrderBook(PAIR)).bids).toEqual([[10, 2]]);
  });

  it('fetches the snapshot again when it is older than the first buffered diff', async () => {
    const { source, tracker, events } = harness();
    tracker.start();
    source.diffs.next(range(105, 110, [[10, 2]]));
    source.answer(snap(100, [[10, 1]], []));
    await settle();
    const book = tracker.getOrderBook(PAIR);
    expect(book.bidCount).toBe(0); // the unusable snapshot never reached the book
    expect(tracker.ready).toBe(false);
    expect(events).toEqual([{ type: 'resync', pair: PAIR, reason: 'stale snapshot' }]);
    expect(source.requests).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(100); // resyncDelayMs
    expect(source.requests).toHaveLength(1);
    source.diffs.next(range(111, 112, [[10, 3]]));
    source.answer(snap(108, [[10, 4]], [[11, 1]]));
    await settle();
    expect(levels(book)).toEqual({ bids: [[10, 3]], asks: [[11, 1]] });
    expect(book.lastUpdateId).toBe(112);
    expect(tracker.ready).toBe(true);
    expect(tracker.stats.resyncs).toBe(1);
  });

  it('re-syncs on a gap inside the buffered diffs, keeping the diffs after the gap', async () => {
    const { source, tracker, events } = harness();
    tracker.start();
    source.diffs.next(range(101, 102, [[10, 2]]));
    source.diffs.next(range(106, 108, [[10, 3]])); // 103..105 missing
    source.diffs.next(range(109, 110, [[10, 4]]));
    source.answer(snap(100, [[10, 1]], []));
    await settle();
    expect(events).toEqual([
      { type: 'gap', pair: PAIR, expected: 103, got: 106 },
      { type: 'resync', pair: PAIR, reason: 'gap' },
    ]);
    const book = tracker.getOrderBook(PAIR);
    expect(book.bidCount).toBe(0);
    await jest.advanceTimersByTimeAsync(100);
    source.answer(snap(107, [[10, 9]], []));
    await settle();
    // 106..108 straddles 108, then 109..110.
    expect(levels(book).bids).toEqual([[10, 4]]);
    expect(book.lastUpdateId).toBe(110);
    expect(tracker.ready).toBe(true);
  });

  it('retries a failed snapshot fetch with the injected backoff and reports each failure', async () => {
    const { source, tracker, events } = harness();
    tracker.start();
    source.fail(new HbError('unavailable', 'HTTP 503'));
    await settle();
    expect(events).toEqual([{ type: 'error', pair: PAIR, error: expect.any(HbError) }]);
    await jest.advanceTimersByTimeAsync(999);
    expect(source.requests).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(source.requests).toHaveLength(1);
    source.fail('socket hang up'); // not an Error: wrapped
    await settle();
    const second = events[1];
    expect(second?.type === 'error' && second.error).toBeInstanceOf(HbError);
    await jest.advanceTimersByTimeAsync(1999);
    expect(source.requests).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    source.diffs.next(range(101, 101, [[10, 2]])); // still buffering meanwhile
    source.answer(snap(100, [[10, 1]], []));
    await settle();
    expect(levels(tracker.getOrderBook(PAIR)).bids).toEqual([[10, 2]]);
    expect(tracker.ready).toBe(true);
  });

  it('retries a snapshot call that throws synchronously', async () => {
    const { source, tracker, events } = harness();
    const spy = jest.spyOn(source, 'getSnapshot').mockImplementationOnce(() => {
      throw new Error('boom');
    });
    tracker.start();
    await settle();
    expect(events.map((e) => e.type)).toEqual(['error']);
    spy.mockRestore();
    await jest.advanceTimersByTimeAsync(1000);
    source.answer(snap(1, [], []));
    await settle();
    expect(tracker.ready).toBe(true);
  });
});

describe('OrderBookTracker: live diffs', () => {
  async function live(options: Partial<OrderBookTrackerOptions> = {}): Promise<Harness> {
    const h = harness(options);
    h.tracker.start();
    h.source.answer(snap(100, [[10, 1]], [[20, 1]]));
    await settle();
    h.events.length = 0;
    return h;
  }

  it('a gap marks the pair not ready, keeps the last good book, and re-syncs on its own', async () => {
    const { source, tracker, events, ready } = await live();
    const book = tracker.getOrderBook(PAIR);
    source.diffs.next(range(101, 102, [[10, 2]]));
    source.diffs.next(range(105, 106, [[10, 3]])); // 103..104 lost
    expect(events).toEqual([
      { type: 'gap', pair: PAIR, expected: 103, got: 105 },
      { type: 'resync', pair: PAIR, reason: 'gap' },
    ]);
    expect(tracker.ready).toBe(false);
    expect(ready).toEqual([false, true, false]);
    // Last good state, same object, still readable.
    expect(tracker.getOrderBook(PAIR)).toBe(book);
    expect(levels(book).bids).toEqual([[10, 2]]);
    expect(book.lastUpdateId).toBe(102);

    source.diffs.next(range(107, 108, [[10, 4]]));
    await jest.advanceTimersByTimeAsync(100);
    source.answer(snap(104, [[10, 9]], [[20, 2]]));
    await settle();
    expect(levels(book)).toEqual({ bids: [[10, 4]], asks: [[20, 2]] });
    expect(book.lastUpdateId).toBe(108);
    expect(tracker.ready).toBe(true);
    expect(tracker.stats.resyncs).toBe(1);
  });

  it('drops duplicated messages and re-syncs past reordered ones, ending with the exact book', async () => {
    const { source, tracker, events } = await live({ sequenceRule: consecutiveSequenceRule });
    const book = tracker.getOrderBook(PAIR);
    source.diffs.next(seq(101, [[10, 2]]));
    source.diffs.next(seq(101, [[10, 2]])); // duplicate
    source.diffs.next(seq(102, [[11, 1]]));
    source.diffs.next(seq(101, [[10, 2]])); // late repeat
    expect(tracker.stats).toEqual({ diffsApplied: 2, diffsDropped: 2, resyncs: 0, messagesRefused: 0 });
    source.diffs.next(seq(104, [], [[20, 0]])); // arrives before 103: gap
    source.diffs.next(seq(103, [[12, 1]]));
    expect(events.map((e) => e.type)).toEqual(['gap', 'resync']);
    source.diffs.next(seq(105, [[13, 1]]));
    await jest.advanceTimersByTimeAsync(100);
    source.answer(
      snap(
        104,
        [
          [10, 2],
          [11, 1],
          [12, 1],
        ],
        [[21, 1]],
      ),
    );
    await settle();
    // 104 and 103 are covered by the snapshot; 105 applies.
    expect(levels(book)).toEqual({
      bids: [
        [13, 1],
        [12, 1],
        [11, 1],
        [10, 2],
      ],
      asks: [[21, 1]],
    });
    expect(book.lastUpdateId).toBe(105);
    expect(tracker.ready).toBe(true);
  });

  it('a resync signal from the source re-syncs the pairs it names', async () => {
    const { source, tracker, events } = await live();
    source.diffs.next({ type: 'resync', tradingPairs: [OTHER], reason: 'reconnected' });
    expect(tracker.ready).toBe(true);
    source.diffs.next({ type: 'resync', reason: 'reconnected' });
    expect(events).toEqual([{ type: 'resync', pair: PAIR, reason: 'reconnected' }]);
    expect(tracker.ready).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    source.answer(snap(200, [[10, 5]], []));
    await settle();
    expect(tracker.ready).toBe(true);
    expect(tracker.getOrderBook(PAIR).lastUpdateId).toBe(200);
  });

  it('a snapshot answer arriving after a newer resync started is ignored', async () => {
    const { source, tracker } = await live();
    source.diffs.next({ type: 'resync', reason: 'reconnected' });
    await jest.advanceTimersByTimeAsync(100);
    source.diffs.next({ type: 'resync', reason: 'reconnected again' });
    source.answer(snap(150, [[1, 1]], [])); // the first resync's answer
    await settle();
    expect(tracker.ready).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    source.answer(snap(160, [[2, 1]], []));
    await settle();
    expect(levels(tracker.getOrderBook(PAIR)).bids).toEqual([[2, 1]]);
  });

  it('ignores diffs and trades for other pairs from a source that does not filter', async () => {
    const raw = new FakeSource();
    const unfiltered: OrderBookTrackerDataSource = {
      fetchTradingPairs: () => raw.fetchTradingPairs(),
      getSnapshot: (p) => raw.getSnapshot(p),
      listenForDiffs: () => raw.diffs,
      listenForTrades: () => raw.trades,
    };
    const { tracker } = harness({ dataSource: unfiltered });
    tracker.start();
    raw.answer(snap(100, [[10, 1]], []));
    await settle();
    raw.diffs.next(range(101, 101, [[99, 1]], [], OTHER));
    raw.trades.next({
      type: 'trade',
      tradingPair: OTHER,
      tradeId: '1',
      price: 5,
      amount: 1,
      side: 'buy',
      timestamp: 0,
    });
    const book = tracker.getOrderBook(PAIR);
    expect(levels(book).bids).toEqual([[10, 1]]);
    expect(book.lastUpdateId).toBe(100);
    expect(book.lastTradePrice).toBeNaN();
  });

  it('trades set the last trade price, also while syncing', async () => {
    const { source, tracker } = harness();
    tracker.start();
    const book = tracker.getOrderBook(PAIR);
    const seen: number[] = [];
    book.trades$.subscribe((t) => seen.push(t.price));
    source.trades.next({
      type: 'trade',
      tradingPair: PAIR,
      tradeId: '1',
      price: 10.5,
      amount: 1,
      side: 'buy',
      timestamp: 1,
    });
    expect(book.lastTradePrice).toBe(10.5);
    source.answer(snap(100, [], []));
    await settle();
    source.trades.next({
      type: 'trade',
      tradingPair: PAIR,
      tradeId: '2',
      price: 10.25,
      amount: 2,
      side: 'sell',
      timestamp: 2,
    });
    expect(book.lastTradePrice).toBe(10.25);
    expect(seen).toEqual([10.5, 10.25]);
  });

  it('a diff stream error is reported, and the pair resubscribes and re-syncs after the backoff', async () => {
    const { source, tracker, events } = await live();
    expect(source.opened.diffs).toBe(1);
    source.diffs.error(new HbError('network', 'socket closed'));
    expect(events).toEqual([{ type: 'error', pair: PAIR, error: expect.any(HbError) }]);
    expect(tracker.ready).toBe(false);
    expect(source.open).toEqual({ diffs: 0, trades: 0, snapshots: 0 });
    // The errored Subject is dead; give the source a fresh one, as a reconnecting source would.
    (source as { diffs: Subject<AnyDiff> }).diffs = new Subject<AnyDiff>();
    await jest.advanceTimersByTimeAsync(1000);
    expect(source.open).toEqual({ diffs: 1, trades: 1, snapshots: 0 });
    expect(events.at(-1)).toEqual({ type: 'resync', pair: PAIR, reason: 'stream error' });
    source.diffs.next(range(301, 302, [[10, 7]]));
    source.answer(snap(300, [[10, 6]], []));
    await settle();
    expect(levels(tracker.getOrderBook(PAIR)).bids).toEqual([[10, 7]]);
    expect(tracker.ready).toBe(true);
  });

  it('a diff stream that completes is treated as lost', async () => {
    const { source, tracker, events } = await live();
    source.diffs.complete();
    expect(events[0]?.type).toBe('error');
    expect(tracker.ready).toBe(false);
  });

  it('refuses messages of the other book kind', async () => {
    const { source, tracker, events } = await live();
    source.diffs.next({ type: 'order_diff', tradingPair: PAIR, updateId: 101, timestamp: 0, changes: [] });
    expect(events[0]?.type).toBe('error');
    expect(tracker.stats.diffsDropped).toBe(1);
    expect(tracker.ready).toBe(true);
  });

  it('bounds the buffer: the oldest diffs go, and the snapshot check catches what that cost', async () => {
    const { source, tracker, events } = harness({ maxBufferedDiffs: 10 });
    tracker.start();
    for (let u = 101; u <= 111; u++) source.diffs.next(range(u, u, [[10, u]]));
    expect(tracker.stats.diffsDropped).toBe(1); // 101 dropped
    source.answer(snap(100, [], []));
    await settle();
    expect(events.map((e) => e.type)).toEqual(['resync']); // 102 cannot follow 100
    await jest.advanceTimersByTimeAsync(100);
    source.answer(snap(101, [], []));
    await settle();
    expect(levels(tracker.getOrderBook(PAIR)).bids).toEqual([[10, 111]]);
  });
});

describe('OrderBookTracker: exchange sequences end with the exact book', () => {
  it('Binance (range rule)', async () => {
    const { source, tracker } = harness({ sequenceRule: rangeSequenceRule });
    tracker.start();
    source.diffs.next(range(157, 160, [[0.0024, 10]], [[0.0026, 100]]));
    source.diffs.next(range(161, 165, [[0.0024, 0]], [[0.0026, 90]]));
    source.diffs.next(range(166, 170, [[0.0023, 5]], [[0.0027, 1]]));
    source.answer(
      snap(
        163,
        [
          [0.0024, 8],
          [0.0022, 3],
        ],
        [
          [0.0026, 95],
          [0.0028, 2],
        ],
      ),
    );
    await settle();
    source.diffs.next(range(171, 171, [[0.0022, 0]], [[0.0028, 4]]));
    source.diffs.next(range(168, 170, [[0.0023, 99]], [])); // repeated old event
    source.diffs.next(range(172, 180, [[0.0025, 1]], [[0.0026, 0]]));
    const book = tracker.getOrderBook(PAIR);
    expect(levels(book)).toEqual({
      bids: [
        [0.0025, 1],
        [0.0023, 5],
      ],
      asks: [
        [0.0027, 1],
        [0.0028, 4],
      ],
    });
    expect(book.lastUpdateId).toBe(180);
    expect(tracker.stats).toEqual({ diffsApplied: 4, diffsDropped: 2, resyncs: 0, messagesRefused: 0 });
  });

  it('Coinbase full channel (consecutive rule, L3 through the ActiveOrderTracker)', async () => {
    const { source, tracker } = harness({ sequenceRule: consecutiveSequenceRule, orderBased: true });
    const od = (n: number, ...changes: OrderChange[]): OrderDiffMessage => ({
      type: 'order_diff',
      tradingPair: PAIR,
      updateId: n,
      timestamp: 0,
      changes,
    });
    const os = (n: number, bids: BookOrder[], asks: BookOrder[]): OrderSnapshotMessage => ({
      type: 'order_snapshot',
      tradingPair: PAIR,
      updateId: n,
      timestamp: 0,
      bids,
      asks,
    });
    tracker.start();
    source.diffs.next(od(50, { op: 'open', orderId: 'old', side: 'buy', price: 99, amount: 1 })); // before the snapshot
    source.diffs.next(od(51)); // received: no book change
    source.diffs.next(od(52, { op: 'open', orderId: 'o3', side: 'buy', price: 100, amount: 0.5 }));
    source.answer(
      os(
        50,
        [
          { orderId: 'o1', price: 100, amount: 1 },
          { orderId: 'o2', price: 99.5, amount: 2 },
        ],
        [{ orderId: 'o4', price: 101, amount: 3 }],
      ),
    );
    await settle();
    source.diffs.next(od(53, { op: 'fill', orderId: 'o4', amount: 1.25 })); // match against maker o4
    source.diffs.next(od(54, { op: 'remove', orderId: 'o2' })); // done canceled
    source.diffs.next(od(55, { op: 'remove', orderId: 'market-order' })); // done without price: ignored
    source.diffs.next(od(56, { op: 'change', orderId: 'o1', amount: 0.75 })); // STP size change
    source.diffs.next(od(55, { op: 'remove', orderId: 'o1' })); // stale repeat
    const book = tracker.getOrderBook(PAIR);
    expect(levels(book)).toEqual({ bids: [[100, 1.25]], asks: [[101, 1.75]] });
    expect(book.lastUpdateId).toBe(56);
    expect(tracker.getActiveOrderTracker(PAIR)?.getLevel('buy', 100)).toEqual({
      amount: 1.25,
      orderCount: 2,
    });
    expect(tracker.getActiveOrderTracker(PAIR)?.getOrder('old')).toBeUndefined();
    expect(tracker.stats).toEqual({ diffsApplied: 6, diffsDropped: 2, resyncs: 0, messagesRefused: 0 });
  });

  it('Huobi MBP (previous-id rule)', async () => {
    const { source, tracker, events } = harness({ sequenceRule: previousIdSequenceRule });
    const mbp = (prev: number, n: number, bids: BookLevel[], asks: BookLevel[]): DiffMessage => ({
      type: 'diff',
      tradingPair: PAIR,
      prevUpdateId: prev,
      updateId: n,
      timestamp: 0,
      bids,
      asks,
    });
    tracker.start();
    source.diffs.next(mbp(100020146780, 100020146785, [[37012.5, 0.3]], [])); // before the refresh
    source.diffs.next(mbp(100020146785, 100020146790, [[37012.5, 0.412]], []));
    source.diffs.next(
      mbp(
        100020146790,
        100020146795,
        [],
        [
          [37013.0, 0.0],
          [37013.5, 1.2],
        ],
      ),
    );
    source.answer(
      snap(
        100020146790,
        [[37012.5, 0.412]],
        [
          [37012.51, 2.1045],
          [37013.0, 0.5],
        ],
      ),
    );
    await settle();
    source.diffs.next(mbp(100020146795, 100020146801, [], [])); // empty message still advances
    source.diffs.next(mbp(100020146801, 100020146802, [[37012.0, 1]], [[37012.51, 0]]));
    const book = tracker.getOrderBook(PAIR);
    expect(levels(book)).toEqual({
      bids: [
        [37012.5, 0.412],
        [37012.0, 1],
      ],
      asks: [[37013.5, 1.2]],
    });
    expect(book.lastUpdateId).toBe(100020146802);
    expect(events).toEqual([{ type: 'synced', pair: PAIR, updateId: 100020146795 }]);
    source.diffs.next(mbp(100020146805, 100020146806, [], [])); // predecessor never seen
    expect(events.at(-2)).toEqual({ type: 'gap', pair: PAIR, expected: 100020146802, got: 100020146805 });
  });

  it('0x relayer / Coinbase level2 (no sequence, pushed snapshots)', async () => {
    const source = new FakeSource(true);
    const { tracker, events } = harness({ sequenceRule: noSequenceRule }, source);
    tracker.start();
    expect(source.open).toEqual({ diffs: 1, trades: 1, snapshots: 1 });
    expect(source.requests).toHaveLength(1);
    source.diffs.next(seq(2, [[10, 2]]));
    // The pushed snapshot arrives first and ends the sync; the REST answer is void.
    source.pushed.next(snap(1, [[10, 1]], [[11, 1]]));
    expect(tracker.ready).toBe(true);
    expect(levels(tracker.getOrderBook(PAIR)).bids).toEqual([[10, 2]]);
    source.answer(snap(0, [], []));
    await settle();
    expect(levels(tracker.getOrderBook(PAIR)).asks).toEqual([[11, 1]]);
    // Live: a newer pushed snapshot replaces the book, an older one is ignored.
    source.pushed.next(snap(5, [[9, 1]], []));
    source.pushed.next(snap(4, [[8, 1]], []));
    expect(levels(tracker.getOrderBook(PAIR))).toEqual({ bids: [[9, 1]], asks: [] });
    expect(events).toEqual([{ type: 'synced', pair: PAIR, updateId: 2 }]);
  });
});

describe('OrderBookTracker: pairs and life cycle', () => {
  it('getOrderBook throws an HbError for an untracked pair', () => {
    const { tracker } = harness();
    expect(() => tracker.getOrderBook('NOPE-USD')).toThrow(HbError);
  });

  it('ready needs every pair in sync; added and removed pairs sync and unsubscribe on their own', async () => {
    const { source, tracker, ready } = harness();
    expect(tracker.ready).toBe(false);
    tracker.start();
    source.answer(snap(1, [[1, 1]], []));
    await settle();
    expect(tracker.ready).toBe(true);

    tracker.addTradingPair(OTHER);
    expect(tracker.tradingPairs).toEqual([PAIR, OTHER]);
    expect(tracker.orderBooks.size).toBe(2);
    expect(tracker.ready).toBe(false);
    expect(source.open.diffs).toBe(2);
    source.answer(snap(7, [[2, 1]], [], OTHER));
    await settle();
    expect(tracker.ready).toBe(true);
    expect(tracker.getOrderBook(OTHER).bestBid).toBe(2);

    tracker.addTradingPair(OTHER); // no-op
    expect(source.open.diffs).toBe(2);
    tracker.removeTradingPair(OTHER);
    expect(source.open).toEqual({ diffs: 1, trades: 1, snapshots: 0 });
    expect(() => tracker.getOrderBook(OTHER)).toThrow(HbError);
    tracker.removeTradingPair(OTHER); // no-op
    expect(ready).toEqual([false, true, false, true]);
  });

  it('a listener that stops the tracker on a gap leaves nothing scheduled', async () => {
    const { source, tracker } = harness();
    tracker.events$.subscribe((e) => {
      if (e.type === 'gap') tracker.stop();
    });
    tracker.start();
    source.answer(snap(100, [], []));
    await settle();
    source.diffs.next(range(105, 106));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(source.requests).toHaveLength(0);
    expect(tracker.ready).toBe(false);
    expect(tracker.stats.resyncs).toBe(0);
  });

  it('a snapshot of the wrong book kind counts as a failed fetch and is retried', async () => {
    const { source, tracker, events } = harness();
    tracker.start();
    source.answer({
      type: 'order_snapshot',
      tradingPair: PAIR,
      updateId: 1,
      timestamp: 0,
      bids: [],
      asks: [],
    });
    await settle();
    expect(events).toEqual([
      { type: 'error', pair: PAIR, error: expect.objectContaining({ reason: 'malformed_message' }) },
    ]);
    await jest.advanceTimersByTimeAsync(1000);
    source.answer(snap(1, [[1, 1]], []));
    await settle();
    expect(tracker.ready).toBe(true);
  });

  it('stop() unsubscribes everything, voids pending snapshots, and start() syncs again', async () => {
    const { source, tracker, events } = harness({ tradingPairs: [PAIR, OTHER] });
    tracker.start();
    tracker.start(); // idempotent
    expect(source.open).toEqual({ diffs: 2, trades: 2, snapshots: 0 });
    source.answer(snap(1, [[1, 1]], []));
    await settle();
    source.diffs.next({ type: 'resync', tradingPairs: [PAIR], reason: 'reconnected' });
    tracker.stop();
    expect(source.open).toEqual({ diffs: 0, trades: 0, snapshots: 0 });
    expect(source.diffs.observed).toBe(false);
    expect(source.trades.observed).toBe(false);
    expect(tracker.ready).toBe(false);
    // The OTHER request still pending is void, and no resync timer fires.
    source.answer(snap(5, [[5, 5]], [], OTHER));
    await jest.advanceTimersByTimeAsync(10_000);
    expect(source.requests).toHaveLength(0);
    expect(tracker.getOrderBook(OTHER).bidCount).toBe(0);
    expect(tracker.getOrderBook(PAIR).bestBid).toBe(1); // last state kept readable
    expect(events.filter((e) => e.type === 'synced')).toHaveLength(1);

    tracker.start();
    expect(source.open).toEqual({ diffs: 2, trades: 2, snapshots: 0 });
    source.answer(snap(9, [[9, 1]], []));
    source.answer(snap(9, [[8, 1]], [], OTHER));
    await settle();
    expect(tracker.ready).toBe(true);
  });
});

describe('OrderBookTracker: hostile messages', () => {
  const hostile: Array<[string, DiffMessage]> = [
    ['a negative amount', range(101, 101, [[10, -0.005]])],
    ['an infinite price', range(101, 101, [[Infinity, 1]])],
    ['a NaN amount', range(101, 101, [], [[12, NaN]])],
    ['a zero price', range(101, 101, [[0, 1]])],
    ['an inverted range', range(102, 101, [[10, 9]])],
  ];
  for (const [what, diff] of hostile) {
    it(`refuses a live diff with ${what} whole, keeps the book, and re-syncs`, async () => {
      const { source, tracker, events } = harness();
      tracker.start();
      source.answer(snap(100, [[10, 5]], [[12, 1]]));
      await settle();
      const book = tracker.getOrderBook(PAIR);
      const before = levels(book);
      source.diffs.next(diff);
      expect(levels(book)).toEqual(before);
      expect(Number.isFinite(book.bestBid)).toBe(true);
      expect(tracker.ready).toBe(false);
      expect(tracker.stats.messagesRefused).toBe(1);
      expect(events.map((e) => e.type)).toEqual(['synced', 'error', 'resync']);
      // The re-sync fetches a new snapshot and the pair is live again.
      await jest.advanceTimersByTimeAsync(100);
      source.answer(snap(105, [[10, 4]], [[12, 1]]));
      await settle();
      expect(tracker.ready).toBe(true);
      expect(levels(book)).toEqual({ bids: [[10, 4]], asks: [[12, 1]] });
    });
  }

  it('refuses a snapshot with an impossible level and fetches again', async () => {
    const { source, tracker, events } = harness();
    tracker.start();
    source.answer(snap(100, [[10, -1]], [[12, 1]]));
    await settle();
    expect(tracker.ready).toBe(false);
    expect(tracker.stats.messagesRefused).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['error']);
    await jest.advanceTimersByTimeAsync(1000);
    source.answer(snap(100, [[10, 1]], [[12, 1]]));
    await settle();
    expect(tracker.ready).toBe(true);
  });
});

describe('OrderBookTracker: live status', () => {
  async function liveHarness(
    options: Partial<OrderBookTrackerOptions> = {},
  ): Promise<Harness & { statuses: string[] }> {
    const h = harness({ silenceTimeoutMs: 0, ...options });
    const statuses: string[] = [];
    h.tracker.status$.subscribe((c) => statuses.push(`${c.pair}:${c.state.status}`));
    h.tracker.start();
    h.source.answer(snap(100, [[10, 1]], [[20, 1]]));
    await settle();
    h.events.length = 0;
    return { ...h, statuses };
  }

  it('syncing until the first sync, then live', async () => {
    const h = harness({ silenceTimeoutMs: 0 });
    expect(h.tracker.getPairStatus(PAIR)?.status).toBe('syncing');
    h.tracker.start();
    expect(h.tracker.getPairStatus(PAIR)?.status).toBe('syncing');
    h.source.answer(snap(100, [[10, 1]], []));
    await settle();
    expect(h.tracker.getPairStatus(PAIR)).toEqual({ status: 'live', since: expect.any(Number) });
    expect(h.tracker.getPairStatus('NOPE-USD')).toBeUndefined();
  });

  it('a disconnected signal makes the book stale at once, fetches nothing, and the reconnect re-syncs it to live', async () => {
    const { source, tracker, statuses } = await liveHarness();
    source.diffs.next({ type: 'disconnected', reason: 'socket closed (code 1006)' });
    expect(tracker.getPairStatus(PAIR)).toMatchObject({
      status: 'stale',
      reason: 'socket closed (code 1006)',
    });
    expect(tracker.ready).toBe(false);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(source.requests).toHaveLength(0); // no snapshot without a stream behind it
    source.diffs.next({ type: 'resync', reason: 'reconnected' });
    expect(tracker.getPairStatus(PAIR)?.status).toBe('stale');
    await jest.advanceTimersByTimeAsync(100);
    source.answer(snap(200, [[10, 5]], []));
    await settle();
    expect(tracker.getPairStatus(PAIR)?.status).toBe('live');
    expect(statuses).toEqual([
      `${PAIR}:syncing`,
      `${PAIR}:live`,
      `${PAIR}:stale`,
      `${PAIR}:stale`, // same status, new reason (reconnected, re-syncing)
      `${PAIR}:live`,
    ]);
  });

  it('a gap is a re-sync (syncing), not stale', async () => {
    const { source, tracker } = await liveHarness();
    source.diffs.next(range(105, 106));
    expect(tracker.getPairStatus(PAIR)).toMatchObject({ status: 'syncing', reason: 'gap' });
  });

  it('a lost stream is stale with its error until re-synced', async () => {
    const { source, tracker } = await liveHarness();
    const error = new HbError('network', 'socket closed');
    source.diffs.error(error);
    expect(tracker.getPairStatus(PAIR)).toMatchObject({ status: 'stale', error });
    (source as { diffs: Subject<AnyDiff> }).diffs = new Subject<AnyDiff>();
    await jest.advanceTimersByTimeAsync(1000);
    source.answer(snap(300, [[10, 6]], []));
    await settle();
    expect(tracker.getPairStatus(PAIR)?.status).toBe('live');
  });

  it('a refused subscription (fatal) leaves the pair stale with the typed error and stops retrying', async () => {
    const { SubscriptionError } = await import('../../src/market/live-status.js');
    const h = harness({ silenceTimeoutMs: 0 });
    h.tracker.start();
    const error = new SubscriptionError('Failed to subscribe: full channel requires authentication', {
      channel: 'full',
      topics: ['BTC-USD'],
    });
    h.source.diffs.error(error);
    expect(h.events).toEqual([{ type: 'error', pair: PAIR, error, fatal: true }]);
    expect(h.tracker.getPairStatus(PAIR)).toMatchObject({ status: 'stale', error });
    expect(h.source.open).toEqual({ diffs: 0, trades: 0, snapshots: 0 });
    h.source.answer(snap(100, [[10, 1]], [])); // the first fetch, answered late: ignored
    await jest.advanceTimersByTimeAsync(120_000);
    expect(h.source.opened.diffs).toBe(1);
    expect(h.source.requests).toHaveLength(0);
    expect(h.tracker.getPairStatus(PAIR)?.status).toBe('stale');
    expect(h.tracker.ready).toBe(false);
  });

  it('an authentication failure of the snapshot is fatal too', async () => {
    const h = harness({ silenceTimeoutMs: 0 });
    h.tracker.start();
    h.source.fail(new HbError('authentication', 'Invalid API Key', { retryable: false }));
    await settle();
    expect(h.events).toEqual([{ type: 'error', pair: PAIR, error: expect.any(HbError), fatal: true }]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(h.source.requests).toHaveLength(0);
  });

  it('a silent stream while the exchange moved on is stale within the silence timeout, then re-opened and live', async () => {
    const { source, tracker, events } = await liveHarness({ silenceTimeoutMs: 5_000 });
    source.diffs.next(range(101, 101, [[10, 2]]));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(source.requests).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    // The probe: a snapshot ahead of the book means the stream stopped delivering.
    source.answer(snap(150, [[10, 9]], []));
    await settle();
    expect(tracker.getPairStatus(PAIR)).toMatchObject({ status: 'stale' });
    expect(tracker.getPairStatus(PAIR)?.reason).toMatch(/no book data for 5 s/);
    expect(events[0]).toMatchObject({ type: 'error', pair: PAIR });
    expect(source.open.diffs).toBe(0);
    await jest.advanceTimersByTimeAsync(1000);
    expect(source.open.diffs).toBe(1);
    source.answer(snap(160, [[10, 3]], []));
    await settle();
    expect(tracker.getPairStatus(PAIR)?.status).toBe('live');
    expect(levels(tracker.getOrderBook(PAIR)).bids).toEqual([[10, 3]]);
  });

  it('a quiet market (the exchange did not move on) stays live', async () => {
    const { source, tracker } = await liveHarness({ silenceTimeoutMs: 5_000 });
    await jest.advanceTimersByTimeAsync(5_000);
    source.answer(snap(100, [[10, 1]], []));
    await settle();
    expect(tracker.getPairStatus(PAIR)?.status).toBe('live');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(source.requests).toHaveLength(1); // checked again after another quiet period
    source.answer(snap(100, [[10, 1]], []));
    await settle();
    expect(tracker.getPairStatus(PAIR)?.status).toBe('live');
  });

  it('uses the data source’s own check when it has one', async () => {
    const src = new FakeSource() as FakeSource & {
      isBehindExchange: (pair: string, book: OrderBook, id: number) => Promise<boolean>;
    };
    const asked: number[] = [];
    src.isBehindExchange = (_pair, _book, id) => {
      asked.push(id);
      return Promise.resolve(true);
    };
    const h = harness({ silenceTimeoutMs: 2_000 }, src);
    h.tracker.start();
    src.answer(snap(100, [[10, 1]], []));
    await settle();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(asked).toEqual([100]);
    expect(h.tracker.getPairStatus(PAIR)?.status).toBe('stale');
  });
});

describe('OrderBookTracker: subscriptions and the snapshot budget', () => {
  it('fetches no snapshot before the source acknowledges the subscription; a refusal fails the pair and retries', async () => {
    const source = new FakeSource();
    let answer: { resolve(): void; reject(e: unknown): void } | undefined;
    const calls: string[] = [];
    (source as OrderBookTrackerDataSource).whenSubscribed = (pair) => {
      calls.push(pair);
      return new Promise<void>((resolve, reject) => (answer = { resolve, reject }));
    };
    const { tracker, events } = harness({}, source);
    tracker.start();
    await settle();
    expect(calls).toEqual([PAIR]);
    expect(source.requests).toHaveLength(0); // nothing fetched for a stream not yet acknowledged
    answer!.reject(new HbError('unavailable', 'SUBSCRIBE refused'));
    await settle();
    expect(source.requests).toHaveLength(0);
    expect(events).toEqual([{ type: 'error', pair: PAIR, error: expect.any(HbError) }]);
    expect(tracker.isPairReady(PAIR)).toBe(false);
    expect(tracker.ready).toBe(false);
    await jest.advanceTimersByTimeAsync(1000); // the backoff
    expect(calls).toEqual([PAIR, PAIR]);
    answer!.resolve();
    await settle();
    expect(source.requests).toHaveLength(1);
    source.answer(snap(1, [[10, 1]], []));
    await settle();
    expect(tracker.ready).toBe(true);
  });

  it('keeps at most maxConcurrentSnapshots fetches in flight, serving pairs the user reads first', async () => {
    const pairs = ['A-X', 'B-X', 'C-X', 'D-X', 'E-X'];
    const { source, tracker } = harness({ tradingPairs: pairs, maxConcurrentSnapshots: 2 });
    tracker.start();
    await settle();
    expect(source.requests.map((r) => r.pair)).toEqual(['A-X', 'B-X']);
    tracker.getOrderBook('E-X'); // the user looks at E before it is live
    source.answer(snap(1, [], [], 'A-X'));
    await settle();
    expect(source.requests.map((r) => r.pair)).toEqual(['B-X', 'E-X']);
    source.answer(snap(1, [], [], 'B-X'));
    source.answer(snap(1, [], [], 'E-X'));
    await settle();
    expect(source.requests.map((r) => r.pair)).toEqual(['C-X', 'D-X']);
    source.answer(snap(1, [], [], 'C-X'));
    source.answer(snap(1, [], [], 'D-X'));
    await settle();
    expect(tracker.ready).toBe(true);
  });
});

describe('OrderBookTracker: silence probes and the snapshot budget', () => {
  it('defers a silence probe while other pairs still wait for their first snapshot', async () => {
    const pairs = ['A-X', 'B-X', 'C-X'];
    const { source, tracker } = harness({
      tradingPairs: pairs,
      maxConcurrentSnapshots: 1,
      silenceTimeoutMs: 100,
    });
    tracker.start();
    await settle();
    source.answer(snap(1, [[1, 1]], [], 'A-X'));
    await settle();
    expect(source.requests.map((r) => r.pair)).toEqual(['B-X']); // C-X queued behind it
    await jest.advanceTimersByTimeAsync(250); // A-X silent, but C-X still needs the budget
    expect(source.requests.map((r) => r.pair)).toEqual(['B-X']);
    source.answer(snap(1, [[1, 1]], [], 'B-X'));
    await settle();
    source.answer(snap(1, [[1, 1]], [], 'C-X'));
    await settle();
    expect(tracker.ready).toBe(true);
    await jest.advanceTimersByTimeAsync(150); // now A-X is probed
    expect(source.requests.map((r) => r.pair)).toContain('A-X');
  });
});
