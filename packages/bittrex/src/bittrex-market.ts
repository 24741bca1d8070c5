import BigNumber from 'bignumber.js';
import {
  HbError,
  ProtocolError,
  MarketBase,
  type SymbolMap,
  credentialsFromFields,
  resolveEndpoints,
  trimBaseUrl,
  uuidClientOrderIds,
  type ConnectorMarketOptions,
  type Credentials,
  type EndpointChoice,
  type BalanceUpdate,
  type ConnectorCapabilities,
  type InFlightOrder,
  type OpenOrder,
  type OrderUpdate,
  type PlaceOrderResult,
  type PublicTrade,
  type RateLimitRule,
  type TradeUpdate,
  type TradingRulesResult,
  type UserStreamUpdate,
} from '@hb/core/connector';
import { BittrexApiClient } from './bittrex-api-client.js';
import {
  BITTREX_DEFAULT_DEPTH,
  BITTREX_EXCHANGE,
  BITTREX_REST_PREFIX,
  BITTREX_SIGNALR_PATH,
  BITTREX_URLS,
  type BittrexBookDepth,
  type BittrexUrls,
} from './bittrex-constants.js';
import {
  parseBalance,
  parseBalances,
  parseExecution,
  parseExecutions,
  parseOrder,
  parseOrders,
  toOpenOrder,
  toOrderUpdate,
  type BittrexOrder,
} from './bittrex-order-parsers.js';
import { buildNewOrderBody, type NewOrderInput } from './bittrex-order-requests.js';
import { BittrexMarketStream } from './bittrex-market-stream.js';
import { parseRecentTrades } from './bittrex-order-book.js';
import { BittrexOrderBookDataSource } from './bittrex-order-book-data-source.js';
import { BittrexOrderBookTracker } from './bittrex-order-book-tracker.js';
import {
  parseMarkets,
  symbolMapOf,
  tradingRulesOf,
  type BittrexMarketList,
} from './bittrex-trading-rules.js';
import { BittrexUserStreamDataSource, type BittrexUserEvent } from './bittrex-user-stream-data-source.js';
import { BittrexUserStreamTracker } from './bittrex-user-stream-tracker.js';
import { asArray, asObject, readString, readUnsigned } from './bittrex-utils.js';

/** What the Bittrex connector supports. */
export const BITTREX_CAPABILITIES: ConnectorCapabilities = {
  orderTypes: ['limit', 'limit_maker', 'market'],
  orderBook: 'l2',
  sequencedBook: true,
  userStream: true,
  // DELETE /orders/open would also cancel orders hb did not place.
  cancelAll: 'emulated',
  // No lookup endpoint by client id, but open and closed orders carry it: we search them.
  lookupByClientOrderId: true,
  reportsFillFees: true,
  // GET /markets/{m}/trades. A ticker needs the 24 h summary and own trades the order's
  // direction, neither of which the simulator serves yet.
  marketData: ['recentTrades'],
};

/** How a {@link BittrexMarket} is built. */
export interface BittrexMarketOptions extends ConnectorMarketOptions {
  /**
   * Keys (`apiKey`/`apiSecret`, or core `Credentials`) for orders, balances and
   * the private streams; public data works without.
   */
  readonly credentials?: Credentials;
  /** Partner subaccount (`Api-Subaccount-Id`). */
  readonly subaccountId?: string;
  /** Book depth: 25 (default) or 500. */
  readonly depth?: BittrexBookDepth;
  /** Time in force of `limit` orders (GTC by default; IOC or FOK on request). */
  readonly limitTimeInForce?: NewOrderInput['limitTimeInForce'];
  /** Client-side REST limits; default the documented 60 calls a minute. */
  readonly rateLimits?: readonly RateLimitRule[];
  /** A socket silent this long is reopened. Default 20 s (negotiate's KeepAliveTimeout). */
  readonly keepAliveTimeoutMs?: number;
}

/**
 * The URLs a market talks to, after overrides (scheme, host, port): `restUrl`
 * serves `<restUrl>/v3`, `wsUrl` the SignalR endpoint `<wsUrl>/signalr`. With
 * only `restUrl`, SignalR is looked for on the same host: one URL serves both.
 * Bittrex never had a sandbox.
 */
export function resolveBittrexUrls(options: EndpointChoice): BittrexUrls {
  const rest = options.restUrl === undefined ? undefined : trimBaseUrl(options.restUrl);
  const ws = options.wsUrl ?? rest;
  return resolveEndpoints<BittrexUrls>(
    { production: BITTREX_URLS },
    {
      sandbox: options.sandbox,
      restUrl: rest === undefined ? undefined : `${rest}${BITTREX_REST_PREFIX}`,
      wsUrl: ws,
    },
    (wsUrl, base) => ({ ...base, signalr: `${wsUrl}${BITTREX_SIGNALR_PATH}` }),
  );
}

interface BittrexContext {
  /** `/markets` as read, the entries it could not read included. */
  readonly markets: BittrexMarketList;
  readonly symbols: SymbolMap;
  readonly stream: BittrexMarketStream;
}

/** Bittrex's documented entry fee (maker = taker = 0.35 %), until the account's own are fetched. */
const DEFAULT_FEES = { maker: '0.0035', taker: '0.0035' };

/**
 * Bittrex v3. Orders carry our UUID as `clientOrderId` (Bittrex's idempotency
 * key); an order whose placement timed out is found again among the open and
 * closed orders by that id. Everything else — state, events, polling — is
 * core's `MarketBase`.
 */
export class BittrexMarket extends MarketBase<BittrexUserEvent> {
  readonly name = BITTREX_EXCHANGE;
  readonly capabilities = BITTREX_CAPABILITIES;
  /** The raw REST client (one method per endpoint). */
  readonly api: BittrexApiClient;
  readonly urls: BittrexUrls;

  /** The options without the keys: only the signer holds those (nothing here can print them). */
  private readonly bittrexOptions: Omit<BittrexMarketOptions, 'apiKey' | 'apiSecret' | 'credentials'>;
  private contextPromise: Promise<BittrexContext> | undefined;
  private stream: BittrexMarketStream | undefined;
  private readonly accountFees = new Map<string, { maker: BigNumber; taker: BigNumber }>();
  /**
   * Executions that arrived before the POST answer told us their order's id
   * (they carry only the exchange order id): handed over with the placement
   * result instead of being dropped as unknown.
   */
  private readonly earlyExecutions = new Map<string, TradeUpdate[]>();

  /** Bittrex wants a UUID as `clientOrderId`; it is also the idempotency key for 24 h. */
  protected override readonly clientOrderIds = uuidClientOrderIds(BITTREX_EXCHANGE);

  constructor(options: BittrexMarketOptions) {
    super({ defaultFees: DEFAULT_FEES, ...options });
    const { apiKey: _apiKey, apiSecret: _apiSecret, credentials: _credentials, ...safe } = options;
    this.bittrexOptions = safe;
    this.urls = resolveBittrexUrls(options);
    this.api = new BittrexApiClient({
      restUrl: this.urls.rest,
      credentials: options.credentials ?? credentialsFromFields(BITTREX_EXCHANGE, options),
      subaccountId: options.subaccountId,
      timeoutMs: options.requestTimeoutMs,
      rateLimits: options.rateLimits,
    });
  }

  override async start(): Promise<void> {
    await this.context();
    if (this.api.hasCredentials) {
      await this.api.syncTime();
      await this.loadFees().catch(() => undefined); // entry fees remain the estimate
    }
    await super.start();
  }

  override async stop(): Promise<void> {
    await super.stop();
    await this.stream?.close();
    this.stream = undefined;
    this.contextPromise = undefined;
  }

  async fetchOpenOrders(tradingPair?: string): Promise<OpenOrder[]> {
    const { symbols } = await this.context();
    const raw = await this.api.openOrders(
      tradingPair === undefined ? undefined : symbols.toSymbol(tradingPair),
    );
    return parseOrders(raw).map(toOpenOrder);
  }

  protected override feeRates(tradingPair: string): { maker: BigNumber; taker: BigNumber } {
    return this.accountFees.get(tradingPair) ?? super.feeRates(tradingPair);
  }

  protected override async fetchRecentTrades(
    tradingPair: string,
    limit: number | undefined,
  ): Promise<PublicTrade[]> {
    const { symbols } = await this.context();
    const trades = parseRecentTrades(await this.api.trades(symbols.toSymbol(tradingPair)), tradingPair);
    // Bittrex takes no limit: the newest `limit` of what it sent.
    return limit === undefined ? trades : trades.slice(Math.max(0, trades.length - limit));
  }

  protected async fetchTradingRules(): Promise<TradingRulesResult> {
    return tradingRulesOf((await this.context()).markets);
  }

  protected async fetchBalances(): Promise<BalanceUpdate[]> {
    if (!this.api.hasCredentials) return [];
    return parseBalances((await this.api.balances()).body);
  }

  protected async sendOrder(order: InFlightOrder): Promise<PlaceOrderResult> {
    const { symbols } = await this.context();
    const body = buildNewOrderBody({
      tradingPair: symbols.toSymbol(order.tradingPair),
      side: order.side,
      orderType: order.orderType,
      amount: order.amount,
      price: order.orderType === 'market' ? undefined : order.price,
      clientOrderId: order.clientOrderId,
      limitTimeInForce: this.bittrexOptions.limitTimeInForce,
    });
    const placed = parseOrder(await this.api.newOrder(body), 'new order answer');
    const update = toOrderUpdate(placed);
    let trades: TradeUpdate[] = (this.earlyExecutions.get(placed.id) ?? []).map((t) => ({
      ...t,
      clientOrderId: order.clientOrderId,
    }));
    this.earlyExecutions.delete(placed.id);
    const known = trades.reduce((sum, t) => sum.plus(t.fillBaseAmount), new BigNumber(0));
    if (placed.fillQuantity.gt(known)) {
      // Filled on arrival (a market or crossing order): its fills now, not at the next poll.
      trades = parseExecutions(await this.api.orderExecutions(placed.id), order.clientOrderId);
    }
    return { exchangeOrderId: placed.id, timestamp: placed.createdAt, update, trades };
  }

  protected async sendCancel(order: InFlightOrder): Promise<OrderUpdate | undefined> {
    const id = order.exchangeOrderId ?? (await this.findByClientOrderId(order)).id;
    return toOrderUpdate(parseOrder(await this.api.cancelOrder(id), 'cancel answer'));
  }

  protected async fetchOrderStatus(order: InFlightOrder): Promise<OrderUpdate> {
    if (order.exchangeOrderId !== undefined)
      return toOrderUpdate(parseOrder(await this.api.order(order.exchangeOrderId)));
    return toOrderUpdate(await this.findByClientOrderId(order));
  }

  protected async fetchOrderTrades(order: InFlightOrder): Promise<TradeUpdate[]> {
    const id = order.exchangeOrderId ?? (await this.findByClientOrderId(order)).id;
    return parseExecutions(await this.api.orderExecutions(id), order.clientOrderId);
  }

  protected createOrderBookTracker(): BittrexOrderBookTracker {
    const dataSource = new BittrexOrderBookDataSource({
      api: this.api,
      context: () => this.context(),
      depth: this.bittrexOptions.depth ?? BITTREX_DEFAULT_DEPTH,
    });
    return new BittrexOrderBookTracker(dataSource, this.tradingPairs);
  }

  protected createUserStreamTracker(): BittrexUserStreamTracker | undefined {
    const auth = this.api.signer;
    if (!auth) return undefined;
    return new BittrexUserStreamTracker(
      new BittrexUserStreamDataSource({
        signalrUrl: this.urls.signalr,
        auth,
        snapshots: {
          balances: () => this.api.balances(),
          openOrders: () => this.api.openOrdersSequenced(),
          executionSequence: () => this.api.executionSequence(),
        },
        keepAliveTimeoutMs: this.bittrexOptions.keepAliveTimeoutMs,
        reconnectMinDelayMs: this.bittrexOptions.reconnectMinDelayMs,
        reconnectMaxDelayMs: this.bittrexOptions.reconnectMaxDelayMs,
      }),
      this.bittrexOptions.userStreamSilenceMs === undefined
        ? undefined
        : Math.max(this.bittrexOptions.userStreamSilenceMs * 5, 10_000),
    );
  }

  protected parseUserStreamEvent(e: BittrexUserEvent): UserStreamUpdate[] {
    if (e.channel === 'heartbeat') return [];
    const o = asObject(e.payload, e.channel);
    switch (e.channel) {
      case 'order':
        return [{ kind: 'order', update: toOrderUpdate(parseOrder(o['delta'], 'order delta')) }];
      case 'balance':
        return [{ kind: 'balance', update: parseBalance(o['delta'], 'balance delta') }];
      case 'execution': {
        const out: UserStreamUpdate[] = [];
        asArray(o['deltas'], 'execution deltas').forEach((d, i) => {
          const fill = parseExecution(d, `execution deltas[${i}]`);
          if (this.isPlacing(fill.exchangeOrderId)) this.stashEarly(fill);
          else out.push({ kind: 'trade', update: fill });
        });
        return out;
      }
    }
  }

  /** True when no tracked order has this exchange id yet but one of ours is still being placed. */
  private isPlacing(exchangeOrderId: string | undefined): boolean {
    const orders = this.activeOrders;
    if (orders.some((o) => o.exchangeOrderId === exchangeOrderId)) return false;
    return orders.some((o) => o.state === 'PENDING_CREATE');
  }

  private stashEarly(fill: TradeUpdate): void {
    const id = fill.exchangeOrderId ?? '';
    const list = this.earlyExecutions.get(id) ?? [];
    list.push(fill);
    this.earlyExecutions.set(id, list);
    // Executions of orders that are not ours-in-flight must not pile up.
    if (this.earlyExecutions.size > 100) {
      const oldest = this.earlyExecutions.keys().next().value;
      if (oldest !== undefined) this.earlyExecutions.delete(oldest);
    }
  }

  /**
   * Bittrex has no lookup by client order id: search the pair's open orders,
   * then its most recent closed ones. Absent from both = not found (which core
   * counts, never trusting a single answer).
   */
  private async findByClientOrderId(order: InFlightOrder): Promise<BittrexOrder> {
    const open = parseOrders(await this.api.openOrders(order.tradingPair));
    const hit = open.find((o) => o.clientOrderId === order.clientOrderId);
    if (hit) return hit;
    const closed = parseOrders(await this.api.closedOrders(order.tradingPair));
    const done = closed.find((o) => o.clientOrderId === order.clientOrderId);
    if (done) return done;
    throw new HbError(
      'order_not_found',
      `${BITTREX_EXCHANGE}: no order with client id ${order.clientOrderId}`,
      {
        exchange: BITTREX_EXCHANGE,
      },
    );
  }

  private async loadFees(): Promise<void> {
    const rows = asArray(await this.api.tradingFees(), 'trading fees');
    for (const [i, row] of rows.entries()) {
      const o = asObject(row, `trading fees[${i}]`);
      this.accountFees.set(readString(o, 'marketSymbol', 'trading fee'), {
        maker: new BigNumber(readUnsigned(o, 'makerRate', 'trading fee')),
        taker: new BigNumber(readUnsigned(o, 'takerRate', 'trading fee')),
      });
    }
  }

  /** `/markets`, the symbols and the shared public socket: loaded once, retried after a failure. */
  private context(): Promise<BittrexContext> {
    if (!this.contextPromise) {
      this.contextPromise = this.api.markets().then(
        (raw) => {
          const markets = parseMarkets(raw);
          const symbols = symbolMapOf(markets);
          if (this.stream === undefined) {
            const stream = new BittrexMarketStream({
              signalrUrl: this.urls.signalr,
              depth: this.bittrexOptions.depth ?? BITTREX_DEFAULT_DEPTH,
              keepAliveTimeoutMs: this.bittrexOptions.keepAliveTimeoutMs,
              reconnectMinDelayMs: this.bittrexOptions.reconnectMinDelayMs,
              reconnectMaxDelayMs: this.bittrexOptions.reconnectMaxDelayMs,
            });
            // Refused market-data frames are reported; the books re-sync on their own.
            stream.errors$.subscribe((e) => {
              if (e instanceof ProtocolError && this.stream === stream) this.reportProtocolError(e);
            });
            this.stream = stream;
          }
          return { markets, symbols, stream: this.stream };
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
