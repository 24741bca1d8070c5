import {
  ExchangeApiClient,
  SymbolMap,
  createWireReaders,
  credentialsFromFields,
  type CredentialFields,
  type Credentials,
  type ExchangeApiClientOptions,
  type RateCosts,
  type RestRequestToSign,
} from '@hb/core/connector';
import { HuobiAuth, hostOf } from './huobi-auth.js';
import { HUOBI_COSTS, HUOBI_EXCHANGE, HUOBI_PATHS, HUOBI_RATE_LIMITS } from './huobi-constants.js';
import { classifyHuobiError, huobiBodyError, isHuobiClockSkew } from './huobi-errors.js';
import { parseHuobiSymbols, type HuobiReferenceData } from './huobi-trading-rules.js';

const wire = createWireReaders(HUOBI_EXCHANGE);

/** How a {@link HuobiApiClient} is built. */
export interface HuobiApiClientOptions extends Omit<ExchangeApiClientOptions, 'credentials'> {
  /** The account WebSocket URL, whose host the v2.1 login signs. */
  readonly accountWsUrl: string;
  /** `apiKey` (Access Key) and `apiSecret` (Secret Key); public endpoints work without. */
  readonly credentials?: Credentials | CredentialFields;
}

/**
 * The raw Huobi REST client on core's ExchangeApiClient: one method per
 * endpoint the connector uses, returning decoded JSON for the domain code to
 * parse. Core owns the limiter, the server-time offset Signature V2 timestamps
 * are stamped with (re-synced once when a timestamp is refused) and the check
 * of HTTP-200 error bodies; this class adds the symbol map learned from the
 * reference data.
 */
export class HuobiApiClient extends ExchangeApiClient<HuobiAuth> {
  private symbolMap = new SymbolMap(HUOBI_EXCHANGE, []);
  private reference: Promise<HuobiReferenceData> | undefined;

  constructor(options: HuobiApiClientOptions) {
    const restHost = hostOf(options.restUrl);
    const wsHost = hostOf(options.accountWsUrl);
    super(
      {
        exchange: HUOBI_EXCHANGE,
        rateLimits: HUOBI_RATE_LIMITS,
        defaultCosts: HUOBI_COSTS.public,
        classifyError: classifyHuobiError,
        bodyError: huobiBodyError,
        isClockSkew: isHuobiClockSkew,
        createAuth: (credentials, serverTime) => new HuobiAuth({ credentials, restHost, wsHost, serverTime }),
      },
      { ...options, credentials: credentialsFromFields(HUOBI_EXCHANGE, options.credentials) },
    );
  }

  /** `btcusdt` <-> `BTC-USDT` (empty until {@link referenceData} has loaded). */
  get symbols(): SymbolMap {
    return this.symbolMap;
  }

  /** `GET /v1/common/timestamp` -> server ms. */
  async time(): Promise<number> {
    const body = await this.request({ method: 'GET', path: HUOBI_PATHS.timestamp });
    const data = wire.asObject(body, 'timestamp answer')['data'];
    if (typeof data !== 'number' || !Number.isFinite(data)) throw wire.malformed('timestamp answer.data');
    return data;
  }

  /**
   * `GET /v1/common/symbols`, parsed, once per client (a failure is retried on
   * the next call); the symbol map then knows every readable symbol.
   */
  referenceData(): Promise<HuobiReferenceData> {
    this.reference ??= this.request({ method: 'GET', path: HUOBI_PATHS.symbols }).then(
      (body) => {
        const parsed = parseHuobiSymbols(body);
        this.symbolMap = parsed.symbols;
        return parsed;
      },
      (e: unknown) => {
        this.reference = undefined;
        throw e;
      },
    );
    return this.reference;
  }

  /** `GET /market/depth?symbol=&type=step0` (a REST snapshot, not aligned with MBP seqNum). */
  depth(symbol: string): Promise<unknown> {
    return this.request({
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
    return this.request({
      method: 'GET',
      path: HUOBI_PATHS.historyTrade,
      query: [
        ['symbol', symbol],
        ['size', String(size)],
      ],
    });
  }

  /** A signed call built by the request builders in `huobi-order-requests.ts`. */
  send(request: RestRequestToSign, costs: RateCosts): Promise<unknown> {
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
}
