import { Subject, type Observable } from 'rxjs';
import type { BookLevel, TradeMessage } from './order-book-message.js';

/** Answer of {@link OrderBook.getPriceForVolume} and {@link OrderBook.getVwapForVolume}. */
export interface VolumeQueryResult {
  /** The price reached (price query) or the volume-weighted average price (VWAP query); NaN when the side is empty. */
  readonly price: number;
  /** Base volume actually available, never more than asked. */
  readonly volume: number;
}

/** Answer of {@link OrderBook.getQuoteVolumeForBaseAmount}. */
export interface QuoteVolumeResult {
  /** Quote currency spent (buy) or received (sell) for `baseVolume`. */
  readonly quoteVolume: number;
  /** Base volume actually available, never more than asked. */
  readonly baseVolume: number;
}

/*
 * Layout, and why.
 *
 * A live L2 feed is overwhelmingly small changes near the top of the book, and
 * the reader (strategy, tracker) mostly wants the best level and the top few.
 * Each side is therefore two parallel Float64Arrays (keys, amounts) kept sorted
 * ascending so that the BEST level sits at the END (index len-1):
 *
 * - a best read is one indexed load, no tree walk or pointer chase;
 * - inserting or deleting a level k places below the top moves only the k
 *   levels above it, which for near-top traffic is a handful of doubles;
 * - the position is found by scanning back from the end (a few compares, all
 *   cache-hot), then galloping and a binary search when the level is deep;
 * - typed arrays hold unboxed doubles: no object per level, no garbage per
 *   update, about 16 bytes a level, and the GC never has to trace the book.
 *
 * Asks are stored under the key `-price`, so both sides are the same ascending
 * "bigger key is better" structure and share one monomorphic code path (and
 * negation is exact in IEEE-754, so prices round-trip bit for bit).
 */

/** Levels scanned linearly from the top before switching to galloping search. */
const LINEAR_SCAN = 8;
/** Below this many levels to move, a plain loop beats copyWithin's call overhead. */
const SMALL_SHIFT = 16;
/** Capacity of a side before its first growth. */
const INITIAL_CAPACITY = 64;

/** One side of the book: sorted ascending by key, best (largest key) last. */
class BookSide {
  keys: Float64Array;
  amounts: Float64Array;
  len = 0;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.amounts = new Float64Array(capacity);
  }

  /**
   * Index of the last level whose key is <= `key`, or -1. Near-top keys are found
   * by the linear scan; deep ones by galloping down to bracket, then bisection.
   */
  private locate(key: number): number {
    const keys = this.keys;
    let i = this.len - 1;
    const stop = i - LINEAR_SCAN;
    while (i >= 0 && i > stop) {
      if (keys[i]! <= key) return i;
      i--;
    }
    if (i < 0) return -1;
    // Gallop: keys[hi] > key is known; widen the step until keys[lo] <= key.
    let hi = i + 1;
    let step = LINEAR_SCAN;
    let lo = hi - step;
    while (lo >= 0 && keys[lo]! > key) {
      hi = lo;
      step <<= 1;
      lo = hi - step;
    }
    if (lo < 0) {
      lo = -1;
    }
    // Invariant: keys[lo] <= key (or lo == -1), keys[hi] > key.
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! <= key) lo = mid;
      else hi = mid;
    }
    return lo;
  }

  /** Sets the amount at `key`; amount <= 0 (or NaN) removes the level. */
  update(key: number, amount: number): void {
    const len = this.len;
    const keys = this.keys;
    const amounts = this.amounts;
    // Fast path: the best level itself.
    let i: number;
    if (len > 0 && keys[len - 1] === key) i = len - 1;
    else i = this.locate(key);
    if (i >= 0 && keys[i] === key) {
      if (amount > 0) {
        amounts[i] = amount;
        return;
      }
      // Delete: move the levels above i down by one.
      const n = len - i - 1;
      if (n < SMALL_SHIFT) {
        for (let j = i; j < len - 1; j++) {
          keys[j] = keys[j + 1]!;
          amounts[j] = amounts[j + 1]!;
        }
      } else {
        keys.copyWithin(i, i + 1, len);
        amounts.copyWithin(i, i + 1, len);
      }
      this.len = len - 1;
      return;
    }
    if (!(amount > 0)) return; // removing a level that is not there
    if (len === keys.length) this.grow(len << 1);
    const k = this.keys;
    const a = this.amounts;
    const at = i + 1;
    const n = len - at;
    if (n < SMALL_SHIFT) {
      for (let j = len; j > at; j--) {
        k[j] = k[j - 1]!;
        a[j] = a[j - 1]!;
      }
    } else {
      k.copyWithin(at + 1, at, len);
      a.copyWithin(at + 1, at, len);
    }
    k[at] = key;
    a[at] = amount;
    this.len = len + 1;
  }

  grow(capacity: number): void {
    const c = Math.max(capacity, INITIAL_CAPACITY);
    const keys = new Float64Array(c);
    const amounts = new Float64Array(c);
    keys.set(this.keys.subarray(0, this.len));
    amounts.set(this.amounts.subarray(0, this.len));
    this.keys = keys;
    this.amounts = amounts;
  }

  /**
   * Replaces the side. `sign` is +1 for bids and -1 for asks (key = sign * price).
   * Exchanges send snapshots best first, which is reverse key order: that case is
   * written straight in; anything else (unsorted, duplicates, zero amounts) goes
   * through a sort that keeps the last occurrence of a price.
   */
  load(levels: readonly BookLevel[], sign: number): void {
    const n = levels.length;
    if (n > this.keys.length) {
      let c = this.keys.length || INITIAL_CAPACITY;
      while (c < n) c <<= 1;
      this.keys = new Float64Array(c);
      this.amounts = new Float64Array(c);
    }
    const keys = this.keys;
    const amounts = this.amounts;
    let ordered = true;
    for (let j = 0; j < n; j++) {
      const level = levels[j]!;
      const key = sign * level[0];
      const amount = level[1];
      const at = n - 1 - j;
      keys[at] = key;
      amounts[at] = amount;
      // `!(a < b)` also catches NaN keys, which must take the slow path and be dropped.
      if (!(amount > 0) || key !== key || (at < n - 1 && !(key < keys[at + 1]!))) ordered = false;
    }
    this.len = n;
    if (!ordered) this.normalise(levels, sign);
  }

  private normalise(levels: readonly BookLevel[], sign: number): void {
    const order: number[] = [];
    for (let j = 0; j < levels.length; j++) if (levels[j]![0] === levels[j]![0]) order.push(j);
    // Ascending key; for equal keys the later message position last, so it wins.
    order.sort((x, y) => sign * levels[x]![0] - sign * levels[y]![0] || x - y);
    let len = 0;
    for (let j = 0; j < order.length; j++) {
      const level = levels[order[j]!]!;
      const next = order[j + 1];
      if (next !== undefined && levels[next]![0] === level[0]) continue; // a later duplicate wins
      if (!(level[1] > 0)) continue;
      this.keys[len] = sign * level[0];
      this.amounts[len] = level[1];
      len++;
    }
    this.len = len;
  }
}

/**
 * An L2 order book of plain numbers: price levels per side, the update ids that
 * built it, the last trade price and a stream of the trades applied to it.
 * Updates are absolute (the amount now resting at a price); amount 0 removes.
 * Single-level updates allocate nothing.
 */
export class OrderBook {
  /** `BASE-QUOTE` this book is for (empty when not given). */
  readonly tradingPair: string;
  /** Trades passed to {@link applyTrade}, as they are applied. Hot: no replay. */
  readonly trades$: Observable<TradeMessage>;

  private readonly bids = new BookSide(INITIAL_CAPACITY);
  private readonly asks = new BookSide(INITIAL_CAPACITY);
  private readonly tradeSubject = new Subject<TradeMessage>();
  private snapshotId = -1;
  private diffId = -1;
  private updateId = -1;
  private tradePrice = Number.NaN;

  /** @param tradingPair `BASE-QUOTE`, for the reader's convenience only. */
  constructor(tradingPair = '') {
    this.tradingPair = tradingPair;
    this.trades$ = this.tradeSubject.asObservable();
  }

  /** Replaces both sides with a full snapshot (levels in any order; best first is fastest). */
  applySnapshot(bids: readonly BookLevel[], asks: readonly BookLevel[], updateId: number): void {
    this.bids.load(bids, 1);
    this.asks.load(asks, -1);
    this.snapshotId = updateId;
    this.updateId = updateId;
  }

  /** Applies absolute level amounts; amount 0 removes, removing a missing level does nothing. */
  applyDiffs(bids: readonly BookLevel[], asks: readonly BookLevel[], updateId: number): void {
    for (let j = 0; j < bids.length; j++) {
      const level = bids[j]!;
      this.updateBid(level[0], level[1]);
    }
    for (let j = 0; j < asks.length; j++) {
      const level = asks[j]!;
      this.updateAsk(level[0], level[1]);
    }
    this.setLastUpdateId(updateId);
  }

  /**
   * Sets one bid level without allocating (amount 0 removes). For parsers that
   * decode frames straight into the book; follow a batch with {@link setLastUpdateId}.
   * A NaN price is ignored: it would break the sort order.
   */
  updateBid(price: number, amount: number): void {
    if (price !== price) return;
    this.bids.update(price, amount);
  }

  /** Sets one ask level without allocating (amount 0 removes). See {@link updateBid}. */
  updateAsk(price: number, amount: number): void {
    if (price !== price) return;
    this.asks.update(-price, amount);
  }

  /** Records the update id of a batch applied through {@link updateBid}/{@link updateAsk}. */
  setLastUpdateId(updateId: number): void {
    this.diffId = updateId;
    this.updateId = updateId;
  }

  /**
   * Empties both sides and forgets the update ids (a tracker re-syncing starts over).
   * The last trade price is market data rather than book state and is kept.
   */
  clear(): void {
    this.bids.len = 0;
    this.asks.len = 0;
    this.snapshotId = -1;
    this.diffId = -1;
    this.updateId = -1;
  }

  /** Highest bid price; NaN when there are no bids. */
  get bestBid(): number {
    const s = this.bids;
    return s.len > 0 ? s.keys[s.len - 1]! : Number.NaN;
  }

  /** Lowest ask price; NaN when there are no asks. */
  get bestAsk(): number {
    const s = this.asks;
    return s.len > 0 ? -s.keys[s.len - 1]! : Number.NaN;
  }

  /** Amount at the best bid; NaN when there are no bids. */
  get bestBidAmount(): number {
    const s = this.bids;
    return s.len > 0 ? s.amounts[s.len - 1]! : Number.NaN;
  }

  /** Amount at the best ask; NaN when there are no asks. */
  get bestAskAmount(): number {
    const s = this.asks;
    return s.len > 0 ? s.amounts[s.len - 1]! : Number.NaN;
  }

  /** Number of bid levels. */
  get bidCount(): number {
    return this.bids.len;
  }

  /** Number of ask levels. */
  get askCount(): number {
    return this.asks.len;
  }

  /** Update id of the last snapshot applied; -1 before any. */
  get snapshotUid(): number {
    return this.snapshotId;
  }

  /** Update id of the last diff applied; -1 before any. */
  get lastDiffUid(): number {
    return this.diffId;
  }

  /** Update id of the last snapshot or diff applied; -1 before any. */
  get lastUpdateId(): number {
    return this.updateId;
  }

  /** Price of the last trade applied; NaN before any. */
  get lastTradePrice(): number {
    return this.tradePrice;
  }

  /** Bid levels `[price, amount]`, best first, at most `depth` of them. Reads the live book lazily. */
  bidEntries(depth = Number.POSITIVE_INFINITY): IterableIterator<[number, number]> {
    return entries(this.bids, 1, depth);
  }

  /** Ask levels `[price, amount]`, best first, at most `depth` of them. Reads the live book lazily. */
  askEntries(depth = Number.POSITIVE_INFINITY): IterableIterator<[number, number]> {
    return entries(this.asks, -1, depth);
  }

  /**
   * Copies the top `depth` bids into `out` as `[p0, a0, p1, a1, ...]`, best first,
   * limited by the levels present and by `out`'s length; returns the levels copied.
   */
  copyBids(out: Float64Array, depth: number): number {
    return copyTop(this.bids, 1, out, depth);
  }

  /** Copies the top `depth` asks into `out`; see {@link copyBids}. */
  copyAsks(out: Float64Array, depth: number): number {
    return copyTop(this.asks, -1, out, depth);
  }

  /**
   * Walks the asks (buy) or bids (sell) from the best level and returns the price of
   * the level at which the cumulative amount reaches `volume`. When the side holds
   * less, the price is that of the last level and `volume` is what there is.
   */
  getPriceForVolume(isBuy: boolean, volume: number): VolumeQueryResult {
    const side = isBuy ? this.asks : this.bids;
    const sign = isBuy ? -1 : 1;
    const { keys, amounts } = side;
    if (side.len === 0) return { price: Number.NaN, volume: 0 };
    if (!(volume > 0)) return { price: sign * keys[side.len - 1]!, volume: 0 };
    let cumulative = 0;
    let i = side.len - 1;
    for (; i >= 0; i--) {
      cumulative += amounts[i]!;
      if (cumulative >= volume) return { price: sign * keys[i]!, volume };
    }
    return { price: sign * keys[0]!, volume: cumulative };
  }

  /**
   * Volume-weighted average price of taking `volume` from the asks (buy) or bids
   * (sell); takes what there is when the side holds less. With no volume asked the
   * price is the best price; on an empty side it is NaN.
   */
  getVwapForVolume(isBuy: boolean, volume: number): VolumeQueryResult {
    const side = isBuy ? this.asks : this.bids;
    const sign = isBuy ? -1 : 1;
    if (side.len === 0) return { price: Number.NaN, volume: 0 };
    if (!(volume > 0)) return { price: sign * side.keys[side.len - 1]!, volume: 0 };
    const { quote, base } = walk(side, sign, volume);
    return { price: quote / base, volume: base };
  }

  /** Quote amount exchanged for taking `baseAmount` from the asks (buy) or bids (sell). */
  getQuoteVolumeForBaseAmount(isBuy: boolean, baseAmount: number): QuoteVolumeResult {
    const side = isBuy ? this.asks : this.bids;
    if (side.len === 0 || !(baseAmount > 0)) return { quoteVolume: 0, baseVolume: 0 };
    const { quote, base } = walk(side, isBuy ? -1 : 1, baseAmount);
    return { quoteVolume: quote, baseVolume: base };
  }

  /** Records a public trade: sets {@link lastTradePrice} and emits it on {@link trades$}. */
  applyTrade(trade: TradeMessage): void {
    this.tradePrice = trade.price;
    this.tradeSubject.next(trade);
  }
}

function* entries(side: BookSide, sign: number, depth: number): IterableIterator<[number, number]> {
  // Reads the live arrays: a book changed mid-iteration yields a mix of old and new
  // levels, and iteration stops early if the side shrank below the cursor.
  let taken = 0;
  for (let i = side.len - 1; i >= 0 && taken < depth; i--, taken++) {
    if (i >= side.len) return;
    yield [sign * side.keys[i]!, side.amounts[i]!];
  }
}

function copyTop(side: BookSide, sign: number, out: Float64Array, depth: number): number {
  const n = Math.max(0, Math.min(depth, side.len, out.length >> 1));
  const { keys, amounts } = side;
  let i = side.len - 1;
  for (let j = 0; j < n; j++, i--) {
    out[2 * j] = sign * keys[i]!;
    out[2 * j + 1] = amounts[i]!;
  }
  return n;
}

function walk(side: BookSide, sign: number, volume: number): { quote: number; base: number } {
  const { keys, amounts } = side;
  let quote = 0;
  let base = 0;
  for (let i = side.len - 1; i >= 0 && base < volume; i--) {
    const take = Math.min(amounts[i]!, volume - base);
    quote += take * sign * keys[i]!;
    base += take;
  }
  return { quote, base };
}
