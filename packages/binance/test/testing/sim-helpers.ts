// Test-side client helpers for the simulator specs: signing is computed here with
// node:crypto straight from binance.md §6, independently of both the simulator and
// the connector. The exchange-independent clients come from @hb/testing.

import { createHmac } from 'node:crypto';
import { fetchAnswer, sleep, type HttpAnswer } from '@hb/testing';

export {
  asObject as obj,
  httpGet as get,
  TestWsClient as WsClient,
  type HttpAnswer as Answer,
} from '@hb/testing';

/** Credentials of a test account. */
export interface Creds {
  readonly apiKey: string;
  readonly apiSecret: string;
}

/** HMAC-SHA256 hex. */
export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Options of {@link signed}. */
export interface SignedOptions {
  /** Put the parameters in an x-www-form-urlencoded body instead of the query. */
  readonly inBody?: boolean;
  /** Override the timestamp (default Date.now()). */
  readonly timestamp?: number;
  /** Corrupt the signature. */
  readonly badSignature?: boolean;
  /** Send no API key header. */
  readonly noApiKey?: boolean;
  /** Aborts the request (a test giving up on an answer that never comes). */
  readonly signal?: AbortSignal;
}

/** A SIGNED request with real signing. */
export function signed(
  base: string,
  method: string,
  path: string,
  creds: Creds,
  params: Record<string, string>,
  opts: SignedOptions = {},
): Promise<HttpAnswer> {
  const all = { ...params, timestamp: String(opts.timestamp ?? Date.now()) };
  const payload = new URLSearchParams(all).toString();
  let sig = sign(creds.apiSecret, payload);
  if (opts.badSignature === true) sig = sig.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const withSig = `${payload}&signature=${sig}`;
  const headers: Record<string, string> = {};
  const signal = opts.signal === undefined ? {} : { signal: opts.signal };
  if (opts.noApiKey !== true) headers['X-MBX-APIKEY'] = creds.apiKey;
  if (opts.inBody === true) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return fetchAnswer(`${base}${path}`, { method, headers, body: withSig, ...signal });
  }
  return fetchAnswer(`${base}${path}?${withSig}`, { method, headers, ...signal });
}

/** Waits `ms` (lets pending I/O and microtasks run). */
export function tick(ms = 20): Promise<void> {
  return sleep(ms);
}

/** A GTC limit order on BTCUSDT, the order most simulator specs rest or cross. */
export interface LimitOrder {
  readonly side: 'BUY' | 'SELL';
  /** Decimal strings, as the wire carries them. */
  readonly price: string;
  readonly quantity: string;
  /** Omitted: the simulator assigns one. */
  readonly newClientOrderId?: string;
}

/** Places `order` with a signed POST /api/v3/order. */
export function placeLimit(
  base: string,
  creds: Creds,
  order: LimitOrder,
  opts: SignedOptions = {},
): Promise<HttpAnswer> {
  const params = { symbol: 'BTCUSDT', type: 'LIMIT', timeInForce: 'GTC', ...order };
  return signed(base, 'POST', '/api/v3/order', creds, params, opts);
}
