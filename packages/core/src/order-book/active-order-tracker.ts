import type { OrderSide } from '../orders/order-types.js';
import type {
  BookLevel,
  BookOrder,
  OrderChange,
  OrderDiffMessage,
  OrderSnapshotMessage,
} from './order-book-message.js';
import type { OrderBook } from './order-book.js';

/** Options of {@link ActiveOrderTracker}. */
export interface ActiveOrderTrackerOptions {
  /**
   * Run {@link ActiveOrderTracker.trimCrossed} after every snapshot and diff.
   * For open-order-book DEX relayers, where nothing matches crossing orders and
   * orders filled or cancelled on chain can linger unannounced. Off by default:
   * a CEX book never crosses for long, and trimming there would hide a real bug.
   */
  readonly trimCrossed?: boolean;
}

/** One resting order as the tracker holds it. */
export interface ActiveOrder {
  readonly orderId: string;
  /** `buy` rests on the bid side, `sell` on the ask side. */
  readonly side: OrderSide;
  readonly price: number;
  /** Remaining amount, > 0. */
  readonly amount: number;
}

/** Aggregate of one price level. */
export interface ActiveLevel {
  /** Sum of the remaining amounts of the orders at this price. */
  readonly amount: number;
  /** Number of orders at this price. */
  readonly orderCount: number;
}

interface TrackedOrder {
  readonly orderId: string;
  readonly side: OrderSide;
  price: number;
  amount: number;
  /**
   * When the feed last confirmed this order (a tracker-wide counter bumped on
   * open, fill and change): the trim policy drops the least recently confirmed.
   */
  touched: number;
}

/** Orders at one price, in arrival order (a Map keeps it, and sums in that order). */
type Level = Map<string, TrackedOrder>;

/**
 * A remainder smaller than this fraction of the amount it was computed from is
 * float residue (0.8 - 0.1 - 0.7 is 1.1e-16 in binary, not 0) and counts as zero. No
 * exchange has a size step a billion times below an order's size.
 */
const RESIDUE = 1e-9;

/**
 * An order-level (L3) book that keeps an {@link OrderBook} of price levels in
 * step with it. Each snapshot or diff message updates the orders, then pushes to
 * the book only the levels that changed (`updateBid`/`updateAsk`) and the
 * message's update id.
 *
 * Level amounts are recomputed by summing the level's current orders whenever
 * the level changes, rather than by adding and subtracting deltas: a running
 * float total drifts (an emptied level could keep 1e-17 and never disappear),
 * while a fresh sum is exactly what the orders say and exactly 0 for no orders.
 * The sum costs one pass over the orders at one price, which is short, and is
 * done once per changed level per message. Integer scaling was rejected because
 * the right scale differs per market (18-decimal tokens overflow 2^53).
 */
export class ActiveOrderTracker {
  /** The price-level book this tracker writes to. */
  readonly book: OrderBook;

  private readonly autoTrim: boolean;
  private readonly orders = new Map<string, TrackedOrder>();
  private readonly bids = new Map<number, Level>();
  private readonly asks = new Map<number, Level>();
  // Levels touched by the message being applied; reused to avoid allocating per message.
  private readonly dirtyBids = new Set<number>();
  private readonly dirtyAsks = new Set<number>();
  private clock = 0;

  /**
   * @param book the book to keep in step; the tracker owns its contents from now on.
   * @param options see {@link ActiveOrderTrackerOptions}.
   */
  constructor(book: OrderBook, options: ActiveOrderTrackerOptions = {}) {
    this.book = book;
    this.autoTrim = options.trimCrossed ?? false;
  }

  /** Number of resting orders tracked. */
  get orderCount(): number {
    return this.orders.size;
  }

  /** The resting order with this id, if it is on the book. */
  getOrder(orderId: string): ActiveOrder | undefined {
    const o = this.orders.get(orderId);
    return o === undefined
      ? undefined
      : { orderId: o.orderId, side: o.side, price: o.price, amount: o.amount };
  }

  /** The aggregate at one price on one side (`buy` = bids), if any order rests there. */
  getLevel(side: OrderSide, price: number): ActiveLevel | undefined {
    const level = (side === 'buy' ? this.bids : this.asks).get(price);
    if (level === undefined) return undefined;
    return { amount: sumLevel(level), orderCount: level.size };
  }

  /** The orders resting at one price on one side, oldest first. */
  ordersAt(side: OrderSide, price: number): ActiveOrder[] {
    const level = (side === 'buy' ? this.bids : this.asks).get(price);
    if (level === undefined) return [];
    return [...level.values()].map((o) => ({
      orderId: o.orderId,
      side: o.side,
      price: o.price,
      amount: o.amount,
    }));
  }

  /**
   * Replaces every order with the snapshot's and loads the aggregated levels into
   * the book as a snapshot at the message's update id. Orders without a usable
   * price or amount are skipped; a repeated order id keeps its last entry.
   */
  applySnapshot(message: OrderSnapshotMessage): void {
    this.forget();
    this.loadSide(message.bids, 'buy');
    this.loadSide(message.asks, 'sell');
    this.book.applySnapshot(levelsOf(this.bids, -1), levelsOf(this.asks, 1), message.updateId);
    if (this.autoTrim) this.trimCrossed();
  }

  /**
   * Applies the message's order changes, then writes the changed levels to the
   * book and sets its update id. Changes naming an order that is not on the book
   * are ignored (market orders, orders opened before the snapshot and already
   * gone, `done` for orders that never rested).
   */
  applyDiff(message: OrderDiffMessage): void {
    const changes = message.changes;
    for (let i = 0; i < changes.length; i++) this.applyChange(changes[i]!);
    this.flush();
    if (this.autoTrim) this.trimCrossed();
    this.book.setLastUpdateId(message.updateId);
  }

  /**
   * Removes resting orders until the best bid is below the best ask, and returns
   * how many it removed. Policy: while the book crosses (or locks: bid == ask),
   * the least recently confirmed order among the best bid level and the best ask
   * level is dropped, one order at a time. On an open-order-book relayer a
   * crossing pair cannot both be live (a taker would have filled them), and the
   * order the relayer told us about longer ago is the one most likely filled,
   * cancelled or unfunded without notice; the newer side survives. Orders in one
   * snapshot count as confirmed in the order the snapshot lists them, bids first
   * (a snapshot says nothing about age, so that tie-break is arbitrary).
   */
  trimCrossed(): number {
    let removed = 0;
    for (;;) {
      const bestBid = this.book.bestBid;
      const bestAsk = this.book.bestAsk;
      if (!(bestBid >= bestAsk)) return removed; // NaN (an empty side) ends it too
      const bidLevel = this.bids.get(bestBid);
      const askLevel = this.asks.get(bestAsk);
      const victim = oldest(oldest(undefined, bidLevel), askLevel);
      if (victim === undefined) return removed; // the book holds levels we do not: not ours to trim
      this.removeOrder(victim);
      this.flush();
      removed++;
    }
  }

  /** Forgets every order and empties the book (a tracker starting over). */
  clear(): void {
    this.forget();
    this.book.clear();
  }

  private forget(): void {
    this.orders.clear();
    this.bids.clear();
    this.asks.clear();
    this.dirtyBids.clear();
    this.dirtyAsks.clear();
  }

  private loadSide(orders: readonly BookOrder[], side: OrderSide): void {
    for (let i = 0; i < orders.length; i++) {
      const o = orders[i]!;
      if (!isPrice(o.price) || !isAmount(o.amount)) continue;
      const existing = this.orders.get(o.orderId);
      if (existing !== undefined) this.removeOrder(existing);
      this.insertOrder({ orderId: o.orderId, side, price: o.price, amount: o.amount, touched: ++this.clock });
    }
    // The snapshot loads the book wholesale; nothing is pending.
    this.dirtyBids.clear();
    this.dirtyAsks.clear();
  }

  private applyChange(change: OrderChange): void {
    switch (change.op) {
      case 'open': {
        const existing = this.orders.get(change.orderId);
        if (existing !== undefined) this.removeOrder(existing);
        // A market order has no price and never rests; neither does an empty order.
        if (!isPrice(change.price) || !isAmount(change.amount)) return;
        this.insertOrder({
          orderId: change.orderId,
          side: change.side,
          price: change.price,
          amount: change.amount,
          touched: ++this.clock,
        });
        return;
      }
      case 'fill': {
        const order = this.orders.get(change.orderId);
        if (order === undefined || !(change.amount > 0)) return;
        const before = order.amount;
        const after = snapDecimal(before - change.amount, before);
        if (after <= before * RESIDUE) {
          this.removeOrder(order);
          return;
        }
        order.amount = after;
        order.touched = ++this.clock;
        this.markDirty(order.side, order.price);
        return;
      }
      case 'change': {
        const order = this.orders.get(change.orderId);
        if (order === undefined) return;
        if (!isAmount(change.amount)) {
          this.removeOrder(order);
          return;
        }
        const price = change.price;
        if (price !== undefined && isPrice(price) && price !== order.price) {
          // Moving price loses time priority: re-insert at the back of the new level.
          this.removeOrder(order);
          this.insertOrder({
            orderId: order.orderId,
            side: order.side,
            price,
            amount: change.amount,
            touched: ++this.clock,
          });
          return;
        }
        order.amount = change.amount;
        order.touched = ++this.clock;
        this.markDirty(order.side, order.price);
        return;
      }
      case 'remove': {
        const order = this.orders.get(change.orderId);
        if (order !== undefined) this.removeOrder(order);
        return;
      }
    }
  }

  private insertOrder(order: TrackedOrder): void {
    this.orders.set(order.orderId, order);
    const side = order.side === 'buy' ? this.bids : this.asks;
    let level = side.get(order.price);
    if (level === undefined) {
      level = new Map();
      side.set(order.price, level);
    }
    level.set(order.orderId, order);
    this.markDirty(order.side, order.price);
  }

  private removeOrder(order: TrackedOrder): void {
    this.orders.delete(order.orderId);
    const side = order.side === 'buy' ? this.bids : this.asks;
    const level = side.get(order.price);
    if (level !== undefined) {
      level.delete(order.orderId);
      if (level.size === 0) side.delete(order.price);
    }
    this.markDirty(order.side, order.price);
  }

  private markDirty(side: OrderSide, price: number): void {
    (side === 'buy' ? this.dirtyBids : this.dirtyAsks).add(price);
  }

  /** Writes every level changed since the last flush to the book. */
  private flush(): void {
    for (const price of this.dirtyBids) {
      const level = this.bids.get(price);
      this.book.updateBid(price, level === undefined ? 0 : sumLevel(level));
    }
    for (const price of this.dirtyAsks) {
      const level = this.asks.get(price);
      this.book.updateAsk(price, level === undefined ? 0 : sumLevel(level));
    }
    this.dirtyBids.clear();
    this.dirtyAsks.clear();
  }
}

function isPrice(price: number): boolean {
  return Number.isFinite(price) && price > 0;
}

function isAmount(amount: number): boolean {
  return Number.isFinite(amount) && amount > 0;
}

function sumLevel(level: Level): number {
  let total = 0;
  for (const o of level.values()) total += o.amount;
  return snapDecimal(total, total);
}

/**
 * Rounds `x` to 15 significant digits at the magnitude of `reference`. Exchanges
 * send decimal amounts, and a difference or sum of their binary approximations
 * carries noise in the last bits (0.009 - 0.008 = 0.000999999999999994); an
 * integer divided by a power of ten is correctly rounded, so the result is the
 * same double `parseFloat` gives for the exact decimal, and L3 levels equal the
 * exchange's L2 numbers exactly.
 */
export function snapDecimal(x: number, reference: number): number {
  if (x === 0 || !Number.isFinite(x) || reference === 0) return x;
  const digits = 15 - Math.ceil(Math.log10(Math.abs(reference)));
  if (digits <= 0 || digits > 22) return x;
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

/** Levels of one side, best first: `direction` -1 sorts prices descending (bids), 1 ascending (asks). */
function levelsOf(side: Map<number, Level>, direction: number): BookLevel[] {
  const out: BookLevel[] = [];
  for (const [price, level] of side) out.push([price, sumLevel(level)]);
  out.sort((a, b) => direction * (a[0] - b[0]));
  return out;
}

/** The least recently confirmed of `best` and the orders in `level`. */
function oldest(best: TrackedOrder | undefined, level: Level | undefined): TrackedOrder | undefined {
  if (level === undefined) return best;
  let found = best;
  for (const o of level.values()) if (found === undefined || o.touched < found.touched) found = o;
  return found;
}
