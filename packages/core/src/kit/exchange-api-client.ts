// The base of every connector's raw REST client: the ky wiring (RestClient),
// the exchange's rate limits, the server-time offset signed requests are
// stamped with, the clock-skew re-sync rule and the one classification table.
// A connector's client adds one method per endpoint and nothing else.
import type { HbError } from '../errors/hb-error.js';
import type { Auth } from '../net/auth.js';
import { RateLimiter, type RateCosts, type RateLimitRule } from '../net/rate-limiter.js';
import {
  RestClient,
  type RestRequestSpec,
  type RestRetryOptions,
  type UsageHeaderTarget,
} from '../net/rest-client.js';
import { ServerTimeSync } from '../net/server-time.js';
import type { Credentials } from '../net/credentials.js';
import type { ExchangeErrorClassifier } from './error-classifier.js';

/** What the user (or the market) decides about a client. */
export interface ExchangeApiClientOptions {
  /** REST base URL (scheme, host, port), after endpoint resolution. */
  readonly restUrl: string;
  /** Keys for private endpoints; public data works without. */
  readonly credentials?: Credentials;
  /** Request timeout, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** Retry policy of idempotent calls. */
  readonly retry?: RestRetryOptions;
  /** Shares one limiter between clients of the same IP or account. */
  readonly rateLimiter?: RateLimiter;
  /** `fetch` implementation handed to ky (tests). */
  readonly fetch?: typeof fetch;
}

/** What is true of the exchange: fixed by the connector. */
export interface ExchangeApiProfile<TAuth extends Auth> {
  /** Exchange name carried by every error. */
  readonly exchange: string;
  /** The exchange's published REST limits. */
  readonly rateLimits: readonly RateLimitRule[];
  /** Costs of a call that declares none. */
  readonly defaultCosts?: RateCosts;
  /** The connector's one classification table, as a classifier. */
  readonly classifyError: ExchangeErrorClassifier;
  /** Usage headers that feed the limiter (`x-mbx-used-weight-1m`). */
  readonly usageHeaders?: Readonly<Record<string, UsageHeaderTarget>>;
  /**
   * True for a refusal that means our timestamp was outside the exchange's
   * window: the client re-syncs server time and resends once.
   */
  readonly isClockSkew?: (error: HbError) => boolean;
  /**
   * For exchanges that answer errors with HTTP 200 (Huobi's `"status":"error"`):
   * the error a 2xx body stands for, or undefined for a good answer (see
   * `RestClientOptions.bodyError`).
   */
  readonly bodyError?: (json: unknown, status: number, headers: Headers) => HbError | undefined;
  /** Round trips per server-time sync. Default 3. */
  readonly serverTimeSamples?: number;
  /** Builds the signer from the credentials and the exchange clock. */
  readonly createAuth: (credentials: Credentials, serverTime: () => number) => TAuth;
}

/**
 * One exchange's REST client. Subclasses implement `time()` and one method per
 * endpoint, each a single `request` call with the endpoint's path and costs.
 */
export abstract class ExchangeApiClient<TAuth extends Auth = Auth> {
  /** The exchange's clock, as estimated from its time endpoint. */
  readonly serverTime: ServerTimeSync;
  /** The exchange's limits, as a client-side limiter. */
  readonly rateLimiter: RateLimiter;
  /** The signer, when keys were given. */
  readonly signer: TAuth | undefined;
  /** The transport. */
  protected readonly rest: RestClient;

  protected constructor(profile: ExchangeApiProfile<TAuth>, options: ExchangeApiClientOptions) {
    this.serverTime = new ServerTimeSync({ samples: profile.serverTimeSamples ?? 3 });
    this.rateLimiter = options.rateLimiter ?? new RateLimiter(profile.rateLimits);
    this.signer =
      options.credentials === undefined
        ? undefined
        : profile.createAuth(options.credentials, () => this.serverTime.now());
    const isClockSkew = profile.isClockSkew;
    this.rest = new RestClient({
      baseUrl: options.restUrl,
      exchange: profile.exchange,
      auth: this.signer,
      rateLimiter: this.rateLimiter,
      defaultCosts: profile.defaultCosts,
      timeoutMs: options.timeoutMs ?? 10_000,
      classifyError: (status, body, headers) => profile.classifyError(status, body, headers),
      usageHeaders: profile.usageHeaders,
      bodyError: profile.bodyError,
      retry: options.retry,
      fetch: options.fetch,
      clockSkew: isClockSkew === undefined ? undefined : { isClockSkew, resync: () => this.syncTime() },
    });
  }

  /** Whether keys were given (private endpoints need them). */
  get hasCredentials(): boolean {
    return this.signer !== undefined;
  }

  /** The base URL in use. */
  get restUrl(): string {
    return this.rest.url;
  }

  /** The exchange's clock in ms, from its time endpoint. */
  abstract time(): Promise<number>;

  /** Measures the server-time offset (call before the first signed request). */
  syncTime(): Promise<void> {
    return this.serverTime.sync(() => this.time());
  }

  /** Sends one call: the one way every endpoint method builds a request. */
  protected request<T = unknown>(spec: RestRequestSpec<T>): Promise<T> {
    return this.rest.request(spec);
  }
}
