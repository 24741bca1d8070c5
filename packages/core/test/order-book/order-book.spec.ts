import { HbError } from '../../src/errors/hb-error.js';
import { OrderBook } from '../../src/order-book/order-book.js';
import type { BookLevel, TradeMessage } from '../../src/order-book/order-book-message.js';

const bidsOf = (book: OrderBook, depth?: number) => [...book.bidEntries(depth)];
const asksOf = (book: OrderBook, depth?: number) => [...book.askEntries(depth)];

/** Small deterministic PRNG (mulberry32) so the model test is reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sample(): OrderBook {
  const book = new OrderBook('BTC-USDT');
  book.applySnapshot(
    [
      [100, 1],
      [99, 2],
      [98, 3],
    ],
    [
      [101, 1.5],
      [102, 2.5],
      [103, 3.5],
    ],
    10,
  );
  return book;
}

describe('OrderBook', () => {
  describe('empty book', () => {
    it('reports NaN tops, zero counts and -1 ids', () => {
      const book = new OrderBook();
      expect(book.tradingPair).toBe('');
      expect(book.bestBid).toBeNaN();
      expect(book.bestAsk).toBeNaN();
      expect(book.bestBidAmount).toBeNaN();
      expect(book.bestAskAmount).toBeNaN();
      expect(book.bidCount).toBe(0);
      expect(book.askCount).toBe(0);
      expect(book.snapshotUid).toBe(-1);
      expect(book.lastDiffUid).toBe(-1);
      expect(book.lastUpdateId).toBe(-1);
      expect(book.lastTradePrice).toBeNaN();
      expect(bidsOf(book)).toEqual([]);
      expect(book.getPriceForVolume(true, 1)).toEqual({ price: NaN, volume: 0 });
      expect(book.getVwapForVolume(false, 1)).toEqual({ price: NaN, volume: 0 });
      expect(book.getQuoteVolumeForBaseAmount(true, 1)).toEqual({ quoteVolume: 0, baseVolume: 0 });
    });
  });

  describe('applySnapshot', () => {
    it('loads best-first levels and records the snapshot id', () => {
      const book = sample();
      expect(book.tradingPair).toBe('BTC-USDT');
      expect(book.bestBid).toBe(100);
      expect(book.bestBidAmount).toBe(1);
      expect(book.bestAsk).toBe(101);
      expect(book.bestAskAmount).toBe(1.5);
      expect(bidsOf(book)).toEqual([
        [100, 1],
        [99, 2],
        [98, 3],
      ]);
      expect(asksOf(book)).toEqual([
        [101, 1.5],
        [102, 2.5],
        [103, 3.5],
      ]);
      expect(book.snapshotUid).toBe(10);
      expect(book.lastUpdateId).toBe(10);
      expect(book.lastDiffUid).toBe(-1);
    });

    it('sorts unordered input, keeps the last duplicate and drops zero amounts', () => {
      const book = new OrderBook();
      book.applySnapshot(
        [
          [98, 3],
          [100, 1],
          [99, 2],
          [98, 4],
          [97, 0],
        ],
        [
          [103, 3],
          [101, 1],
          [102, 0],
          [101, 7],
        ],
        5,
      );
      expect(bidsOf(book)).toEqual([
        [100, 1],
        [99, 2],
        [98, 4],
      ]);
      expect(asksOf(book)).toEqual([
        [101, 7],
        [103, 3],
      ]);
    });

    it('replaces whatever the book held', () => {
      const book = sample();
      book.applySnapshot([[50, 1]], [], 20);
      expect(bidsOf(book)).toEqual([[50, 1]]);
      expect(book.askCount).toBe(0);
      expect(book.bestAsk).toBeNaN();
      expect(book.snapshotUid).toBe(20);
    });

    it('grows for large snapshots', () => {
      const bids: BookLevel[] = [];
      const asks: BookLevel[] = [];
      for (let i = 0; i < 1000; i++) {
        bids.push([1000 - i, i + 1]);
        asks.push([1001 + i, i + 1]);
      }
      const book = new OrderBook();
      book.applySnapshot(bids, asks, 1);
      expect(book.bidCount).toBe(1000);
      expect(book.askCount).toBe(1000);
      expect(book.bestBid).toBe(1000);
      expect(book.bestAsk).toBe(1001);
      expect(asksOf(book).at(-1)).toEqual([2000, 1000]);
    });
  });

  describe('applyDiffs and single-level updates', () => {
    it('modifies, inserts and removes levels and records the diff id', () => {
      const book = sample();
      book.applyDiffs(
        [
          [100, 5],
          [99.5, 1],
          [98, 0],
        ],
        [
          [100.5, 2],
          [103, 0],
        ],
        11,
      );
      expect(bidsOf(book)).toEqual([
        [100, 5],
        [99.5, 1],
        [99, 2],
      ]);
      expect(asksOf(book)).toEqual([
        [100.5, 2],
        [101, 1.5],
        [102, 2.5],
      ]);
      expect(book.lastDiffUid).toBe(11);
      expect(book.lastUpdateId).toBe(11);
      expect(book.snapshotUid).toBe(10);
    });

    it('treats removing a missing level as a no-op', () => {
      const book = sample();
      book.applyDiffs([[95, 0]], [[200, 0]], 11);
      expect(book.bidCount).toBe(3);
      expect(book.askCount).toBe(3);
    });

    it('moves the top when the best level is removed or bettered', () => {
      const book = sample();
      book.updateBid(100, 0);
      expect(book.bestBid).toBe(99);
      book.updateBid(100.25, 9);
      expect(book.bestBid).toBe(100.25);
      expect(book.bestBidAmount).toBe(9);
      book.updateAsk(101, 0);
      expect(book.bestAsk).toBe(102);
      book.updateAsk(100.75, 4);
      expect(book.bestAsk).toBe(100.75);
      book.setLastUpdateId(42);
      expect(book.lastDiffUid).toBe(42);
      expect(book.lastUpdateId).toBe(42);
    });

    it('adds levels worse than every other level and empties a side completely', () => {
      const book = sample();
      book.updateBid(1, 1);
      book.updateAsk(1000, 1);
      expect(bidsOf(book).at(-1)).toEqual([1, 1]);
      expect(asksOf(book).at(-1)).toEqual([1000, 1]);
      for (const [p] of bidsOf(book)) book.updateBid(p, 0);
      expect(book.bidCount).toBe(0);
      expect(book.bestBid).toBeNaN();
      book.updateBid(7, 1);
      expect(book.bestBid).toBe(7);
    });

    it('refuses levels no book can hold, changing nothing (non-finite, price <= 0, negative amount)', () => {
      const book = sample();
      const before = [bidsOf(book), asksOf(book), book.lastUpdateId];
      const bad: BookLevel[] = [
        [NaN, 1],
        [Infinity, 1],
        [0, 1],
        [-5, 1],
        [99, -0.005],
        [99, NaN],
        [99, Infinity],
      ];
      for (const level of bad) {
        expect(() => book.updateBid(level[0], level[1])).toThrow(HbError);
        expect(() => book.updateAsk(level[0], level[1])).toThrow(HbError);
        // One bad level refuses the whole batch, even after good ones.
        expect(() => book.applyDiffs([[99, 7], level], [], 99)).toThrow(/refused bid level/);
        expect(() => book.applySnapshot([], [[101, 1], level], 99)).toThrow(/refused ask level/);
      }
      expect([bidsOf(book), asksOf(book), book.lastUpdateId]).toEqual(before);
      expect(Number.isFinite(book.bestBid) && Number.isFinite(book.bestAsk)).toBe(true);
    });

    it('agrees with a simple map model over many random updates, near the top and deep', () => {
      const next = rng(7);
      const book = new OrderBook();
      const bids = new Map<number, number>();
      const asks = new Map<number, number>();
      const snapBids: BookLevel[] = [];
      const snapAsks: BookLevel[] = [];
      for (let i = 0; i < 300; i++) {
        snapBids.push([1000 - i, 1 + i]);
        snapAsks.push([1001 + i, 1 + i]);
        bids.set(1000 - i, 1 + i);
        asks.set(1001 + i, 1 + i);
      }
      book.applySnapshot(snapBids, snapAsks, 0);
      for (let n = 0; n < 20000; n++) {
        const isBid = next() < 0.5;
        // Mostly near the top, sometimes anywhere in a wide band (exercises galloping and growth).
        const offset = next() < 0.8 ? Math.floor(next() * 40) : Math.floor(next() * 1200);
        const price = isBid
          ? 1300.5 - offset + (next() < 0.5 ? 0.5 : 0)
          : 1000.5 + offset + (next() < 0.5 ? 0.5 : 0);
        const amount = next() < 0.3 ? 0 : Math.floor(next() * 100) / 10;
        const model = isBid ? bids : asks;
        if (amount > 0) model.set(price, amount);
        else model.delete(price);
        if (isBid) book.updateBid(price, amount);
        else book.updateAsk(price, amount);
      }
      const expectBids = [...bids.entries()].sort((x, y) => y[0] - x[0]);
      const expectAsks = [...asks.entries()].sort((x, y) => x[0] - y[0]);
      expect(bidsOf(book)).toEqual(expectBids);
      expect(asksOf(book)).toEqual(expectAsks);
      expect(book.bestBid).toBe(expectBids[0]![0]);
      expect(book.bestAsk).toBe(expectAsks[0]![0]);
    });
  });

  it('stays correct when the market trends one way for a long time (inserts at one end, deletes at the other)', () => {
    const book = new OrderBook();
    const levels: BookLevel[] = [];
    for (let i = 0; i < 50; i++) levels.push([1000 - i, 1]);
    book.applySnapshot(levels, [[2000, 1]], 1);
    // Bids climb: a new best every step, the worst level removed every other step.
    let low = 951;
    for (let p = 1001; p < 1601; p++) {
      book.updateBid(p, p);
      if (p % 2 === 0) book.updateBid(low++, 0);
    }
    const bids = bidsOf(book);
    expect(bids[0]).toEqual([1600, 1600]);
    expect(bids.at(-1)).toEqual([low, low > 1000 ? low : 1]);
    expect(bids).toHaveLength(1600 - low + 1);
    for (let k = 1; k < bids.length; k++) expect(bids[k]![0]).toBe(bids[k - 1]![0] - 1);
    // Asks fall the same way, and a deep insert below the back of the book still lands in place.
    for (let p = 1999; p > 1700; p--) book.updateAsk(p, 2);
    book.updateAsk(5000, 3);
    const asks = asksOf(book);
    expect(asks[0]).toEqual([1701, 2]);
    expect(asks.at(-2)).toEqual([2000, 1]);
    expect(asks.at(-1)).toEqual([5000, 3]);
    expect(asks).toHaveLength(301);
  });

  it('reuses its buffers across clear and smaller snapshots', () => {
    const book = new OrderBook();
    const big: BookLevel[] = [];
    for (let i = 0; i < 500; i++) big.push([500 - i, 1]);
    book.applySnapshot(big, [], 1);
    book.applySnapshot(
      [
        [10, 1],
        [9, 2],
      ],
      [[11, 3]],
      2,
    );
    expect(bidsOf(book)).toEqual([
      [10, 1],
      [9, 2],
    ]);
    book.clear();
    for (let p = 1; p <= 200; p++) book.updateBid(p % 2 === 0 ? p : 401 - p, 1);
    expect(book.bidCount).toBe(200);
    expect(book.bestBid).toBe(400);
    expect(bidsOf(book).at(-1)).toEqual([2, 1]);
  });

  describe('reading the top', () => {
    it('limits iteration to the requested depth', () => {
      const book = sample();
      expect(bidsOf(book, 2)).toEqual([
        [100, 1],
        [99, 2],
      ]);
      expect(asksOf(book, 0)).toEqual([]);
      expect(asksOf(book, 10)).toHaveLength(3);
    });

    it('copies the top levels into a Float64Array, bounded by depth, levels and buffer size', () => {
      const book = sample();
      const out = new Float64Array(10);
      expect(book.copyBids(out, 2)).toBe(2);
      expect([...out.subarray(0, 4)]).toEqual([100, 1, 99, 2]);
      expect(book.copyAsks(out, 5)).toBe(3);
      expect([...out.subarray(0, 6)]).toEqual([101, 1.5, 102, 2.5, 103, 3.5]);
      expect(book.copyAsks(new Float64Array(3), 5)).toBe(1);
      expect(book.copyBids(out, -1)).toBe(0);
    });
  });

  describe('volume queries', () => {
    it('getPriceForVolume returns the price of the level that fills the volume', () => {
      const book = sample();
      expect(book.getPriceForVolume(true, 1)).toEqual({ price: 101, volume: 1 });
      expect(book.getPriceForVolume(true, 2)).toEqual({ price: 102, volume: 2 });
      expect(book.getPriceForVolume(false, 3)).toEqual({ price: 99, volume: 3 });
      expect(book.getPriceForVolume(false, 0)).toEqual({ price: 100, volume: 0 });
    });

    it('getPriceForVolume reports what there is when the side is too thin', () => {
      const book = sample();
      expect(book.getPriceForVolume(true, 100)).toEqual({ price: 103, volume: 7.5 });
      expect(book.getPriceForVolume(false, 100)).toEqual({ price: 98, volume: 6 });
    });

    it('getVwapForVolume averages the levels taken', () => {
      const book = sample();
      const buy = book.getVwapForVolume(true, 2);
      expect(buy.volume).toBe(2);
      expect(buy.price).toBeCloseTo((101 * 1.5 + 102 * 0.5) / 2, 12);
      const sell = book.getVwapForVolume(false, 100);
      expect(sell.volume).toBe(6);
      expect(sell.price).toBeCloseTo((100 * 1 + 99 * 2 + 98 * 3) / 6, 12);
      expect(book.getVwapForVolume(true, 0)).toEqual({ price: 101, volume: 0 });
    });

    it('getQuoteVolumeForBaseAmount sums the quote spent', () => {
      const book = sample();
      const r = book.getQuoteVolumeForBaseAmount(true, 2);
      expect(r.baseVolume).toBe(2);
      expect(r.quoteVolume).toBeCloseTo(101 * 1.5 + 102 * 0.5, 12);
      expect(book.getQuoteVolumeForBaseAmount(false, 1)).toEqual({ quoteVolume: 100, baseVolume: 1 });
      expect(book.getQuoteVolumeForBaseAmount(false, 100)).toEqual({
        quoteVolume: 100 + 198 + 294,
        baseVolume: 6,
      });
      expect(book.getQuoteVolumeForBaseAmount(false, 0)).toEqual({ quoteVolume: 0, baseVolume: 0 });
    });
  });

  describe('trades', () => {
    it('sets the last trade price and emits each trade on trades$', () => {
      const book = sample();
      const seen: TradeMessage[] = [];
      const sub = book.trades$.subscribe((t) => seen.push(t));
      const trade: TradeMessage = {
        type: 'trade',
        tradingPair: 'BTC-USDT',
        tradeId: '1',
        price: 100.5,
        amount: 0.1,
        side: 'buy',
        timestamp: 1,
      };
      book.applyTrade(trade);
      book.applyTrade({ ...trade, tradeId: '2', price: 100.25 });
      sub.unsubscribe();
      book.applyTrade({ ...trade, tradeId: '3', price: 99 });
      expect(seen.map((t) => t.tradeId)).toEqual(['1', '2']);
      expect(book.lastTradePrice).toBe(99);
    });
  });

  describe('clear', () => {
    it('empties both sides and resets the ids but keeps the last trade price', () => {
      const book = sample();
      book.applyDiffs([[99, 1]], [], 11);
      book.applyTrade({
        type: 'trade',
        tradingPair: 'BTC-USDT',
        tradeId: 't',
        price: 100,
        amount: 1,
        side: 'sell',
        timestamp: 0,
      });
      book.clear();
      expect(book.bidCount).toBe(0);
      expect(book.askCount).toBe(0);
      expect(book.bestBid).toBeNaN();
      expect(book.snapshotUid).toBe(-1);
      expect(book.lastDiffUid).toBe(-1);
      expect(book.lastUpdateId).toBe(-1);
      expect(book.lastTradePrice).toBe(100);
      book.updateAsk(5, 1);
      expect(book.bestAsk).toBe(5);
    });
  });
});
