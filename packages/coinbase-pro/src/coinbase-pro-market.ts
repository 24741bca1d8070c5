import BigNumber from 'bignumber.js';
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
  ProtocolError,
  MarketBase,
  resolveEndpoints,
  type ConnectorMarketOptions,
  type PlaceOrderResult,
  type TradingRulesResult,
} from '@hb/core/connector';
import { CoinbaseProApiClient } from './coinbase-pro-api-client.js';
import {
  COINBASE_PRO_GRANULARITY,
  COINBASE_PRO_MAX_CANDLES,
  parseAccountFills,
  parseCandles,
  parseRecentTrades,
  parseTicker,
} from './coinbase-pro-market-data.js';
import {
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_SANDBOX_URLS,
  COINBASE_PRO_URLS,
  type CoinbaseProUrls,
} from './coinbase-pro-constants.js';
import { CoinbaseProFeed } from './coinbase-pro-feed.js';
import {
  parseAccountBalances,
  parseFees,
  parseFills,
  parseOpenOrders,
  parseOrderUpdate,
  parseUserChannelMessage,
} from './coinbase-pro-order-parsers.js';
import { CoinbaseProOrderBookDataSource } from './coinbase-pro-order-book-data-source.js';
import { CoinbaseProOrderBookTracker } from './coinbase-pro-order-book-tracker.js';
import { parseTradingRules } from './coinbase-pro-trading-rules.js';
import { CoinbaseProUserStreamDataSource } from './coinbase-pro-user-stream-data-source.js';
import { CoinbaseProUserStreamTracker } from './coinbase-pro-user-stream-tracker.js';
import { COINBASE_PRO_CLIENT_ORDER_IDS } from './coinbase-pro-utils.js';

/**
 * What the Coinbase Pro connector supports: core's CEX defaults, an order-level
 * book (the `full` channel; the keyless level-2 book is the fallback the
 * descriptor's `bookSource` names), every kind of market data.
 */
export const COINBASE_PRO_CAPABILITIES: ConnectorCapabilities = {
  ...CEX_CAPABILITY_DEFAULTS,
  orderBook: 'l3',
  // DELETE /orders?product_id= would also cancel orders hb did not place.
  cancelAll: 'emulated',
  marketData: ['ticker', 'recentTrades', 'candles', 'myTrades'],
};

/**
 * How a {@link CoinbaseProMarket} is built: keys `apiKey` + `apiSecret` (base64,
 * as Coinbase issues it) + `passphrase`, needed for orders, balances, the user
 * channel (and, on today's exchange, the `full` channel); `sandbox` picks the
 * Coinbase Exchange sandbox.
 */
export type CoinbaseProMarketOptions = ConnectorMarketOptions;

/** The URLs a market talks to, after overrides (`wsUrl` replaces the feed host). */
export function resolveCoinbaseProUrls(
  options: Pick<CoinbaseProMarketOptions, 'sandbox' | 'restUrl' | 'wsUrl'>,
): CoinbaseProUrls {
  return resolveEndpoints(
    { production: COINBASE_PRO_URLS, sandbox: COINBASE_PRO_SANDBOX_URLS },
    options,
    (ws, base) => ({ ...base, ws }),
  );
}

/**
 * Coinbase Pro (the Coinbase Exchange API). Client order ids are UUIDv4s sent as
 * `client_oid`, so every order can be looked up (`GET /orders/client:<id>`) and
 * cancelled by our own id, including one whose placement timed out. Everything
 * else — state, events, polling — is core's `MarketBase`.
 */
export class CoinbaseProMarket extends MarketBase<unknown> {
  readonly name = COINBASE_PRO_EXCHANGE;
  readonly capabilities = COINBASE_PRO_CAPABILITIES;
  /** The raw REST client (one method per endpoint). */
  readonly api: CoinbaseProApiClient;
  readonly urls: CoinbaseProUrls;
  protected override readonly clientOrderIds = COINBASE_PRO_CLIENT_ORDER_IDS;

  /** The `user` channel carries fills but no balances: each fill refreshes them from `/accounts`. */
  protected override readonly balancesFollowFillsByRest = true;
  private feed: CoinbaseProFeed | undefined;
  private fees: { maker: BigNumber; taker: BigNumber } | undefined;

  constructor(options: CoinbaseProMarketOptions) {
    super(options);
    this.urls = resolveCoinbaseProUrls(options);
    this.api = new CoinbaseProApiClient({
      restUrl: this.urls.rest,
      credentials: options,
      timeoutMs: options.requestTimeoutMs,
    });
  }

  override async start(): Promise<void> {
    if (this.api.hasCredentials) {
      await this.api.syncTime();
      // The account's own fee tier, for getFee; the default rates stand in if it fails.
      this.fees = await this.api.fees().then(
        (raw) => {
          const f = parseFees(raw);
          return { maker: f.makerFeeRate, taker: f.takerFeeRate };
        },
        () => undefined,
      );
    }
    await super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.feed?.close();
    this.feed = undefined;
  }

  async fetchOpenOrders(tradingPair?: string): Promise<OpenOrder[]> {
    return parseOpenOrders(await this.api.openOrders(tradingPair));
  }

  protected override feeRates(tradingPair: string): { maker: BigNumber; taker: BigNumber } {
    return this.fees ?? super.feeRates(tradingPair);
  }

  /** Without keys the market is ready when its rules and books are: there is no account to wait for. */
  protected override hasAccount(): boolean {
    return this.api.hasCredentials;
  }

  protected async fetchTradingRules(): Promise<TradingRulesResult> {
    return parseTradingRules(await this.api.products());
  }

  protected async fetchBalances(): Promise<BalanceUpdate[]> {
    if (!this.api.hasCredentials) return [];
    return parseAccountBalances(await this.api.accounts(), Date.now());
  }

  protected async sendOrder(order: InFlightOrder): Promise<PlaceOrderResult> {
    const raw = await this.api.placeOrder({
      tradingPair: order.tradingPair,
      side: order.side,
      orderType: order.orderType,
      amount: order.amount,
      price: order.orderType === 'market' ? undefined : order.price,
      clientOrderId: order.clientOrderId,
    });
    const update = parseOrderUpdate(raw);
    if (update.newState === 'FAILED') {
      // A crossing post-only answers 200 with status "rejected": a definitive refusal.
      throw new HbError(
        'invalid_order',
        `${COINBASE_PRO_EXCHANGE}: order rejected: ${update.reason ?? 'rejected'}`,
        {
          exchange: COINBASE_PRO_EXCHANGE,
          httpStatus: 200,
          retryable: false,
        },
      );
    }
    return { exchangeOrderId: update.exchangeOrderId ?? '', timestamp: update.timestamp, update };
  }

  protected async sendCancel(order: InFlightOrder): Promise<OrderUpdate | undefined> {
    await this.api.cancelOrder(order.tradingPair, order.clientOrderId);
    // The answer is only the id; the `done` message (or a poll) settles the order,
    // with any fill that raced the cancel counted first.
    return undefined;
  }

  protected async fetchOrderStatus(order: InFlightOrder): Promise<OrderUpdate> {
    return parseOrderUpdate(await this.api.orderByClientOid(order.clientOrderId));
  }

  protected async fetchOrderTrades(order: InFlightOrder): Promise<TradeUpdate[]> {
    return this.tradesByExchangeOrderId(order, async (exchangeOrderId) =>
      parseFills(await this.api.fills({ exchangeOrderId })),
    );
  }

  protected override async fetchTicker(tradingPair: string): Promise<Ticker> {
    const [ticker, stats] = await Promise.all([this.api.ticker(tradingPair), this.api.stats(tradingPair)]);
    return parseTicker(ticker, stats, tradingPair);
  }

  protected override async fetchRecentTrades(
    tradingPair: string,
    limit: number | undefined,
  ): Promise<PublicTrade[]> {
    return parseRecentTrades(await this.api.trades(tradingPair, Math.min(limit ?? 100, 1000)), tradingPair);
  }

  protected override async fetchCandles(
    tradingPair: string,
    interval: CandleInterval,
    query: CandleQuery,
  ): Promise<Candle[]> {
    const granularity = COINBASE_PRO_GRANULARITY[interval];
    const limit = Math.min(query.limit ?? COINBASE_PRO_MAX_CANDLES, COINBASE_PRO_MAX_CANDLES);
    // Coinbase ignores start without end: a range of `limit` candles from `since`.
    const range =
      query.since === undefined
        ? {}
        : {
            start: new Date(query.since).toISOString(),
            end: new Date(query.since + granularity * 1000 * limit).toISOString(),
          };
    const candles = parseCandles(
      await this.api.candles(tradingPair, granularity, range),
      tradingPair,
      interval,
    );
    return query.since === undefined ? candles.slice(-limit) : candles.slice(0, limit);
  }

  protected override async fetchMyTrades(tradingPair: string, query: MyTradesQuery): Promise<MyTrade[]> {
    const rows = await this.api.fills({ tradingPair });
    const since = query.since;
    const fills = parseAccountFills(rows).filter((f) => since === undefined || f.timestamp >= since);
    return query.limit === undefined ? fills : fills.slice(-query.limit);
  }

  protected createOrderBookTracker(): CoinbaseProOrderBookTracker {
    return new CoinbaseProOrderBookTracker(
      new CoinbaseProOrderBookDataSource(this.api, this.sharedFeed()),
      this.tradingPairs,
      { silenceTimeoutMs: this.liveness.bookSilenceTimeoutMs },
    );
  }

  protected createUserStreamTracker(): CoinbaseProUserStreamTracker | undefined {
    const auth = this.api.signer;
    // The `user` channel needs product ids: with no pair there is no order to follow
    // (and a subscribe without products is refused).
    if (!auth || this.tradingPairs.length === 0) return undefined;
    return new CoinbaseProUserStreamTracker(
      new CoinbaseProUserStreamDataSource({
        wsUrl: this.urls.ws,
        auth,
        tradingPairs: this.tradingPairs,
        ...this.socketTiming(),
      }),
    );
  }

  protected parseUserStreamEvent(frame: unknown): UserStreamUpdate[] {
    const event = parseUserChannelMessage(frame);
    if (event.kind === 'fill_without_fee') {
      // The fee is unknown on this frame; /fills reports it, so ask there.
      void this.pollNow();
      return [];
    }
    return event.kind === 'updates' ? event.updates : [];
  }

  private sharedFeed(): CoinbaseProFeed {
    if (!this.feed) {
      const feed = new CoinbaseProFeed({
        wsUrl: this.urls.ws,
        auth: this.api.signer,
        ...this.socketTiming(),
      });
      // Refused market-data frames are reported; the feed re-syncs their book itself.
      feed.errors$.subscribe((e) => {
        if (e instanceof ProtocolError && this.feed === feed) this.reportProtocolError(e);
      });
      this.feed = feed;
    }
    return this.feed;
  }
}
