import BigNumber from 'bignumber.js';
import { Subject, type Observable } from 'rxjs';
import { hashOrder } from './eip712.js';
import type { ZeroExFillEvent } from './events.js';
import type { SignedZeroExOrder, ZeroExVersion } from './order.js';
import { ZeroExError } from './zero-ex-errors.js';

/** Exact division for prices: 40 decimals are far below any token's resolution. */
const Price = BigNumber.clone({ DECIMAL_PLACES: 40, ROUNDING_MODE: BigNumber.ROUND_HALF_EVEN });

/** One market (BASE-QUOTE) of a 0x relayer: which asset data is the base, which the quote, and their decimals. */
export interface ZeroExMarket {
  readonly baseAssetData: string;
  readonly quoteAssetData: string;
  readonly baseDecimals: number;
  readonly quoteDecimals: number;
}

/** Where an order is in its life, as far as the tracker knows. */
export type ActiveOrderState =
  /** In the book. */
  | 'open'
  /** Filled completely. */
  | 'filled'
  /** Cancelled by its maker. */
  | 'cancelled'
  /** Past its expiration time. */
  | 'expired'
  /** Cannot be filled: the maker is unfunded, lacks an allowance, or the remainder is below one base unit. */
  | 'unfillable';

/** An order the tracker keeps. */
export interface ActiveOrder {
  readonly orderHash: string;
  readonly order: SignedZeroExOrder;
  /** `bid`: the maker buys base (taker asset = base); `ask`: the maker sells base. */
  readonly side: 'bid' | 'ask';
  /** Quote per base, in whole units (decimals applied). */
  readonly price: BigNumber;
  /** Taker asset still fillable, base units. */
  readonly remainingTakerAssetAmount: bigint;
  /** Base still available at this price, base units of the base token. */
  readonly remainingBaseAmount: bigint;
  /** Unix seconds. */
  readonly expirationTimeSeconds: number;
  readonly state: ActiveOrderState;
  /** Insertion sequence: larger is newer (a crossed book keeps the newer quote). */
  readonly sequence: number;
}

/** One aggregated price level. */
export interface ActiveOrderLevel {
  /** Quote per base. */
  readonly price: BigNumber;
  /** Sum of the orders' remaining base, whole units. */
  readonly amount: BigNumber;
  /** Sum of the orders' remaining base, base units. */
  readonly baseUnits: bigint;
  /** The orders at this price, oldest first. */
  readonly orderHashes: readonly string[];
}

/** Bids (price descending) and asks (ascending). */
export interface ActiveOrderLevels {
  readonly bids: readonly ActiveOrderLevel[];
  readonly asks: readonly ActiveOrderLevel[];
}

/** A change to the tracked set. */
export interface ActiveOrderChange {
  readonly type: 'added' | 'updated' | 'removed';
  readonly orderHash: string;
  /** The order after the change (for `removed`: its last state, e.g. `filled`, `cancelled`). */
  readonly order: ActiveOrder;
}

/** Options of {@link ActiveOrderTracker}. */
export interface ActiveOrderTrackerOptions {
  /** The protocol version the orders are hashed with. */
  readonly version: ZeroExVersion;
  /** Wall clock, ms (expiry). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * Orders with fewer than this many seconds left count as expired (a fill
   * sent now would arrive too late; Bamboo hid orders under 30 s). Default 0.
   */
  readonly expiryMarginSeconds?: number;
}

/**
 * A book of 0x orders by hash for one market (zero-ex.md §12): each order's
 * side, price, remaining fillable amount, expiry and state, aggregated on
 * demand into price levels. Snapshots replace everything; updates add or
 * replace one order; fills, cancels and "unfillable" verdicts (unfunded maker,
 * missing allowance) change or drop it; expired orders are trimmed by the
 * clock. Open-order-book relayers have no matching engine, so the book can be
 * crossed: `levels()` drops the older side of a cross (the newer quote is the
 * maker's latest intent; the older one is about to be filled or is stale).
 */
export class ActiveOrderTracker {
  private readonly orders = new Map<string, ActiveOrder>();
  private readonly changes = new Subject<ActiveOrderChange>();
  private readonly now: () => number;
  private readonly margin: number;
  private sequence = 0;
  private readonly base: string;
  private readonly quote: string;

  /** Every add, update and removal. */
  readonly changes$: Observable<ActiveOrderChange> = this.changes.asObservable();

  constructor(
    /** The market this book is of. */
    readonly market: ZeroExMarket,
    private readonly options: ActiveOrderTrackerOptions,
  ) {
    this.base = market.baseAssetData.toLowerCase();
    this.quote = market.quoteAssetData.toLowerCase();
    if (this.base === this.quote)
      throw new ZeroExError('invalid_order', 'the base and quote asset data are the same');
    this.now = options.now ?? Date.now;
    this.margin = options.expiryMarginSeconds ?? 0;
  }

  /** Number of orders kept (open ones only; ended orders are dropped). */
  get size(): number {
    return this.orders.size;
  }

  /** An order by hash. */
  get(orderHash: string): ActiveOrder | undefined {
    return this.orders.get(orderHash.toLowerCase());
  }

  /** Every kept order, oldest first. */
  all(): ActiveOrder[] {
    return [...this.orders.values()];
  }

  /**
   * Replaces the whole book with a snapshot (e.g. SRA `/orderbook`). Orders of
   * other markets are refused with a typed error before anything changes.
   */
  snapshot(
    records: readonly { order: SignedZeroExOrder; remainingFillableTakerAssetAmount?: bigint }[],
  ): void {
    const built = records.map((r) => this.build(r.order, r.remainingFillableTakerAssetAmount));
    for (const [hash, o] of [...this.orders]) {
      this.orders.delete(hash);
      this.changes.next({ type: 'removed', orderHash: hash, order: o });
    }
    for (const o of built) this.put(o);
  }

  /**
   * Adds an order, or replaces what is known of it (an SRA update: new order or
   * a changed remaining amount). A remaining amount of 0 removes it as filled.
   * Returns the order as kept, or undefined when it was removed or ended.
   */
  upsert(order: SignedZeroExOrder, remainingFillableTakerAssetAmount?: bigint): ActiveOrder | undefined {
    return this.put(this.build(order, remainingFillableTakerAssetAmount));
  }

  /** Sets an order's remaining taker amount (a partial fill seen elsewhere); 0 = filled. */
  setRemaining(orderHash: string, remainingTakerAssetAmount: bigint): ActiveOrder | undefined {
    const cur = this.get(orderHash);
    if (!cur) return undefined;
    return this.put(this.build(cur.order, remainingTakerAssetAmount, cur.orderHash, cur.sequence));
  }

  /** Applies an on-chain Fill: the remaining amount drops by what was filled. Unknown orders are ignored. */
  applyFill(fill: Pick<ZeroExFillEvent, 'orderHash' | 'takerAssetFilledAmount'>): ActiveOrder | undefined {
    const cur = this.get(fill.orderHash);
    if (!cur) return undefined;
    const left = cur.remainingTakerAssetAmount - fill.takerAssetFilledAmount;
    return this.setRemaining(cur.orderHash, left > 0n ? left : 0n);
  }

  /** Removes an order as cancelled (a Cancel event or a relayer's removal). */
  cancel(orderHash: string): ActiveOrder | undefined {
    return this.end(orderHash, 'cancelled');
  }

  /** Removes an order that cannot be filled (maker unfunded, allowance missing, refused by the Exchange). */
  markUnfillable(orderHash: string): ActiveOrder | undefined {
    return this.end(orderHash, 'unfillable');
  }

  /** Removes an order as filled. */
  markFilled(orderHash: string): ActiveOrder | undefined {
    return this.end(orderHash, 'filled');
  }

  /** Removes every order whose expiry (with the margin) has passed; returns them. */
  trimExpired(): ActiveOrder[] {
    const nowSec = this.now() / 1000;
    const out: ActiveOrder[] = [];
    for (const o of [...this.orders.values()])
      if (o.expirationTimeSeconds - this.margin <= nowSec) out.push(this.end(o.orderHash, 'expired')!);
    return out;
  }

  /**
   * Removes the older side of every cross (best bid ≥ best ask) until the book
   * is uncrossed; returns the removed orders (state `unfillable`: a crossed
   * order on an open order book is one nobody has taken, so it is likely stale).
   */
  trimCrossed(): ActiveOrder[] {
    this.trimExpired();
    const out: ActiveOrder[] = [];
    for (;;) {
      const bid = this.best('bid');
      const ask = this.best('ask');
      if (!bid || !ask || bid.price.lt(ask.price)) return out;
      const older = bid.sequence < ask.sequence ? bid : ask;
      out.push(this.end(older.orderHash, 'unfillable')!);
    }
  }

  /**
   * The book as price levels: expired orders are trimmed first, crossed
   * orders are trimmed (see {@link trimCrossed}), orders with no base left are
   * never kept. `depth` limits the levels per side.
   */
  levels(depth = Infinity): ActiveOrderLevels {
    this.trimCrossed();
    return { bids: this.side('bid', depth), asks: this.side('ask', depth) };
  }

  /** The best open order of a side (highest bid, lowest ask; the older wins a tie). */
  best(side: 'bid' | 'ask'): ActiveOrder | undefined {
    let best: ActiveOrder | undefined;
    for (const o of this.orders.values()) {
      if (o.side !== side) continue;
      if (
        !best ||
        (side === 'bid' ? o.price.gt(best.price) : o.price.lt(best.price)) ||
        (o.price.eq(best.price) && o.sequence < best.sequence)
      )
        best = o;
    }
    return best;
  }

  /** Orders of a side best first (price, then age): what a taker fills against. */
  sorted(side: 'bid' | 'ask'): ActiveOrder[] {
    const sign = side === 'bid' ? -1 : 1;
    return [...this.orders.values()]
      .filter((o) => o.side === side)
      .sort((a, b) => sign * a.price.comparedTo(b.price)! || a.sequence - b.sequence);
  }

  /** Stops `changes$`. */
  close(): void {
    this.changes.complete();
  }

  private side(side: 'bid' | 'ask', depth: number): ActiveOrderLevel[] {
    const levels: ActiveOrderLevel[] = [];
    for (const o of this.sorted(side)) {
      const last = levels.at(-1);
      if (last && last.price.eq(o.price)) {
        const baseUnits = last.baseUnits + o.remainingBaseAmount;
        levels[levels.length - 1] = {
          price: last.price,
          baseUnits,
          amount: new BigNumber(baseUnits.toString()).shiftedBy(-this.market.baseDecimals),
          orderHashes: [...last.orderHashes, o.orderHash],
        };
      } else {
        if (levels.length >= depth) break;
        levels.push({
          price: o.price,
          baseUnits: o.remainingBaseAmount,
          amount: new BigNumber(o.remainingBaseAmount.toString()).shiftedBy(-this.market.baseDecimals),
          orderHashes: [o.orderHash],
        });
      }
    }
    return levels;
  }

  private end(orderHash: string, state: ActiveOrderState): ActiveOrder | undefined {
    const hash = orderHash.toLowerCase();
    const cur = this.orders.get(hash);
    if (!cur) return undefined;
    this.orders.delete(hash);
    const ended = { ...cur, state };
    this.changes.next({ type: 'removed', orderHash: hash, order: ended });
    return ended;
  }

  /** Keeps an open order (or removes it when it has ended); emits the change. */
  private put(o: ActiveOrder): ActiveOrder | undefined {
    const had = this.orders.get(o.orderHash);
    if (o.state !== 'open') {
      if (had) {
        this.orders.delete(o.orderHash);
        this.changes.next({ type: 'removed', orderHash: o.orderHash, order: o });
      }
      return undefined;
    }
    // A re-sent order keeps its place in time (its age decides crosses and ties).
    const kept = had ? { ...o, sequence: had.sequence } : o;
    this.orders.set(o.orderHash, kept);
    this.changes.next({ type: had ? 'updated' : 'added', orderHash: o.orderHash, order: kept });
    return kept;
  }

  private build(
    order: SignedZeroExOrder,
    remaining: bigint | undefined,
    knownHash?: string,
    sequence?: number,
  ): ActiveOrder {
    const hash = knownHash ?? hashOrder(order, this.options.version);
    const maker = order.makerAssetData.toLowerCase();
    const taker = order.takerAssetData.toLowerCase();
    let side: 'bid' | 'ask';
    if (maker === this.base && taker === this.quote) side = 'ask';
    else if (maker === this.quote && taker === this.base) side = 'bid';
    else
      throw new ZeroExError('invalid_order', `order ${hash} is not of this market's assets`, {
        orderHash: hash,
      });
    if (order.makerAssetAmount <= 0n || order.takerAssetAmount <= 0n)
      throw new ZeroExError('invalid_order', `order ${hash} has a zero amount`, { orderHash: hash });
    const left = remaining ?? order.takerAssetAmount;
    if (left < 0n || left > order.takerAssetAmount)
      throw new ZeroExError(
        'invalid_order',
        `order ${hash}: remaining ${left} is outside 0..${order.takerAssetAmount}`,
        {
          orderHash: hash,
        },
      );
    const { baseDecimals: bd, quoteDecimals: qd } = this.market;
    const [quoteUnits, baseUnits] =
      side === 'ask'
        ? [order.takerAssetAmount, order.makerAssetAmount]
        : [order.makerAssetAmount, order.takerAssetAmount];
    const price = new Price(quoteUnits.toString())
      .shiftedBy(-qd)
      .div(new Price(baseUnits.toString()).shiftedBy(-bd));
    // Asks: the taker pays quote; the maker's base left is proportional (floored, as the Exchange rounds).
    const remainingBase = side === 'bid' ? left : (left * order.makerAssetAmount) / order.takerAssetAmount;
    const expiry = Number(order.expirationTimeSeconds);
    let state: ActiveOrderState = 'open';
    if (left === 0n) state = 'filled';
    else if (remainingBase === 0n) state = 'unfillable';
    else if (expiry - this.margin <= this.now() / 1000) state = 'expired';
    return {
      orderHash: hash,
      order,
      side,
      price: new BigNumber(price),
      remainingTakerAssetAmount: left,
      remainingBaseAmount: remainingBase,
      expirationTimeSeconds: expiry,
      state,
      sequence: sequence ?? ++this.sequence,
    };
  }
}
