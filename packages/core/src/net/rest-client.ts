import ky from 'ky';
import { HbError, isHbError, reasonFromHttpStatus } from '../errors/hb-error.js';
import {
  unsignedRequest,
  type Auth,
  type HttpMethod,
  type QueryParams,
  type SignedRestRequest,
} from './auth.js';
import type { RateCosts, RateLimiter } from './rate-limiter.js';

/** A query value; `undefined` drops the parameter (handy for optional ones). */
export type QueryValue = string | number | boolean | undefined;

/** Query parameters as an ordered list or a record (insertion order kept). */
export type QueryInput = ReadonlyArray<readonly [string, QueryValue]> | Readonly<Record<string, QueryValue>>;

/** One REST call. */
export interface RestRequestSpec<T> {
  /** HTTP method. */
  readonly method: HttpMethod;
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  /** Query parameters, sent (and signed) in this order. */
  readonly query?: QueryInput;
  /** A string is sent verbatim; an object is JSON-encoded once and sent as signed. */
  readonly body?: string | object;
  /**
   * Content type of the body. Defaults: `application/json` for an object body,
   * `application/x-www-form-urlencoded` for a string body.
   */
  readonly contentType?: string;
  /** Extra headers for this call (the signer's headers win on a clash). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Sign with the client's {@link Auth}. */
  readonly signed?: boolean;
  /** Rate-limit costs; the client's `defaultCosts` when omitted. */
  readonly costs?: RateCosts;
  /** Timeout for this call (connect to last body byte), ms. */
  readonly timeoutMs?: number;
  /**
   * Whether sending the call twice is harmless. Defaults to true for GET only:
   * a POST or DELETE that failed in transit may have been executed, so it is
   * never resent automatically and the caller reconciles instead.
   */
  readonly idempotent?: boolean;
  /** Aborts the call (and any wait for the rate limiter). */
  readonly signal?: AbortSignal;
  /**
   * Turns the decoded JSON into the result; throw to reject the answer. The
   * response headers come along for cursors (Coinbase's `CB-AFTER`).
   */
  readonly parse?: (json: unknown, headers: Headers) => T;
}

/**
 * A connector's error mapping: status, decoded body (JSON if it parsed, else
 * the text) and headers in, an {@link HbError} out. It must not echo request
 * credentials into the message.
 */
export type ClassifyHttpError = (status: number, body: unknown, headers: Headers) => HbError;

/** Where a usage header's value goes: a limit id, or a limit id plus its window. */
export type UsageHeaderTarget = string | { readonly limitId: string; readonly intervalMs: number };

/** Retry policy for idempotent calls. */
export interface RestRetryOptions {
  /** Resends after the first attempt. Default 3. */
  readonly maxRetries?: number;
  /** First backoff delay, ms. Default 250. */
  readonly minDelayMs?: number;
  /** Largest backoff delay, ms. Default 5000. */
  readonly maxDelayMs?: number;
  /**
   * A `Retry-After` longer than this is not waited out: the call fails at once
   * (a 418 ban can last days). Default 60 000.
   */
  readonly maxRetryAfterMs?: number;
}

/** Recovery from a signed call refused for clock skew (Binance `-1021`). */
export interface ClockSkewRecovery {
  /** True when the error means our timestamp was outside the receive window. */
  isClockSkew(error: HbError): boolean;
  /** Re-measures the server-time offset (usually `ServerTimeSync.resync`). */
  resync(): Promise<void>;
}

/** Options for {@link RestClient}. */
export interface RestClientOptions {
  /** Base URL (`https://api.binance.com`); overridable for testnets and simulators. */
  readonly baseUrl: string;
  /** Exchange name for error messages and `HbError.exchange`. */
  readonly exchange: string;
  /** Credentials for `signed` calls. */
  readonly auth?: Auth;
  /** The exchange's limiter; shared by every client on the same IP/account. */
  readonly rateLimiter?: RateLimiter;
  /** Costs of a call that declares none. */
  readonly defaultCosts?: RateCosts;
  /** Default timeout, ms. Default 10 000. */
  readonly timeoutMs?: number;
  /** The connector's error mapping; by HTTP status alone when omitted. */
  readonly classifyError?: ClassifyHttpError;
  /** Sees the headers and status of every response (usage counters, server time). */
  readonly onResponse?: (headers: Headers, status: number) => void;
  /**
   * Usage headers fed to the limiter's `observeUsage`, by header name:
   * `{ 'x-mbx-used-weight-1m': 'REQUEST_WEIGHT' }`.
   */
  readonly usageHeaders?: Readonly<Record<string, UsageHeaderTarget>>;
  /** Retry policy for idempotent calls. */
  readonly retry?: RestRetryOptions;
  /** Re-sync and resend once when a signed call is refused for clock skew. */
  readonly clockSkew?: ClockSkewRecovery;
  /** Headers sent with every call. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * For exchanges that answer errors with HTTP 200 (Huobi's `"status": "error"`):
   * returns the error a 2xx body stands for, or undefined for a good answer. The
   * error then goes through the same retry and clock-skew handling as an HTTP error.
   */
  readonly bodyError?: (json: unknown, status: number, headers: Headers) => HbError | undefined;
  /** Random source for backoff jitter, in [0, 1). */
  readonly random?: () => number;
  /** Sleep used between retries; injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** `fetch` implementation handed to ky. */
  readonly fetch?: typeof fetch;
}

type Attempt<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: HbError; readonly retryAfterMs: number | undefined };

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * The REST transport every connector shares, on `ky` with ky's own retry off:
 * retries are ours because only we know which calls are safe to resend.
 *
 * A call waits for the rate limiter, is signed, and is sent with exactly the
 * bytes that were signed. GETs are retried with jittered backoff on rate
 * limits, 5xx, timeouts and network errors; anything else throws at once so
 * that a state-changing call with an unknown outcome is reconciled by the
 * market rather than silently duplicated.
 */
export class RestClient {
  private readonly opts: RestClientOptions;
  private readonly baseUrl: string;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: RestClientOptions) {
    this.opts = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** The base URL in use (no trailing slash). */
  get url(): string {
    return this.baseUrl;
  }

  /**
   * Sends one call and returns its parsed result. Throws {@link HbError}:
   * `timeout`, `network` (with the cause), `malformed_message` for an answer
   * that is not JSON or that `parse` rejects, and for an error status whatever
   * the connector's `classifyError` says.
   */
  async request<T = unknown>(spec: RestRequestSpec<T>): Promise<T> {
    const query = normalizeQuery(spec.query);
    const { body, contentType } = encodeBody(spec);
    const idempotent = spec.idempotent ?? spec.method === 'GET';
    const retry = this.opts.retry ?? {};
    const maxRetries = retry.maxRetries ?? 3;
    const maxRetryAfterMs = retry.maxRetryAfterMs ?? 60_000;
    let skewRecovered = false;
    let retries = 0;
    for (;;) {
      const result = await this.attempt(spec, query, body, contentType);
      if (result.ok) return result.value;
      const { error, retryAfterMs } = result;
      const skew = this.opts.clockSkew;
      // A clock-skew refusal happens before the order reaches the matching
      // engine, so resending once after a re-sync is safe even for a POST.
      if (spec.signed === true && skew !== undefined && !skewRecovered && skew.isClockSkew(error)) {
        skewRecovered = true;
        await skew.resync();
        continue;
      }
      const tooLong = retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs;
      if (!idempotent || !error.retryable || tooLong || retries >= maxRetries || spec.signal?.aborted)
        throw error;
      await this.sleep(this.backoff(retries, retryAfterMs));
      retries++;
    }
  }

  private backoff(retry: number, retryAfterMs: number | undefined): number {
    const r = this.opts.retry ?? {};
    const min = r.minDelayMs ?? 250;
    const cap = Math.min(r.maxDelayMs ?? 5000, min * 2 ** retry);
    // Half fixed, half random: spreads a crowd of clients without ever
    // retrying immediately.
    const delay = cap / 2 + (cap / 2) * this.random();
    // With a limiter, its penalty already holds the next attempt back.
    return this.opts.rateLimiter === undefined && retryAfterMs !== undefined
      ? Math.max(delay, retryAfterMs)
      : delay;
  }

  private async attempt<T>(
    spec: RestRequestSpec<T>,
    query: QueryParams,
    body: string | undefined,
    contentType: string | undefined,
  ): Promise<Attempt<T>> {
    const { exchange } = this.opts;
    const what = `${spec.method} ${spec.path}`;
    const fail = (error: HbError, retryAfterMs?: number): Attempt<T> => ({ ok: false, error, retryAfterMs });

    const costs = spec.costs ?? this.opts.defaultCosts;
    if (this.opts.rateLimiter !== undefined && costs !== undefined) {
      try {
        await this.opts.rateLimiter.acquire(costs, spec.signal);
      } catch (e) {
        throw isHbError(e)
          ? e
          : new HbError('unknown', `${exchange}: ${what} aborted before sending`, {
              exchange,
              cause: e,
              retryable: false,
            });
      }
    }

    const toSign = { method: spec.method, path: spec.path, query, body };
    let signed: SignedRestRequest;
    if (spec.signed === true) {
      const auth = this.opts.auth;
      if (auth === undefined) {
        throw new HbError('authentication', `${exchange}: ${what} needs API credentials, none configured`, {
          exchange,
          retryable: false,
        });
      }
      try {
        signed = await auth.signRest(toSign);
      } catch (e) {
        throw isHbError(e)
          ? e
          : new HbError('authentication', `${exchange}: could not sign ${what}`, {
              exchange,
              cause: e,
              retryable: false,
            });
      }
    } else {
      signed = unsignedRequest(toSign);
    }

    const headers: Record<string, string> = {};
    const put = (h: Readonly<Record<string, string>> | undefined): void => {
      for (const [k, v] of Object.entries(h ?? {})) headers[k.toLowerCase()] = v;
    };
    put(this.opts.headers);
    if (contentType !== undefined && signed.body !== undefined) headers['content-type'] = contentType;
    put(spec.headers);
    put(signed.headers);

    const timeoutMs = spec.timeoutMs ?? this.opts.timeoutMs ?? 10_000;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const signal =
      spec.signal === undefined ? controller.signal : AbortSignal.any([controller.signal, spec.signal]);

    let status: number;
    let responseHeaders: Headers;
    let text: string;
    try {
      const response = await ky(this.baseUrl + signed.pathAndQuery, {
        method: spec.method,
        headers,
        body: signed.body,
        retry: 0,
        timeout: false,
        throwHttpErrors: false,
        signal,
        ...(this.opts.fetch === undefined ? {} : { fetch: this.opts.fetch }),
      });
      status = response.status;
      responseHeaders = response.headers;
      text = await response.text();
    } catch (e) {
      // Messages are built here from method and path only: ky's and undici's
      // own messages can carry the full signed URL.
      if (timedOut) {
        return fail(
          new HbError('timeout', `${exchange}: ${what} timed out after ${timeoutMs} ms`, { exchange }),
        );
      }
      if (spec.signal?.aborted === true) {
        return fail(new HbError('unknown', `${exchange}: ${what} aborted`, { exchange, retryable: false }));
      }
      const code = systemErrorCode(e);
      return fail(
        new HbError(
          'network',
          `${exchange}: network error on ${what}${code === undefined ? '' : ` (${code})`}`,
          { exchange, cause: e },
        ),
      );
    } finally {
      clearTimeout(timer);
    }

    this.observeHeaders(responseHeaders, status);

    if (status >= 200 && status < 300) {
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch (e) {
        throw new HbError(
          'malformed_message',
          `${exchange}: ${what} answered ${status} with a body that is not JSON`,
          {
            exchange,
            httpStatus: status,
            cause: e,
          },
        );
      }
      const bodyError = this.opts.bodyError?.(json, status, responseHeaders);
      if (bodyError !== undefined) return fail(bodyError, bodyError.retryAfterMs);
      if (spec.parse === undefined) return { ok: true, value: json as T };
      try {
        return { ok: true, value: spec.parse(json, responseHeaders) };
      } catch (e) {
        if (isHbError(e)) throw e;
        throw new HbError('malformed_message', `${exchange}: unexpected answer to ${what}`, {
          exchange,
          httpStatus: status,
          cause: e,
        });
      }
    }

    let errorBody: unknown = text;
    try {
      errorBody = JSON.parse(text);
    } catch {
      // Not JSON (an HTML error page from a proxy): the text is passed on.
    }
    const retryAfterMs = parseRetryAfter(responseHeaders.get('retry-after'));
    if (
      (status === 429 || status === 418) &&
      retryAfterMs !== undefined &&
      this.opts.rateLimiter !== undefined
    ) {
      this.opts.rateLimiter.penalizeFor(retryAfterMs);
    }
    const classify = this.opts.classifyError;
    const error =
      classify !== undefined
        ? classify(status, errorBody, responseHeaders)
        : new HbError(reasonFromHttpStatus(status), `${exchange}: ${what} answered HTTP ${status}`, {
            exchange,
            httpStatus: status,
            retryAfterMs,
          });
    return fail(error, retryAfterMs);
  }

  private observeHeaders(headers: Headers, status: number): void {
    const limiter = this.opts.rateLimiter;
    if (limiter !== undefined && this.opts.usageHeaders !== undefined) {
      for (const [name, target] of Object.entries(this.opts.usageHeaders)) {
        const raw = headers.get(name);
        if (raw === null) continue;
        const used = Number(raw);
        if (!Number.isFinite(used)) continue;
        if (typeof target === 'string') limiter.observeUsage(target, used);
        else limiter.observeUsage(target.limitId, used, target.intervalMs);
      }
    }
    this.opts.onResponse?.(headers, status);
  }
}

/** Query input as the ordered string pairs that are signed and sent. */
export function normalizeQuery(query: QueryInput | undefined): QueryParams {
  if (query === undefined) return [];
  const entries: ReadonlyArray<readonly [string, QueryValue]> = Array.isArray(query)
    ? (query as ReadonlyArray<readonly [string, QueryValue]>)
    : Object.entries(query as Readonly<Record<string, QueryValue>>);
  const out: Array<readonly [string, string]> = [];
  for (const [k, v] of entries) if (v !== undefined) out.push([k, String(v)]);
  return out;
}

function encodeBody(spec: RestRequestSpec<unknown>): {
  body: string | undefined;
  contentType: string | undefined;
} {
  if (spec.body === undefined) return { body: undefined, contentType: undefined };
  if (typeof spec.body === 'string') return { body: spec.body, contentType: spec.contentType ?? FORM_TYPE };
  return { body: JSON.stringify(spec.body), contentType: spec.contentType ?? JSON_TYPE };
}

/**
 * `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent
 * or unreadable.
 */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The OS error code (`ECONNREFUSED`) somewhere in a fetch failure's cause chain. */
function systemErrorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && typeof cur === 'object' && cur !== null; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}
