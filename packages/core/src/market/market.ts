import type BigNumber from 'bignumber.js';
import type { Observable } from 'rxjs';
import type { HbError } from '../errors/hb-error.js';
import type { ProtocolError } from '../errors/protocol-error.js';
import type { OrderBook } from '../order-book/order-book.js';
import type { InFlightOrderJson, ReadonlyInFlightOrder } from '../orders/in-flight-order.js';
import type { BalanceSource, OpenOrder, OrderOptions, OrderSide, OrderType } from '../orders/order-types.js';
import type { TradeMessage } from '../order-book/order-book-message.js';
import type { ConnectorCapabilities } from './capabilities.js';
import type { LiveState, LiveStatusChange, MarketLiveStatus, StreamErrorEvent } from './live-status.js';
import type {
  CancelOrderOptions,
  Candle,
  CandleInterval,
  CandleQuery,
  MarketDataKind,
  MyTrade,
  MyTradesQuery,
  OrderBookView,
  OrderSnapshot,
  PlaceOrderRequest,
  PublicTrade,
  Ticker,
  WatchOrderBookOptions,
  WatchStreamOptions,
} from './market-api.js';
import type { MarketEvent } from './market-events.js';
import type { TradingRule } from './trading-rule.js';

/** What `cancelAll` reports per order. */
export interface CancellationResult {
  readonly clientOrderId: string;
  /** True when the order ended cancelled within the timeout. */
  readonly success: boolean;
}

/** An estimated fee for an order not yet placed. */
export interface TradeFeeEstimate {
  /** Fraction of the notional, e.g. 0.001 for 0.1%. */
  readonly percent: BigNumber;
  /** Whether the estimate assumed the order rests (maker). */
  readonly isMaker: boolean;
}

/**
 * A part of a market that must be initialised before it is `ready`: core's four,
 * or a check the connector added (`MarketBase.readinessChecks`, e.g. an on-chain
 * venue's `allowances_checked`).
 */
export type MarketReadinessPart =
  'trading_rules' | 'account_balance' | 'order_books' | 'user_stream' | (string & Record<never, never>);

/**
 * The readiness of each part of a market. What `ready` needs is what the user
 * asked for: without keys, rules and books; with keys, also the account
 * (balances and user stream); plus every check the connector added
 * (`connectorChecks`). `missing` names what `ready` still waits for.
 */
export interface MarketStatus {
  readonly tradingRulesInitialized: boolean;
  /** Balances loaded at least once (always false without keys). */
  readonly accountBalanceInitialized: boolean;
  readonly orderBooksInitialized: boolean;
  /** The user stream is healthy, or the market runs without one. */
  readonly userStreamInitialized: boolean;
  /** Whether `ready` waits for the account (balances and user stream): true when keys were given. */
  readonly accountRequired: boolean;
  /** The parts `ready` still waits for; empty when ready. */
  readonly missing: readonly MarketReadinessPart[];
  /** The connector's own readiness checks (an on-chain venue: `allowances_checked`); `ready` needs each true. */
  readonly connectorChecks: Readonly<Record<string, boolean>>;
}

/** A balance of one asset in one place. */
export interface SourcedBalance {
  readonly total: BigNumber;
  readonly available: BigNumber;
}

/** Something the market noticed and recovered from, for logs (never contains secrets). */
export type MarketNotice =
  | { readonly kind: 'poll_failed'; readonly error: HbError }
  | { readonly kind: 'unparsable_user_event'; readonly error: HbError }
  | { readonly kind: 'user_stream_reconnected'; readonly reason: string }
  | { readonly kind: 'placement_unknown'; readonly clientOrderId: string; readonly error: HbError }
  | { readonly kind: 'cancel_failed'; readonly clientOrderId: string; readonly error: HbError }
  /**
   * A frame from the exchange (market data or user stream) refused whole at the
   * wire; the error names the exchange and channel and carries a redacted excerpt.
   * What it would have changed is treated as unknown (book re-sync, REST reconcile).
   */
  | { readonly kind: 'protocol_error'; readonly error: ProtocolError }
  /** A fill or order update core refused as impossible; the order is reconciled by REST. */
  | { readonly kind: 'update_refused'; readonly clientOrderId: string; readonly error: HbError }
  /** An exchange symbol whose rules could not be read: it has no rule, so orders on it fail as `unknown_pair`. */
  | { readonly kind: 'symbol_skipped'; readonly symbol: string; readonly error: HbError }
  /** The exchange refused the market's keys: polling has stopped (retrying cannot fix them). */
  | { readonly kind: 'credentials_refused'; readonly error: HbError };

/** Counters of what a market refused from the wire, for status output and tests. */
export interface MarketRefusalStats {
  /** Frames refused whole at the wire (each also a `protocol_error` or `unparsable_user_event` notice). */
  readonly framesRefused: number;
  /** Fills and order updates core refused as impossible (each also an `update_refused` notice). */
  readonly updatesRefused: number;
}

/**
 * What a user (a bot, the `hb` CLI, the conformance suite) sees of a market:
 * the public surface every connector's market has. `MarketBase` implements it;
 * code that only uses a market should take this type, so it accepts any
 * connector's market whatever its private event type.
 */
export interface Market {
  /** The exchange's name (`binance`). */
  readonly name: string;
  /** What the connector supports. */
  readonly capabilities: ConnectorCapabilities;
  /** Pairs the market trades, `BASE-QUOTE`. */
  readonly tradingPairs: readonly string[];
  /** Every order event, exactly once per order and once per fill. */
  readonly events$: Observable<MarketEvent>;
  /** Recoverable problems, for logs. */
  readonly notices$: Observable<MarketNotice>;
  /** Emits each time an in-flight order changes: persist `trackingStates` on it. */
  readonly trackingStateChanges$: Observable<ReadonlyInFlightOrder>;
  /** Whether every part of the market is initialised. */
  readonly ready: boolean;
  /** The readiness of each part. */
  readonly status: MarketStatus;
  /** Every change of a book's or the user stream's live status (syncing, live, stale). */
  readonly liveStatus$: Observable<LiveStatusChange>;
  /** Typed errors of the market's streams (refused subscriptions, authentication failures). */
  readonly streamErrors$: Observable<StreamErrorEvent>;
  /** Every book's live status and the user stream's, now. */
  readonly liveStatus: MarketLiveStatus;
  /** The error that stopped a stream for good, if any. */
  readonly fatalStreamError: HbError | undefined;
  /** One pair's book status. */
  getBookStatus(tradingPair: string): LiveState;
  /** Every order still tracked (active and recently finished); read-only: only core changes orders. */
  readonly inFlightOrders: ReadonlyMap<string, ReadonlyInFlightOrder>;
  /** Orders not yet in a final state. */
  readonly activeOrders: readonly ReadonlyInFlightOrder[];
  /** A JSON-able copy of the tracked orders, to save and restore across a restart. */
  readonly trackingStates: Record<string, InFlightOrderJson>;
  /** The trading rules known for each pair. */
  readonly tradingRules: ReadonlyMap<string, TradingRule>;
  /** Starts trackers, loads rules and balances, and begins reconciliation. */
  start(): Promise<void>;
  /** Stops every stream and timer; in-flight orders stay tracked. */
  stop(): Promise<void>;
  /** Resolves when `ready`; rejects with `HbError('timeout')` after `timeoutMs`. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** Places a buy order; returns the client order id at once. `options` carry per-order settings (expiry). */
  buy(
    tradingPair: string,
    amount: BigNumber.Value,
    orderType?: OrderType,
    price?: BigNumber.Value,
    options?: OrderOptions,
  ): string;
  /** Places a sell order; returns the client order id at once. `options` carry per-order settings (expiry). */
  sell(
    tradingPair: string,
    amount: BigNumber.Value,
    orderType?: OrderType,
    price?: BigNumber.Value,
    options?: OrderOptions,
  ): string;
  /** Asks the exchange to cancel an order; events follow on `events$`. */
  cancel(tradingPair: string, clientOrderId: string): Promise<void>;
  /** Cancels every active order and waits up to `timeoutMs` for each to end. */
  cancelAll(timeoutMs: number): Promise<CancellationResult[]>;
  /** Restores orders saved from `trackingStates`. */
  restoreTrackingStates(states: Record<string, InFlightOrderJson>): void;
  /** The live book of a tracked pair. */
  getOrderBook(tradingPair: string): OrderBook;
  /**
   * Total balance of an asset (0 when unknown): the venue's holding (exchange
   * account; wallet on 0x relayers), or the given source's.
   */
  getBalance(asset: string, source?: BalanceSource): BigNumber;
  /** Balance free for new orders, less what our recent orders will lock. */
  getAvailableBalance(asset: string): BigNumber;
  /** Every known balance, total and available. */
  getAllBalances(): Map<string, { total: BigNumber; available: BigNumber }>;
  /** Floors an amount to the pair's size step (0 when below the minimum size). */
  quantizeOrderAmount(tradingPair: string, amount: BigNumber.Value): BigNumber;
  /** Rounds a price to the pair's tick. */
  quantizeOrderPrice(tradingPair: string, price: BigNumber.Value): BigNumber;
  /** Estimated fee for an order. */
  getFee(
    tradingPair: string,
    orderType: OrderType,
    side: OrderSide,
    price?: BigNumber.Value,
  ): TradeFeeEstimate;
  /** Forces an immediate reconciliation by REST. */
  pollNow(): Promise<void>;
  /** Orders the exchange lists as open (one pair, or all), whoever placed them. */
  fetchOpenOrders(tradingPair?: string): Promise<OpenOrder[]>;
  /**
   * Places an order; resolves with its snapshot once the exchange accepted it,
   * rejects with the typed error of a definitive refusal. An unknown outcome keeps
   * the promise pending until reconciliation settles it.
   */
  placeOrder(request: PlaceOrderRequest): Promise<OrderSnapshot>;
  /** Cancels an order; resolves with its snapshot once it has ended (cancelled, or filled first). */
  cancelOrder(
    tradingPair: string,
    clientOrderId: string,
    options?: CancelOrderOptions,
  ): Promise<OrderSnapshot>;
  /** The current state of a tracked order as plain values. */
  getOrderSnapshot(clientOrderId: string): OrderSnapshot;
  /** A read-only view of a pair's book at once and on each change, coalesced for slow consumers. */
  watchOrderBook(tradingPair: string, options?: WatchOrderBookOptions): AsyncIterableIterator<OrderBookView>;
  /** Every public trade of a pair from the stream, in order. */
  watchTrades(tradingPair: string, options?: WatchStreamOptions): AsyncIterableIterator<TradeMessage>;
  /** Every market event from now on, in order. */
  watchOrders(options?: WatchStreamOptions): AsyncIterableIterator<MarketEvent>;
  /** Which REST market data the connector serves. */
  readonly marketData: readonly MarketDataKind[];
  /** 24-hour statistics and top of book, by REST. */
  getTicker(tradingPair: string): Promise<Ticker>;
  /** Recent public trades by REST, oldest first. */
  getRecentTrades(tradingPair: string, options?: { readonly limit?: number }): Promise<PublicTrade[]>;
  /** Candles by REST, oldest first. */
  getCandles(tradingPair: string, interval: CandleInterval, query?: CandleQuery): Promise<Candle[]>;
  /** The account's own fills by REST, oldest first. */
  getMyTrades(tradingPair: string, query?: MyTradesQuery): Promise<MyTrade[]>;
}
