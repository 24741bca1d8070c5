import type { OrderSide } from '../orders/order-types.js';

/** One price level: `[price, amount]`; amount 0 in a diff removes the level. */
export type BookLevel = readonly [price: number, amount: number];

/** Fields every book message carries. */
interface BookMessageBase {
  /** `BASE-QUOTE`. */
  readonly tradingPair: string;
  /**
   * The exchange's sequence number after this message (Binance `u`, Coinbase
   * `sequence`, Huobi `seqNum`). Exchanges without sequence numbers use a local
   * counter and the `none` sequence rule.
   */
  readonly updateId: number;
  /** Exchange time, ms since epoch (local receive time when the exchange sends none). */
  readonly timestamp: number;
}

/** A full L2 book: replaces whatever the tracker held for the pair. */
export interface SnapshotMessage extends BookMessageBase {
  readonly type: 'snapshot';
  /** Best first. */
  readonly bids: readonly BookLevel[];
  /** Best first. */
  readonly asks: readonly BookLevel[];
}

/** Absolute amounts for the levels that changed. */
export interface DiffMessage extends BookMessageBase {
  readonly type: 'diff';
  /** First sequence number covered by this message (Binance `U`), when the exchange batches. */
  readonly firstUpdateId?: number;
  /** Sequence number of the message before this one (Huobi `prevSeqNum`), when the exchange says. */
  readonly prevUpdateId?: number;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** One public trade. `side` is the taker's side, from the exchange's own field. */
export interface TradeMessage {
  readonly type: 'trade';
  readonly tradingPair: string;
  readonly tradeId: string;
  readonly price: number;
  readonly amount: number;
  /** The taker's side: `buy` lifted an ask, `sell` hit a bid. */
  readonly side: OrderSide;
  readonly timestamp: number;
  /** Sequence number of the message, when the exchange numbers trades with the book. */
  readonly updateId?: number;
}

/** One resting order of an order-based (level 3) book. */
export interface BookOrder {
  readonly orderId: string;
  readonly price: number;
  readonly amount: number;
}

/** A full order-based book: every resting order, per side (any order). */
export interface OrderSnapshotMessage extends BookMessageBase {
  readonly type: 'order_snapshot';
  readonly bids: readonly BookOrder[];
  readonly asks: readonly BookOrder[];
}

/**
 * A change to one resting order of an order-based book, as the exchange's message
 * describes it. `open` adds, `fill` reduces by an amount, `change` sets a new
 * amount (and price), `remove` deletes. Operations on unknown orders are ignored
 * (Coinbase's `done` for market orders, for instance).
 */
export type OrderChange =
  | {
      readonly op: 'open';
      readonly orderId: string;
      readonly side: OrderSide;
      readonly price: number;
      readonly amount: number;
    }
  | { readonly op: 'fill'; readonly orderId: string; readonly amount: number }
  | { readonly op: 'change'; readonly orderId: string; readonly amount: number; readonly price?: number }
  | { readonly op: 'remove'; readonly orderId: string };

/**
 * One sequenced message of an order-based feed. It may carry no change at all
 * (Coinbase `received`) and still advances the sequence.
 */
export interface OrderDiffMessage extends BookMessageBase {
  readonly type: 'order_diff';
  readonly changes: readonly OrderChange[];
}

/**
 * What a connector turns each raw book frame into. The tracker applies
 * `snapshot`/`diff` directly to an `OrderBook`, and `order_snapshot`/`order_diff`
 * through an `ActiveOrderTracker`; `trade` sets the last trade price.
 */
export type OrderBookMessage =
  SnapshotMessage | DiffMessage | TradeMessage | OrderSnapshotMessage | OrderDiffMessage;

/** Book messages that take part in sequencing (everything but trades). */
export type SequencedBookMessage = Exclude<OrderBookMessage, TradeMessage>;
