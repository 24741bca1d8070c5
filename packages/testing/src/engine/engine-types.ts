import type BigNumber from 'bignumber.js';

/** Buy or sell (the same spelling as `@hb/core`'s `OrderSide`). */
export type EngineSide = 'buy' | 'sell';

/** A side of the book: bids rest buy orders, asks rest sell orders. */
export type BookSide = 'bid' | 'ask';

/** Order types the engine matches; post-only is a flag on a limit order. */
export type EngineOrderType = 'limit' | 'market';

/** Time in force of a limit order. Market orders behave as IOC. */
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';

/**
 * What happens when a taker would trade with a resting order of the same account.
 * - `expire_maker`: the resting order is expired and matching goes on (the default:
 *   Binance's default mode, and Coinbase's `co` in effect).
 * - `expire_taker`: the taker's remainder is expired; the resting order stays.
 * - `expire_both`: both are expired.
 * - `decrement_and_cancel`: Coinbase's default `dc`: the smaller of the two orders is
 *   expired and the larger one is decremented by its size (both expired when equal);
 *   a resting order that shrinks stays in its place in the queue. A taker given by
 *   quote amount expires the resting order instead, as its base size is not known.
 * - `none`: the account trades with itself.
 */
export type SelfTradePrevention =
  'expire_maker' | 'expire_taker' | 'expire_both' | 'decrement_and_cancel' | 'none';

/**
 * Which asset a fee is charged in.
 * - `received`: the asset the side receives (base for the buyer, quote for the
 *   seller), deducted from what it receives (Binance without BNB discount).
 * - `quote`: always quote; the buyer pays it on top of the price, so a buy order's
 *   hold includes the fee (Coinbase).
 */
export type FeeAssetPolicy = 'received' | 'quote';

/** Where an order is in its life. `new`: accepted, nothing filled (on the book if resting). */
export type EngineOrderStatus = 'new' | 'partially_filled' | 'filled' | 'cancelled' | 'expired' | 'rejected';

/** Why an order was rejected (nothing happened to the book or the balances). */
export type RejectReason = 'post_only_would_take' | 'insufficient_balance' | 'duplicate_client_order_id';

/** Why an order was expired. */
export type ExpireReason =
  /** IOC remainder, or a market order's unfilled part. */
  | 'time_in_force'
  /** FOK that could not fill completely. */
  | 'fill_or_kill'
  /** Removed by self-trade prevention (Binance `EXPIRED_IN_MATCH`). */
  | 'self_trade_prevention';

/** Why an order was cancelled. */
export type CancelReason = 'user';

/** What a caller asks the engine to do. Amounts and prices accept anything BigNumber accepts. */
export interface PlaceOrderRequest {
  readonly account: string;
  readonly side: EngineSide;
  readonly type: EngineOrderType;
  /** Limit price; required for limit orders, ignored for market orders. */
  readonly price?: BigNumber.Value;
  /** Base amount. Required for limit orders; for market orders give this or `quoteAmount`. */
  readonly amount?: BigNumber.Value;
  /** Market orders only: spend (buy) or receive (sell) this much quote, gross of fees. */
  readonly quoteAmount?: BigNumber.Value;
  /** Limit orders: defaults to GTC. */
  readonly timeInForce?: TimeInForce;
  /** Limit orders: reject instead of taking liquidity. */
  readonly postOnly?: boolean;
  /** The client's id; unique among the account's open orders. */
  readonly clientOrderId?: string;
  /** Overrides the engine's self-trade prevention mode for this (taker) order. */
  readonly selfTradePrevention?: SelfTradePrevention;
}

/** A fee taken from one side of a trade. */
export interface EngineFee {
  readonly asset: string;
  readonly amount: BigNumber;
}

/** An immutable view of an order at one moment. */
export interface EngineOrder {
  readonly orderId: string;
  readonly clientOrderId: string | undefined;
  readonly account: string;
  readonly pair: string;
  readonly side: EngineSide;
  readonly type: EngineOrderType;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly selfTradePrevention: SelfTradePrevention;
  /** Limit price (undefined for market orders). */
  readonly price: BigNumber | undefined;
  /** Requested base amount (undefined for a market order given by quote amount). */
  readonly amount: BigNumber | undefined;
  /** Requested quote amount of a market order given by quote (Binance `origQuoteOrderQty`). */
  readonly quoteAmount: BigNumber | undefined;
  /** Base still to fill on the book (zero once the order is done). */
  readonly remaining: BigNumber;
  /** Cumulative base filled. */
  readonly filledAmount: BigNumber;
  /** Cumulative quote filled (sum of price x amount; Binance `cummulativeQuoteQty`). */
  readonly filledQuote: BigNumber;
  /** Cumulative fees this order paid, in `feeAsset`. */
  readonly feePaid: BigNumber;
  /** Asset of `feePaid` (undefined before the first fill). */
  readonly feeAsset: string | undefined;
  readonly status: EngineOrderStatus;
  /** True while the order rests on the book. */
  readonly onBook: boolean;
  readonly rejectReason: RejectReason | undefined;
  readonly expireReason: ExpireReason | undefined;
  /** Creation time (engine clock, ms). */
  readonly createdAt: number;
  /** Time of the last change (engine clock, ms). */
  readonly updatedAt: number;
  /** Number of fills so far. */
  readonly fillCount: number;
}

/** One fill between a resting (maker) and an incoming (taker) order. */
export interface EngineTrade {
  /** Monotonically increasing per engine (per pair). */
  readonly tradeId: number;
  readonly pair: string;
  /** The maker's price. */
  readonly price: BigNumber;
  /** Base amount. */
  readonly amount: BigNumber;
  /** price x amount. */
  readonly quoteAmount: BigNumber;
  /** The taker's side (Binance `m` = takerSide === 'sell'). */
  readonly takerSide: EngineSide;
  readonly makerOrderId: string;
  readonly takerOrderId: string;
  readonly makerClientOrderId: string | undefined;
  readonly takerClientOrderId: string | undefined;
  readonly makerAccount: string;
  readonly takerAccount: string;
  readonly makerFee: EngineFee;
  readonly takerFee: EngineFee;
  /** Engine clock, ms. */
  readonly timestamp: number;
}

/** A resting order as an L3 (order-level) book shows it, best price first, then time. */
export interface BookOrder {
  readonly orderId: string;
  readonly account: string;
  readonly price: BigNumber;
  /** Base still resting. */
  readonly remaining: BigNumber;
  readonly createdAt: number;
}

/** An L2 snapshot; `bookSequence` is the id of the last level change it contains. */
export interface BookSnapshot {
  readonly pair: string;
  readonly bookSequence: number;
  readonly timestamp: number;
  /** Best first: [price, total amount] as plain decimal strings. */
  readonly bids: [string, string][];
  readonly asks: [string, string][];
}

/** Fields every engine event carries. */
interface EventBase {
  readonly pair: string;
  /** Per-engine counter over all events: exactly +1 per event. */
  readonly sequence: number;
  /** Engine clock, ms. */
  readonly timestamp: number;
}

/**
 * Everything the engine reports, synchronously, in the order it happened. Events
 * are delivered after the engine call that caused them has finished, so a listener
 * sees a consistent engine and may call the engine again.
 */
export type EngineEvent =
  | (EventBase & { readonly type: 'order_accepted'; readonly order: EngineOrder })
  | (EventBase & {
      readonly type: 'order_rejected';
      readonly order: EngineOrder;
      readonly reason: RejectReason;
    })
  | (EventBase & { readonly type: 'order_opened'; readonly order: EngineOrder })
  | (EventBase & {
      readonly type: 'order_partially_filled' | 'order_filled';
      readonly order: EngineOrder;
      readonly trade: EngineTrade;
      /** Whether this order was the maker in `trade`. */
      readonly isMaker: boolean;
    })
  | (EventBase & {
      readonly type: 'order_cancelled';
      readonly order: EngineOrder;
      readonly reason: CancelReason;
    })
  | (EventBase & {
      readonly type: 'order_expired';
      readonly order: EngineOrder;
      readonly reason: ExpireReason;
    })
  | (EventBase & {
      /**
       * An order's remaining size shrank without a trade (self-trade prevention
       * `decrement_and_cancel`); Coinbase's `change` message. The order stays open.
       */
      readonly type: 'order_changed';
      readonly order: EngineOrder;
      readonly oldRemaining: BigNumber;
      readonly newRemaining: BigNumber;
      readonly reason: 'self_trade_prevention';
    })
  | (EventBase & { readonly type: 'trade'; readonly trade: EngineTrade })
  | (EventBase & {
      readonly type: 'book_level_changed';
      readonly side: BookSide;
      /** The level's price as a plain decimal string. */
      readonly price: string;
      /** The level's new total base amount; "0" when the level is gone. */
      readonly amount: string;
      /**
       * Per-engine counter over level changes only: exactly +1 per change, so a batch
       * of changes maps to Binance's `U` (first) and `u` (last), and a snapshot's
       * `bookSequence` to its `lastUpdateId`.
       */
      readonly bookSequence: number;
    });

/** The `type` of an {@link EngineEvent}. */
export type EngineEventType = EngineEvent['type'];
