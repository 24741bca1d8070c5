import BigNumber from 'bignumber.js';
import {
  HbError,
  MarketBase,
  ProtocolError,
  resolveEndpoints,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type ConnectorMarketOptions,
  type InFlightOrder,
  type OpenOrder,
  type OrderUpdate,
  type PlaceOrderResult,
  type TradeUpdate,
  type TradingRulesResult,
  type UserStreamUpdate,
} from '@hb/core/connector';
import { HuobiApiClient } from './huobi-api-client.js';
import {
  HUOBI_AWS_URLS,
  HUOBI_COSTS,
  HUOBI_EXCHANGE,
  HUOBI_URLS,
  HUOBI_WS_PATHS,
  type HuobiUrls,
} from './huobi-constants.js';
import {
  parseAccountStreamPush,
  parseBalances,
  parseCancelByClientOrderIdAnswer,
  parseMatchResults,
  parseOpenOrders,
  parseOrderAnswer,
  parsePlaceOrderAnswer,
  parseSpotAccountId,
} from './huobi-order-parsers.js';
import {
  buildAccountsRequest,
  buildBalanceRequest,
  buildCancelByClientOrderIdRequest,
  buildMatchResultsRequest,
  buildOpenOrdersRequest,
  buildOrderByClientOrderIdRequest,
  buildPlaceOrderRequest,
} from './huobi-order-requests.js';
import { HuobiMarketStream } from './huobi-market-stream.js';
import { HuobiOrderBookDataSource } from './huobi-order-book-data-source.js';
import { HuobiOrderBookTracker } from './huobi-order-book-tracker.js';
import { HuobiUserStreamDataSource } from './huobi-user-stream-data-source.js';
import { HuobiUserStreamTracker } from './huobi-user-stream-tracker.js';
import { HUOBI_CLIENT_ORDER_IDS } from './huobi-utils.js';

/** What the Huobi connector supports. */
export const HUOBI_CAPABILITIES: ConnectorCapabilities = {
  orderTypes: ['limit', 'limit_maker', 'market'],
  orderBook: 'l2',
  sequencedBook: true,
  userStream: true,
  // batchCancelOpenOrders would also cancel orders hb did not place.
  cancelAll: 'emulated',
  lookupByClientOrderId: true,
  reportsFillFees: true,
};

/** How a {@link HuobiMarket} is built: core's connector options (keys, endpoints, polling). */
export interface HuobiMarketOptions extends ConnectorMarketOptions {
  /** Use the AWS-hosted endpoints (`api-aws.huobi.pro`). */
  readonly aws?: boolean;
}

/**
 * The URLs a market talks to, after overrides: one WebSocket override serves
 * `/ws`, `/feed` and `/ws/v2`. Huobi has no sandbox (its testnet was shut down):
 * `sandbox: true` is refused.
 */
export function resolveHuobiUrls(
  options: Pick<HuobiMarketOptions, 'sandbox' | 'restUrl' | 'wsUrl' | 'aws'>,
): HuobiUrls {
  return resolveEndpoints({ production: options.aws ? HUOBI_AWS_URLS : HUOBI_URLS }, options, (ws, base) => ({
    ...base,
    ws: `${ws}${HUOBI_WS_PATHS.market}`,
    feed: `${ws}${HUOBI_WS_PATHS.feed}`,
    accountWs: `${ws}${HUOBI_WS_PATHS.account}`,
  }));
}

/**
 * Huobi Global (HTX) spot. Orders carry our client order id, are cancelled by it
 * (`submitCancelClientOrder`) and looked up by it (`getClientOrder`), including
 * one whose placement timed out. Market buys are sized in quote by Huobi's rule:
 * the base amount asked for is priced at the book's current ask depth. Everything
 * else — state, events, polling — is core's `MarketBase`.
 */
export class HuobiMarket extends MarketBase<unknown> {
  readonly name = HUOBI_EXCHANGE;
  readonly capabilities = HUOBI_CAPABILITIES;
  /** The raw REST client (one method per endpoint). */
  readonly api: HuobiApiClient;
  readonly urls: HuobiUrls;
  protected override readonly clientOrderIds = HUOBI_CLIENT_ORDER_IDS;

  private stream: HuobiMarketStream | undefined;
  private accountIdPromise: Promise<string> | undefined;

  constructor(options: HuobiMarketOptions) {
    // The options are not kept: only the signer holds the key and secret (nothing here can print them).
    super(options);
    this.urls = resolveHuobiUrls(options);
    this.api = new HuobiApiClient({
      restUrl: this.urls.rest,
      accountWsUrl: this.urls.accountWs,
      credentials: options,
      timeoutMs: options.requestTimeoutMs,
    });
  }

  override async start(): Promise<void> {
    // The symbol map must know every pair before the first frame is routed.
    await this.api.referenceData();
    if (this.api.hasCredentials) await this.api.syncTime();
    await super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.stream?.close();
    this.stream = undefined;
  }

  /** The spot account's id (looked up once among the user's accounts). */
  accountId(): Promise<string> {
    this.accountIdPromise ??= this.api.send(buildAccountsRequest(), HUOBI_COSTS.account).then(
      (body) => parseSpotAccountId(body),
      (e: unknown) => {
        this.accountIdPromise = undefined;
        throw e;
      },
    );
    return this.accountIdPromise;
  }

  async fetchOpenOrders(tradingPair?: string): Promise<OpenOrder[]> {
    const accountId = await this.accountId();
    const symbol = tradingPair === undefined ? undefined : this.api.symbols.toSymbol(tradingPair);
    const body = await this.api.send(buildOpenOrdersRequest(accountId, symbol), HUOBI_COSTS.openOrders);
    return parseOpenOrders(body, this.api.symbols);
  }

  protected async fetchTradingRules(): Promise<TradingRulesResult> {
    const { rules, skipped } = await this.api.referenceData();
    return { rules, skipped };
  }

  protected async fetchBalances(): Promise<BalanceUpdate[]> {
    if (!this.api.hasCredentials) return [];
    const accountId = await this.accountId();
    return parseBalances(
      await this.api.send(buildBalanceRequest(accountId), HUOBI_COSTS.account),
      this.now(),
    );
  }

  protected async sendOrder(order: InFlightOrder): Promise<PlaceOrderResult> {
    const accountId = await this.accountId();
    const amount =
      order.orderType === 'market' && order.side === 'buy' ? this.marketBuyQuote(order) : order.amount;
    const body = await this.api.send(
      buildPlaceOrderRequest({
        accountId,
        symbol: this.api.symbols.toSymbol(order.tradingPair),
        side: order.side,
        orderType: order.orderType,
        amount,
        price: order.orderType === 'market' ? undefined : order.price,
        clientOrderId: order.clientOrderId,
      }),
      HUOBI_COSTS.place,
    );
    return { exchangeOrderId: parsePlaceOrderAnswer(body) };
  }

  protected async sendCancel(order: InFlightOrder): Promise<OrderUpdate | undefined> {
    let body: unknown;
    try {
      body = await this.api.send(buildCancelByClientOrderIdRequest(order.clientOrderId), HUOBI_COSTS.cancel);
    } catch (e) {
      // Already final (filled or cancelled): the stream or the next poll says which.
      if (e instanceof HbError && e.exchangeCode === 'order-orderstate-error') return undefined;
      throw e;
    }
    if (parseCancelByClientOrderIdAnswer(body) === 'not_found')
      throw new HbError('order_not_found', `${HUOBI_EXCHANGE}: no order ${order.clientOrderId} to cancel`, {
        exchange: HUOBI_EXCHANGE,
        exchangeCode: 0,
      });
    // Only a submission: the `cancellation` push (or a poll) settles the order,
    // with any fill that raced the cancel counted first.
    return undefined;
  }

  protected async fetchOrderStatus(order: InFlightOrder): Promise<OrderUpdate> {
    const body = await this.api.send(
      buildOrderByClientOrderIdRequest(order.clientOrderId),
      HUOBI_COSTS.orderQuery,
    );
    return parseOrderAnswer(body, this.api.symbols);
  }

  protected fetchOrderTrades(order: InFlightOrder): Promise<TradeUpdate[]> {
    // Match results are listed by exchange order id and carry no client order id.
    return this.tradesByExchangeOrderId(order, async (exchangeOrderId) =>
      parseMatchResults(
        await this.api.send(buildMatchResultsRequest(exchangeOrderId), HUOBI_COSTS.orderQuery),
        this.api.symbols,
      ),
    );
  }

  protected createOrderBookTracker(): HuobiOrderBookTracker {
    return new HuobiOrderBookTracker(
      new HuobiOrderBookDataSource(this.api, this.sharedStream()),
      this.tradingPairs,
      { silenceTimeoutMs: this.liveness.bookSilenceTimeoutMs },
    );
  }

  protected createUserStreamTracker(): HuobiUserStreamTracker | undefined {
    const auth = this.api.signer;
    if (!auth) return undefined;
    return new HuobiUserStreamTracker(
      new HuobiUserStreamDataSource({
        url: this.urls.accountWs,
        auth,
        ...this.socketTiming(),
      }),
    );
  }

  protected parseUserStreamEvent(frame: unknown): UserStreamUpdate[] {
    return parseAccountStreamPush(frame, this.api.symbols);
  }

  /**
   * A market buy's `amount` is the quote to spend: the base amount asked for,
   * priced through the current asks (its limit price when one was given),
   * rounded down to the pair's value precision.
   */
  private marketBuyQuote(order: InFlightOrder): BigNumber {
    let price = order.price;
    if (!price.isFinite() || !price.gt(0)) {
      const book = this.getOrderBook(order.tradingPair);
      const p = book.getPriceForVolume(true, order.amount.toNumber()).price;
      if (!Number.isFinite(p) || !(p > 0))
        throw new HbError(
          'invalid_order',
          `${HUOBI_EXCHANGE}: no ask to price a market buy of ${order.tradingPair}`,
          {
            exchange: HUOBI_EXCHANGE,
            retryable: false,
          },
        );
      price = new BigNumber(p);
    }
    const step = this.tradingRules.get(order.tradingPair)?.minQuoteAmountIncrement;
    const quote = order.amount.times(price);
    return step !== undefined && step.gt(0) ? quote.dividedToIntegerBy(step).times(step) : quote;
  }

  private sharedStream(): HuobiMarketStream {
    if (this.stream === undefined) {
      const stream = new HuobiMarketStream({
        wsUrl: this.urls.ws,
        feedUrl: this.urls.feed,
        symbols: () => this.api.symbols,
        ...this.socketTiming(),
      });
      // Refused market-data frames are reported; the feed re-syncs their book on its own.
      stream.errors$.subscribe((e) => {
        if (e instanceof ProtocolError && this.stream === stream) this.reportProtocolError(e);
      });
      this.stream = stream;
    }
    return this.stream;
  }
}
