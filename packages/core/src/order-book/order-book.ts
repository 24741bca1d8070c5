import { Subject, type Observable } from 'rxjs';
import { HbError } from '../errors/hb-error.js';
import { isValidBookLevel } from '../util/wire-readers.js';
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
 * ascending in the slice [start, end), so that the BEST level sits at the END
 * (index end-1):
 *
 * - a best read is one indexed load, no tree walk or pointer chase;
 * - inserting or deleting a level k places below the top moves only the k
 *   levels above it, which for near-top traffic is a handful of doubles;
 * - the slice floats in the middle of its buffer, with free room at both ends,
 *   so a change in the back half of the book moves the levels BELOW it instead:
 *   no update moves more than half the side;
 * - the position is found by walking down from the top in strides (a few
 *   compares, all in one or two cache lines), galloping when the level is deep,
 *   then bisecting; no allocation and few unpredictable branches;
 * - typed arrays hold unboxed doubles: no object per level, no garbage per
 *   update, 16 bytes a level plus slack, and the GC never traces the book.
 *
 * Measured and rejected: keys and amounts interleaved in one array (the stride-2
 * scan costs more than the shared cache line saves), and a branch-free count over
 * the top 16 keys instead of the stride walk (slower: it pays for all 16 compares).
 *
 * A balanced tree (what tardis-dev uses) or a sorted array of [price, amount]
 * rows with the best level first (ccxt) pays a pointer chase per level or moves
 * the whole side on every insert at the top; measured in tools/bench/orderbook.
 *
 * Asks are stored under the key `-price`, so both sides are the same ascending
 * "bigger key is better" structure and share one monomorphic code path (and
 * negation is exact in IEEE-754, so prices round-trip bit for bit).
 */

/** Levels skipped per step when walking down from the top of a side. */
const STRIDE = 8;
/** Strides taken at a constant size before they start doubling (galloping). */
const FLAT_STRIDES = 4;
/** Below this many levels to move, a plain loop beats copyWithin's call overhead. */
const SMALL_SHIFT = 16;
/** Capacity of a side before its first growth. */
const INITIAL_CAPACITY = 64;

/** One side of the book: keys ascending in [start, end), best (largest key) at end-1. */
class BookSide {
  keys: Float64Array;
  amounts: Float64Array;
  start: number;
  end: number;

  constructor(capacity: number) {
    this.keys = new Float64Array(capacity);
    this.amounts = new Float64Array(capacity);
    this.start = this.end = capacity >> 1;
  }

  get len(): number {
    return this.end - this.start;
  }

  /** Drops every level (keeps the buffers). */
  reset(): void {
    this.start = this.end = this.keys.length >> 1;
  }

  /**
   * Index of the last level whose key is <= `key`, or start-1 when there is none.
   * Walks down from the top in strides of STRIDE levels (a handful of compares for
   * near-top keys), doubles the stride after FLAT_STRIDES so deep keys are
   * bracketed in O(log distance), bisects the bracket down to one stride, then
   * finishes linearly.
   */
  locate(key: number): number {
    const keys = this.keys;
    const floor = this.start - 1;
    let hi = this.end - 1; // invariant: every key above hi is > key
    if (hi === floor || keys[hi]! <= key) return hi;
    let step = STRIDE;
    let lo = hi - step;
    let strides = 0;
    while (lo > floor && keys[lo]! > key) {
      hi = lo;
      if (++strides >= FLAT_STRIDES) step <<= 1;
      lo = hi - step;
    }
    if (lo < floor) lo = floor;
    // Now keys[hi] > key, and keys[lo] <= key or lo == floor.
    while (hi - lo > STRIDE) {
      const mid = (lo + hi) >> 1;
      if (keys[mid]! <= key) lo = mid;
      else hi = mid;
    }
    let i = hi - 1;
    while (i > lo && keys[i]! > key) i--;
    return i;
  }

  /** Sets the amount at `key`; amount <= 0 (or NaN) removes the level. */
  update(key: number, amount: number): void {
    const i = this.locate(key);
    const keys = this.keys;
    const start = this.start;
    const end = this.end;
    if (i >= start && keys[i] === key) {
      if (amount > 0) {
        this.amounts[i] = amount;
        return;
      }
      // Delete: close the gap from whichever side holds fewer levels.
      if (end - 1 - i <= i - start) {
        shiftDown(keys, this.amounts, i + 1, end);
        this.end = end - 1;
      } else {
        shiftUp(keys, this.amounts, start, i);
        this.start = start + 1;
      }
      return;
    }
    if (!(amount > 0)) return; // removing a level that is not there
    // Insert between i and i+1, opening the gap on the side with fewer levels
    // (the top, for near-top traffic).
    if (end - 1 - i <= i + 1 - start) {
      if (end === keys.length) return this.rebalanceAndUpdate(key, amount);
      shiftUp(keys, this.amounts, i + 1, end);
      keys[i + 1] = key;
      this.amounts[i + 1] = amount;
      this.end = end + 1;
    } else {
      if (start === 0) return this.rebalanceAndUpdate(key, amount);
      shiftDown(keys, this.amounts, start, i + 1);
      keys[i] = key;
      this.amounts[i] = amount;
      this.start = start - 1;
    }
  }

  /**
   * The end of the buffer that an insert needs is full. Re-centre the levels so both
   * ends have room again (in place when at least a quarter of the buffer is free,
   * otherwise in a buffer twice the size), then insert. A book that trends one way
   * keeps filling one end; re-centring costs one pass over the side and buys
   * room for many more inserts, so it is amortised O(1).
   */
  private rebalanceAndUpdate(key: number, amount: number): void {
    const len = this.end - this.start;
    const capacity = this.keys.length;
    if (capacity - len >= (capacity >> 2) + 2) {
      const at = (capacity - len) >> 1;
      this.keys.copyWithin(at, this.start, this.end);
      this.amounts.copyWithin(at, this.start, this.end);
      this.start = at;
      this.end = at + len;
    } else {
      this.resize(capacity << 1);
    }
    this.update(key, amount);
  }

  /** Moves the levels into a buffer of `capacity`, centred, leaving room at both ends. */
  resize(capacity: number): void {
    const len = this.end - this.start;
    const c = Math.max(capacity, INITIAL_CAPACITY, len + 2);
    const keys = new Float64Array(c);
    const amounts = new Float64Array(c);
    const at = (c - len) >> 1;
    keys.set(this.keys.subarray(this.start, this.end), at);
    amounts.set(this.amounts.subarray(this.start, this.end), at);
    this.keys = keys;
    this.amounts = amounts;
    this.start = at;
    this.end = at + len;
  }

  /**
   * Replaces the side. `sign` is +1 for bids and -1 for asks (key = sign * price).
   * Exchanges send snapshots best first, which is reverse key order: that case is
   * written straight in; anything else (unsorted, duplicates, zero amounts) goes
   * through a sort that keeps the last occurrence of a price.
   */
  load(levels: readonly BookLevel[], sign: number): void {
    const n = levels.length;
    // Half as much again as the snapshot: room to grow at either end without a copy.
    if (n + (n >> 1) > this.keys.length) {
      let c = this.keys.length;
      while (c < n + (n >> 1)) c <<= 1;
      this.keys = new Float64Array(c);
      this.amounts = new Float64Array(c);
    }
    const keys = this.keys;
    const amounts = this.amounts;
    const start = (keys.length - n) >> 1;
    let ordered = true;
    for (let j = 0; j < n; j++) {
      const level = levels[j]!;
      const key = sign * level[0];
      const amount = level[1];
      const at = start + n - 1 - j;
      keys[at] = key;
      amounts[at] = amount;
      // `!(a < b)` also catches NaN keys, which must take the slow path and be dropped.
      if (!(amount > 0) || key !== key || (j > 0 && !(key < keys[at + 1]!))) ordered = false;
    }
    this.start = start;
    this.end = start + n;
    if (!ordered) this.normalise(levels, sign);
  }

  private normalise(levels: readonly BookLevel[], sign: number): void {
    const order: number[] = [];
    for (let j = 0; j < levels.length; j++) if (levels[j]![0] === levels[j]![0]) order.push(j);
    // Ascending key; for equal keys the later message position last, so it wins.
    order.sort((x, y) => sign * levels[x]![0] - sign * levels[y]![0] || x - y);
    let at = this.start;
    for (let j = 0; j < order.length; j++) {
      const level = levels[order[j]!]!;
      const next = order[j + 1];
      if (next !== undefined && levels[next]![0] === level[0]) continue; // a later duplicate wins
      if (!(level[1] > 0)) continue;
      this.keys[at] = sign * level[0];
      this.amounts[at] = level[1];
      at++;
    }
    this.end = at;
  }
}

/** Moves levels [from, to) one slot up (towards the top); a loop when short, memmove when long. */
function shiftUp(keys: Float64Array, amounts: Float64Array, from: number, to: number): void {
  if (to - from < SMALL_SHIFT) {
    for (let j = to; j > from; j--) {
      keys[j] = keys[j - 1]!;
      amounts[j] = amounts[j - 1]!;
    }
  } else {
    keys.copyWithin(from + 1, from, to);
    amounts.copyWithin(from + 1, from, to);
  }
}

/** Moves levels [from, to) one slot down (towards the back). */
function shiftDown(keys: Float64Array, amounts: Float64Array, from: number, to: number): void {
  if (to - from < SMALL_SHIFT) {
    for (let j = from; j < to; j++) {
      keys[j - 1] = keys[j]!;
      amounts[j - 1] = amounts[j]!;
    }
  } else {
    keys.copyWithin(from - 1, from, to);
    amounts.copyWithin(from - 1, from, to);
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

  /**
   * Replaces both sides with a full snapshot (levels in any order; best first is fastest).
   * A level with a non-finite or non-positive price, or a non-finite or negative
   * amount, refuses the whole snapshot (`HbError('malformed_message')`) and leaves
   * the book as it was.
   */
  applySnapshot(bids: readonly BookLevel[], asks: readonly BookLevel[], updateId: number): void {
    this.refuseBadLevels(bids, asks);
    this.bids.load(bids, 1);
    this.asks.load(asks, -1);
    this.snapshotId = updateId;
    this.updateId = updateId;
  }

  /**
   * Applies absolute level amounts; amount 0 removes, removing a missing level does nothing.
   * Bad levels refuse the whole batch, as in {@link applySnapshot}: the book is untouched.
   */
  applyDiffs(bids: readonly BookLevel[], asks: readonly BookLevel[], updateId: number): void {
    this.refuseBadLevels(bids, asks);
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
   * A level the book cannot hold (see {@link applySnapshot}) throws and changes nothing;
   * such parsers validate the whole frame first so a batch is never half-applied.
   */
  updateBid(price: number, amount: number): void {
    if (!isValidBookLevel(price, amount)) throw this.badLevel('bid', price, amount);
    this.bids.update(price, amount);
  }

  /** Sets one ask level without allocating (amount 0 removes). See {@link updateBid}. */
  updateAsk(price: number, amount: number): void {
    if (!isValidBookLevel(price, amount)) throw this.badLevel('ask', price, amount);
    this.asks.update(-price, amount);
  }

  /** Throws for the first level of either side the book cannot hold. */
  private refuseBadLevels(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    for (let j = 0; j < bids.length; j++) {
      const l = bids[j]!;
      if (!isValidBookLevel(l[0], l[1])) throw this.badLevel('bid', l[0], l[1]);
    }
    for (let j = 0; j < asks.length; j++) {
      const l = asks[j]!;
      if (!isValidBookLevel(l[0], l[1])) throw this.badLevel('ask', l[0], l[1]);
    }
  }

  private badLevel(side: string, price: number, amount: number): HbError {
    return new HbError(
      'malformed_message',
      `order book ${this.tradingPair}: refused ${side} level [${price}, ${amount}] (price must be finite and > 0, amount finite and >= 0)`,
      { retryable: false },
    );
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
    this.bids.reset();
    this.asks.reset();
    this.snapshotId = -1;
    this.diffId = -1;
    this.updateId = -1;
  }

  /** Highest bid price; NaN when there are no bids. */
  get bestBid(): number {
    const s = this.bids;
    return s.end > s.start ? s.keys[s.end - 1]! : Number.NaN;
  }

  /** Lowest ask price; NaN when there are no asks. */
  get bestAsk(): number {
    const s = this.asks;
    return s.end > s.start ? -s.keys[s.end - 1]! : Number.NaN;
  }

  /** Amount at the best bid; NaN when there are no bids. */
  get bestBidAmount(): number {
    const s = this.bids;
    return s.end > s.start ? s.amounts[s.end - 1]! : Number.NaN;
  }

  /** Amount at the best ask; NaN when there are no asks. */
  get bestAskAmount(): number {
    const s = this.asks;
    return s.end > s.start ? s.amounts[s.end - 1]! : Number.NaN;
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
    if (!(volume > 0)) return { price: sign * keys[side.end - 1]!, volume: 0 };
    let cumulative = 0;
    for (let i = side.end - 1; i >= side.start; i--) {
      cumulative += amounts[i]!;
      if (cumulative >= volume) return { price: sign * keys[i]!, volume };
    }
    return { price: sign * keys[side.start]!, volume: cumulative };
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
    if (!(volume > 0)) return { price: sign * side.keys[side.end - 1]!, volume: 0 };
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
  for (let i = side.end - 1; i >= side.start && taken < depth; i--, taken++) {
    if (i >= side.end) return;
    yield [sign * side.keys[i]!, side.amounts[i]!];
  }
}

function copyTop(side: BookSide, sign: number, out: Float64Array, depth: number): number {
  const n = Math.max(0, Math.min(depth, side.len, out.length >> 1));
  const { keys, amounts } = side;
  let i = side.end - 1;
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
  for (let i = side.end - 1; i >= side.start && base < volume; i--) {
    const take = Math.min(amounts[i]!, volume - base);
    quote += take * sign * keys[i]!;
    base += take;
  }
  return { quote, base };
}
