import type BigNumber from 'bignumber.js';
import type { HbError } from '../errors/hb-error.js';
import type { OrderSide, OrderType, TradeFee } from '../orders/order-types.js';

/** Fields every order event carries. */
interface OrderEventBase {
  /** Local time the event was emitted, ms since epoch. */
  readonly timestamp: number;
  readonly clientOrderId: string;
  readonly tradingPair: string;
}

/** The exchange accepted our order (emitted once, before any fill). */
export interface OrderCreatedEvent extends OrderEventBase {
  readonly type: 'BuyOrderCreated' | 'SellOrderCreated';
  /** Undefined only when a fill arrived before the exchange told us the order's id. */
  readonly exchangeOrderId: string | undefined;
  readonly orderType: OrderType;
  readonly amount: BigNumber;
  /** Limit price; NaN for market orders. */
  readonly price: BigNumber;
}

/** One fill of our order (emitted once per exchange trade id). */
export interface OrderFilledEvent extends OrderEventBase {
  readonly type: 'OrderFilled';
  readonly exchangeOrderId: string | undefined;
  readonly tradeId: string;
  readonly side: OrderSide;
  readonly orderType: OrderType;
  readonly price: BigNumber;
  readonly amount: BigNumber;
  /** The fee the exchange charged for this fill (the first of `fees`). */
  readonly fee: TradeFee;
  /** Every fee of this fill, each with its asset (on-chain: relayer fee, protocol fee, gas). */
  readonly fees: readonly TradeFee[];
  readonly isMaker: boolean | undefined;
}

/** Our order is completely filled (emitted once, after its last `OrderFilled`). */
export interface OrderCompletedEvent extends OrderEventBase {
  readonly type: 'BuyOrderCompleted' | 'SellOrderCompleted';
  readonly exchangeOrderId: string | undefined;
  readonly orderType: OrderType;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly executedBaseAmount: BigNumber;
  readonly executedQuoteAmount: BigNumber;
  /** Fees charged over all fills, one entry per asset. */
  readonly fees: readonly TradeFee[];
}

/** Our order was cancelled (by us or by the exchange). */
export interface OrderCancelledEvent extends OrderEventBase {
  readonly type: 'OrderCancelled';
  readonly exchangeOrderId: string | undefined;
}

/** Our order was refused: by a trading rule before sending, or by the exchange's definitive rejection. */
export interface OrderFailureEvent extends OrderEventBase {
  readonly type: 'OrderFailure';
  readonly orderType: OrderType;
  /** Why; an `OrderRuleError` when a trading rule refused it before sending. */
  readonly error: HbError;
}

/** Our order expired (time in force, DEX expiry). */
export interface OrderExpiredEvent extends OrderEventBase {
  readonly type: 'OrderExpired';
  readonly exchangeOrderId: string | undefined;
}

/** Every event a market emits on `events$`, discriminated by `type`. */
export type MarketEvent =
  | OrderCreatedEvent
  | OrderFilledEvent
  | OrderCompletedEvent
  | OrderCancelledEvent
  | OrderFailureEvent
  | OrderExpiredEvent;

/** The `type` tags of {@link MarketEvent}. */
export type MarketEventType = MarketEvent['type'];
