import {
  HbError,
  MarketBase,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type InFlightOrder,
  type MarketBaseOptions,
  type OpenOrder,
  type OrderUpdate,
  type PlaceOrderResult,
  type TradeUpdate,
  type TradingRule,
  type UserStreamUpdate,
} from '@hb/core';
import { BinanceApiClient } from './binance-api-client.js';
import {
  BINANCE_EXCHANGE,
  BINANCE_TESTNET_URLS,
  BINANCE_URLS,
  type BinanceUrls,
} from './binance-constants.js';
import {
  buildNewOrderParams,
  buildOrderLookupParams,
  parseAccountBalances,
  parseMyTrades,
  parseOpenOrders,
  parseOrderFills,
  parseOrderUpdate,
  parseUserDataEvent,
} from './binance-in-flight-order.js';
import { BinanceMarketStream, type BinanceDepthSpeed } from './binance-market-stream.js';
import { BinanceOrderBookDataSource } from './binance-order-book-data-source.js';
import { BinanceOrderBookTracker } from './binance-order-book-tracker.js';
import { parseTradingRules } from './binance-trading-rules.js';
import { BinanceUserStreamDataSource, type BinanceUserDataFrame } from './binance-user-stream-data-source.js';
import { BinanceUserStreamTracker } from './binance-user-stream-tracker.js';
import { SymbolMap } from './binance-utils.js';

/** What the Binance connector supports. */
export const BINANCE_CAPABILITIES: ConnectorCapabilities = {
  orderTypes: ['limit', 'limit_maker', 'market'],
  orderBook: 'l2',
  sequencedBook: true,
  userStream: true,
  // DELETE /api/v3/openOrders would also cancel orders hb did not place.
  cancelAll: 'emulated',
  lookupByClientOrderId: true,
  reportsFillFees: true,
};

/** How a {@link BinanceMarket} is built. */
export interface BinanceMarketOptions extends MarketBaseOptions {
  /** Needed for orders, balances and the user stream; public data works without. */
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Use Binance's spot testnet hosts. */
  readonly testnet?: boolean;
  /**
   * Endpoint overrides (scheme, host, port): `restUrl` replaces the REST host;
   * `wsUrl` replaces both WebSocket hosts (streams at `/stream`, the WebSocket API
   * at `/ws-api/v3`).
   */
  readonly restUrl?: string;
  readonly wsUrl?: string;
  /** Depth diff speed. Default 100 ms. */
  readonly depthSpeed?: BinanceDepthSpeed;
  /** `limit` of the depth snapshot. Default 1000. */
  readonly snapshotDepth?: number;
  /** `recvWindow` of signed requests, ms. Default 5000. */
  readonly recvWindowMs?: number;
  /** Reconnect backoff bounds of the sockets, ms. */
  readonly reconnectMinDelayMs?: number;
  readonly reconnectMaxDelayMs?: number;
}

/** The URLs a market talks to, after overrides. */
export function resolveBinanceUrls(
  options: Pick<BinanceMarketOptions, 'testnet' | 'restUrl' | 'wsUrl'>,
): BinanceUrls {
  const base = options.testnet ? BINANCE_TESTNET_URLS : BINANCE_URLS;
  const ws = options.wsUrl?.replace(/\/+$/, '');
  return {
    rest: options.restUrl?.replace(/\/+$/, '') ?? base.rest,
    marketStream: ws ?? base.marketStream,
    wsApi: ws ? `${ws}/ws-api/v3` : base.wsApi,
  };
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

  private readonly binanceOptions: BinanceMarketOptions;
  private contextPromise: Promise<BinanceContext> | undefined;
  private stream: BinanceMarketStream | undefined;
  private symbolsCache: SymbolMap | undefined;

  constructor(options: BinanceMarketOptions) {
    super(options);
    this.binanceOptions = options;
    this.urls = resolveBinanceUrls(options);
    this.api = new BinanceApiClient({
      restUrl: this.urls.rest,
      apiKey: options.apiKey,
      apiSecret: options.apiSecret,
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

  protected async fetchTradingRules(): Promise<TradingRule[]> {
    return parseTradingRules((await this.context()).exchangeInfo).rules;
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
    const exchangeOrderId = order.exchangeOrderId ?? (await this.fetchOrderStatus(order)).exchangeOrderId;
    if (exchangeOrderId === undefined) return [];
    const trades = parseMyTrades(
      await this.api.myTrades(symbols.toSymbol(order.tradingPair), exchangeOrderId),
      symbols,
    );
    // myTrades rows carry no client id; adding ours lets core match before it knows the exchange id.
    return trades.map((t) => ({ ...t, clientOrderId: order.clientOrderId }));
  }

  protected createOrderBookTracker(): BinanceOrderBookTracker {
    const dataSource = new BinanceOrderBookDataSource({
      api: this.api,
      context: () => this.context(),
      snapshotDepth: this.binanceOptions.snapshotDepth,
    });
    return new BinanceOrderBookTracker(dataSource, this.tradingPairs);
  }

  protected createUserStreamTracker(): BinanceUserStreamTracker | undefined {
    const auth = this.api.signer;
    if (!auth) return undefined;
    return new BinanceUserStreamTracker(
      new BinanceUserStreamDataSource({
        wsApiUrl: this.urls.wsApi,
        auth,
        resyncClock: () => this.api.syncTime(),
        reconnectMinDelayMs: this.binanceOptions.reconnectMinDelayMs,
        reconnectMaxDelayMs: this.binanceOptions.reconnectMaxDelayMs,
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
          const symbols = SymbolMap.fromExchangeInfo(exchangeInfo);
          this.symbolsCache = symbols;
          this.stream ??= new BinanceMarketStream({
            wsUrl: this.urls.marketStream,
            symbols,
            depthSpeed: this.binanceOptions.depthSpeed,
            reconnectMinDelayMs: this.binanceOptions.reconnectMinDelayMs,
            reconnectMaxDelayMs: this.binanceOptions.reconnectMaxDelayMs,
          });
          return { exchangeInfo, symbols, stream: this.stream };
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
