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

/**
 * What a fee paid for: the venue's trading fee, a protocol fee (0x v3 charges
 * the taker one per filled order, in ETH or WETH), or the gas of an on-chain
 * transaction.
 */
export type TradeFeeKind = 'trading' | 'protocol' | 'gas';

/** A fee the exchange charged for one fill. */
export interface TradeFee {
  /** The amount charged. */
  readonly amount: BigNumber;
  /** The asset it was charged in (`BNB`, `USDT`, `ETH`, ...). */
  readonly asset: string;
  /** What the fee paid for; `trading` when absent. */
  readonly kind?: TradeFeeKind;
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
  /**
   * Fees of the same fill in other assets or for other things (on-chain venues:
   * the relayer's fee in ZRX plus a protocol fee and gas in ETH). The fill's
   * complete list is `[fee, ...additionalFees]`.
   */
  readonly additionalFees?: readonly TradeFee[];
  /** Whether our order was the maker in this trade, when the exchange says. */
  readonly isMaker?: boolean;
  /** Exchange time of the trade, ms since epoch. */
  readonly timestamp: number;
}

/**
 * Where a balance lives: an account at the exchange (CEX), the user's wallet on
 * chain, the allowance the wallet granted the venue's contract (an upper bound
 * on what the contract may move, not a holding), or funds deposited in the
 * venue's contract (IDEX-style deposit and redeem).
 */
export type BalanceSource = 'exchange' | 'wallet' | 'allowance' | 'contract';

/**
 * How a venue turns its balance sources into the amount free for new orders.
 * A market picks one (see `MarketBase.balanceRule`); the default is the CEX rule.
 */
export interface BalanceRule {
  /**
   * Sources whose available amounts cap a new order, in order; the first is the
   * holding `getBalance` reports. CEX: `['exchange']`. 0x relayers:
   * `['wallet', 'allowance']` (available = min of the two). IDEX: `['contract']`.
   */
  readonly spendable: readonly [BalanceSource, ...BalanceSource[]];
  /**
   * Whether our open orders lock funds until they end. True on a CEX (the
   * exchange holds the amount); false for signed maker orders on 0x relayers,
   * which move nothing until a taker fills them.
   */
  readonly openOrdersLock: boolean;
}

/** The CEX rule: one exchange account, open orders lock what they may spend. */
export const EXCHANGE_BALANCE_RULE: BalanceRule = { spendable: ['exchange'], openOrdersLock: true };

/** A balance snapshot for one asset (absolute, not a delta). */
export interface BalanceUpdate {
  readonly asset: string;
  /** Where the balance lives; `exchange` when absent. */
  readonly source?: BalanceSource;
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

/** Options of one order beyond pair, side, type, amount and price. */
export interface OrderOptions {
  /**
   * When the venue must stop honouring the order, ms since epoch (0x orders
   * carry `expirationTimeSeconds`). Only connectors whose capabilities say
   * `orderExpiry` accept it; an expiry in the past is refused before sending.
   */
  readonly expiresAt?: number;
}

/**
 * What a connector's `prepareOrder` hook computes before an order is sent: on
 * on-chain venues the order is a signed message whose id (its hash) exists
 * before any request. Core records it on the in-flight order and has it
 * persisted before `sendOrder` runs, so a crash between signing and sending
 * loses nothing. Values are strings so they survive a JSON round trip.
 */
export interface PreparedOrder {
  /** The id the venue will know the order by (a 0x order hash), when known before sending. */
  readonly exchangeOrderId?: string;
  /** The order's signature (hex). */
  readonly signature?: string;
  /** When the venue stops honouring the order, ms since epoch. */
  readonly expiresAt?: number;
  /** Whatever else resending or looking the order up needs after a restart (the signed order's fields). */
  readonly payload?: Readonly<Record<string, string>>;
}
