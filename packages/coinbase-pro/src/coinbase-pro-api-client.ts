import {
  credentialsFromFields,
  ExchangeApiClient,
  readHeader,
  type CredentialFields,
  type Credentials,
  type ExchangeApiClientOptions,
  type HttpMethod,
  type RateCosts,
} from '@hb/core/connector';
import { CoinbaseProAuth } from './coinbase-pro-auth.js';
import {
  COINBASE_PRO_BOOK_LEVEL,
  COINBASE_PRO_COSTS,
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_OPEN_ORDER_STATUSES,
  COINBASE_PRO_PAGINATION,
  COINBASE_PRO_PATHS,
  COINBASE_PRO_RATE_LIMITS,
} from './coinbase-pro-constants.js';
import { classifyCoinbaseProError } from './coinbase-pro-errors.js';
import { buildPlaceOrderBody, type NewOrderRequest } from './coinbase-pro-order-requests.js';
import { COINBASE_PRO_CLIENT_ORDER_IDS, parseServerTime, toProductId } from './coinbase-pro-utils.js';

/** How a {@link CoinbaseProApiClient} is built. */
export interface CoinbaseProApiClientOptions extends Omit<ExchangeApiClientOptions, 'credentials'> {
  /** Key, base64 secret (as Coinbase issues it) and passphrase; public endpoints work without. */
  readonly credentials?: Credentials | CredentialFields;
}

/** Which fills to ask for: one order's, or one product's. */
export type FillsFilter = { readonly exchangeOrderId: string } | { readonly tradingPair: string };

/** One page of a cursor-paginated list and the cursor of the next (older) page. */
interface Page {
  readonly items: readonly unknown[];
  readonly after: string | undefined;
}

/** Stops a runaway pagination loop (500 open orders per product is the exchange's own cap). */
const MAX_PAGES = 50;

/**
 * The raw Coinbase Exchange REST client: one method per endpoint we use,
 * returning decoded JSON for the domain code to parse. It owns the token-bucket
 * limiter of the documented limits, the server-time offset that signatures are
 * stamped with, and cursor pagination (`CB-AFTER`).
 */
export class CoinbaseProApiClient extends ExchangeApiClient<CoinbaseProAuth> {
  constructor(options: CoinbaseProApiClientOptions) {
    super(
      {
        exchange: COINBASE_PRO_EXCHANGE,
        rateLimits: COINBASE_PRO_RATE_LIMITS,
        defaultCosts: COINBASE_PRO_COSTS.public,
        classifyError: classifyCoinbaseProError,
        // A stale CB-ACCESS-TIMESTAMP is refused before anything executes.
        isClockSkew: (e) => e.reason === 'authentication' && e.retryable,
        createAuth: (credentials, serverTime) => new CoinbaseProAuth({ credentials, serverTime }),
      },
      {
        ...options,
        credentials: credentialsFromFields(COINBASE_PRO_EXCHANGE, options.credentials, { passphrase: true }),
      },
    );
  }

  /** `GET /time` -> server ms. */
  async time(): Promise<number> {
    return parseServerTime(await this.request({ method: 'GET', path: COINBASE_PRO_PATHS.time }));
  }

  /** `GET /products`. */
  products(): Promise<unknown> {
    return this.request({ method: 'GET', path: COINBASE_PRO_PATHS.products });
  }

  /** `GET /products/{id}/book?level=3`: every resting order, with the feed's sequence. */
  level3Book(tradingPair: string): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: COINBASE_PRO_PATHS.book(toProductId(tradingPair)),
      query: [['level', String(COINBASE_PRO_BOOK_LEVEL.full)]],
      // Signed when we can: the 2025 docs put the level-3 book behind authentication.
      signed: this.hasCredentials,
      costs: this.hasCredentials ? COINBASE_PRO_COSTS.private : COINBASE_PRO_COSTS.public,
    });
  }

  /** `GET /products/{id}/ticker`. */
  ticker(tradingPair: string): Promise<unknown> {
    return this.request({ method: 'GET', path: COINBASE_PRO_PATHS.ticker(toProductId(tradingPair)) });
  }

  /** `GET /products/{id}/stats` (24 h open/high/low/volume). */
  stats(tradingPair: string): Promise<unknown> {
    return this.request({ method: 'GET', path: COINBASE_PRO_PATHS.stats(toProductId(tradingPair)) });
  }

  /** `GET /products/{id}/trades` (newest first, at most `limit`). */
  trades(tradingPair: string, limit: number): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: COINBASE_PRO_PATHS.trades(toProductId(tradingPair)),
      query: [['limit', String(limit)]],
    });
  }

  /** `GET /products/{id}/candles?granularity=&start=&end=` (newest first, at most 300). */
  candles(
    tradingPair: string,
    granularity: number,
    range: { start?: string; end?: string } = {},
  ): Promise<unknown> {
    const query: [string, string][] = [['granularity', String(granularity)]];
    if (range.start !== undefined) query.push(['start', range.start]);
    if (range.end !== undefined) query.push(['end', range.end]);
    return this.request({ method: 'GET', path: COINBASE_PRO_PATHS.candles(toProductId(tradingPair)), query });
  }

  /**
   * `GET /products/{id}/book?level=2`: the aggregated price levels (public), what the
   * level-2 book's silence check compares with.
   */
  level2Book(tradingPair: string): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: COINBASE_PRO_PATHS.book(toProductId(tradingPair)),
      query: [['level', String(COINBASE_PRO_BOOK_LEVEL.aggregated)]],
      costs: COINBASE_PRO_COSTS.public,
    });
  }

  /** `POST /orders` with the body of `buildPlaceOrderBody`, serialised once and signed as sent; never resent automatically. */
  placeOrder(order: NewOrderRequest): Promise<unknown> {
    return this.signed('POST', COINBASE_PRO_PATHS.orders, [], JSON.stringify(buildPlaceOrderBody(order)));
  }

  /**
   * `DELETE /orders/client:{oid}?product_id=...`: by our id, which survives an
   * unknown placement outcome; `product_id` avoids a documented race.
   */
  cancelOrder(tradingPair: string, clientOrderId: string): Promise<unknown> {
    return this.signed(
      'DELETE',
      COINBASE_PRO_PATHS.orderByClientOid(COINBASE_PRO_CLIENT_ORDER_IDS.check(clientOrderId)),
      [['product_id', toProductId(tradingPair)]],
    );
  }

  /** `GET /orders/client:{oid}`: one order by our id (404 `NotFound` once a fill-less cancel is purged). */
  orderByClientOid(clientOrderId: string): Promise<unknown> {
    return this.signed(
      'GET',
      COINBASE_PRO_PATHS.orderByClientOid(COINBASE_PRO_CLIENT_ORDER_IDS.check(clientOrderId)),
      [],
    );
  }

  /**
   * Every open order: `GET /orders?status=open&status=pending&status=active[&product_id=..]`,
   * `status` repeated once per value, paged to older orders with the `CB-AFTER` cursor.
   */
  openOrders(tradingPair?: string): Promise<unknown[]> {
    const query: [string, string][] = COINBASE_PRO_OPEN_ORDER_STATUSES.map((s) => ['status', s]);
    if (tradingPair !== undefined) query.push(['product_id', toProductId(tradingPair)]);
    return this.paginate(COINBASE_PRO_PATHS.orders, query, COINBASE_PRO_COSTS.private);
  }

  /** Every fill of one order or one product: `GET /fills?order_id=..|product_id=..` (descending trade_id, paged). */
  fills(filter: FillsFilter): Promise<unknown[]> {
    const query: [string, string][] =
      'exchangeOrderId' in filter
        ? [['order_id', filter.exchangeOrderId]]
        : [['product_id', toProductId(filter.tradingPair)]];
    return this.paginate(COINBASE_PRO_PATHS.fills, query, COINBASE_PRO_COSTS.fills);
  }

  /** `GET /accounts`. */
  accounts(): Promise<unknown> {
    return this.signed('GET', COINBASE_PRO_PATHS.accounts, []);
  }

  /** `GET /fees`. */
  fees(): Promise<unknown> {
    return this.signed('GET', COINBASE_PRO_PATHS.fees, []);
  }

  /** A signed private call (the private bucket unless told otherwise). */
  private signed(
    method: HttpMethod,
    path: string,
    query: [string, string][],
    body?: string,
    costs: RateCosts = COINBASE_PRO_COSTS.private,
  ): Promise<unknown> {
    return this.request({ method, path, query, body, contentType: 'application/json', signed: true, costs });
  }

  /**
   * Every item of a cursor-paginated list: `limit=100`, then each page's
   * `CB-AFTER` cursor as `after`, until a page comes back short or without one.
   */
  private async paginate(
    path: string,
    query: readonly [string, string][],
    costs: RateCosts,
  ): Promise<unknown[]> {
    const all: unknown[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const pageQuery: [string, string][] = [
        ...query,
        ['limit', String(COINBASE_PRO_PAGINATION.defaultLimit)],
      ];
      if (after !== undefined) pageQuery.push(['after', after]);
      const result: Page = await this.request({
        method: 'GET',
        path,
        query: pageQuery,
        signed: true,
        costs,
        parse: (json, headers) => ({
          items: Array.isArray(json) ? json : [],
          after: readHeader(headers, COINBASE_PRO_PAGINATION.afterHeader),
        }),
      });
      all.push(...result.items);
      // A short page is the last one, whatever the cursor says.
      if (
        result.after === undefined ||
        result.after === '' ||
        result.items.length < COINBASE_PRO_PAGINATION.defaultLimit
      )
        break;
      after = result.after;
    }
    return all;
  }
}
