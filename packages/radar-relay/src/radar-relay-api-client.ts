import { ExchangeApiClient, type Auth, type ExchangeApiClientOptions } from '@hb/core/connector';
import {
  RADAR_RELAY_COSTS,
  RADAR_RELAY_EXCHANGE,
  RADAR_RELAY_PAGE_SIZE,
  RADAR_RELAY_PATHS,
  RADAR_RELAY_RATE_LIMITS,
} from './radar-relay-constants.js';
import { classifyRadarRelayError } from './radar-relay-errors.js';

/** The body of `POST /markets/{id}/order/limit` (radar-relay.md §6). */
export interface RadarLimitOrderRequest {
  readonly type: 'BUY' | 'SELL';
  /** Base amount, human units, plain notation. */
  readonly quantity: string;
  /** Quote per base, plain notation. */
  readonly price: string;
  /** Unix seconds. */
  readonly expiration: number;
}

/** The body of `POST /markets/{id}/order/market` (§7). */
export interface RadarMarketOrderRequest {
  readonly type: 'BUY' | 'SELL';
  /** Base amount, human units, plain notation. */
  readonly quantity: string;
}

/**
 * The raw Radar Relay REST client (v3 API): one method per endpoint. Radar has
 * no API keys: private actions are signed 0x orders and Ethereum transactions,
 * so nothing here signs requests. Answers are returned as decoded JSON; the
 * parsers in the other files read them.
 */
export class RadarRelayApiClient extends ExchangeApiClient<Auth> {
  constructor(options: Omit<ExchangeApiClientOptions, 'credentials'>) {
    super(
      {
        exchange: RADAR_RELAY_EXCHANGE,
        rateLimits: RADAR_RELAY_RATE_LIMITS,
        defaultCosts: RADAR_RELAY_COSTS.feed,
        classifyError: classifyRadarRelayError,
        createAuth: () => {
          throw new RangeError('Radar Relay requests are not signed');
        },
      },
      options,
    );
  }

  /** Radar has no time endpoint and nothing is stamped with its clock: the local clock. */
  async time(): Promise<number> {
    return Date.now();
  }

  /** GET /tokens. */
  tokens(): Promise<unknown> {
    return this.request({ method: 'GET', path: RADAR_RELAY_PATHS.tokens, costs: RADAR_RELAY_COSTS.feed });
  }

  /** GET /markets?include=base, one page. */
  markets(page: number, perPage = RADAR_RELAY_PAGE_SIZE): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: RADAR_RELAY_PATHS.markets,
      query: { include: 'base', page, perPage },
      costs: RADAR_RELAY_COSTS.feed,
    });
  }

  /** GET /markets/{id}/book: every open order of the market. */
  book(marketId: string): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: RADAR_RELAY_PATHS.book(marketId),
      costs: RADAR_RELAY_COSTS.feed,
    });
  }

  /** POST /markets/{id}/order/limit: the unsigned 0x order Radar wants us to sign. */
  limitOrder(marketId: string, body: RadarLimitOrderRequest): Promise<unknown> {
    return this.request({
      method: 'POST',
      path: RADAR_RELAY_PATHS.limitOrder(marketId),
      body,
      costs: RADAR_RELAY_COSTS.trade,
      // Only builds an order: asking twice is harmless.
      idempotent: true,
    });
  }

  /** POST /markets/{id}/order/market: the best signed orders covering a quantity. */
  marketOrder(marketId: string, body: RadarMarketOrderRequest): Promise<unknown> {
    return this.request({
      method: 'POST',
      path: RADAR_RELAY_PATHS.marketOrder(marketId),
      body,
      costs: RADAR_RELAY_COSTS.trade,
      idempotent: true,
    });
  }

  /** POST /orders: a signed 0x order (201 on success). Never resent on its own. */
  postOrder(signedOrderJson: object): Promise<unknown> {
    return this.request({
      method: 'POST',
      path: RADAR_RELAY_PATHS.orders,
      body: signedOrderJson,
      costs: RADAR_RELAY_COSTS.trade,
      parse: () => undefined,
    });
  }

  /** GET /orders/{hash}: one order (404 when unknown). */
  order(orderHash: string): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: RADAR_RELAY_PATHS.order(orderHash),
      costs: RADAR_RELAY_COSTS.feed,
    });
  }

  /** GET /accounts/{address}/orders, one page. */
  accountOrders(address: string, page: number, perPage = RADAR_RELAY_PAGE_SIZE): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: RADAR_RELAY_PATHS.accountOrders(address),
      query: { page, perPage },
      costs: RADAR_RELAY_COSTS.feed,
    });
  }

  /** GET /accounts/{address}/fills, one page. */
  accountFills(address: string, page: number, perPage = RADAR_RELAY_PAGE_SIZE): Promise<unknown> {
    return this.request({
      method: 'GET',
      path: RADAR_RELAY_PATHS.accountFills(address),
      query: { page, perPage },
      costs: RADAR_RELAY_COSTS.feed,
    });
  }
}
