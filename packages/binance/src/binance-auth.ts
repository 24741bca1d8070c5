// HMAC-SHA256 signing of Binance SIGNED requests (binance.md §6): REST signs the
// query string and body exactly as sent; the WebSocket API signs its params
// sorted by key. The keys live in core's Credentials and the secret in a
// KeyObject, so neither can leak through JSON, util.inspect or string conversion.
import { createHmac, type KeyObject } from 'node:crypto';
import {
  BINANCE_API_KEY_HEADER,
  BINANCE_DEFAULT_RECV_WINDOW_MS,
  BINANCE_MAX_RECV_WINDOW_MS,
} from './binance-constants.js';
import type { BinanceWsApiRequest } from './binance-types.js';
import {
  CredentialedAuth,
  encodeQuery,
  hmacKey,
  type Auth,
  type Credentials,
  type RestRequestToSign,
  type SignedRestRequest,
} from '@hb/core/connector';

/** How a {@link BinanceAuth} is built. */
export interface BinanceAuthOptions {
  /** The API key and HMAC secret. */
  readonly credentials: Credentials;
  /**
   * The exchange's clock in ms (core's `ServerTimeSync.now()`): a drifting local
   * clock is what causes -1021.
   */
  readonly serverTime: () => number;
  /** `recvWindow` to send in ms; `null` sends none (server default 5000). */
  readonly recvWindowMs?: number | null;
}

/** Scalar parameter values of the WebSocket API. */
export type WsApiParamValue = string | number | boolean;

/**
 * The WebSocket API signature payload: every param but `signature`, sorted by
 * key, joined as `k=v&k=v` without URL-encoding.
 */
export function wsApiSignaturePayload(params: Readonly<Record<string, WsApiParamValue>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

/** Signs Binance requests with an HMAC key. */
export class BinanceAuth extends CredentialedAuth implements Auth {
  readonly #key: KeyObject;
  readonly #recvWindowMs: number | null;

  constructor(options: BinanceAuthOptions) {
    super(options.credentials, options.serverTime);
    const recvWindow =
      options.recvWindowMs === undefined ? BINANCE_DEFAULT_RECV_WINDOW_MS : options.recvWindowMs;
    if (recvWindow !== null && !(recvWindow > 0 && recvWindow <= BINANCE_MAX_RECV_WINDOW_MS)) {
      throw new RangeError(`binance: recvWindow must be in (0, ${BINANCE_MAX_RECV_WINDOW_MS}] ms`);
    }
    this.#key = hmacKey(options.credentials.secret, 'utf8');
    this.#recvWindowMs = recvWindow;
  }

  protected get authName(): string {
    return 'BinanceAuth';
  }

  /** Lowercase hex HMAC-SHA256 of `payload` under the secret. */
  signQuery(payload: string): string {
    return createHmac('sha256', this.#key).update(payload, 'utf8').digest('hex');
  }

  /** The API key header alone (also what the legacy listenKey endpoints need). */
  apiKeyHeaders(): Record<string, string> {
    return { [BINANCE_API_KEY_HEADER]: this.credentials.apiKey };
  }

  /**
   * Adds `recvWindow` and `timestamp` to the query, signs query + body exactly as
   * they will be sent (query first, no separator), and appends `&signature=` to
   * the query. Parameters keep the caller's order: the signature covers bytes.
   */
  signRest(request: RestRequestToSign): SignedRestRequest {
    const query: (readonly [string, string])[] = [...request.query];
    if (this.#recvWindowMs !== null) query.push(['recvWindow', String(this.#recvWindowMs)]);
    query.push(['timestamp', String(this.timestamp())]);
    const queryString = encodeQuery(query);
    const body = request.body;
    const signature = this.signQuery(queryString + (body ?? ''));
    const headers: Record<string, string> = this.apiKeyHeaders();
    if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return { pathAndQuery: `${request.path}?${queryString}&signature=${signature}`, body, headers };
  }

  /**
   * Adds `apiKey`, `timestamp` (and `recvWindow`) to WebSocket API params and
   * signs them; the returned object has the params sorted by key, then `signature`.
   */
  signWsApiParams(params: Readonly<Record<string, WsApiParamValue>> = {}): Record<string, WsApiParamValue> {
    const all: Record<string, WsApiParamValue> = {
      ...params,
      apiKey: this.credentials.apiKey,
      timestamp: this.timestamp(),
    };
    if (this.#recvWindowMs !== null) all['recvWindow'] = this.#recvWindowMs;
    const signed: Record<string, WsApiParamValue> = {};
    for (const k of Object.keys(all).sort()) signed[k] = all[k] as WsApiParamValue;
    signed['signature'] = this.signQuery(wsApiSignaturePayload(all));
    return signed;
  }

  /** The `userDataStream.subscribe.signature` request (the successor of listenKeys). */
  userDataStreamSubscribeRequest(id: string | number): BinanceWsApiRequest<Record<string, WsApiParamValue>> {
    return { id, method: 'userDataStream.subscribe.signature', params: this.signWsApiParams() };
  }

  private timestamp(): number {
    return Math.floor(this.serverTime());
  }
}
