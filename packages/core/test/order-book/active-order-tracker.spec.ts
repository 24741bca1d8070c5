import { ActiveOrderTracker, snapDecimal } from '../../src/order-book/active-order-tracker.js';
import type {
  BookOrder,
  OrderChange,
  OrderDiffMessage,
  OrderSnapshotMessage,
} from '../../src/order-book/order-book-message.js';
import { OrderBook } from '../../src/order-book/order-book.js';

const PAIR = 'BTC-USD';

function snapshot(updateId: number, bids: BookOrder[], asks: BookOrder[]): OrderSnapshotMessage {
  return { type: 'order_snapshot', tradingPair: PAIR, updateId, timestamp: 0, bids, asks };
}

function diff(updateId: number, ...changes: OrderChange[]): OrderDiffMessage {
  return { type: 'order_diff', tradingPair: PAIR, updateId, timestamp: 0, changes };
}

function levels(book: OrderBook): { bids: Array<[number, number]>; asks: Array<[number, number]> } {
  return { bids: [...book.bidEntries()], asks: [...book.askEntries()] };
}

/** An OrderBook that records every level write, to check only changed levels are pushed. */
class RecordingBook extends OrderBook {
  readonly writes: string[] = [];
  override updateBid(price: number, amount: number): void {
    this.writes.push(`b${price}=${amount}`);
    super.updateBid(price, amount);
  }
  override updateAsk(price: number, amount: number): void {
    this.writes.push(`a${price}=${amount}`);
    super.updateAsk(price, amount);
  }
}

describe('ActiveOrderTracker', () => {
  let book: RecordingBook;
  let tracker: ActiveOrderTracker;

  beforeEach(() => {
    book = new RecordingBook(PAIR);
    tracker = new ActiveOrderTracker(book);
    tracker.applySnapshot(
      snapshot(
        10,
        [
          { orderId: 'b1', price: 100, amount: 1 },
          { orderId: 'b2', price: 100, amount: 2 },
          { orderId: 'b3', price: 99, amount: 5 },
        ],
        [
          { orderId: 'a1', price: 101, amount: 1.5 },
          { orderId: 'a2', price: 102, amount: 3 },
        ],
      ),
    );
    book.writes.length = 0;
  });

  it('loads a snapshot as aggregated levels at its update id', () => {
    expect(levels(book)).toEqual({
      bids: [
        [100, 3],
        [99, 5],
      ],
      asks: [
        [101, 1.5],
        [102, 3],
      ],
    });
    expect(book.snapshotUid).toBe(10);
    expect(book.lastUpdateId).toBe(10);
    expect(tracker.orderCount).toBe(5);
    expect(tracker.getLevel('buy', 100)).toEqual({ amount: 3, orderCount: 2 });
    expect(tracker.ordersAt('buy', 100).map((o) => o.orderId)).toEqual(['b1', 'b2']);
  });

  it('open adds to an existing level and creates a new one, writing only those levels', () => {
    tracker.applyDiff(
      diff(
        11,
        { op: 'open', orderId: 'b4', side: 'buy', price: 100, amount: 0.5 },
        { op: 'open', orderId: 'a3', side: 'sell', price: 100.5, amount: 1 },
      ),
    );
    expect(levels(book).bids[0]).toEqual([100, 3.5]);
    expect(book.bestAsk).toBe(100.5);
    expect(book.writes).toEqual(['b100=3.5', 'a100.5=1']);
    expect(book.lastUpdateId).toBe(11);
    expect(book.lastDiffUid).toBe(11);
  });

  it('partial fill reduces the order and its level', () => {
    tracker.applyDiff(diff(11, { op: 'fill', orderId: 'a1', amount: 0.5 }));
    expect(tracker.getOrder('a1')).toEqual({ orderId: 'a1', side: 'sell', price: 101, amount: 1 });
    expect(levels(book).asks[0]).toEqual([101, 1]);
    expect(book.writes).toEqual(['a101=1']);
  });

  it('fills to zero remove the order and, when it was the last, the level (no float residue)', () => {
    tracker.applyDiff(diff(11, { op: 'open', orderId: 'x', side: 'sell', price: 100.7, amount: 0.8 }));
    tracker.applyDiff(diff(12, { op: 'fill', orderId: 'x', amount: 0.1 }));
    // 0.8 - 0.1 - 0.7 is 1.1e-16 in binary floating point, not 0.
    expect(0.8 - 0.1 - 0.7).toBeGreaterThan(0);
    tracker.applyDiff(diff(13, { op: 'fill', orderId: 'x', amount: 0.7 }));
    expect(tracker.getOrder('x')).toBeUndefined();
    expect(book.bestAsk).toBe(101);
    expect(tracker.getLevel('sell', 100.7)).toBeUndefined();
  });

  it('a level emptied order by order is removed exactly, however the amounts add up', () => {
    const ids = ['p1', 'p2', 'p3'];
    tracker.applyDiff(
      diff(
        11,
        ...ids.map((orderId): OrderChange => ({
          op: 'open',
          orderId,
          side: 'buy',
          price: 99.5,
          amount: 0.1,
        })),
      ),
    );
    expect(levels(book).bids[1]![0]).toBe(99.5);
    tracker.applyDiff(diff(12, { op: 'remove', orderId: 'p1' }));
    tracker.applyDiff(diff(13, { op: 'fill', orderId: 'p2', amount: 0.1 }));
    expect(levels(book).bids[1]).toEqual([99.5, 0.1]);
    tracker.applyDiff(diff(14, { op: 'remove', orderId: 'p3' }));
    expect(levels(book).bids.map(([p]) => p)).toEqual([100, 99]);
  });

  it('over-fill removes the order', () => {
    tracker.applyDiff(diff(11, { op: 'fill', orderId: 'b1', amount: 5 }));
    expect(tracker.getOrder('b1')).toBeUndefined();
    expect(levels(book).bids[0]).toEqual([100, 2]);
  });

  it('change without price sets the amount in place', () => {
    tracker.applyDiff(diff(11, { op: 'change', orderId: 'b2', amount: 0.25 }));
    expect(levels(book).bids[0]).toEqual([100, 1.25]);
    expect(book.writes).toEqual(['b100=1.25']);
  });

  it('change with the same price sets the amount in place', () => {
    tracker.applyDiff(diff(11, { op: 'change', orderId: 'b2', amount: 0.25, price: 100 }));
    expect(levels(book).bids[0]).toEqual([100, 1.25]);
  });

  it('change with a new price moves the order between levels', () => {
    tracker.applyDiff(diff(11, { op: 'change', orderId: 'a2', amount: 2, price: 101 }));
    expect(levels(book).asks).toEqual([[101, 3.5]]);
    expect(tracker.getOrder('a2')).toEqual({ orderId: 'a2', side: 'sell', price: 101, amount: 2 });
    expect(tracker.ordersAt('sell', 101).map((o) => o.orderId)).toEqual(['a1', 'a2']);
    expect(book.writes.sort()).toEqual(['a101=3.5', 'a102=0']);
  });

  it('change to zero removes the order', () => {
    tracker.applyDiff(diff(11, { op: 'change', orderId: 'b3', amount: 0 }));
    expect(levels(book).bids).toEqual([[100, 3]]);
  });

  it('remove deletes the order, keeping the rest of its level', () => {
    tracker.applyDiff(diff(11, { op: 'remove', orderId: 'b1' }));
    expect(levels(book).bids[0]).toEqual([100, 2]);
    expect(tracker.orderCount).toBe(4);
  });

  it('ignores ops on unknown orders but still advances the update id', () => {
    tracker.applyDiff(
      diff(
        11,
        { op: 'fill', orderId: 'nope', amount: 1 },
        { op: 'change', orderId: 'nope', amount: 1, price: 50 },
        { op: 'remove', orderId: 'nope' },
      ),
    );
    expect(book.writes).toEqual([]);
    expect(tracker.orderCount).toBe(5);
    expect(book.lastUpdateId).toBe(11);
  });

  it('a message with no changes (Coinbase received) advances the update id only', () => {
    tracker.applyDiff(diff(11));
    expect(book.writes).toEqual([]);
    expect(book.lastUpdateId).toBe(11);
  });

  it('market orders (no price) never rest, and their later ops are ignored', () => {
    tracker.applyDiff(diff(11, { op: 'open', orderId: 'm1', side: 'buy', price: Number.NaN, amount: 1 }));
    tracker.applyDiff(diff(12, { op: 'open', orderId: 'm2', side: 'sell', price: 0, amount: 1 }));
    tracker.applyDiff(diff(13, { op: 'fill', orderId: 'm1', amount: 0.5 }, { op: 'remove', orderId: 'm2' }));
    expect(tracker.orderCount).toBe(5);
    expect(book.writes).toEqual([]);
    expect(levels(book).bids).toEqual([
      [100, 3],
      [99, 5],
    ]);
  });

  it('open of a known order id replaces it', () => {
    tracker.applyDiff(diff(11, { op: 'open', orderId: 'b3', side: 'buy', price: 98, amount: 1 }));
    expect(levels(book).bids).toEqual([
      [100, 3],
      [98, 1],
    ]);
  });

  it('a snapshot resets every order and level', () => {
    tracker.applySnapshot(
      snapshot(20, [{ orderId: 'n1', price: 90, amount: 1 }], [{ orderId: 'n2', price: 95, amount: 2 }]),
    );
    expect(levels(book)).toEqual({ bids: [[90, 1]], asks: [[95, 2]] });
    expect(tracker.getOrder('b1')).toBeUndefined();
    expect(tracker.orderCount).toBe(2);
    expect(book.snapshotUid).toBe(20);
    // Old ids are gone: ops on them are ignored.
    tracker.applyDiff(diff(21, { op: 'remove', orderId: 'b1' }));
    expect(levels(book)).toEqual({ bids: [[90, 1]], asks: [[95, 2]] });
  });

  it('a snapshot skips orders without a usable price or amount and keeps the last of repeated ids', () => {
    tracker.applySnapshot(
      snapshot(
        30,
        [
          { orderId: 'x', price: 90, amount: 1 },
          { orderId: 'y', price: Number.NaN, amount: 1 },
          { orderId: 'z', price: 91, amount: 0 },
          { orderId: 'x', price: 89, amount: 2 },
        ],
        [],
      ),
    );
    expect(levels(book)).toEqual({ bids: [[89, 2]], asks: [] });
  });

  it('clear forgets every order and empties the book', () => {
    tracker.clear();
    expect(tracker.orderCount).toBe(0);
    expect(book.bidCount + book.askCount).toBe(0);
  });

  describe('trimCrossed', () => {
    it('does nothing on an uncrossed book', () => {
      expect(tracker.trimCrossed()).toBe(0);
      expect(tracker.orderCount).toBe(5);
    });

    it('drops the older crossing orders: a new bid through the asks removes stale asks', () => {
      tracker.applyDiff(diff(11, { op: 'open', orderId: 'fresh', side: 'buy', price: 101.5, amount: 1 }));
      expect(book.bestBid).toBe(101.5);
      expect(tracker.trimCrossed()).toBe(1); // a1 at 101 is older than the fresh bid
      expect(tracker.getOrder('a1')).toBeUndefined();
      expect(book.bestBid).toBe(101.5);
      expect(book.bestAsk).toBe(102);
    });

    it('drops the older side when the newer order is an ask', () => {
      tracker.applyDiff(diff(11, { op: 'open', orderId: 'fresh', side: 'sell', price: 99, amount: 1 }));
      // Bids at 100 (b1, b2) and 99 (b3) cross or lock the fresh ask at 99 and are older.
      expect(tracker.trimCrossed()).toBe(3);
      expect(book.bestAsk).toBe(99);
      expect(book.bidCount).toBe(0);
    });

    it('a fill re-confirms an order, so the order it crosses goes instead', () => {
      tracker.applyDiff(diff(11, { op: 'open', orderId: 'bid', side: 'buy', price: 101, amount: 1 }));
      tracker.applyDiff(diff(12, { op: 'fill', orderId: 'a1', amount: 0.5 })); // a1 is now newer than 'bid'
      expect(tracker.trimCrossed()).toBe(1);
      expect(tracker.getOrder('bid')).toBeUndefined();
      expect(tracker.getOrder('a1')?.amount).toBe(1);
    });

    it('runs after each message when enabled', () => {
      const b = new OrderBook(PAIR);
      const t = new ActiveOrderTracker(b, { trimCrossed: true });
      t.applySnapshot(
        snapshot(1, [{ orderId: 'b', price: 10, amount: 1 }], [{ orderId: 'a', price: 9, amount: 1 }]),
      );
      // Crossed snapshot: bids are taken as older than asks.
      expect(t.getOrder('b')).toBeUndefined();
      expect(b.bestAsk).toBe(9);
      expect(b.lastUpdateId).toBe(1);
      t.applyDiff(diff(2, { op: 'open', orderId: 'b2', side: 'buy', price: 9.5, amount: 1 }));
      expect(t.getOrder('a')).toBeUndefined();
      expect([b.bestBid, b.bestAsk]).toEqual([9.5, Number.NaN]);
      expect(b.lastUpdateId).toBe(2);
    });
  });
});

describe('snapDecimal', () => {
  it('removes binary noise from differences and sums of decimal amounts', () => {
    expect(snapDecimal(0.009 - 0.008, 0.009)).toBe(0.001);
    expect(snapDecimal(0.1 + 0.2, 0.3)).toBe(0.3);
    expect(snapDecimal(12345.12345678 - 0.00000001, 12345.12345678)).toBe(12345.12345677);
    expect(snapDecimal(0, 1)).toBe(0);
  });
});
