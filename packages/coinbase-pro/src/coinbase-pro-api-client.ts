import {
  credentialsFromFields,
  ExchangeApiClient,
  readHeader,
  type CredentialFields,
  type Credentials,
  type ExchangeApiClientOptions,
  type RateCosts,
  type RestRequestToSign,
} from '@hb/core/connector';
import { CoinbaseProAuth } from './coinbase-pro-auth.js';
import {
  COINBASE_PRO_BOOK_LEVEL,
  COINBASE_PRO_COSTS,
  COINBASE_PRO_EXCHANGE,
  COINBASE_PRO_PAGINATION,
  COINBASE_PRO_PATHS,
  COINBASE_PRO_RATE_LIMITS,
} from './coinbase-pro-constants.js';
import { classifyCoinbaseProError } from './coinbase-pro-errors.js';
import { toProductId, parseServerTime } from './coinbase-pro-utils.js';

/** How a {@link CoinbaseProApiClient} is built. */
export interface CoinbaseProApiClientOptions extends Omit<ExchangeApiClientOptions, 'credentials'> {
  /** Key, base64 secret (as Coinbase issues it) and passphrase; public endpoints work without. */
  readonly credentials?: Credentials | CredentialFields;
}

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

  /** A signed call built by the request builders in `coinbase-pro-in-flight-order.ts`. */
  send(request: RestRequestToSign, costs: RateCosts = COINBASE_PRO_COSTS.private): Promise<unknown> {
    return this.request({
      method: request.method,
      path: request.path,
      query: request.query,
      body: request.body,
      contentType: 'application/json',
      signed: true,
      costs,
    });
  }

  /** `GET /accounts`. */
  accounts(): Promise<unknown> {
    return this.send({ method: 'GET', path: COINBASE_PRO_PATHS.accounts, query: [], body: undefined });
  }

  /** `GET /fees`. */
  fees(): Promise<unknown> {
    return this.send({ method: 'GET', path: COINBASE_PRO_PATHS.fees, query: [], body: undefined });
  }

  /**
   * Every item of a cursor-paginated list: the request builder is called with
   * each page's `CB-AFTER` cursor until a page comes back without one.
   */
  async paginate(
    build: (after: string | undefined) => RestRequestToSign,
    costs: RateCosts,
  ): Promise<unknown[]> {
    const all: unknown[] = [];
    let after: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const request = build(after);
      const result: Page = await this.request({
        method: request.method,
        path: request.path,
        query: request.query,
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
