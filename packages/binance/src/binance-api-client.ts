import {
  credentialsFromFields,
  ExchangeApiClient,
  type CredentialFields,
  type Credentials,
  type ExchangeApiClientOptions,
  type RateCosts,
} from '@hb/core/connector';
import { BinanceAuth } from './binance-auth.js';
import {
  BINANCE_EXCHANGE,
  BINANCE_PATHS,
  BINANCE_RATE_LIMITS,
  BINANCE_WEIGHTS,
  depthWeight,
} from './binance-constants.js';
import { classifyBinanceError } from './binance-errors.js';

/** How a {@link BinanceApiClient} is built. */
export interface BinanceApiClientOptions extends Omit<ExchangeApiClientOptions, 'credentials'> {
  /** `apiKey` and `apiSecret`; public endpoints work without. */
  readonly credentials?: Credentials | CredentialFields;
  /** `recvWindow` sent with signed requests. */
  readonly recvWindowMs?: number;
}

/** Weight-only costs of a call. */
function weight(w: number): RateCosts {
  return { REQUEST_WEIGHT: w };
}

/** An order placement also counts against the ORDERS limits. */
const ORDER_COSTS: RateCosts = { REQUEST_WEIGHT: BINANCE_WEIGHTS.orderPlace, ORDERS: 1 };

/**
 * The raw Binance spot REST client: one method per endpoint we use, returning
 * the decoded JSON for the domain code to parse. It owns the weight limiter
 * (fed by `X-MBX-USED-WEIGHT-1M`), the server-time offset that signed requests
 * are stamped with, and the -1021 re-sync-and-retry-once rule.
 */
export class BinanceApiClient extends ExchangeApiClient<BinanceAuth> {
  constructor(options: BinanceApiClientOptions) {
    super(
      {
        exchange: BINANCE_EXCHANGE,
        rateLimits: BINANCE_RATE_LIMITS.map((l) => ({
          id: l.rateLimitType,
          limit: l.limit,
          intervalMs: l.intervalMs,
          kind: 'fixed_window' as const,
        })),
        defaultCosts: weight(1),
        classifyError: classifyBinanceError,
        usageHeaders: { 'x-mbx-used-weight-1m': 'REQUEST_WEIGHT' },
        isClockSkew: (e) => e.exchangeCode === -1021 || e.exchangeCode === '-1021',
        createAuth: (credentials, serverTime) =>
          new BinanceAuth({ credentials, serverTime, recvWindowMs: options.recvWindowMs }),
      },
      { ...options, credentials: credentialsFromFields(BINANCE_EXCHANGE, options.credentials) },
    );
  }

  /** `GET /api/v3/time` -> server ms. */
  async time(): Promise<number> {
    const body = await this.get(BINANCE_PATHS.time, [], weight(BINANCE_WEIGHTS.time));
    const t = (body as { serverTime?: unknown }).serverTime;
    if (typeof t !== 'number') throw new TypeError('binance: /api/v3/time without serverTime');
    return t;
  }

  /** `GET /api/v3/exchangeInfo`. */
  exchangeInfo(): Promise<unknown> {
    return this.get(BINANCE_PATHS.exchangeInfo, [], weight(BINANCE_WEIGHTS.exchangeInfo));
  }

  /** `GET /api/v3/depth` (weight by limit). */
  depth(symbol: string, limit: number): Promise<unknown> {
    return this.get(
      BINANCE_PATHS.depth,
      [
        ['symbol', symbol],
        ['limit', String(limit)],
      ],
      weight(depthWeight(limit)),
    );
  }

  /** `GET /api/v3/trades`. */
  trades(symbol: string, limit = 500): Promise<unknown> {
    return this.get(
      BINANCE_PATHS.trades,
      [
        ['symbol', symbol],
        ['limit', String(limit)],
      ],
      weight(BINANCE_WEIGHTS.trades),
    );
  }

  /** `POST /api/v3/order` with params from `buildNewOrderParams` (binance-order-requests.ts); never resent automatically. */
  newOrder(params: readonly [string, string][]): Promise<unknown> {
    return this.request({
      method: 'POST',
      path: BINANCE_PATHS.order,
      query: params,
      signed: true,
      costs: ORDER_COSTS,
    });
  }

  /** `DELETE /api/v3/order`. */
  cancelOrder(params: readonly [string, string][]): Promise<unknown> {
    return this.request({
      method: 'DELETE',
      path: BINANCE_PATHS.order,
      query: params,
      signed: true,
      costs: weight(BINANCE_WEIGHTS.orderCancel),
    });
  }

  /** `GET /api/v3/order`. */
  queryOrder(params: readonly [string, string][]): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: BINANCE_PATHS.order,
      query: params,
      signed: true,
      costs: weight(BINANCE_WEIGHTS.orderQuery),
    });
  }

  /** `GET /api/v3/openOrders` (one symbol, or all at a higher weight). */
  openOrders(symbol?: string): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: BINANCE_PATHS.openOrders,
      query: symbol ? [['symbol', symbol]] : [],
      signed: true,
      costs: weight(symbol ? BINANCE_WEIGHTS.openOrdersOneSymbol : BINANCE_WEIGHTS.openOrdersAllSymbols),
    });
  }

  /** `DELETE /api/v3/openOrders` for one symbol. */
  cancelOpenOrders(symbol: string): Promise<unknown> {
    return this.request({
      method: 'DELETE',
      path: BINANCE_PATHS.openOrders,
      query: [['symbol', symbol]],
      signed: true,
      costs: weight(BINANCE_WEIGHTS.orderCancel),
    });
  }

  /** `GET /api/v3/account` without zero balances. */
  account(): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: BINANCE_PATHS.account,
      query: [['omitZeroBalances', 'true']],
      signed: true,
      costs: weight(BINANCE_WEIGHTS.account),
    });
  }

  /** `GET /api/v3/myTrades` of one order. */
  myTrades(symbol: string, orderId: string): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: BINANCE_PATHS.myTrades,
      query: [
        ['symbol', symbol],
        ['orderId', orderId],
      ],
      signed: true,
      costs: weight(BINANCE_WEIGHTS.myTradesByOrderId),
    });
  }

  /** `GET /api/v3/ticker/24hr` for one symbol. */
  ticker24hr(symbol: string): Promise<unknown> {
    return this.get(BINANCE_PATHS.ticker24hr, [['symbol', symbol]], weight(BINANCE_WEIGHTS.ticker24hr));
  }

  /** `GET /api/v3/klines` (default 500 rows, at most 1000). */
  klines(
    symbol: string,
    interval: string,
    options: { startTime?: number; limit?: number } = {},
  ): Promise<unknown> {
    const query: [string, string][] = [
      ['symbol', symbol],
      ['interval', interval],
    ];
    if (options.startTime !== undefined) query.push(['startTime', String(options.startTime)]);
    if (options.limit !== undefined) query.push(['limit', String(options.limit)]);
    return this.get(BINANCE_PATHS.klines, query, weight(BINANCE_WEIGHTS.klines));
  }

  /** `GET /api/v3/myTrades` of a symbol (all orders), from `startTime` when given. */
  accountTrades(symbol: string, options: { startTime?: number; limit?: number } = {}): Promise<unknown> {
    const query: [string, string][] = [['symbol', symbol]];
    if (options.startTime !== undefined) query.push(['startTime', String(options.startTime)]);
    if (options.limit !== undefined) query.push(['limit', String(options.limit)]);
    return this.request({
      method: 'GET',
      path: BINANCE_PATHS.myTrades,
      query,
      signed: true,
      costs: weight(BINANCE_WEIGHTS.myTrades),
    });
  }

  private get(path: string, query: [string, string][], costs: RateCosts): Promise<unknown> {
    return this.request({ method: 'GET', path, query, costs });
  }
}
