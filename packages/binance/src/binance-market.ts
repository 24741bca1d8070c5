import type {
  BalanceUpdate,
  Candle,
  CandleInterval,
  CandleQuery,
  ConnectorCapabilities,
  InFlightOrder,
  MyTrade,
  MyTradesQuery,
  OpenOrder,
  OrderUpdate,
  PublicTrade,
  Ticker,
  TradeUpdate,
  UserStreamUpdate,
} from '@hb/core/connector';
import {
  CEX_CAPABILITY_DEFAULTS,
  HbError,
  MarketBase,
  ProtocolError,
  resolveEndpoints,
  withoutCredentials,
  type ConnectorMarketOptions,
  type CredentialFields,
  type PlaceOrderResult,
  type TradingRulesResult,
} from '@hb/core/connector';
import { BinanceApiClient } from './binance-api-client.js';
import {
  BINANCE_DEFAULT_RECV_WINDOW_MS,
  BINANCE_EXCHANGE,
  BINANCE_TESTNET_URLS,
  BINANCE_URLS,
  type BinanceUrls,
} from './binance-constants.js';
import {
  parseAccountBalances,
  parseMyTrades,
  parseOpenOrders,
  parseOrderFills,
  parseOrderUpdate,
  parseUserDataEvent,
} from './binance-order-parsers.js';
import { buildNewOrderParams, buildOrderLookupParams } from './binance-order-requests.js';
import {
  BINANCE_KLINE_INTERVALS,
  parseAccountTrades,
  parseKlines,
  parseRecentTrades,
  parseTicker24hr,
} from './binance-market-data.js';
import { BinanceMarketStream, type BinanceDepthSpeed } from './binance-market-stream.js';
import { BinanceOrderBookDataSource } from './binance-order-book-data-source.js';
import { BinanceOrderBookTracker } from './binance-order-book-tracker.js';
import { parseTradingRules } from './binance-trading-rules.js';
import { BinanceUserStreamDataSource, type BinanceUserDataFrame } from './binance-user-stream-data-source.js';
import { BinanceUserStreamTracker } from './binance-user-stream-tracker.js';
import { BINANCE_CLIENT_ORDER_IDS, symbolMapFromExchangeInfo, type SymbolMap } from './binance-utils.js';

/** What the Binance connector supports: core's CEX defaults, a price-level book, every kind of market data. */
export const BINANCE_CAPABILITIES: ConnectorCapabilities = {
  ...CEX_CAPABILITY_DEFAULTS,
  orderBook: 'l2',
  // DELETE /api/v3/openOrders would also cancel orders hb did not place.
  cancelAll: 'emulated',
  marketData: ['ticker', 'recentTrades', 'candles', 'myTrades'],
};

/** How a {@link BinanceMarket} is built: keys `apiKey` + `apiSecret`; `sandbox` (or `testnet`) picks the spot testnet. */
export interface BinanceMarketOptions extends ConnectorMarketOptions {
  /** Same as `sandbox`: Binance's spot testnet hosts. */
  readonly testnet?: boolean;
  /** Depth diff speed. Default 100 ms. */
  readonly depthSpeed?: BinanceDepthSpeed;
  /**
   * `limit` of the depth snapshot. Default 100: the cheapest tier (weight 5), so
   * 1,000 pairs sync within one minute's 6,000 weight; levels past it are
   * learned as they change. Ask for more (500: weight 25; 1000: weight 50) when
   * the strategy reads deeper than the top 100 levels.
   */
  readonly snapshotDepth?: number;
  /** Snapshot fetches in flight at once (default 8); the weight limiter paces them further. */
  readonly maxConcurrentSnapshots?: number;
  /** `recvWindow` of signed requests, ms. Default 5000. */
  readonly recvWindowMs?: number;
}

/**
 * The URLs a market talks to, after overrides: `wsUrl` replaces both socket
 * hosts (streams at `/stream`, the WebSocket API at `/ws-api/v3`).
 */
export function resolveBinanceUrls(
  options: Pick<BinanceMarketOptions, 'sandbox' | 'testnet' | 'restUrl' | 'wsUrl'>,
): BinanceUrls {
  return resolveEndpoints(
    { production: BINANCE_URLS, sandbox: BINANCE_TESTNET_URLS },
    { ...options, sandbox: options.sandbox ?? options.testnet },
    (ws, base) => ({ ...base, marketStream: ws, wsApi: `${ws}/ws-api/v3` }),
  );
}

interface BinanceContext {
  readonly exchangeInfo: unknown;
  readonly symbols: SymbolMap;
  readonly stream: BinanceMarketStream;
}

/**
 * Binance spot. Orders are placed with `newClientOrderId` = our client order id
 * and looked up and cancelled by it (`origClientOrderId`), so an order whose
 * placement timed out is found again. Everything else — state, events, polling —
 * is core's `MarketBase`.
 */
export class BinanceMarket extends MarketBase<BinanceUserDataFrame> {
  readonly name = BINANCE_EXCHANGE;
  readonly capabilities = BINANCE_CAPABILITIES;
  /** The raw REST client (one method per endpoint). */
  readonly api: BinanceApiClient;
  readonly urls: BinanceUrls;
  protected override readonly clientOrderIds = BINANCE_CLIENT_ORDER_IDS;

  /** The options without the key and secret: only the signer holds those (nothing here can print them). */
  private readonly binanceOptions: Omit<BinanceMarketOptions, keyof CredentialFields>;
  private contextPromise: Promise<BinanceContext> | undefined;
  private stream: BinanceMarketStream | undefined;
  private symbolsCache: SymbolMap | undefined;

  constructor(options: BinanceMarketOptions) {
    super(options);
    this.binanceOptions = withoutCredentials(options);
    this.urls = resolveBinanceUrls(options);
    this.api = new BinanceApiClient({
      restUrl: this.urls.rest,
      credentials: options,
      recvWindowMs: options.recvWindowMs,
      timeoutMs: options.requestTimeoutMs,
    });
  }

  override async start(): Promise<void> {
    await this.context();
    if (this.api.hasCredentials) await this.api.syncTime();
    await super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.stream?.close();
    this.stream = undefined;
    this.contextPromise = undefined;
  }

  /** Exchange symbol map (after `start`). */
  async symbolMap(): Promise<SymbolMap> {
    return (await this.context()).symbols;
  }

  async fetchOpenOrders(tradingPair?: string): Promise<OpenOrder[]> {
    const { symbols } = await this.context();
    const raw = await this.api.openOrders(
      tradingPair === undefined ? undefined : symbols.toSymbol(tradingPair),
    );
    return parseOpenOrders(raw, symbols);
  }

  /**
   * Binance accepts a signed request until `recvWindow` after its timestamp, so a
   * placement delayed in transit can still be placed (and filled) that long after
   * it was sent; one more second covers the server-time offset's error.
   */
  protected override placementAcceptanceWindowMs(): number {
    return (this.binanceOptions.recvWindowMs ?? BINANCE_DEFAULT_RECV_WINDOW_MS) + 1_000;
  }

  /** Without keys the market is ready when its rules and books are: there is no account to wait for. */
  protected override hasAccount(): boolean {
    return this.api.hasCredentials;
  }

  protected async fetchTradingRules(): Promise<TradingRulesResult> {
    return parseTradingRules((await this.context()).exchangeInfo);
  }

  protected async fetchBalances(): Promise<BalanceUpdate[]> {
    if (!this.api.hasCredentials) return [];
    return parseAccountBalances(await this.api.account());
  }

  protected async sendOrder(order: InFlightOrder): Promise<PlaceOrderResult> {
    const { symbols } = await this.context();
    const params = buildNewOrderParams({
      symbol: symbols.toSymbol(order.tradingPair),
      side: order.side,
      orderType: order.orderType,
      amount: order.amount,
      price: order.orderType === 'market' ? undefined : order.price,
      clientOrderId: order.clientOrderId,
      responseType: 'FULL',
    });
    const raw = await this.api.newOrder(params);
    const update = parseOrderUpdate(raw, symbols);
    return {
      exchangeOrderId: update.exchangeOrderId ?? '',
      timestamp: update.timestamp,
      update,
      trades: parseOrderFills(raw, symbols),
    };
  }

  protected async sendCancel(order: InFlightOrder): Promise<OrderUpdate | undefined> {
    const { symbols } = await this.context();
    const raw = await this.api.cancelOrder(
      buildOrderLookupParams(symbols.toSymbol(order.tradingPair), order.clientOrderId),
    );
    return parseOrderUpdate(raw, symbols);
  }

  protected async fetchOrderStatus(order: InFlightOrder): Promise<OrderUpdate> {
    const { symbols } = await this.context();
    const raw = await this.api.queryOrder(
      buildOrderLookupParams(symbols.toSymbol(order.tradingPair), order.clientOrderId),
    );
    return parseOrderUpdate(raw, symbols);
  }

  protected async fetchOrderTrades(order: InFlightOrder): Promise<TradeUpdate[]> {
    const { symbols } = await this.context();
    const symbol = symbols.toSymbol(order.tradingPair);
    return this.tradesByExchangeOrderId(order, async (orderId) =>
      parseMyTrades(await this.api.myTrades(symbol, orderId), symbols),
    );
  }

  protected override async fetchTicker(tradingPair: string): Promise<Ticker> {
    const { symbols } = await this.context();
    return parseTicker24hr(await this.api.ticker24hr(symbols.toSymbol(tradingPair)), symbols);
  }

  protected override async fetchRecentTrades(
    tradingPair: string,
    limit: number | undefined,
  ): Promise<PublicTrade[]> {
    const { symbols } = await this.context();
    const raw = await this.api.trades(symbols.toSymbol(tradingPair), Math.min(limit ?? 500, 1000));
    return parseRecentTrades(raw, tradingPair);
  }

  protected override async fetchCandles(
    tradingPair: string,
    interval: CandleInterval,
    query: CandleQuery,
  ): Promise<Candle[]> {
    const { symbols } = await this.context();
    const raw = await this.api.klines(symbols.toSymbol(tradingPair), BINANCE_KLINE_INTERVALS[interval], {
      startTime: query.since,
      limit: query.limit === undefined ? undefined : Math.min(query.limit, 1000),
    });
    return parseKlines(raw, tradingPair, interval);
  }

  protected override async fetchMyTrades(tradingPair: string, query: MyTradesQuery): Promise<MyTrade[]> {
    const { symbols } = await this.context();
    const raw = await this.api.accountTrades(symbols.toSymbol(tradingPair), {
      startTime: query.since,
      limit: query.limit === undefined ? undefined : Math.min(query.limit, 1000),
    });
    return parseAccountTrades(raw, symbols);
  }

  protected createOrderBookTracker(): BinanceOrderBookTracker {
    const dataSource = new BinanceOrderBookDataSource({
      api: this.api,
      context: () => this.context(),
      snapshotDepth: this.binanceOptions.snapshotDepth,
    });
    return new BinanceOrderBookTracker(dataSource, this.tradingPairs, {
      maxConcurrentSnapshots: this.binanceOptions.maxConcurrentSnapshots,
      silenceTimeoutMs: this.liveness.bookSilenceTimeoutMs,
    });
  }

  protected createUserStreamTracker(): BinanceUserStreamTracker | undefined {
    const auth = this.api.signer;
    if (!auth) return undefined;
    return new BinanceUserStreamTracker(
      new BinanceUserStreamDataSource({
        wsApiUrl: this.urls.wsApi,
        auth,
        resyncClock: () => this.api.syncTime(),
        ...this.socketTiming(),
      }),
    );
  }

  protected parseUserStreamEvent(frame: BinanceUserDataFrame): UserStreamUpdate[] {
    const symbols = this.loadedSymbols();
    const parsed = parseUserDataEvent(frame, symbols);
    return parsed.kind === 'updates' ? parsed.updates : [];
  }

  private loadedSymbols(): SymbolMap {
    // The user stream starts after start() loaded exchangeInfo, so this holds in practice.
    if (!this.symbolsCache) throw new HbError('unavailable', `${BINANCE_EXCHANGE}: exchangeInfo not loaded`);
    return this.symbolsCache;
  }

  /** exchangeInfo, the symbol map and the shared market socket: loaded once, retried after a failure. */
  private context(): Promise<BinanceContext> {
    if (!this.contextPromise) {
      this.contextPromise = this.api.exchangeInfo().then(
        (exchangeInfo) => {
          const symbols = symbolMapFromExchangeInfo(exchangeInfo);
          this.symbolsCache = symbols;
          if (!this.stream) {
            const stream = new BinanceMarketStream({
              wsUrl: this.urls.marketStream,
              symbols,
              depthSpeed: this.binanceOptions.depthSpeed,
              ...this.socketTiming(),
            });
            // Refused market-data frames are reported; their depth stream re-syncs on its own.
            stream.errors$.subscribe((e) => {
              if (e instanceof ProtocolError && this.stream === stream) this.reportProtocolError(e);
            });
            this.stream = stream;
          }
          const stream = this.stream;
          return { exchangeInfo, symbols, stream };
        },
        (e: unknown) => {
          this.contextPromise = undefined;
          throw e;
        },
      );
    }
    return this.contextPromise;
  }
}
