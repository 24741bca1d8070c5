import type BigNumber from 'bignumber.js';

/** Buy or sell. */
export type OrderSide = 'buy' | 'sell';

/** Order types a connector may support (see each connector's capabilities). */
export type OrderType = 'limit' | 'limit_maker' | 'market';

/**
 * The life cycle of an order we placed. Only core moves an order between states;
 * connectors report what the exchange says as {@link OrderUpdate} values.
 *
 * PENDING_CREATE -> OPEN -> PARTIALLY_FILLED -> FILLED
 *                       \-> PENDING_CANCEL -> CANCELED
 * and FAILED (definitive rejection) / EXPIRED (time in force, DEX expiry).
 */
export type OrderState =
  | 'PENDING_CREATE'
  | 'OPEN'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'PENDING_CANCEL'
  | 'CANCELED'
  | 'FAILED'
  | 'EXPIRED';

/** States after which nothing more happens to an order. */
export const TERMINAL_ORDER_STATES: ReadonlySet<OrderState> = new Set([
  'FILLED',
  'CANCELED',
  'FAILED',
  'EXPIRED',
]);

/** True when no further update can change the order. */
export function isTerminalState(state: OrderState): boolean {
  return TERMINAL_ORDER_STATES.has(state);
}

/**
 * What the exchange says about one order at one moment, as parsed by a connector
 * from a REST answer or a user-stream event. Identified by the client order id
 * (preferred) or the exchange order id; core finds the in-flight order.
 */
export interface OrderUpdate {
  readonly clientOrderId?: string;
  readonly exchangeOrderId?: string;
  readonly tradingPair: string;
  /** The order's state as the exchange reports it, mapped by the connector. */
  readonly newState: OrderState;
  /** Exchange time of the update, ms since epoch. */
  readonly timestamp: number;
  /**
   * Cumulative executed base amount, when the exchange reports it. Core uses it
   * only to know that fills are still missing (and to fetch them), never as a fill.
   */
  readonly cumulativeFilledAmount?: BigNumber;
  /** The exchange's reason, for failures, cancels and expiries. */
  readonly reason?: string;
}

/** A fee the exchange charged for one fill. */
export interface TradeFee {
  /** The amount charged. */
  readonly amount: BigNumber;
  /** The asset it was charged in (`BNB`, `USDT`, ...). */
  readonly asset: string;
}

/**
 * One fill of one of our orders, as the exchange reported it. Deduplicated by
 * `tradeId` (unique per exchange and pair), so the same fill may arrive from the
 * user stream and from a REST poll without being counted twice.
 */
export interface TradeUpdate {
  /** The exchange's id of this fill. */
  readonly tradeId: string;
  readonly clientOrderId?: string;
  readonly exchangeOrderId?: string;
  readonly tradingPair: string;
  /** Base amount filled by this trade. */
  readonly fillBaseAmount: BigNumber;
  /** Quote amount of this trade (price x amount unless the exchange says otherwise). */
  readonly fillQuoteAmount: BigNumber;
  /** Price of this trade. */
  readonly fillPrice: BigNumber;
  /** The fee the exchange charged for this fill (never an estimate when the exchange reports one). */
  readonly fee: TradeFee;
  /** Whether our order was the maker in this trade, when the exchange says. */
  readonly isMaker?: boolean;
  /** Exchange time of the trade, ms since epoch. */
  readonly timestamp: number;
}

/** A balance snapshot for one asset (absolute, not a delta). */
export interface BalanceUpdate {
  readonly asset: string;
  /** Total balance, free plus locked. */
  readonly total: BigNumber;
  /** Balance free to use for new orders. */
  readonly available: BigNumber;
  /** Exchange time, ms since epoch. */
  readonly timestamp: number;
}

/** What a connector parses one user-stream event into. */
export type UserStreamUpdate =
  | { readonly kind: 'order'; readonly update: OrderUpdate }
  | { readonly kind: 'trade'; readonly update: TradeUpdate }
  | { readonly kind: 'balance'; readonly update: BalanceUpdate };

/**
 * An order the exchange lists as open, whoever placed it (another tool, an
 * earlier run): what `Market.fetchOpenOrders` returns.
 */
export interface OpenOrder {
  /** Our client order id when the exchange keeps one. */
  readonly clientOrderId: string | undefined;
  readonly exchangeOrderId: string;
  readonly tradingPair: string;
  readonly side: OrderSide;
  /** Types hb does not place map to the closest: `limit` when priced, else `market`. */
  readonly orderType: OrderType;
  /** NaN for market orders. */
  readonly price: BigNumber;
  readonly amount: BigNumber;
  readonly filledAmount: BigNumber;
  readonly state: OrderState;
  /** Exchange creation time, ms since epoch. */
  readonly timestamp: number;
}
