// The raw Bittrex v3 REST client: one method per endpoint we use, returning
// decoded JSON (and the `Sequence` header where the stream sync needs it) for
// the domain code to parse. Core's RestClient does the sending, the limiter,
// the retries and the clock-skew retry; BittrexAuth signs.
import { RateLimiter, RestClient, ServerTimeSync, readHeader, type RateLimitRule } from '@hb/core';
import { BittrexAuth } from './bittrex-auth.js';
import {
  BITTREX_COSTS,
  BITTREX_EXCHANGE,
  BITTREX_HEADERS,
  BITTREX_PATHS,
  BITTREX_RATE_LIMITS,
  type BittrexBookDepth,
} from './bittrex-constants.js';
import { classifyBittrexError } from './bittrex-errors.js';
import type { BittrexNewOrderBody } from './bittrex-in-flight-order.js';
import { asObject, readNumber } from './bittrex-utils.js';

/** How a {@link BittrexApiClient} is built. */
export interface BittrexApiClientOptions {
  /** REST base including `/v3`. */
  readonly restUrl: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  readonly subaccountId?: string;
  /** Request timeout, ms. */
  readonly timeoutMs?: number;
  /** Client-side limits; default the documented 60 calls a minute. */
  readonly rateLimits?: readonly RateLimitRule[];
}

/** A body and the `Sequence` header that came with it. */
export interface Sequenced<T = unknown> {
  readonly body: T;
  readonly sequence: string | undefined;
}

/** Closed orders fetched per page when looking an order up by client id (the maximum). */
const CLOSED_PAGE_SIZE = 200;

/** Raw Bittrex v3 REST. */
export class BittrexApiClient {
  /** The exchange's clock, as estimated from `GET /ping`. */
  readonly serverTime = new ServerTimeSync({ samples: 3 });
  readonly rateLimiter: RateLimiter;
  private readonly rest: RestClient;
  private readonly auth: BittrexAuth | undefined;

  constructor(options: BittrexApiClientOptions) {
    const restUrl = options.restUrl.replace(/\/+$/, '');
    this.auth =
      options.apiKey && options.apiSecret
        ? new BittrexAuth({
            apiKey: options.apiKey,
            apiSecret: options.apiSecret,
            subaccountId: options.subaccountId,
            restUrl,
            serverTime: () => this.serverTime.now(),
          })
        : undefined;
    this.rateLimiter = new RateLimiter(options.rateLimits ?? BITTREX_RATE_LIMITS);
    this.rest = new RestClient({
      baseUrl: restUrl,
      exchange: BITTREX_EXCHANGE,
      auth: this.auth,
      rateLimiter: this.rateLimiter,
      defaultCosts: BITTREX_COSTS,
      timeoutMs: options.timeoutMs ?? 10_000,
      classifyError: (status, body, headers) => classifyBittrexError(status, body, headers),
      clockSkew: {
        // A stale Api-Timestamp is refused before anything executes.
        isClockSkew: (e) => e.reason === 'authentication' && e.retryable,
        resync: () => this.syncTime(),
      },
    });
  }

  /** Whether key and secret were given. */
  get hasCredentials(): boolean {
    return this.auth !== undefined;
  }

  /** The signer, for the socket's `Authenticate`. */
  get signer(): BittrexAuth | undefined {
    return this.auth;
  }

  /** Measures the server-time offset from `GET /ping`. */
  syncTime(): Promise<void> {
    return this.serverTime.sync(() => this.ping());
  }

  /** `GET /ping` -> server ms. */
  async ping(): Promise<number> {
    const body = await this.rest.request({ method: 'GET', path: BITTREX_PATHS.ping });
    return readNumber(asObject(body, 'ping'), 'serverTime', 'ping');
  }

  /** `GET /markets`. */
  markets(): Promise<unknown> {
    return this.rest.request({ method: 'GET', path: BITTREX_PATHS.markets });
  }

  /** `GET /markets/{m}/orderbook?depth=` with its `Sequence` header. */
  orderBook(marketSymbol: string, depth: BittrexBookDepth): Promise<Sequenced> {
    return this.rest.request({
      method: 'GET',
      path: BITTREX_PATHS.orderBook(marketSymbol),
      query: [['depth', String(depth)]],
      parse: (body, headers) => ({ body, sequence: readHeader(headers, BITTREX_HEADERS.sequence) }),
    });
  }

  /** `GET /markets/{m}/trades`. */
  trades(marketSymbol: string): Promise<unknown> {
    return this.rest.request({ method: 'GET', path: BITTREX_PATHS.trades(marketSymbol) });
  }

  /** `GET /balances` with its `Sequence` header. */
  balances(): Promise<Sequenced> {
    return this.rest.request({
      method: 'GET',
      path: BITTREX_PATHS.balances,
      signed: true,
      parse: (body, headers) => ({ body, sequence: readHeader(headers, BITTREX_HEADERS.sequence) }),
    });
  }

  /** `GET /orders/open[?marketSymbol=]`. */
  openOrders(marketSymbol?: string): Promise<unknown> {
    return this.rest.request({
      method: 'GET',
      path: BITTREX_PATHS.openOrders,
      query: marketSymbol === undefined ? [] : [['marketSymbol', marketSymbol]],
      signed: true,
    });
  }

  /** `GET /orders/closed?marketSymbol=&pageSize=`. */
  closedOrders(marketSymbol: string, pageSize = CLOSED_PAGE_SIZE): Promise<unknown> {
    return this.rest.request({
      method: 'GET',
      path: BITTREX_PATHS.closedOrders,
      query: [
        ['marketSymbol', marketSymbol],
        ['pageSize', String(pageSize)],
      ],
      signed: true,
    });
  }

  /** `GET /orders/{id}`. */
  order(orderId: string): Promise<unknown> {
    return this.rest.request({ method: 'GET', path: BITTREX_PATHS.order(orderId), signed: true });
  }

  /** `GET /orders/{id}/executions`. */
  orderExecutions(orderId: string): Promise<unknown> {
    return this.rest.request({ method: 'GET', path: BITTREX_PATHS.orderExecutions(orderId), signed: true });
  }

  /** `POST /orders`: never retried (the client order id makes a resend safe, but core decides). */
  newOrder(body: BittrexNewOrderBody): Promise<unknown> {
    return this.rest.request({
      method: 'POST',
      path: BITTREX_PATHS.orders,
      body: JSON.stringify(body),
      contentType: 'application/json',
      signed: true,
      idempotent: false,
    });
  }

  /** `DELETE /orders/{id}`. */
  cancelOrder(orderId: string): Promise<unknown> {
    return this.rest.request({
      method: 'DELETE',
      path: BITTREX_PATHS.order(orderId),
      signed: true,
      idempotent: false,
    });
  }

  /** `DELETE /orders/open?marketSymbol=`: every open order of the market. */
  cancelOpenOrders(marketSymbol: string): Promise<unknown> {
    return this.rest.request({
      method: 'DELETE',
      path: BITTREX_PATHS.openOrders,
      query: [['marketSymbol', marketSymbol]],
      signed: true,
      idempotent: false,
    });
  }

  /** `GET /account/fees/trading`. */
  tradingFees(): Promise<unknown> {
    return this.rest.request({ method: 'GET', path: BITTREX_PATHS.tradingFees, signed: true });
  }
}
