// The raw Bittrex v3 REST client: one method per endpoint we use, returning
// decoded JSON (and the `Sequence` header where the stream sync needs it) for
// the domain code to parse. Core's ExchangeApiClient does the sending, the limiter,
// the retries and the clock-skew retry; BittrexAuth signs.
import {
  ExchangeApiClient,
  readHeader,
  trimBaseUrl,
  type ExchangeApiClientOptions,
  type RateLimitRule,
} from '@hb/core/connector';
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
import type { BittrexNewOrderBody } from './bittrex-order-requests.js';
import { asObject, readNumber } from './bittrex-utils.js';

/** How a {@link BittrexApiClient} is built. */
export interface BittrexApiClientOptions extends ExchangeApiClientOptions {
  /** Partner subaccount (`Api-Subaccount-Id`). */
  readonly subaccountId?: string;
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

/**
 * Raw Bittrex v3 REST on core's `ExchangeApiClient` (limiter, server time,
 * clock-skew retry, the error table): one method per endpoint.
 */
export class BittrexApiClient extends ExchangeApiClient<BittrexAuth> {
  constructor(options: BittrexApiClientOptions) {
    const restUrl = trimBaseUrl(options.restUrl);
    super(
      {
        exchange: BITTREX_EXCHANGE,
        rateLimits: options.rateLimits ?? BITTREX_RATE_LIMITS,
        defaultCosts: BITTREX_COSTS,
        classifyError: classifyBittrexError,
        // A stale Api-Timestamp is refused before anything executes.
        isClockSkew: (e) => e.reason === 'authentication' && e.retryable,
        createAuth: (credentials, serverTime) =>
          new BittrexAuth(credentials, serverTime, { restUrl, subaccountId: options.subaccountId }),
      },
      { ...options, restUrl },
    );
  }

  /** Server time for the clock offset. */
  time(): Promise<number> {
    return this.ping();
  }

  /** `GET /ping` -> server ms. */
  async ping(): Promise<number> {
    const body = await this.request({ method: 'GET', path: BITTREX_PATHS.ping });
    return readNumber(asObject(body, 'ping'), 'serverTime', 'ping');
  }

  /** `GET /markets`. */
  markets(): Promise<unknown> {
    return this.request({ method: 'GET', path: BITTREX_PATHS.markets });
  }

  /** `GET /markets/{m}/orderbook?depth=` with its `Sequence` header. */
  orderBook(marketSymbol: string, depth: BittrexBookDepth): Promise<Sequenced> {
    return this.request({
      method: 'GET',
      path: BITTREX_PATHS.orderBook(marketSymbol),
      query: [['depth', String(depth)]],
      parse: (body, headers) => ({ body, sequence: readHeader(headers, BITTREX_HEADERS.sequence) }),
    });
  }

  /** `GET /markets/{m}/trades`. */
  trades(marketSymbol: string): Promise<unknown> {
    return this.request({ method: 'GET', path: BITTREX_PATHS.trades(marketSymbol) });
  }

  /** `GET /balances` with its `Sequence` header. */
  balances(): Promise<Sequenced> {
    return this.request({
      method: 'GET',
      path: BITTREX_PATHS.balances,
      signed: true,
      parse: (body, headers) => ({ body, sequence: readHeader(headers, BITTREX_HEADERS.sequence) }),
    });
  }

  /** `GET /orders/open` (every market) with its `Sequence` header. */
  openOrdersSequenced(): Promise<Sequenced> {
    return this.request({
      method: 'GET',
      path: BITTREX_PATHS.openOrders,
      signed: true,
      parse: (body, headers) => ({ body, sequence: readHeader(headers, BITTREX_HEADERS.sequence) }),
    });
  }

  /** The `execution` sequence, from `GET /executions/last-id`'s `Sequence` header. */
  executionSequence(): Promise<string | undefined> {
    return this.request({
      method: 'GET',
      path: BITTREX_PATHS.executionsLastId,
      signed: true,
      parse: (_body, headers) => readHeader(headers, BITTREX_HEADERS.sequence),
    });
  }

  /** `GET /orders/open[?marketSymbol=]`. */
  openOrders(marketSymbol?: string): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: BITTREX_PATHS.openOrders,
      query: marketSymbol === undefined ? [] : [['marketSymbol', marketSymbol]],
      signed: true,
    });
  }

  /** `GET /orders/closed?marketSymbol=&pageSize=`. */
  closedOrders(marketSymbol: string, pageSize = CLOSED_PAGE_SIZE): Promise<unknown> {
    return this.request({
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
    return this.request({ method: 'GET', path: BITTREX_PATHS.order(orderId), signed: true });
  }

  /** `GET /orders/{id}/executions`. */
  orderExecutions(orderId: string): Promise<unknown> {
    return this.request({ method: 'GET', path: BITTREX_PATHS.orderExecutions(orderId), signed: true });
  }

  /** `POST /orders`: never retried (the client order id makes a resend safe, but core decides). */
  newOrder(body: BittrexNewOrderBody): Promise<unknown> {
    return this.request({
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
    return this.request({
      method: 'DELETE',
      path: BITTREX_PATHS.order(orderId),
      signed: true,
      idempotent: false,
    });
  }

  /** `DELETE /orders/open?marketSymbol=`: every open order of the market. */
  cancelOpenOrders(marketSymbol: string): Promise<unknown> {
    return this.request({
      method: 'DELETE',
      path: BITTREX_PATHS.openOrders,
      query: [['marketSymbol', marketSymbol]],
      signed: true,
      idempotent: false,
    });
  }

  /** `GET /account/fees/trading`. */
  tradingFees(): Promise<unknown> {
    return this.request({ method: 'GET', path: BITTREX_PATHS.tradingFees, signed: true });
  }
}
