// Test-side client helpers for the Coinbase simulator specs: signing is computed here
// with node:crypto straight from coinbase-pro.md §6, independently of both the
// simulator and the connector. The exchange-independent clients come from @hb/testing.

import { createHmac, randomBytes } from 'node:crypto';
import { TestWsClient, fetchAnswer, sleep, type HttpAnswer } from '@hb/testing';

export { asArray as arr, asObject as obj, httpGet as get, type HttpAnswer as Answer } from '@hb/testing';

/** Credentials of a test key. */
export interface Creds {
  readonly apiKey: string;
  /** base64 */
  readonly apiSecret: string;
  readonly passphrase: string;
}

/** A fresh key with a random 64-byte base64 secret. */
export function newCreds(apiKey: string, passphrase = `${apiKey}-pass`): Creds {
  return { apiKey, apiSecret: randomBytes(64).toString('base64'), passphrase };
}

/** base64(HMAC-SHA256(base64decode(secret), timestamp + method + path + body)). */
export function sign(secret: string, timestamp: string, method: string, path: string, body = ''): string {
  return createHmac('sha256', Buffer.from(secret, 'base64'))
    .update(timestamp + method + path + body)
    .digest('base64');
}

/** Options of {@link signed}. */
export interface SignedOptions {
  /** Timestamp header (seconds); default now. */
  readonly timestamp?: string;
  /** Replace the computed signature. */
  readonly signature?: string;
  /** Replace the passphrase header. */
  readonly passphrase?: string;
  /** Replace the key header. */
  readonly apiKey?: string;
  /** Aborts the request (a test giving up on an answer that never comes). */
  readonly signal?: AbortSignal;
}

/** A signed request; `body` is sent (and signed) as JSON when given. */
export function signed(
  base: string,
  method: string,
  pathWithQuery: string,
  creds: Creds,
  body?: unknown,
  opts: SignedOptions = {},
): Promise<HttpAnswer> {
  const ts = opts.timestamp ?? String(Date.now() / 1000);
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = {
    'CB-ACCESS-KEY': opts.apiKey ?? creds.apiKey,
    'CB-ACCESS-SIGN': opts.signature ?? sign(creds.apiSecret, ts, method, pathWithQuery, text),
    'CB-ACCESS-TIMESTAMP': ts,
    'CB-ACCESS-PASSPHRASE': opts.passphrase ?? creds.passphrase,
    'Content-Type': 'application/json',
  };
  return fetchAnswer(`${base}${pathWithQuery}`, {
    method,
    headers,
    ...(text === '' ? {} : { body: text }),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });
}

/** The fields of an authenticated feed subscribe (a signed GET /users/self/verify). */
export function wsAuth(
  creds: Creds,
  timestamp = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  return {
    key: creds.apiKey,
    passphrase: creds.passphrase,
    timestamp,
    signature: sign(creds.apiSecret, timestamp, 'GET', '/users/self/verify'),
  };
}

/** The feed's test client: every Coinbase frame is a JSON object, so `next` matches objects. */
export class WsClient extends TestWsClient {
  /** The first object frame (already received or future) matching `pred`. */
  override next<T = Record<string, unknown>>(
    pred: (f: Record<string, unknown>) => boolean,
    timeoutMs = 2000,
  ): Promise<T> {
    return this.nextObject<T>(pred, timeoutMs);
  }
}

/** Waits `ms` (lets pending I/O and microtasks run). */
export function tick(ms = 20): Promise<void> {
  return sleep(ms);
}

/** A lowercase UUIDv4 (a valid client_oid). */
export function uuid(): string {
  const b = randomBytes(16);
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
