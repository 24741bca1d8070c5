import BigNumber from 'bignumber.js';
import type { BookSide } from './engine-types.js';

/** A resting order as the book needs it; the engine's order record satisfies it. */
export interface RestingOrder {
  readonly orderId: string;
  remaining: BigNumber;
}

/** One price level: its orders in time priority and their total. */
export interface PriceLevel<O extends RestingOrder> {
  readonly price: BigNumber;
  /** `price.toFixed()`: the level's identity, so "100" and "100.0" are one level. */
  readonly key: string;
  total: BigNumber;
  readonly orders: O[];
}

/**
 * One side of the engine's book: levels kept sorted best-first in an array (binary
 * search on insert) plus a map by price. Simulated books are shallow, so an array
 * beats a tree here and keeps best-first iteration trivial.
 */
export class BookSideLevels<O extends RestingOrder> {
  private readonly sorted: PriceLevel<O>[] = [];
  private readonly byKey = new Map<string, PriceLevel<O>>();

  constructor(readonly side: BookSide) {}

  /** The best level, if any. */
  best(): PriceLevel<O> | undefined {
    return this.sorted[0];
  }

  /** Levels best-first (the live array: do not mutate). */
  all(): readonly PriceLevel<O>[] {
    return this.sorted;
  }

  /** Number of levels. */
  get size(): number {
    return this.sorted.length;
  }

  /** The level at `price`, if it exists. */
  get(price: BigNumber): PriceLevel<O> | undefined {
    return this.byKey.get(price.toFixed());
  }

  /** Appends `order` at the back of its price level (creating the level). */
  add(price: BigNumber, order: O): PriceLevel<O> {
    const key = price.toFixed();
    let level = this.byKey.get(key);
    if (level === undefined) {
      level = { price, key, total: new BigNumber(0), orders: [] };
      this.byKey.set(key, level);
      this.sorted.splice(this.insertIndex(price), 0, level);
    }
    level.orders.push(order);
    level.total = level.total.plus(order.remaining);
    return level;
  }

  /**
   * Removes `order` (with its current remaining amount) from its level, dropping the
   * level when it empties. Returns the level, or undefined when the order was not there.
   */
  remove(price: BigNumber, order: O): PriceLevel<O> | undefined {
    const level = this.byKey.get(price.toFixed());
    if (level === undefined) return undefined;
    const i = level.orders.indexOf(order);
    if (i < 0) return undefined;
    level.orders.splice(i, 1);
    level.total = level.total.minus(order.remaining);
    if (level.orders.length === 0) this.dropLevel(level);
    return level;
  }

  /** Removes an empty level. */
  dropLevel(level: PriceLevel<O>): void {
    this.byKey.delete(level.key);
    const i = this.sorted.indexOf(level);
    if (i >= 0) this.sorted.splice(i, 1);
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: BigNumber, b: BigNumber): boolean {
    return this.side === 'bid' ? a.gt(b) : a.lt(b);
  }

  private insertIndex(price: BigNumber): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.better((this.sorted[mid] as PriceLevel<O>).price, price)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
