// The bot author's API of a market, beside the event-driven one: awaitable
// orders, async iterators, and REST market data. Types only; MarketBase
// implements them for every connector.
import type BigNumber from 'bignumber.js';
import type { BookLevel } from '../order-book/order-book-message.js';
import type { LiveStatus } from './live-status.js';
import type { OrderSide, OrderState, OrderType, TradeFee } from '../orders/order-types.js';

/** What `Market.placeOrder` takes. */
export interface PlaceOrderRequest {
  /** `BASE-QUOTE`. */
  readonly tradingPair: string;
  readonly side: OrderSide;
  /** Default `limit`. */
  readonly type?: OrderType;
  /** Order amount in base. A string keeps every decimal exactly. */
  readonly amount: BigNumber.Value;
  /** Limit price; required for `limit` and `limit_maker`, refused for `market`. */
  readonly price?: BigNumber.Value;
  /**
   * Quantize instead of refusing: the amount is floored to the size step, and the
   * price rounded to the tick, never to a more aggressive price than asked (a buy
   * rounds down, a sell up). An amount that floors below the minimum is still
   * refused (`InvalidOrderError`). The snapshot shows what was sent.
   */
  readonly round?: boolean;
  /** When the venue must stop honouring the order, ms since epoch (see `OrderOptions.expiresAt`). */
  readonly expiresAt?: number;
}

/** An order as it stands, as plain values (what `placeOrder` and `cancelOrder` resolve with). */
export interface OrderSnapshot {
  readonly clientOrderId: string;
  /** Undefined until the exchange told us its id. */
  readonly exchangeOrderId: string | undefined;
  readonly tradingPair: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** The amount sent to the exchange (after rounding, with `round: true`). */
  readonly amount: BigNumber;
  /** The price sent (after rounding); undefined for market orders. */
  readonly price: BigNumber | undefined;
  /** What the caller asked for, before rounding; equal to `amount`/`price` without `round`. */
  readonly requested: { readonly amount: BigNumber; readonly price: BigNumber | undefined };
  readonly state: OrderState;
  readonly executedAmount: BigNumber;
  readonly executedQuoteAmount: BigNumber;
  /** Average fill price; undefined before the first fill. */
  readonly averagePrice: BigNumber | undefined;
  /** Fees charged so far, one entry per asset. */
  readonly fees: readonly TradeFee[];
  /** Local time the order was created, ms since epoch. */
  readonly createdAt: number;
  /** Time of the last change, ms since epoch. */
  readonly updatedAt: number;
}

/** Options of `Market.cancelOrder`. */
export interface CancelOrderOptions {
  /**
   * How long to wait for the exchange to confirm, in ms (default 30 s). On
   * timeout the promise rejects with a `TimeoutError`; the order stays tracked and
   * its events still follow on `events$`.
   */
  readonly timeoutMs?: number;
}

/** Options of `Market.watchOrderBook`. */
export interface WatchOrderBookOptions {
  /** Levels per side in each view (default 20). */
  readonly depth?: number;
}

/** A read-only copy of the top of a book, taken when the consumer pulled it. */
export interface OrderBookView {
  readonly tradingPair: string;
  /** `[price, amount]`, best (highest) first, at most `depth` levels. */
  readonly bids: readonly BookLevel[];
  /** `[price, amount]`, best (lowest) first, at most `depth` levels. */
  readonly asks: readonly BookLevel[];
  /** The exchange's update id the book is at. */
  readonly updateId: number;
  /**
   * True when the book is in sync with a live, acknowledged stream. False while it
   * (re)syncs or has gone stale: the levels are then the last good state.
   */
  readonly live: boolean;
  /** The book's live status behind `live`: `syncing`, `live` or `stale` (see `Market.getBookStatus`). */
  readonly status: LiveStatus;
  /** Local time the view was taken, ms since epoch. */
  readonly timestamp: number;
}

/** Options of `Market.watchTrades` and `Market.watchOrders`. */
export interface WatchStreamOptions {
  /** Items held for a slow consumer before the iteration fails with an `ExchangeUnavailableError` (default 10 000). */
  readonly maxBuffered?: number;
}

/** Which REST market data a connector serves (`ConnectorCapabilities.marketData`). */
export type MarketDataKind = 'ticker' | 'recentTrades' | 'candles' | 'myTrades';

/** 24-hour statistics and the top of book of one pair, from REST. */
export interface Ticker {
  readonly tradingPair: string;
  /** Price of the last trade. */
  readonly lastPrice: BigNumber;
  /** Best bid and ask; undefined when the exchange did not send them or a side is empty. */
  readonly bestBid: BigNumber | undefined;
  readonly bestAsk: BigNumber | undefined;
  /** Open, high, low over the last 24 h. */
  readonly open24h: BigNumber;
  readonly high24h: BigNumber;
  readonly low24h: BigNumber;
  /** Base volume over the last 24 h. */
  readonly volume24h: BigNumber;
  /** Quote volume over the last 24 h, when the exchange reports it. */
  readonly quoteVolume24h: BigNumber | undefined;
  /** Exchange time of the figures, ms since epoch. */
  readonly timestamp: number;
}

/** One public trade of a pair, from REST. */
export interface PublicTrade {
  readonly tradingPair: string;
  readonly tradeId: string;
  readonly price: BigNumber;
  /** Base amount. */
  readonly amount: BigNumber;
  /** The taker's side, from the exchange's own field. */
  readonly side: OrderSide;
  readonly timestamp: number;
}

/** Candle widths every connector with candles serves (Binance and Coinbase share these). */
export type CandleInterval = '1m' | '5m' | '15m' | '1h' | '6h' | '1d';

/** Every {@link CandleInterval}, for validation and help text. */
export const CANDLE_INTERVALS: readonly CandleInterval[] = ['1m', '5m', '15m', '1h', '6h', '1d'];

/** The width of each {@link CandleInterval} in ms. */
export const CANDLE_INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '6h': 21_600_000,
  '1d': 86_400_000,
};

/** Options of `Market.getCandles`. */
export interface CandleQuery {
  /** Earliest open time wanted, ms since epoch. */
  readonly since?: number;
  /** Most candles wanted (the exchange caps it; Binance 1000, Coinbase 300). */
  readonly limit?: number;
}

/** One OHLCV candle. */
export interface Candle {
  readonly tradingPair: string;
  readonly interval: CandleInterval;
  /** Open time, ms since epoch. */
  readonly openTime: number;
  readonly open: BigNumber;
  readonly high: BigNumber;
  readonly low: BigNumber;
  readonly close: BigNumber;
  /** Base volume. */
  readonly volume: BigNumber;
}

/** Options of `Market.getMyTrades`. */
export interface MyTradesQuery {
  /** Earliest trade time wanted, ms since epoch. */
  readonly since?: number;
  /** Most trades wanted (the exchange caps it). */
  readonly limit?: number;
}

/** One fill of one of the account's orders, whoever placed it, from REST. */
export interface MyTrade {
  readonly tradingPair: string;
  readonly tradeId: string;
  readonly exchangeOrderId: string;
  /** Our client order id, when the exchange returns it with the fill. */
  readonly clientOrderId: string | undefined;
  readonly side: OrderSide;
  readonly price: BigNumber;
  /** Base amount. */
  readonly amount: BigNumber;
  readonly quoteAmount: BigNumber;
  /** The fee the exchange charged. */
  readonly fee: TradeFee;
  readonly isMaker: boolean;
  readonly timestamp: number;
}
