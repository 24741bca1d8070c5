// Wire types of the Binance spot API: exactly the JSON Binance sends, field names
// and all (shared/exchanges/binance.md). Decimals are strings, ids and times are
// numbers. Private to the package: nothing here is exported from index.ts; the
// rest of hb only ever sees core's normalised values.

/** A decimal as Binance sends it: a JSON string such as `"0.10000000"`. */
export type BinanceDecimal = string;

/** `[price, qty]` of a book level. */
export type BinanceLevel = readonly [price: BinanceDecimal, qty: BinanceDecimal];

// ---------------------------------------------------------- exchangeInfo ----

/** One window of exchangeInfo's `rateLimits`. */
export interface BinanceRateLimitInfo {
  readonly rateLimitType: 'REQUEST_WEIGHT' | 'ORDERS' | 'RAW_REQUESTS';
  readonly interval: 'SECOND' | 'MINUTE' | 'DAY';
  readonly intervalNum: number;
  readonly limit: number;
  /** Present only in WS-API `rateLimits` (usage so far). */
  readonly count?: number;
}

/** `PRICE_FILTER`: a value of "0" disables that part of the rule. */
export interface BinancePriceFilter {
  readonly filterType: 'PRICE_FILTER';
  readonly minPrice: BinanceDecimal;
  readonly maxPrice: BinanceDecimal;
  readonly tickSize: BinanceDecimal;
}

/** `LOT_SIZE` (all orders) or `MARKET_LOT_SIZE` (market orders). */
export interface BinanceLotSizeFilter {
  readonly filterType: 'LOT_SIZE' | 'MARKET_LOT_SIZE';
  readonly minQty: BinanceDecimal;
  readonly maxQty: BinanceDecimal;
  readonly stepSize: BinanceDecimal;
}

/** Current notional filter. */
export interface BinanceNotionalFilter {
  readonly filterType: 'NOTIONAL';
  readonly minNotional: BinanceDecimal;
  readonly applyMinToMarket: boolean;
  readonly maxNotional: BinanceDecimal;
  readonly applyMaxToMarket: boolean;
  readonly avgPriceMins: number;
}

/** Legacy notional filter (older symbols and simulators). */
export interface BinanceMinNotionalFilter {
  readonly filterType: 'MIN_NOTIONAL';
  readonly minNotional: BinanceDecimal;
  readonly applyToMarket: boolean;
  readonly avgPriceMins: number;
}

/** `MAX_NUM_ORDERS`: open-order cap per symbol. */
export interface BinanceMaxNumOrdersFilter {
  readonly filterType: 'MAX_NUM_ORDERS';
  readonly maxNumOrders: number;
}

/**
 * Filters we do not interpret: kept opaque so their fields never break parsing.
 * The exchange still enforces them; its rejection arrives as -1013.
 */
export interface BinanceOtherFilter {
  readonly filterType:
    | 'PERCENT_PRICE'
    | 'PERCENT_PRICE_BY_SIDE'
    | 'ICEBERG_PARTS'
    | 'MAX_NUM_ALGO_ORDERS'
    | 'MAX_NUM_ICEBERG_ORDERS'
    | 'MAX_POSITION'
    | 'TRAILING_DELTA'
    | 'EXCHANGE_MAX_NUM_ORDERS'
    | 'EXCHANGE_MAX_NUM_ALGO_ORDERS';
  readonly [field: string]: unknown;
}

/**
 * A symbol filter, discriminated on `filterType`. A filter type Binance adds later
 * is skipped by the parser rather than typed here.
 */
export type BinanceSymbolFilter =
  | BinancePriceFilter
  | BinanceLotSizeFilter
  | BinanceNotionalFilter
  | BinanceMinNotionalFilter
  | BinanceMaxNumOrdersFilter
  | BinanceOtherFilter;

/** Symbol trading status (`CANCEL_ONLY` added July 2026; the last three are pre-2023 values). */
export type BinanceSymbolStatus =
  | 'TRADING'
  | 'END_OF_DAY'
  | 'HALT'
  | 'BREAK'
  | 'CANCEL_ONLY'
  | 'PRE_TRADING'
  | 'POST_TRADING'
  | 'AUCTION_MATCH';

/** Order types exchangeInfo lists per symbol. */
export type BinanceOrderType =
  'LIMIT' | 'LIMIT_MAKER' | 'MARKET' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';

/** One entry of exchangeInfo's `symbols`. */
export interface BinanceSymbolInfo {
  readonly symbol: string;
  readonly status: BinanceSymbolStatus | string;
  readonly baseAsset: string;
  readonly baseAssetPrecision: number;
  readonly quoteAsset: string;
  readonly quotePrecision: number;
  readonly quoteAssetPrecision: number;
  readonly orderTypes: readonly (BinanceOrderType | string)[];
  readonly icebergAllowed: boolean;
  readonly ocoAllowed: boolean;
  readonly quoteOrderQtyMarketAllowed: boolean;
  readonly isSpotTradingAllowed: boolean;
  readonly isMarginTradingAllowed: boolean;
  readonly filters: readonly BinanceSymbolFilter[];
  readonly permissions: readonly string[];
  readonly permissionSets?: readonly (readonly string[])[];
  readonly defaultSelfTradePreventionMode?: string;
  readonly allowedSelfTradePreventionModes?: readonly string[];
}

/** `GET /api/v3/exchangeInfo`. */
export interface BinanceExchangeInfo {
  readonly timezone: string;
  readonly serverTime: number;
  readonly rateLimits: readonly BinanceRateLimitInfo[];
  readonly exchangeFilters: readonly unknown[];
  readonly symbols: readonly BinanceSymbolInfo[];
}

// ----------------------------------------------------------- market data ----

/** `GET /api/v3/depth` (bids descending, asks ascending). */
export interface BinanceDepthSnapshot {
  readonly lastUpdateId: number;
  readonly bids: readonly BinanceLevel[];
  readonly asks: readonly BinanceLevel[];
}

/** One row of `GET /api/v3/trades`. */
export interface BinanceRecentTrade {
  readonly id: number;
  readonly price: BinanceDecimal;
  readonly qty: BinanceDecimal;
  readonly quoteQty: BinanceDecimal;
  readonly time: number;
  /** True: the buyer was the maker, so the taker sold. */
  readonly isBuyerMaker: boolean;
  readonly isBestMatch: boolean;
}

/** `<symbol>@depth[@100ms]` event. */
export interface BinanceDepthUpdateEvent {
  readonly e: 'depthUpdate';
  /** Event time. */
  readonly E: number;
  readonly s: string;
  /** First update id in the event. */
  readonly U: number;
  /** Last update id in the event. */
  readonly u: number;
  readonly b: readonly BinanceLevel[];
  readonly a: readonly BinanceLevel[];
}

/** `<symbol>@trade` event (`b`/`a` order ids were removed in 2024 and are ignored). */
export interface BinanceTradeEvent {
  readonly e: 'trade';
  readonly E: number;
  readonly s: string;
  readonly t: number;
  readonly p: BinanceDecimal;
  readonly q: BinanceDecimal;
  /** Trade time. */
  readonly T: number;
  /** True: the buyer was the maker, so the taker sold. */
  readonly m: boolean;
  readonly M: boolean;
}

/** Sent on market streams (and the WS API) before a planned disconnect. */
export interface BinanceServerShutdownEvent {
  readonly e: 'serverShutdown';
  readonly E: number;
}

// ---------------------------------------------------------------- orders ----

/** Binance order status (`status` in REST, `X` in executionReport). */
export type BinanceOrderStatus =
  | 'NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'CANCELED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'EXPIRED_IN_MATCH'
  | 'PENDING_NEW'
  | 'PENDING_CANCEL';

/** Order side on the wire. */
export type BinanceOrderSide = 'BUY' | 'SELL';

/** Time in force on the wire. */
export type BinanceTimeInForce = 'GTC' | 'IOC' | 'FOK';

/** `newOrderRespType=ACK`: the first five fields only. */
export interface BinanceOrderAck {
  readonly symbol: string;
  readonly orderId: number;
  readonly orderListId: number;
  readonly clientOrderId: string;
  readonly transactTime: number;
}

/** `newOrderRespType=RESULT`. */
export interface BinanceOrderResult extends BinanceOrderAck {
  readonly price: BinanceDecimal;
  readonly origQty: BinanceDecimal;
  readonly executedQty: BinanceDecimal;
  readonly origQuoteOrderQty: BinanceDecimal;
  /** Binance's spelling (double m). */
  readonly cummulativeQuoteQty: BinanceDecimal;
  readonly status: BinanceOrderStatus;
  readonly timeInForce: BinanceTimeInForce | string;
  readonly type: BinanceOrderType | string;
  readonly side: BinanceOrderSide;
  readonly workingTime: number;
  readonly selfTradePreventionMode: string;
}

/** One fill of a FULL order response. */
export interface BinanceOrderFill {
  readonly price: BinanceDecimal;
  readonly qty: BinanceDecimal;
  readonly commission: BinanceDecimal;
  readonly commissionAsset: string;
  readonly tradeId: number;
}

/** `newOrderRespType=FULL` (default for MARKET and LIMIT). */
export interface BinanceOrderFull extends BinanceOrderResult {
  readonly fills: readonly BinanceOrderFill[];
}

/** `DELETE /api/v3/order`: `clientOrderId` is the cancel's id, `origClientOrderId` the order's. */
export interface BinanceCancelOrderResponse {
  readonly symbol: string;
  readonly origClientOrderId: string;
  readonly orderId: number;
  readonly orderListId: number;
  readonly clientOrderId: string;
  readonly transactTime: number;
  readonly price: BinanceDecimal;
  readonly origQty: BinanceDecimal;
  readonly executedQty: BinanceDecimal;
  readonly origQuoteOrderQty: BinanceDecimal;
  readonly cummulativeQuoteQty: BinanceDecimal;
  readonly status: BinanceOrderStatus;
  readonly timeInForce: BinanceTimeInForce | string;
  readonly type: BinanceOrderType | string;
  readonly side: BinanceOrderSide;
  readonly selfTradePreventionMode: string;
}

/** `GET /api/v3/order`, and each row of `GET /api/v3/openOrders`. */
export interface BinanceQueryOrderResponse {
  readonly symbol: string;
  readonly orderId: number;
  readonly orderListId: number;
  readonly clientOrderId: string;
  readonly price: BinanceDecimal;
  readonly origQty: BinanceDecimal;
  readonly executedQty: BinanceDecimal;
  readonly cummulativeQuoteQty: BinanceDecimal;
  readonly status: BinanceOrderStatus;
  readonly timeInForce: BinanceTimeInForce | string;
  readonly type: BinanceOrderType | string;
  readonly side: BinanceOrderSide;
  readonly stopPrice: BinanceDecimal;
  readonly icebergQty: BinanceDecimal;
  readonly time: number;
  readonly updateTime: number;
  readonly isWorking: boolean;
  readonly workingTime: number;
  readonly origQuoteOrderQty: BinanceDecimal;
  readonly selfTradePreventionMode: string;
}

// --------------------------------------------------------------- account ----

/** One asset of `GET /api/v3/account`. */
export interface BinanceAccountBalance {
  readonly asset: string;
  readonly free: BinanceDecimal;
  readonly locked: BinanceDecimal;
}

/** `GET /api/v3/account`. */
export interface BinanceAccount {
  /** Basis points (10 = 0.10 %). */
  readonly makerCommission: number;
  readonly takerCommission: number;
  readonly buyerCommission: number;
  readonly sellerCommission: number;
  /** Decimal fractions. */
  readonly commissionRates: {
    readonly maker: BinanceDecimal;
    readonly taker: BinanceDecimal;
    readonly buyer: BinanceDecimal;
    readonly seller: BinanceDecimal;
  };
  readonly canTrade: boolean;
  readonly canWithdraw: boolean;
  readonly canDeposit: boolean;
  readonly accountType: string;
  readonly updateTime: number;
  readonly balances: readonly BinanceAccountBalance[];
  readonly permissions: readonly string[];
  readonly uid: number;
}

/** One row of `GET /api/v3/myTrades`. */
export interface BinanceMyTrade {
  readonly symbol: string;
  readonly id: number;
  readonly orderId: number;
  readonly orderListId: number;
  readonly price: BinanceDecimal;
  readonly qty: BinanceDecimal;
  readonly quoteQty: BinanceDecimal;
  readonly commission: BinanceDecimal;
  readonly commissionAsset: string;
  readonly time: number;
  readonly isBuyer: boolean;
  readonly isMaker: boolean;
  readonly isBestMatch: boolean;
}

// ---------------------------------------------------------------- WS API ----

/** A WebSocket API request. */
export interface BinanceWsApiRequest<P = Record<string, string | number | boolean>> {
  readonly id: string | number;
  readonly method: string;
  readonly params?: P;
}

// ------------------------------------------------------------- user data ----

/** `executionReport`: one change of one of our orders. */
export interface BinanceExecutionReport {
  readonly e: 'executionReport';
  readonly E: number;
  readonly s: string;
  /** Client order id; for a cancel, the cancel request's id (see `C`). */
  readonly c: string;
  readonly S: BinanceOrderSide;
  readonly o: BinanceOrderType | string;
  readonly f: BinanceTimeInForce | string;
  readonly q: BinanceDecimal;
  readonly p: BinanceDecimal;
  readonly P: BinanceDecimal;
  readonly F: BinanceDecimal;
  readonly g: number;
  /** Original client order id of a cancelled order; `""` otherwise. */
  readonly C: string;
  /** Execution type. */
  readonly x: 'NEW' | 'CANCELED' | 'REPLACED' | 'REJECTED' | 'TRADE' | 'EXPIRED' | 'TRADE_PREVENTION';
  readonly X: BinanceOrderStatus;
  /** Reject reason (`NONE`, `INSUFFICIENT_BALANCES`, `WOULD_MATCH_IMMEDIATELY`, ...). */
  readonly r: string;
  readonly i: number;
  /** Last fill quantity. */
  readonly l: BinanceDecimal;
  /** Cumulative filled quantity. */
  readonly z: BinanceDecimal;
  /** Last fill price. */
  readonly L: BinanceDecimal;
  /** Commission of this fill. */
  readonly n: BinanceDecimal;
  /** Commission asset of this fill; null when there was no fill. */
  readonly N: string | null;
  /** Transaction time. */
  readonly T: number;
  /** Trade id, -1 when no trade. */
  readonly t: number;
  readonly I: number;
  readonly w: boolean;
  /** Maker side of this fill. */
  readonly m: boolean;
  readonly M: boolean;
  readonly O: number;
  /** Cumulative quote quantity. */
  readonly Z: BinanceDecimal;
  /** Last quote quantity. */
  readonly Y: BinanceDecimal;
  readonly Q: BinanceDecimal;
  readonly W?: number;
  readonly V: string;
}

/** One asset of `outboundAccountPosition` (absolute values). */
export interface BinanceAccountPositionBalance {
  readonly a: string;
  readonly f: BinanceDecimal;
  readonly l: BinanceDecimal;
}

/** `outboundAccountPosition`: changed assets only. */
export interface BinanceOutboundAccountPosition {
  readonly e: 'outboundAccountPosition';
  readonly E: number;
  /** Time of last account update. */
  readonly u: number;
  readonly B: readonly BinanceAccountPositionBalance[];
}

/** `balanceUpdate`: a delta from deposits, withdrawals or transfers (not trades). */
export interface BinanceBalanceUpdate {
  readonly e: 'balanceUpdate';
  readonly E: number;
  readonly a: string;
  readonly d: BinanceDecimal;
  readonly T: number;
}

/** The user data subscription ended; resubscribe and reconcile. */
export interface BinanceEventStreamTerminated {
  readonly e: 'eventStreamTerminated';
  readonly E: number;
}

/** Legacy listenKey flow: the key expired. */
export interface BinanceListenKeyExpired {
  readonly e: 'listenKeyExpired';
  readonly E: number;
  readonly listenKey: string;
}

/** Every user data event we understand, discriminated on `e`. */
export type BinanceUserDataEvent =
  | BinanceExecutionReport
  | BinanceOutboundAccountPosition
  | BinanceBalanceUpdate
  | BinanceEventStreamTerminated
  | BinanceListenKeyExpired
  | BinanceServerShutdownEvent;
