import {
  HbError,
  RateLimiter,
  RestClient,
  ServerTimeSync,
  createWireReaders,
  type RateCosts,
  type RestRequestToSign,
} from '@hb/core';
import { HuobiAuth, hostOf } from './huobi-auth.js';
import { HUOBI_COSTS, HUOBI_EXCHANGE, HUOBI_PATHS, HUOBI_RATE_LIMITS } from './huobi-constants.js';
import { classifyHuobiError, huobiBodyError, isHuobiClockSkew } from './huobi-errors.js';
import { parseHuobiSymbols, type HuobiReferenceData } from './huobi-trading-rules.js';
import { HuobiSymbolMap } from './huobi-utils.js';

const wire = createWireReaders(HUOBI_EXCHANGE);

/** How a {@link HuobiApiClient} is built. */
export interface HuobiApiClientOptions {
  /** REST base URL (scheme, host, port). */
  readonly restUrl: string;
  /** The account WebSocket URL, whose host the v2.1 login signs. */
  readonly accountWsUrl: string;
  readonly apiKey?: string;
  readonly apiSecret?: string;
  /** Request timeout, ms. */
  readonly timeoutMs?: number;
}

/**
 * The raw Huobi REST client: one method per endpoint the connector uses,
 * returning decoded JSON for the domain code to parse. It owns the limiter of
 * the documented limits, the server-time offset Signature V2 timestamps are
 * stamped with (re-synced once when a timestamp is refused), the check of
 * HTTP-200 error bodies, and the symbol map learned from the reference data.
 */
export class HuobiApiClient {
  /** The exchange's clock, as estimated from `GET /v1/common/timestamp`. */
  readonly serverTime = new ServerTimeSync({ samples: 3 });
  readonly rateLimiter = new RateLimiter(HUOBI_RATE_LIMITS);
  /** `btcusdt` <-> `BTC-USDT`, filled by {@link referenceData}. */
  readonly symbols = new HuobiSymbolMap();
  private readonly rest: RestClient;
  private readonly auth: HuobiAuth | undefined;
  private reference: Promise<HuobiReferenceData> | undefined;

  constructor(options: HuobiApiClientOptions) {
    this.auth =
      options.apiKey && options.apiSecret
        ? new HuobiAuth({
            apiKey: options.apiKey,
            secret: options.apiSecret,
            restHost: hostOf(options.restUrl),
            wsHost: hostOf(options.accountWsUrl),
            serverTime: () => this.serverTime.now(),
          })
        : undefined;
    this.rest = new RestClient({
      baseUrl: options.restUrl,
      exchange: HUOBI_EXCHANGE,
      auth: this.auth,
      rateLimiter: this.rateLimiter,
      defaultCosts: HUOBI_COSTS.public,
      timeoutMs: options.timeoutMs ?? 10_000,
      classifyError: (status, body, headers) => classifyHuobiError(status, body, headers),
      bodyError: (json, status, headers) => huobiBodyError(json, status, headers),
      clockSkew: { isClockSkew: isHuobiClockSkew, resync: () => this.syncTime() },
    });
  }

  /** Whether key and secret were given. */
  get hasCredentials(): boolean {
    return this.auth !== undefined;
  }

  /** The signer, for the account stream's login. */
  get signer(): HuobiAuth | undefined {
    return this.auth;
  }

  /** Measures the server-time offset (timestamps must be within 5 minutes of it). */
  syncTime(): Promise<void> {
    return this.serverTime.sync(() => this.time());
  }

  /** `GET /v1/common/timestamp` -> server ms. */
  async time(): Promise<number> {
    const body = await this.rest.request({ method: 'GET', path: HUOBI_PATHS.timestamp });
    const data = wire.asObject(body, 'timestamp answer')['data'];
    if (typeof data !== 'number' || !Number.isFinite(data)) throw wire.malformed('timestamp answer.data');
    return data;
  }

  /**
   * `GET /v1/common/symbols`, parsed, once per client (a failure is retried on
   * the next call); the symbol map learns every listed symbol.
   */
  referenceData(): Promise<HuobiReferenceData> {
    this.reference ??= this.rest.request({ method: 'GET', path: HUOBI_PATHS.symbols }).then(
      (body) => {
        const parsed = parseHuobiSymbols(body);
        this.symbols.learn(parsed.symbols);
        return parsed;
      },
      (e: unknown) => {
        this.reference = undefined;
        throw e;
      },
    );
    return this.reference;
  }

  /** Forgets the cached reference data (the next call fetches it again). */
  refreshReferenceData(): Promise<HuobiReferenceData> {
    this.reference = undefined;
    return this.referenceData();
  }

  /** `GET /market/depth?symbol=&type=step0` (a REST snapshot, not aligned with MBP seqNum). */
  depth(symbol: string): Promise<unknown> {
    return this.rest.request({
      method: 'GET',
      path: HUOBI_PATHS.depth,
      query: [
        ['symbol', symbol],
        ['type', 'step0'],
      ],
    });
  }

  /** `GET /market/history/trade?symbol=&size=`. */
  historyTrades(symbol: string, size = 100): Promise<unknown> {
    return this.rest.request({
      method: 'GET',
      path: HUOBI_PATHS.historyTrade,
      query: [
        ['symbol', symbol],
        ['size', String(size)],
      ],
    });
  }

  /** A signed call built by the request builders in `huobi-in-flight-order.ts`. */
  send(request: RestRequestToSign, costs: RateCosts): Promise<unknown> {
    if (this.auth === undefined)
      throw new HbError('authentication', `${HUOBI_EXCHANGE}: ${request.path} needs API keys`, {
        exchange: HUOBI_EXCHANGE,
        retryable: false,
      });
    return this.rest.request({
      method: request.method,
      path: request.path,
      query: request.query,
      body: request.body,
      contentType: 'application/json',
      signed: true,
      costs,
    });
  }
}
